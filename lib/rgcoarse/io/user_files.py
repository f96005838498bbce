"""A user's data file (Parquet, CSV or NPY) as a data matrix: cheap checks at parse time, full reads in the job.

The rules a user file follows are in :mod:`rgcoarse.io.datamatrix`; CSV parsing is in
:mod:`rgcoarse.io.csv_files`. Every error is a :class:`~rgcoarse.io.datamatrix.DataMatrixError` naming the file."""

from __future__ import annotations

import json
import math
from collections import Counter
from pathlib import Path

import numpy as np
import numpy.lib.format as npy_format
import pyarrow as pa
import pyarrow.parquet as pq

from rgcoarse.io.csv_files import (
    _INDEX_NAME,
    _human_bytes,
    _inspect_csv,
    _read_csv_full,
)
from rgcoarse.io.datamatrix import (
    DataMatrix,
    DataMatrixError,
    _check_dtype,
    _check_shape,
    _numeric_arrow_type,
    _table_to_array,
    validate_values,
)
from rgcoarse.io.user_content import check_id_columns, checked_columns

USER_FORMATS = (".parquet", ".csv", ".npy")


# Per-dataset options of a user file (config.yaml user_datasets entries): how to read it, and the
# content checks of rgcoarse.io.user_content.
USER_FILE_OPTIONS = ("header", "id_columns", "drop_constant_columns", "allow_duplicate_rows", "lattice_shape")


def user_file_options(entry) -> dict:
    """The reader options of one ``user_datasets`` entry of config.yaml (only the keys it sets)."""
    return {key: entry[key] for key in USER_FILE_OPTIONS if key in entry}


def check_user_file(path, options=None) -> tuple[int | None, int]:
    """Cheap parse-time check of a user's file: format, header, names, dtype and shape.

    Reads only what it needs, in bounded time and memory whatever the file's size: the header
    of an NPY file (its size must match the shape and dtype the header claims), the footer of a
    Parquet file (column names and types, row count, null counts), and the header line plus at
    most ``CSV_CHECK_ROWS`` rows / ``CSV_CHECK_BYTES`` bytes of a CSV file. The values of the
    whole file are checked by :func:`read_user_matrix`, in the job.

    Parameters
    ----------
    path : path-like
        A ``.npy``, ``.csv`` or ``.parquet`` file.
    options : dict, optional
        Per-dataset options (:data:`USER_FILE_OPTIONS`, see :func:`user_file_options`):
        ``header`` (CSV only) is ``False`` for a file without a header row (features are then
        named ``f0, f1, ...``), ``True`` for a header row even if its names are numbers, unset
        for "a header row is required and a first row of numbers is an error".

    Returns
    -------
    (n_samples, n_features)
        ``n_samples`` is ``None`` for a CSV file longer than the part read (its rows are
        counted in the job).

    Raises
    ------
    DataMatrixError
        Naming the file, the problem and how to fix the file.
    """
    path, options = _user_file_and_options(path, options)
    suffix = path.suffix.lower()
    if suffix == ".npy":
        (n_samples, n_features), _ = _inspect_npy(path)
        names = [f"f{j}" for j in range(n_features)]  # as read_user_matrix names them
    elif suffix == ".csv":
        n_samples, names = _inspect_csv(path, options.get("header"), options.get("id_columns", ()))
        n_features = len(names)
    else:
        n_samples, names = _inspect_parquet(path)
        n_features = len(names)
    check_id_columns(options.get("id_columns", []), names, str(path))
    if "lattice_shape" in options and not options.get("id_columns"):  # id columns leave later: checked on reading
        _checked_lattice_shape(options["lattice_shape"], n_features, path)
    return n_samples, n_features


def _checked_lattice_shape(lattice_shape, n_features: int, path) -> list[int]:
    """[rows, cols] of a user dataset's row-major lattice, rows x cols = its number of features."""
    from rgcoarse.coarse.pair_checks import check_lattice_shape

    try:
        return list(check_lattice_shape(lattice_shape, n_features))
    except ValueError as error:
        raise DataMatrixError(f"{path}: {error}", option="lattice_shape") from None


def read_user_matrix(path, options=None) -> DataMatrix:
    """Read a user's Parquet, CSV or NPY file and check it against the contract.

    Runs :func:`check_user_file` first (same ``options``), then reads the whole file and checks
    its values. Raises :class:`DataMatrixError` naming the file and the problem (missing, unknown
    format, no header row, saved index, duplicated names, not UTF-8, ragged rows, non-numeric or
    complex values, NaN, truncated file, fewer than 2 samples or features); no other error
    (``EOFError``, ``UnicodeDecodeError``, ``MemoryError``, ...) escapes.
    """
    path, options = _user_file_and_options(path, options)
    suffix = path.suffix.lower()
    try:
        if suffix == ".npy":
            _inspect_npy(path)
            values, names = _load_npy(path), None
        elif suffix == ".csv":
            values, names = _read_csv_full(path, options.get("header"), options.get("id_columns", ()))
        else:
            _, names = _inspect_parquet(path)
            values = _table_to_array(_read_parquet_table(path), path)
    except MemoryError:
        raise DataMatrixError(
            f"{path}: not enough memory to read the file ({_human_bytes(path.stat().st_size)}); "
            "give the job more memory (resources: mem_mb) or use a smaller file"
        ) from None
    if not values.dtype.isnative:
        values = values.astype(values.dtype.newbyteorder("="))
    names = list(names) if names is not None else [f"f{j}" for j in range(values.shape[1])]
    values, names, notes = checked_columns(values, names, str(path), options)
    metadata = {"source_file": str(path), "generator": "user", **notes}
    if "lattice_shape" in options:
        if notes.get("dropped_constant_columns"):
            raise DataMatrixError(f"{path}: constant columns were dropped ({notes['dropped_constant_columns']}), which "
                                  "breaks the lattice; keep every site (drop_constant_columns: false)", option="lattice_shape")
        metadata["lattice_shape"] = _checked_lattice_shape(options["lattice_shape"], values.shape[1], path)
    return DataMatrix(values, metadata, names)


