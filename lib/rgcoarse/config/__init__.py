"""Configuration: validation, temperature conditions, constants and seeds."""
