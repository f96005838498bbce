"""Dataset kinds and the generators that are not simulations: Gaussian, planted, nulls."""