def _user_file_and_options(path, options) -> tuple[Path, dict]:
    path = Path(path)
    options = dict(options or {})
    unknown = sorted(set(options) - set(USER_FILE_OPTIONS))
    if unknown:
        raise DataMatrixError(f"{path}: unknown option(s) {unknown}; known: {', '.join(USER_FILE_OPTIONS)}")
    if not path.is_file():
        raise DataMatrixError(f"{path}: file not found")
    suffix = path.suffix.lower()
    if suffix not in USER_FORMATS:
        raise DataMatrixError(f"{path}: unknown format {suffix!r}; use one of {', '.join(USER_FORMATS)}")
    header = options.get("header")
    if header is not None and not isinstance(header, bool):
        raise DataMatrixError(f"{path}: option header must be true or false, not {header!r}", option="header")
    if header is not None and suffix != ".csv":
        raise DataMatrixError(
            f"{path}: option header applies to CSV files only; remove it from this {suffix} file's entry",
            option="header",
        )
    return path, options


def _inspect_npy(path: Path) -> tuple[tuple[int, int], np.dtype]:
    """Shape and dtype from the NPY header, without reading (or allocating) the data."""
    size = path.stat().st_size
    if size == 0:
        raise DataMatrixError(f"{path}: empty file (0 bytes); save a 2-D numeric array with numpy.save")
    header_readers = {(1, 0): npy_format.read_array_header_1_0, (2, 0): npy_format.read_array_header_2_0}
    try:
        with path.open("rb") as handle:
            version = npy_format.read_magic(handle)
            if version not in header_readers:
                raise DataMatrixError(
                    f"{path}: NPY format version {version[0]}.{version[1]} is not supported "
                    "(it is only written for structured arrays); save a plain 2-D numeric array with numpy.save"
                )
            shape, _, dtype = header_readers[version](handle)
            data_offset = handle.tell()
    except DataMatrixError:
        raise
    except (ValueError, EOFError, OSError, SyntaxError, TypeError) as exc:
        raise DataMatrixError(
            f"{path}: not a readable NPY file ({exc}); save a 2-D numeric array with numpy.save"
        ) from None
    _check_dtype(dtype, str(path))
    if len(shape) != 2:
        raise DataMatrixError(f"{path}: expected a 2-D samples × features matrix, got {len(shape)}-D shape {shape}")
    _check_shape(*shape, str(path))
    claimed, held = math.prod(shape) * dtype.itemsize, size - data_offset
    if claimed != held:
        raise DataMatrixError(
            f"{path}: the NPY header claims a {shape[0]} × {shape[1]} {dtype} array ({_human_bytes(claimed)}) "
            f"but the file holds {_human_bytes(held)} of data after the header; the file is truncated "
            "or corrupt: save the array again with numpy.save"
        )
    return shape, dtype


def _load_npy(path: Path) -> np.ndarray:
    try:
        values = np.load(path, allow_pickle=False)
    except (ValueError, EOFError, OSError) as exc:
        raise DataMatrixError(f"{path}: not a plain numeric NPY array ({exc})") from None
    validate_values(values, str(path))
    return values


def _inspect_parquet(path: Path) -> tuple[int, list[str]]:
    try:
        with pq.ParquetFile(path) as parquet:
            metadata, schema = parquet.metadata, parquet.schema_arrow
    except (pa.ArrowException, OSError) as exc:
        raise DataMatrixError(f"{path}: not a readable Parquet file ({exc})") from None
    names = list(schema.names)
    try:
        pandas_meta = json.loads((schema.metadata or {}).get(b"pandas", b"{}"))
    except ValueError:
        pandas_meta = {}
    stored_index = [c for c in pandas_meta.get("index_columns", []) if isinstance(c, str)]
    stored_index += [n for n in names if _INDEX_NAME.fullmatch(n) and n not in stored_index]
    if stored_index:
        raise DataMatrixError(
            f"{path}: column(s) {', '.join(map(repr, stored_index))} hold a saved pandas row index, "
            "not features; save the file without the index: DataFrame.to_parquet(path, index=False)"
        )
    duplicated = [name for name, count in Counter(names).items() if count > 1]
    if duplicated:
        raise DataMatrixError(
            f"{path}: duplicated column name(s) {', '.join(map(repr, duplicated[:10]))}; "
            "give every column a unique name"
        )
    non_numeric = [f"{field.name} ({field.type})" for field in schema if not _numeric_arrow_type(field.type)]
    if non_numeric:
        raise DataMatrixError(f"{path}: non-numeric column(s) {', '.join(non_numeric[:5])}")
    _check_shape(metadata.num_rows, len(names), str(path))
    leaves = {metadata.schema.column(j).path: j for j in range(metadata.num_columns)}
    for name in names:
        j = leaves.get(name)
        for group in range(metadata.num_row_groups if j is not None else 0):
            stats = metadata.row_group(group).column(j).statistics
            if stats is not None and stats.has_null_count and stats.null_count:
                raise DataMatrixError(f"{path}: missing values in column {name!r}")
    return metadata.num_rows, names


def _read_parquet_table(path: Path) -> pa.Table:
    try:
        return pq.read_table(path)
    except (pa.ArrowException, OSError) as exc:
        raise DataMatrixError(f"{path}: not a readable Parquet file ({exc})") from None
