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

import csv
import io
import json
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.lib.format as npy_format
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from rgcoarse.io.atomic import atomic_path

METADATA_KEY = b"rgcoarse.metadata"
FEATURE_METADATA_KEY = b"rgcoarse.feature_metadata"
USER_FORMATS = (".parquet", ".csv", ".npy")
USER_FILE_OPTIONS = ("header",)  # per-dataset options of a user file (config.yaml user_datasets entries)
CSV_CHECK_ROWS = 1000  # the parse-time check of a CSV file reads at most this many rows ...
CSV_CHECK_BYTES = 1 << 20  # ... or this many bytes after the header line (but always 2 rows)
CSV_MAX_LINE_BYTES = 64 << 20  # a longer line is an error (no line breaks: not a CSV file)
CSV_INDEX_MIN_ROWS = 10  # a first column 0, 1, 2, ... over at least this many rows is a saved index


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
        table = pq.read_table(path)
    except (pa.ArrowInvalid, OSError) as exc:
        raise DataMatrixError(f"{path}: not a readable Parquet file ({exc})") from exc
    schema_metadata = table.schema.metadata or {}
    if METADATA_KEY not in schema_metadata:
        raise DataMatrixError(f"{path}: no rgcoarse metadata; use read_user_matrix for user files")
    metadata = json.loads(schema_metadata[METADATA_KEY])
    feature_metadata = None
    if FEATURE_METADATA_KEY in schema_metadata:
        feature_metadata = pd.DataFrame(json.loads(schema_metadata[FEATURE_METADATA_KEY]))
    values = _table_to_array(table, path)
    return DataMatrix(values, metadata, list(table.column_names), feature_metadata)


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
        shape, _ = _inspect_npy(path)
        return shape
    if suffix == ".csv":
        n_samples, names = _inspect_csv(path, options.get("header"))
        return n_samples, len(names)
    n_samples, names = _inspect_parquet(path)
    return n_samples, len(names)


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
            values, names = _read_csv_full(path, options.get("header"))
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
    metadata = {"source_file": str(path), "generator": "user"}
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


def _human_bytes(n: int) -> str:
    for unit in ("bytes", "kB", "MB", "GB", "TB", "PB"):
        if n < 1000 or unit == "PB":
            return f"{n} bytes" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1000
    raise AssertionError("unreachable")


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


# --- NPY: the header is checked at parse time, the values in the job ---------------------------------

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


# --- CSV: header line and a bounded prefix at parse time, the whole file in the job ------------------

_INDEX_NAME = re.compile(r"(|Unnamed: \d+|__index_level_\d+__)")
_SAVE_CSV_WITHOUT_INDEX = "save the file without the index: DataFrame.to_csv(path, index=False)"
_NOT_UTF8_FIX = (
    "re-encode the file as UTF-8, e.g. `iconv -f latin1 -t utf-8 old.csv > new.csv` "
    "or pandas DataFrame.to_csv(path, index=False, encoding='utf-8')"
)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _read_line(handle, path: Path, line_number: int) -> bytes:
    line = handle.readline(CSV_MAX_LINE_BYTES + 1)
    if len(line) > CSV_MAX_LINE_BYTES and not line.endswith(b"\n"):
        raise DataMatrixError(
            f"{path}: line {line_number} is longer than {_human_bytes(CSV_MAX_LINE_BYTES)}; "
            "a CSV file has one sample per line, with comma-separated values"
        )
    return line


def _decode(raw: bytes, path: Path, first_line: int) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = first_line + raw[: exc.start].count(b"\n")
        raise DataMatrixError(
            f"{path}: not UTF-8 text (byte 0x{raw[exc.start]:02x} on line {line}); {_NOT_UTF8_FIX}"
        ) from None


