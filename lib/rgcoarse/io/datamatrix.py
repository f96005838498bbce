"""The data-matrix contract: one reader and one writer for every dataset.

Every dataset (Ising configurations, random Gaussian matrices, Kob–Andersen p_hop, a
user's file) becomes a matrix of ``n_samples`` rows by ``n_features`` columns with
dataset-level metadata (a JSON object) and optional per-feature metadata (lattice
coordinates, particle type, ...).

On disk it is one Parquet file with one column per feature (named by the feature
names), the dataset metadata as JSON under the schema-metadata key ``rgcoarse.metadata``
and the per-feature metadata as JSON (column -> list) under ``rgcoarse.feature_metadata``.
User files may also be CSV (header row of feature names, one row per sample) or NPY
(a 2-D array, rows are samples). Their rules: a header row (unless the dataset's option
``header: false``), no saved pandas row index, unique column names, UTF-8 text (CSV), real
numeric values (integer, float or boolean; not complex). :func:`check_user_file` checks a user
file's header, names, dtype and shape cheaply (at workflow parse time); :func:`read_user_matrix`
also reads and checks every value (in the job). Both raise :class:`DataMatrixError` naming the file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from rgcoarse.io.atomic import atomic_path

METADATA_KEY = b"rgcoarse.metadata"
FEATURE_METADATA_KEY = b"rgcoarse.feature_metadata"


class DataMatrixError(ValueError):
    """A data file or array that breaks the data-matrix contract.

    ``option`` names the per-dataset option at fault (e.g. ``"header"``), if any, else ``None``
    (the file itself is at fault).
    """

    def __init__(self, message: str, option: str | None = None):
        super().__init__(message)
        self.option = option


@dataclass(frozen=True)
class DataMatrix:
    """Samples × features with metadata.

    Parameters
    ----------
    values : ndarray, shape (n_samples, n_features)
        Numeric data; integer dtypes (e.g. int8 spins) are kept as they are.
    metadata : dict
        JSON-serialisable dataset parameters (temperature, seed, sizes, generator, ...).
    feature_names : list of str, optional
        Column names; ``f0, f1, ...`` when omitted.
    feature_metadata : DataFrame, optional
        One row per feature (e.g. lattice ``row``/``col``, particle ``type``).
    """

    values: np.ndarray
    metadata: dict = field(default_factory=dict)
    feature_names: list[str] | None = None
    feature_metadata: pd.DataFrame | None = None

    def __post_init__(self):
        validate_values(self.values, "data matrix")
        n_features = self.values.shape[1]
        if self.feature_names is None:
            object.__setattr__(self, "feature_names", [f"f{i}" for i in range(n_features)])
        if len(self.feature_names) != n_features:
            raise DataMatrixError(
                f"data matrix: {len(self.feature_names)} feature names for {n_features} features"
            )
        if len(set(self.feature_names)) != n_features:
            raise DataMatrixError("data matrix: feature names are not unique")
        if self.feature_metadata is not None and len(self.feature_metadata) != n_features:
            raise DataMatrixError(
                f"data matrix: feature metadata has {len(self.feature_metadata)} rows "
                f"for {n_features} features"
            )

    @property
    def n_samples(self) -> int:
        return self.values.shape[0]

    @property
    def n_features(self) -> int:
        return self.values.shape[1]


def validate_values(values, source: str) -> None:
    """Raise :class:`DataMatrixError` naming ``source`` unless ``values`` is a usable matrix.

    Usable: a 2-D array of real numbers (integer, float or boolean; not complex) with at least
    2 samples and 2 features and no NaN or infinite entries.
    """
    if not isinstance(values, np.ndarray):
        raise DataMatrixError(f"{source}: expected a NumPy array, got {type(values).__name__}")
    if values.ndim != 2:
        raise DataMatrixError(f"{source}: expected a 2-D samples × features matrix, got {values.ndim}-D")
    _check_dtype(values.dtype, source)
    _check_shape(*values.shape, source)
    if np.issubdtype(values.dtype, np.floating):
        bad = ~np.isfinite(values)
        if bad.any():
            row, col = np.argwhere(bad)[0]
            raise DataMatrixError(
                f"{source}: {int(bad.sum())} NaN or infinite value(s), first at sample {row}, feature {col}"
            )


def write_data_matrix(path, matrix: DataMatrix) -> None:
    """Write ``matrix`` to ``path`` as Parquet (deterministic bytes for equal input)."""
    columns = {name: matrix.values[:, j] for j, name in enumerate(matrix.feature_names)}
    table = pa.table(columns)
    schema_metadata = {METADATA_KEY: json.dumps(matrix.metadata, sort_keys=True).encode()}
    if matrix.feature_metadata is not None:
        feature_json = matrix.feature_metadata.reset_index(drop=True).to_dict(orient="list")
        schema_metadata[FEATURE_METADATA_KEY] = json.dumps(feature_json).encode()
    table = table.replace_schema_metadata(schema_metadata)
    with atomic_path(path) as tmp:
        pq.write_table(table, tmp, compression="zstd")


def read_data_matrix(path) -> DataMatrix:
    """Read a data matrix written by :func:`write_data_matrix`."""
    path = Path(path)
    if not path.is_file():
        raise DataMatrixError(f"{path}: file not found")
    try:
        parquet = pq.ParquetFile(path)
        schema = parquet.schema_arrow
    except (pa.ArrowInvalid, OSError) as exc:
        raise DataMatrixError(f"{path}: not a readable Parquet file ({exc})") from exc
    schema_metadata = schema.metadata or {}
    if METADATA_KEY not in schema_metadata:
        raise DataMatrixError(f"{path}: no rgcoarse metadata; use read_user_matrix for user files")
    metadata = json.loads(schema_metadata[METADATA_KEY])
    feature_metadata = None
    if FEATURE_METADATA_KEY in schema_metadata:
        feature_metadata = pd.DataFrame(json.loads(schema_metadata[FEATURE_METADATA_KEY]))
    try:
        values = _parquet_to_array(parquet, path)
    except (pa.ArrowInvalid, OSError) as exc:
        raise DataMatrixError(f"{path}: not a readable Parquet file ({exc})") from exc
    return DataMatrix(values, metadata, list(schema.names), feature_metadata)


#: Columns decoded at a time by :func:`read_data_matrix`: only one chunk's Arrow buffers sit beside
#: the matrix (a whole-table read held 2.4 times the float32 matrix at its peak).
READ_CHUNK_COLUMNS = 256


def _parquet_to_array(parquet: pq.ParquetFile, path: Path) -> np.ndarray:
    """The file's columns as one samples x features array, filled a chunk of columns at a time; the
    Arrow memory pool's freed pages are then handed back to the system (it keeps them otherwise)."""
    names = parquet.schema_arrow.names
    if len(set(names)) < len(names):  # a column read by name would be ambiguous
        return _table_to_array(parquet.read(), path)
    _check_column_types(names, parquet.schema_arrow.types, path)
    dtype = np.result_type(*(typ.to_pandas_dtype() for typ in parquet.schema_arrow.types))
    values = np.empty((parquet.metadata.num_rows, len(names)), dtype=dtype)
    for start in range(0, len(names), READ_CHUNK_COLUMNS):
        chunk = parquet.read(columns=names[start : start + READ_CHUNK_COLUMNS])
        for offset, column in enumerate(_checked_columns(chunk, path)):
            values[:, start + offset] = column
        del chunk
    pa.default_memory_pool().release_unused()
    validate_values(values, str(path))
    return values


