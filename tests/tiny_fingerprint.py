"""Fingerprints of every Parquet table of the tiny run, to show a restructuring changes no value.

A fingerprint keeps, per column, enough of the values that any change of a value, of the row
order or of the row count shows: for numbers the count, the NaN count, the sums of x, |x|,
|x| weighted by row position and x², and the extremes (compared at relative tolerance 1e-12);
for text and lists a SHA-256 of the values in row order (compared exactly). File metadata,
timings and provenance are left out: only the table's values count.

Written by ``python tests/tiny_fingerprint.py RUN_DIR`` (a finished tiny run, one BLAS thread)
into ``tests/fixtures/tiny_fingerprints.json``; checked by ``tests/test_tiny_checksums.py``.

Paths and column names are those the run had when the fingerprints were recorded; a rename
since then is stated in ``PATH_RENAMES`` and ``COLUMN_RENAMES`` (old -> new), and the test reads
the new tree through them.
"""

import hashlib
import json
import math
import sys
from pathlib import Path

import numpy as np
import pandas as pd

FINGERPRINTS = Path(__file__).parent / "fixtures" / "tiny_fingerprints.json"
RELATIVE_TOLERANCE = 1e-12

# Old path prefix (relative to the run directory) -> new prefix, applied in order.
PATH_RENAMES: dict[str, str] = {}
# Old column name -> new column name, in every table.
COLUMN_RENAMES: dict[str, str] = {"delta_cod": "cod_increment", "norm_delta_cod": "norm_cod_increment"}  # issue 23: one name for ΔCOD


def _numeric_fingerprint(values: np.ndarray) -> dict:
    x = values.astype(np.float64)
    finite = x[np.isfinite(x)]
    weights = (np.arange(len(x)) + 1.0) / max(len(x), 1)
    magnitude = np.where(np.isfinite(x), np.abs(x), 0.0)
    return {
        "kind": "number",
        "n": int(len(x)),
        "n_nan": int(np.isnan(x).sum()),
        "n_inf": int(np.isinf(x).sum()),
        "sum": float(finite.sum()),
        "sum_abs": float(magnitude.sum()),
        "sum_abs_weighted": float((magnitude * weights).sum()),
        "sum_squares": float((finite**2).sum()),
        "min": float(finite.min()) if len(finite) else None,
        "max": float(finite.max()) if len(finite) else None,
    }


def _text_fingerprint(values) -> dict:
    digest = hashlib.sha256()
    for value in values:
        item = list(value) if isinstance(value, np.ndarray) else value
        digest.update(json.dumps(item, default=str).encode())
        digest.update(b"\x00")
    return {"kind": "text", "n": len(values), "sha256": digest.hexdigest()}


def table_fingerprint(path: Path) -> dict:
    """{column: fingerprint} of one Parquet table's values."""
    frame = pd.read_parquet(path)
    columns = {}
    for name in frame.columns:
        column = frame[name]
        if pd.api.types.is_bool_dtype(column) or pd.api.types.is_numeric_dtype(column):
            columns[str(name)] = _numeric_fingerprint(column.to_numpy())
        else:
            columns[str(name)] = _text_fingerprint(column.tolist())
    return {"n_rows": len(frame), "columns": columns}


def run_fingerprints(run: Path) -> dict:
    """{relative path: table fingerprint} of every Parquet table under ``run/results``."""
    return {
        str(path.relative_to(run)): table_fingerprint(path)
        for path in sorted((run / "results").rglob("*.parquet"))
    }


def renamed_path(old: str) -> str:
    for before, after in PATH_RENAMES.items():
        if old.startswith(before):
            old = after + old[len(before):]
    return old


def _numbers_differ(expected: dict, got: dict) -> list[str]:
    problems = []
    for key in ("n", "n_nan", "n_inf"):
        if expected[key] != got[key]:
            problems.append(f"{key} {expected[key]} != {got[key]}")
    scale = expected["sum_abs"] or 1.0
    for key in ("sum", "sum_abs", "sum_abs_weighted", "sum_squares", "min", "max"):
        a, b = expected[key], got[key]
        if a is None or b is None:
            if a is not b:
                problems.append(f"{key} {a} != {b}")
            continue
        # The signed sum can cancel to near zero: judge it on the scale of the magnitudes.
        absolute = RELATIVE_TOLERANCE * (scale if key == "sum" else 0.0)
        if not math.isclose(a, b, rel_tol=RELATIVE_TOLERANCE, abs_tol=absolute):
            problems.append(f"{key} {a!r} != {b!r}")
    return problems


def compare(expected: dict, run: Path) -> list[str]:
    """Every difference between the recorded fingerprints and the run's tables (empty: the same)."""
    problems = []
    found = {str(p.relative_to(run)) for p in (run / "results").rglob("*.parquet")}
    wanted = {renamed_path(old): old for old in expected}
    for new in sorted(found - set(wanted)):
        problems.append(f"{new}: a table the recorded run did not have")
    for new, old in sorted(wanted.items()):
        if new not in found:
            problems.append(f"{new} (recorded as {old}): missing")
            continue
        got = table_fingerprint(run / new)
        table = expected[old]
        if got["n_rows"] != table["n_rows"]:
            problems.append(f"{new}: {got['n_rows']} rows, recorded {table['n_rows']}")
        renamed = {COLUMN_RENAMES.get(c, c): c for c in table["columns"]}
        if set(renamed) != set(got["columns"]):
            problems.append(f"{new}: columns {sorted(got['columns'])}, recorded {sorted(renamed)}")
            continue
        for column, old_column in renamed.items():
            a, b = table["columns"][old_column], got["columns"][column]
            if a["kind"] != b["kind"]:
                problems.append(f"{new}:{column}: {b['kind']} values, recorded {a['kind']}")
            elif a["kind"] == "text":
                if a != b:
                    problems.append(f"{new}:{column}: values differ (hash)")
            else:
                problems += [f"{new}:{column}: {p}" for p in _numbers_differ(a, b)]
    return problems


if __name__ == "__main__":
    run_dir = Path(sys.argv[1])
    FINGERPRINTS.write_text(json.dumps(run_fingerprints(run_dir), sort_keys=True, separators=(",", ":")) + "\n")
    print(f"wrote {FINGERPRINTS} ({len(json.loads(FINGERPRINTS.read_text()))} tables)")