def _header_names(tokens: list[str], path: Path, header) -> list[str]:
    """Feature names from the first row of a CSV file (``header`` as in :func:`check_user_file`)."""
    if header is False:
        words = [t for t in tokens if t.strip() and not _is_number(t)]
        if words:
            raise DataMatrixError(
                f"{path}: option header is false but the first row holds text ({', '.join(map(repr, words[:5]))}), "
                "like a header row of feature names: remove `header: false` from the dataset's entry "
                "under user_datasets in config.yaml, or remove that row from the file",
                option="header",
            )
        return [f"f{i}" for i in range(len(tokens))]
    if header is None and all(t.strip() and _is_number(t) for t in tokens):
        shown = ", ".join(tokens[:5]) + (", ..." if len(tokens) > 5 else "")
        raise DataMatrixError(
            f"{path}: the first row ({shown}) is all numbers, so it looks like data, not a header row of "
            "feature names (reading it as a header would lose the first sample): add a header row of "
            "feature names to the file, or set `header: false` in the dataset's entry under user_datasets "
            "in config.yaml if the file has no header row (features are then named f0, f1, ...), "
            "or `header: true` if these numbers are the feature names"
        )
    if _INDEX_NAME.fullmatch(tokens[0]):
        raise DataMatrixError(
            f"{path}: the first column ({tokens[0]!r}, an unnamed header) is a saved pandas row index, "
            f"not a feature; {_SAVE_CSV_WITHOUT_INDEX}"
        )
    unnamed = [i + 1 for i, t in enumerate(tokens) if not t.strip()]
    if unnamed:
        raise DataMatrixError(
            f"{path}: column(s) {unnamed[:5]} of the header row have no name (a trailing comma?); "
            "give every column a name"
        )
    counts = Counter(tokens)
    duplicated = [name for name, count in counts.items() if count > 1]
    if duplicated:
        raise DataMatrixError(
            f"{path}: duplicated column name(s) {', '.join(map(repr, duplicated[:10]))} in the header row "
            "(pandas would silently rename them, e.g. 'a' to 'a.1'); give every column a unique name"
        )
    return tokens


def _parse_csv(source, path: Path, skiprows: int) -> pd.DataFrame:
    """The data rows (skipping the header row) as a frame with columns 0..k-1; errors name ``path``."""
    encoding = {"encoding": "utf-8-sig"} if isinstance(source, Path) else {}
    try:
        # header=None: pandas never takes a column as the index (with a header row one name
        # shorter than the rows it would, silently); engine="c" raises on over-long rows.
        return pd.read_csv(source, header=None, skiprows=skiprows, engine="c", **encoding)
    except pd.errors.ParserError as exc:
        raise DataMatrixError(f"{path}: ragged or malformed CSV ({str(exc).strip()})") from None
    except pd.errors.EmptyDataError:
        return pd.DataFrame()
    except UnicodeDecodeError as exc:
        raise DataMatrixError(f"{path}: not UTF-8 text ({exc.reason}, byte 0x{exc.object[exc.start]:02x}); "
                              f"{_NOT_UTF8_FIX}") from None


def _name_columns(frame: pd.DataFrame, names: list[str], path: Path, header) -> pd.DataFrame:
    if frame.shape[1] and frame.shape[1] != len(names):
        if header is not False and frame.shape[1] == len(names) + 1:
            raise DataMatrixError(
                f"{path}: the rows have one field more than the header row has names ({len(names)}); "
                f"the first field is probably a saved row index: {_SAVE_CSV_WITHOUT_INDEX}"
            )
        raise DataMatrixError(
            f"{path}: ragged or malformed CSV (the first row has {len(names)} fields, the rows after it "
            f"{frame.shape[1]}); every row needs one value per feature"
        )
    frame.columns = names
    return frame


def _check_frame(frame: pd.DataFrame, path: Path) -> None:
    """Numeric, complete columns, and no saved row index as the first column."""
    non_numeric = [str(c) for c in frame.columns if not pd.api.types.is_numeric_dtype(frame[c])]
    if non_numeric:
        raise DataMatrixError(f"{path}: non-numeric column(s) {', '.join(non_numeric[:5])}")
    if frame.shape[1] and frame.isna().any().any():
        column = frame.columns[frame.isna().any()].tolist()[0]
        raise DataMatrixError(
            f"{path}: missing or NaN values (ragged rows?), first in column {column!r}"
        )
    if len(frame) >= CSV_INDEX_MIN_ROWS and frame.shape[1]:
        first = frame.iloc[:, 0].to_numpy()
        if np.array_equal(first, np.arange(len(first))):
            raise DataMatrixError(
                f"{path}: the first column ({frame.columns[0]!r}) holds 0, 1, 2, ... on every row, like a "
                f"saved row index, not a feature; {_SAVE_CSV_WITHOUT_INDEX} (if it is a real feature, "
                "move it to another column)"
            )


