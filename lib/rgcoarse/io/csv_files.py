"""CSV user files: header, names, saved indexes and values checked line by line, in bounded memory at parse time."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

from rgcoarse.io.datamatrix import DataMatrixError, _check_shape, validate_values

CSV_CHECK_ROWS = 1000  # the parse-time check of a CSV file reads at most this many rows ...


CSV_CHECK_BYTES = 1 << 20  # ... or this many bytes after the header line (but always 2 rows)


CSV_MAX_LINE_BYTES = 64 << 20  # a longer line is an error (no line breaks: not a CSV file)


CSV_INDEX_MIN_ROWS = 10  # a first column 0, 1, 2, ... over at least this many rows is a saved index


_INDEX_NAME = re.compile(r"(|Unnamed: \d+|__index_level_\d+__)")


_SAVE_CSV_WITHOUT_INDEX = "save the file without the index: DataFrame.to_csv(path, index=False)"


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
    if frame.shape[1] == 0:
        raise DataMatrixError(f"{path}: no data rows after the header row; a data matrix needs at least 2 samples")
    if frame.shape[1] and frame.shape[1] != len(names):
        if header is not False and frame.shape[1] == len(names) + 1 and frame.iloc[:, -1].isna().all():
            raise DataMatrixError(
                f"{path}: every data row ends in a comma (an empty last field the header row does not have); "
                "remove the trailing commas"
            )
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


def _check_frame(frame: pd.DataFrame, path: Path, id_columns=()) -> None:
    """Numeric, complete columns, and no saved row index as the first column (unless the entry
    declares that column in ``id_columns``: it is then dropped as an id)."""
    non_numeric = [str(c) for c in frame.columns if not pd.api.types.is_numeric_dtype(frame[c])]
    if non_numeric:
        raise DataMatrixError(f"{path}: non-numeric column(s) {', '.join(non_numeric[:5])}")
    if frame.shape[1] and frame.isna().any().any():
        column = frame.columns[frame.isna().any()].tolist()[0]
        raise DataMatrixError(
            f"{path}: missing or NaN values (ragged rows?), first in column {column!r}"
        )
    for column in frame.columns:  # column by column: no copy of the whole frame
        values = frame[column].to_numpy()
        if values.dtype.kind == "f" and np.isinf(values).any():
            row = int(np.flatnonzero(np.isinf(values))[0])
            raise DataMatrixError(f"{path}: infinite value in column {column!r}, row {row + 1} of the data; "
                                  "every value must be a finite number")
    if len(frame) >= CSV_INDEX_MIN_ROWS and frame.shape[1] and frame.columns[0] not in id_columns:
        first = frame.iloc[:, 0].to_numpy()
        if np.array_equal(first, np.arange(len(first))):
            raise DataMatrixError(
                f"{path}: the first column ({frame.columns[0]!r}) holds 0, 1, 2, ... on every row, like a "
                f"saved row index, not a feature; {_SAVE_CSV_WITHOUT_INDEX} (if it is a real feature, "
                "move it to another column)"
            )


def _inspect_csv(path: Path, header, id_columns=()) -> tuple[int | None, list[str]]:
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
    if not first.strip():
        raise DataMatrixError(f"{path}: the first line is blank; the header row (or, with header: false, the "
                              "first row of data) must be the file's first line")
    if "\r" in first.rstrip("\r\n"):  # a bare CR inside the first line: old Mac line ends
        raise DataMatrixError(f"{path}: lines end in a bare carriage return (CR, old Mac or Excel-for-Mac "
                              "export); save the file with LF or CRLF line ends")
    tokens = next(csv.reader([first]), [""])
    if len(tokens) < 2 and any(sep in first for sep in ";\t|"):
        raise DataMatrixError(
            f"{path}: needs at least 2 features (columns), has 1 (the first line reads {first.strip()[:60]!r}); "
            "separate the values with commas"
        )
    names = _header_names(tokens, path, header)
    text = first + _decode(b"".join(rows), path, 2)  # line numbers in errors are the file's
    frame = _name_columns(_parse_csv(io.StringIO(text), path, 0 if header is False else 1), names, path, header)
    _check_frame(frame, path, id_columns)
    if complete:
        _check_shape(len(frame), len(names), str(path))
        return len(frame), names
    _check_shape(2, len(names), str(path))  # more rows follow: they are counted in the job
    return None, names


def _read_csv_full(path: Path, header, id_columns=()) -> tuple[np.ndarray, list[str]]:
    _, names = _inspect_csv(path, header, id_columns)
    frame = _name_columns(_parse_csv(path, path, 0 if header is False else 1), names, path, header)
    _check_frame(frame, path, id_columns)
    flags = [c for c in frame.columns if frame[c].dtype == bool]
    if flags and len(flags) < frame.shape[1]:  # True/False beside numbers: 1/0, not Python objects
        frame = frame.astype({c: np.int8 for c in flags})
    values = frame.to_numpy()
    _check_shape(*values.shape, str(path))
    validate_values(values, str(path))
    return values, names


_NOT_UTF8_FIX = (
    "re-encode the file as UTF-8, e.g. `iconv -f latin1 -t utf-8 old.csv > new.csv` "
    "or pandas DataFrame.to_csv(path, index=False, encoding='utf-8')"
)


def _human_bytes(n: int) -> str:
    for unit in ("bytes", "kB", "MB", "GB", "TB", "PB"):
        if n < 1000 or unit == "PB":
            return f"{n} bytes" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1000
    raise AssertionError("unreachable")
