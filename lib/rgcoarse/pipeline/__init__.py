"""What the Snakemake workflow needs from the package: job glue, logs, targets and settings."""