def _inspect_csv(path: Path, header) -> tuple[int | None, list[str]]:
    """Feature names and, when the whole file was read, the number of samples."""
    if path.stat().st_size == 0:
        raise DataMatrixError(f"{path}: empty CSV file (0 bytes)")
    with path.open("rb") as handle:
        first_raw = _read_line(handle, path, 1)
        rows, n_bytes = [], 0
        while len(rows) < 2 or (len(rows) < CSV_CHECK_ROWS and n_bytes < CSV_CHECK_BYTES):
            line = _read_line(handle, path, len(rows) + 2)
            if not line:
                break
            rows.append(line)
            n_bytes += len(line)
        complete = handle.read(1) == b""
    first = _decode(first_raw, path, 1).removeprefix("\ufeff")
    tokens = next(csv.reader([first]), [""])
    if len(tokens) < 2 and any(sep in first for sep in ";\t|"):
        raise DataMatrixError(
            f"{path}: needs at least 2 features (columns), has 1 (the first line reads {first.strip()[:60]!r}); "
            "separate the values with commas"
        )
    names = _header_names(tokens, path, header)
    text = first + _decode(b"".join(rows), path, 2)  # line numbers in errors are the file's
    frame = _name_columns(_parse_csv(io.StringIO(text), path, 0 if header is False else 1), names, path, header)
    _check_frame(frame, path)
    if complete:
        _check_shape(len(frame), len(names), str(path))
        return len(frame), names
    _check_shape(2, len(names), str(path))  # more rows follow: they are counted in the job
    return None, names


def _read_csv_full(path: Path, header) -> tuple[np.ndarray, list[str]]:
    _, names = _inspect_csv(path, header)
    frame = _name_columns(_parse_csv(path, path, 0 if header is False else 1), names, path, header)
    _check_frame(frame, path)
    values = frame.to_numpy()
    _check_shape(*values.shape, str(path))
    validate_values(values, str(path))
    return values, names


# --- Parquet: the footer (schema, row count, statistics) at parse time, the values in the job --------

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


def _numeric_arrow_type(typ) -> bool:
    return pa.types.is_integer(typ) or pa.types.is_floating(typ) or pa.types.is_boolean(typ)


def _read_parquet_table(path: Path) -> pa.Table:
    try:
        return pq.read_table(path)
    except (pa.ArrowException, OSError) as exc:
        raise DataMatrixError(f"{path}: not a readable Parquet file ({exc})") from None


def _table_to_array(table: pa.Table, path: Path) -> np.ndarray:
    non_numeric = [
        name
        for name, typ in zip(table.column_names, table.schema.types)
        if not (pa.types.is_integer(typ) or pa.types.is_floating(typ) or pa.types.is_boolean(typ))
    ]
    if non_numeric:
        raise DataMatrixError(f"{path}: non-numeric column(s) {', '.join(non_numeric[:5])}")
    if table.num_columns == 0:
        raise DataMatrixError(f"{path}: needs at least 2 features (columns), has 0")
    for name in table.column_names:
        if table.column(name).null_count:
            raise DataMatrixError(f"{path}: missing values in column {name!r}")
    values = np.column_stack([table.column(name).to_numpy() for name in table.column_names])
    validate_values(values, str(path))
    return values


def lattice_feature_metadata(lattice_shape) -> pd.DataFrame:
    """Row and column of every site of a row-major lattice: feature ``f`` sits at ``(f // cols, f % cols)``."""
    rows, cols = (int(n) for n in lattice_shape)
    index = np.arange(rows * cols)
    return pd.DataFrame({"row": index // cols, "col": index % cols})