def _check_shape(n_samples: int, n_features: int, source: str) -> None:
    if n_samples < 2:
        raise DataMatrixError(f"{source}: needs at least 2 samples (rows), has {n_samples}")
    if n_features < 2:
        raise DataMatrixError(f"{source}: needs at least 2 features (columns), has {n_features}")


def _check_dtype(dtype: np.dtype, source: str) -> None:
    """Real numbers (or booleans) only: no complex, object, structured, string or time dtypes."""
    if dtype.hasobject:
        raise DataMatrixError(
            f"{source}: values are not numeric (dtype object, Python objects); "
            "save a numeric array, e.g. array.astype(float)"
        )
    if dtype.names is not None or dtype.subdtype is not None:
        raise DataMatrixError(
            f"{source}: values are not numeric (structured dtype {dtype}); "
            "save a plain 2-D numeric array with one column per field"
        )
    if dtype.kind == "c":
        raise DataMatrixError(
            f"{source}: values are complex (dtype {dtype}); coarse-graining needs real numbers: "
            "save the real part, the modulus, or the real and imaginary parts as separate features"
        )
    if dtype.kind not in "biuf":
        raise DataMatrixError(
            f"{source}: values are not numeric (dtype {dtype}); save an integer, float or boolean array"
        )
    if dtype.kind == "f" and dtype.itemsize > 8:
        raise DataMatrixError(
            f"{source}: values are {dtype} (extended precision), which Parquet cannot store; save them as "
            "float64, e.g. array.astype(np.float64)"
        )


# --- NPY: the header is checked at parse time, the values in the job ---------------------------------


# --- CSV: header line and a bounded prefix at parse time, the whole file in the job ------------------


# --- Parquet: the footer (schema, row count, statistics) at parse time, the values in the job --------


def _numeric_arrow_type(typ) -> bool:
    return pa.types.is_integer(typ) or pa.types.is_floating(typ) or pa.types.is_boolean(typ)


def _check_column_types(names, types, path: Path) -> None:
    non_numeric = [name for name, typ in zip(names, types) if not _numeric_arrow_type(typ)]
    if non_numeric:
        raise DataMatrixError(f"{path}: non-numeric column(s) {', '.join(non_numeric[:5])}")
    if not names:
        raise DataMatrixError(f"{path}: needs at least 2 features (columns), has 0")


def _checked_columns(table: pa.Table, path: Path) -> list[np.ndarray]:
    """The table's columns as NumPy arrays, after the checks that name a column."""
    _check_column_types(table.column_names, table.schema.types, path)
    columns = []
    for index, name in enumerate(table.column_names):
        column = table.column(index)
        if column.null_count:
            raise DataMatrixError(f"{path}: missing values in column {name!r}")
        columns.append(column.to_numpy())
    return columns


def _table_to_array(table: pa.Table, path: Path) -> np.ndarray:
    values = np.column_stack(_checked_columns(table, path))
    validate_values(values, str(path))
    return values


def lattice_feature_metadata(lattice_shape) -> pd.DataFrame:
    """Row and column of every site of a row-major lattice: feature ``f`` sits at ``(f // cols, f % cols)``."""
    rows, cols = (int(n) for n in lattice_shape)
    index = np.arange(rows * cols)
    return pd.DataFrame({"row": index // cols, "col": index % cols})
