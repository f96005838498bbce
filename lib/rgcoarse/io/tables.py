"""Parquet I/O for the pipeline's result tables (levels, observables, fits).

Tables carry the metadata of the job that made them as JSON under the schema-metadata key
``rgcoarse.metadata``. Writes go through :func:`rgcoarse.io.atomic.atomic_path`.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from rgcoarse.io.atomic import atomic_path

METADATA_KEY = b"rgcoarse.metadata"


def write_table(path, frame: pd.DataFrame, metadata: dict | None = None) -> None:
    """Write ``frame`` (without its index) and ``metadata`` to ``path`` as Parquet."""
    table = pa.Table.from_pandas(frame.reset_index(drop=True), preserve_index=False)
    table = table.replace_schema_metadata(
        {METADATA_KEY: json.dumps(metadata or {}, sort_keys=True, default=_json_default).encode()}
    )
    with atomic_path(path) as tmp:
        pq.write_table(table, tmp, compression="zstd")


def write_csv(path, frame: pd.DataFrame, float_format: str = "%.6g") -> None:
    """Write ``frame`` (without its index) to ``path`` as CSV, atomically; floats to 6 significant digits."""
    with atomic_path(path) as tmp:
        frame.to_csv(tmp, index=False, float_format=float_format)


def read_table(path) -> tuple[pd.DataFrame, dict]:
    """Read a table written by :func:`write_table`: (frame, metadata)."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: file not found")
    table = pq.read_table(path)
    raw = (table.schema.metadata or {}).get(METADATA_KEY, b"{}")
    return table.to_pandas(), json.loads(raw)


def _json_default(value):
    # NumPy scalars and arrays in metadata become plain JSON numbers and lists.
    if hasattr(value, "tolist"):
        return value.tolist()
    raise TypeError(f"metadata value {value!r} is not JSON-serialisable")


def read_tables_by_temperature(paths) -> dict[float, pd.DataFrame]:
    """{temperature: frame} of tables whose metadata records their dataset's temperature."""
    result = {}
    for path in paths:
        frame, metadata = read_table(path)
        result[float(metadata["dataset_metadata"]["temperature"])] = frame
    return result


def read_null_statistics(paths) -> pd.DataFrame | None:
    """The null-statistics tables (rgcoarse.stats.null_draws) stacked into one frame; ``None`` when there are none."""
    frames = [read_table(path)[0] for path in paths]
    return pd.concat(frames, ignore_index=True) if frames else None
