"""Content checks of a user's data matrix: what only the values show, checked by the user_dataset
job before any analysis job runs (the parse-time check reads only headers and footers).

- **Identifier columns.** A column of integers that only grow (or only fall) from row to row (a row
  number, 0- or 1-based, or sorted ids with gaps, in any position) is not a feature: stationary data
  do not do that (for a column of independent values, m rows come out sorted with chance 2 / m!).
  From :data:`MIN_ID_ROWS` rows on, any such column counts; below, only consecutive integers.
  Columns the entry declares in ``id_columns`` are dropped; an undeclared one is an error naming it,
  never a guess.
- **Constant columns.** A column whose spread is at most :func:`constant_tolerance` of its magnitude
  (exactly constant, or constant up to the rounding of its number type: :data:`CONSTANT_RTOL`, or
  :data:`CONSTANT_ULPS` units in the last place of a float32 column, whichever is larger) has no
  correlations to find, and standardising it would amplify rounding noise into a feature. An
  error names them, unless the entry sets ``drop_constant_columns: true``: then they are dropped
  and named in the log and the metadata. A float64 column that varies by 1e-9 of its size holds
  that variation to about 1e-7 of itself (a timestamp around 1.7e9 varying by seconds does), so
  it is data, not rounding.
- **Duplicated rows** of continuous data (a join or concatenation error) would narrow every
  interval without adding information: an error gives their count, unless the entry sets
  ``allow_duplicate_rows: true``. Discrete data (at most :data:`DISCRETE_LEVELS` distinct values
  per column, such as spins or spike counts) repeat rows by nature and are not checked.
"""

from __future__ import annotations

import numpy as np

from rgcoarse.io.datamatrix import DataMatrixError

CONSTANT_RTOL = 1e-10
CONSTANT_ULPS = 64  # rounding a float32 value picks up on its way (a few operations, a text round trip)
DISCRETE_LEVELS = 16
MIN_ID_ROWS = 8  # 2 / 8! = 5e-5: a sorted column of this many rows is no accident


def id_like_columns(values: np.ndarray) -> list[int]:
    """Columns of integers that only grow or only fall (module docstring)."""
    found = []
    m = values.shape[0]
    for j in range(values.shape[1]):
        column = values[:, j]
        if m < 3 or not np.all(np.mod(column, 1) == 0):
            continue
        steps = np.diff(column)
        consecutive = np.all(steps == 1) or np.all(steps == -1)
        monotone = m >= MIN_ID_ROWS and (np.all(steps > 0) or np.all(steps < 0))
        if consecutive or monotone:
            found.append(j)
    return found


def constant_tolerance(dtype) -> float:
    """The relative spread at or below which a column of this number type counts as constant."""
    dtype = np.dtype(dtype)
    if dtype.kind != "f":
        return 0.0  # integers are exact: only a truly constant column
    # float16 keeps 3 digits: 64 of its ulps would be 6% of a value; no type's rounding is taken as larger
    # than float32's.
    return max(CONSTANT_RTOL, min(CONSTANT_ULPS * float(np.finfo(dtype).eps), CONSTANT_ULPS * float(np.finfo(np.float32).eps)))


def constant_columns(values: np.ndarray) -> list[int]:
    """Columns whose spread is at most :func:`constant_tolerance` of their magnitude."""
    tolerance = constant_tolerance(np.asarray(values).dtype)
    values = np.asarray(values, dtype=np.float64)
    spread = values.max(axis=0) - values.min(axis=0)
    scale = np.maximum(np.abs(values).max(axis=0), np.finfo(float).tiny)
    return [int(j) for j in np.flatnonzero(spread <= tolerance * scale)]


def duplicated_rows(values: np.ndarray) -> int:
    """Rows that repeat an earlier row, for continuous data (0 for discrete data, where repeats are natural)."""
    levels = [np.unique(values[:, j]).size for j in range(min(values.shape[1], 64))]
    if np.median(levels) <= DISCRETE_LEVELS:
        return 0
    return int(values.shape[0] - np.unique(np.ascontiguousarray(values), axis=0).shape[0])


def check_id_columns(declared, names, source: str) -> None:
    """Every declared id column must be a column of the file (a typo would leave the id as a feature)."""
    unknown = [c for c in declared if c not in names]
    if unknown:
        raise DataMatrixError(f"{source}: id_columns {unknown} are not columns of the file (columns: {names[:10]}...)",
                              option="id_columns")
    if len(names) - len(set(declared)) < 2:
        raise DataMatrixError(f"{source}: id_columns {list(declared)} leave {len(names) - len(set(declared))} of the "
                              f"file's {len(names)} columns as features; coarse-graining needs at least 2",
                              option="id_columns")


def checked_columns(values: np.ndarray, names: list[str], source: str, options: dict) -> tuple[np.ndarray, list[str], dict]:
    """``(values, names, notes)`` after the content checks (module docstring); raises DataMatrixError.

    ``options``: ``id_columns`` (names to drop), ``drop_constant_columns``, ``allow_duplicate_rows``.
    ``notes`` records what was dropped, for the data matrix's metadata.
    """
    notes = {}
    declared = list(options.get("id_columns", []))
    check_id_columns(declared, names, source)
    keep = [j for j, name in enumerate(names) if name not in declared]
    if declared:
        notes["dropped_id_columns"] = declared
    values, names = values[:, keep], [names[j] for j in keep]
    ids = id_like_columns(values)
    if ids:
        listed = ", ".join(repr(names[j]) for j in ids[:5])
        raise DataMatrixError(
            f"{source}: column(s) {listed} hold integers that only grow or only fall from row to row, like a "
            "row number or id, not a feature; "
            "declare them in the dataset's id_columns (they are then dropped), or remove them from the file")
    constant = constant_columns(values)
    if constant:
        listed = [names[j] for j in constant]
        if not options.get("drop_constant_columns", False):
            raise DataMatrixError(
                f"{source}: {len(listed)} constant column(s) {listed[:10]} (spread <= "
                f"{constant_tolerance(values.dtype):.2g} of their size): "
                "they carry no correlations; set the dataset's drop_constant_columns: true to drop them")
        keep = [j for j in range(values.shape[1]) if j not in set(constant)]
        values, names = values[:, keep], [names[j] for j in keep]
        notes["dropped_constant_columns"] = listed
    repeats = duplicated_rows(values)
    if repeats and not options.get("allow_duplicate_rows", False):
        raise DataMatrixError(
            f"{source}: {repeats} row(s) repeat an earlier row of continuous data, which would narrow every "
            "interval without adding information; remove them, or set the dataset's allow_duplicate_rows: true")
    if values.shape[1] < 2:
        raise DataMatrixError(f"{source}: fewer than 2 feature columns remain after the checks")
    return values, names, notes
