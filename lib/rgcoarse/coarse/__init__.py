"""Coarse-graining: pairing rules, the level loop, stepwise selection."""
