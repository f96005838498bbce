"""The paper's panels, claims and figures."""
