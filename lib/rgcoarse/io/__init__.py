"""Files: the data-matrix contract, Parquet tables with metadata, atomic writes."""
