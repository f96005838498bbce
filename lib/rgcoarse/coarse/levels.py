"""Coarse-graining levels, how one level follows from the previous, and their table form.

Level 0 is the data; each further level pairs the variables of the previous one with a
pairing rule (:mod:`rgcoarse.coarse.pairing`) and replaces every pair ``(a, b)`` by
``z = omega * (x_a + x_b)``, until at most ``min_variables`` variables remain.

Conventions
-----------
- Variable ``k`` of level ``l + 1`` is formed by row ``k`` of that level's ``pairs``
  (indices into level ``l``); with an odd number of variables the unpaired one (see the
  rule) becomes the *last* variable of level ``l + 1``.
- ``members[k]`` lists, sorted, the original features whose sum the variable is, and
  every variable of level ``l`` equals ``omega**l`` times that raw sum: ``scale`` is
  ``omega**l`` for the whole level. To keep that true, an unpaired variable is carried
  with its membership unchanged but multiplied by ``omega`` like the pair sums. (With
  ``omega = 1`` it is carried literally unchanged.) Observables never use ``scale``: they
  sum the original data over ``members``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa

from rgcoarse.checks import as_value_matrix, check_positive_real
from rgcoarse.coarse.pair_checks import unpaired_variable

FRAME_COLUMNS = ("level", "variable", "cluster_size", "scale", "members")


@dataclass(frozen=True, eq=False)
class Level:
    """One coarse-graining level (arrays are read-only).

    Attributes
    ----------
    level : int
        0 for the input data.
    values : numpy.ndarray, shape (m, N_level)
        The level's variables, ``scale * (sum of the original features in members)``.
    members : list of numpy.ndarray
        Sorted original feature indices summed by each variable.
    scale : numpy.ndarray, shape (N_level,)
        Cumulative factor, ``omega**level``.
    pairs : numpy.ndarray, shape (n_pairs, 2)
        The previous level's variables that formed this level (empty for level 0).
    """

    level: int
    values: np.ndarray
    members: list
    scale: np.ndarray
    pairs: np.ndarray

    @property
    def n_variables(self) -> int:
        """Number of variables at this level."""
        return self.values.shape[1]

    @property
    def cluster_sizes(self) -> np.ndarray:
        """Number of original features summed by each variable (K)."""
        return np.array([m.size for m in self.members], dtype=np.int64)


def _frozen(array: np.ndarray) -> np.ndarray:
    array.flags.writeable = False
    return array


def _make_level(level, values, members, scale, pairs) -> Level:
    return Level(
        level=int(level),
        values=_frozen(np.asarray(values, dtype=np.float64)),  # any layout: levels rebuilt from a table are column-major
        members=[_frozen(np.asarray(m, dtype=np.int64)) for m in members],
        scale=_frozen(np.asarray(scale, dtype=np.float64)),
        pairs=_frozen(np.asarray(pairs, dtype=np.int64).reshape(-1, 2)),
    )


def initial_level(values) -> Level:
    """Level 0: the data itself, each feature its own cluster with scale 1."""
    values = np.array(as_value_matrix(values), copy=True)
    n = values.shape[1]
    return _make_level(0, values, [[i] for i in range(n)], np.ones(n), np.empty((0, 2)))


def next_level(previous: Level, pairs, omega: float, values=None) -> Level:
    """Form the level after ``previous`` from its ``pairs``.

    Parameters
    ----------
    previous : Level
    pairs : array_like of int, shape (n_pairs, 2)
        A pairing of ``previous``'s variables leaving at most one out.
    omega : float
        Factor of the pair sum.
    values : numpy.ndarray, optional
        Precomputed pair sums ``omega * (x_a + x_b)`` in pair order (the lattice rule
        computes them with PyWavelets); computed here if omitted. Only valid when every
        variable is paired.
    """
    omega = check_positive_real(omega, "omega")
    pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    x = previous.values
    left = unpaired_variable(pairs, x.shape[1])
    if values is None:
        values = x[:, pairs[:, 0]] + x[:, pairs[:, 1]]
        values *= omega
        if left is not None:
            values = np.concatenate([values, omega * x[:, [left]]], axis=1)
    elif left is not None:
        raise ValueError("values: precomputed values need a complete pairing (no unpaired variable)")
    members = [np.sort(np.concatenate([previous.members[a], previous.members[b]])) for a, b in pairs]
    if left is not None:
        members.append(previous.members[left])
    n_new = pairs.shape[0] + (left is not None)
    scale = np.full(n_new, omega ** (previous.level + 1))
    return _make_level(previous.level + 1, values, members, scale, np.sort(pairs, axis=1))


# ---------------------------------------------------------------------------- table form


def levels_to_frame(levels: list[Level]) -> pd.DataFrame:
    """One row per (level, variable), the pipeline's stored form of a coarse-graining.

    Columns: ``level`` (int16), ``variable`` (int32), ``cluster_size`` (int32), ``scale``
    (float64) and ``members`` (list<int32>, sorted original feature indices). The values
    are not stored: every level's values follow from the data and the hierarchy, one
    addition per pair (:func:`levels_from_frame`), faster than reading them back (a
    64 x 64 Ising coarse-graining would store 260 MB of them). ``pairs`` are not stored
    either: :func:`levels_from_frame` recovers them from the memberships.
    """
    if not levels:
        raise ValueError("levels: empty list")
    level_col, var_col, size_col, scale_col, members = [], [], [], [], []
    for lev in levels:
        n = lev.n_variables
        level_col.append(np.full(n, lev.level, dtype=np.int16))
        var_col.append(np.arange(n, dtype=np.int32))
        size_col.append(lev.cluster_sizes.astype(np.int32))
        scale_col.append(lev.scale)
        members.extend(lev.members)
    if max(lev.level for lev in levels) > np.iinfo(np.int16).max:
        raise ValueError("levels: level index does not fit int16")
    sizes = np.concatenate(size_col)
    flat_members = np.concatenate(members).astype(np.int32)
    member_cells = np.split(flat_members, np.cumsum(sizes)[:-1])
    # An object column of int32 arrays: pyarrow stores it as list<int32>, and it survives a
    # Parquet round trip through pandas metadata (ArrowDtype list columns currently do not).
    return pd.DataFrame(
        {
            "level": np.concatenate(level_col),
            "variable": np.concatenate(var_col),
            "cluster_size": sizes,
            "scale": np.concatenate(scale_col).astype(np.float64),
            "members": _object_column(member_cells),
        }
    )


def _object_column(cells: list[np.ndarray]) -> np.ndarray:
    # Filled one by one: np.array(cells, dtype=object) would build a 2-D array when all
    # cells have the same length.
    column = np.empty(len(cells), dtype=object)
    for i, cell in enumerate(cells):
        column[i] = cell
    return column


def rebuilt_level0(data) -> Level:
    """Level 0 as :func:`levels_from_frame` rebuilds it (float64, column-major), so a kernel run
    on it rounds exactly as on the rebuilt levels."""
    values = _variables_by_row(data).T
    n = values.shape[1]
    return _make_level(0, values, [[i] for i in range(n)], np.ones(n), np.empty((0, 2)))


def levels_from_frame(frame: pd.DataFrame, data) -> list[Level]:
    """Inverse of :func:`levels_to_frame`, given the data the coarse-graining started from.

    Accepts the list column as Arrow lists or as an object column of arrays/lists (what
    ``pyarrow.Table.to_pandas`` gives). Each level's ``pairs`` are recovered from the
    memberships: a variable whose members are the union of two previous variables came
    from that pair; one equal to a single previous variable was carried. Each level's
    values are rebuilt from the previous level's exactly as :func:`next_level` forms them,
    ``omega * (x_a + x_b)`` with ``omega`` the first level's scale, so they equal the
    coarse-graining's own values (bit for bit, except the lattice rule's, which PyWavelets
    computes to the same rounding).

    Parameters
    ----------
    frame : pandas.DataFrame
        The stored table.
    data : array_like, shape (m, N)
        The original data matrix (N = the number of level-0 variables).

    Raises
    ------
    ValueError
        Naming the column, if a column is missing, the variables of a level are not
        0..N-1, the memberships are not a valid hierarchy, or ``data`` has a different
        number of features.
    """
    missing = [c for c in FRAME_COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(f"frame: missing column(s) {missing}")
    frame = frame.sort_values(["level", "variable"], kind="stable")
    level_ids = frame["level"].to_numpy(dtype=np.int64)
    variables = frame["variable"].to_numpy(dtype=np.int64)
    scale = frame["scale"].to_numpy(dtype=np.float64)
    member_offsets, member_flat = _list_column(frame["members"], "members")
    unique_levels = np.unique(level_ids)
    if not np.array_equal(unique_levels, np.arange(unique_levels.size)):
        raise ValueError(f"level: expected levels 0..L without gaps, got {unique_levels.tolist()}")
    n_features = int(np.sum(level_ids == 0))
    # Values held as (variables, samples) while they are built: a pair's parents are then
    # contiguous rows, not strided columns.
    series = _variables_by_row(data)
    if series.shape[0] != n_features:
        raise ValueError(f"data: has {series.shape[0]} features but the coarse-graining starts from {n_features}")
    levels: list[Level] = []
    for lev in unique_levels:
        rows = np.flatnonzero(level_ids == lev)
        if not np.array_equal(variables[rows], np.arange(rows.size)):
            raise ValueError(f"variable: level {lev} does not number its variables 0..{rows.size - 1}")
        members = [member_flat[member_offsets[r] : member_offsets[r + 1]].astype(np.int64) for r in rows]
        if lev == 0:
            if any(mem.size != 1 or mem[0] != i for i, mem in enumerate(members)):
                raise ValueError("members: level 0 variable i must have members [i]")
            pairs = np.empty((0, 2))
        else:
            pairs = _pairs_from_members(levels[-1].members, members, int(lev))
            omega = scale[level_ids == 1][0]  # scale = omega**level, exactly omega at level 1
            series = _paired_series(series, pairs, omega)
        levels.append(_make_level(lev, series.T, members, scale[rows], pairs))
    return levels


def _variables_by_row(data) -> np.ndarray:
    """The data as float64 (variables, samples) rows, converted and transposed in one copy (none for
    column-major float64 data); the checks and messages of :func:`as_value_matrix`."""
    try:
        rows = np.ascontiguousarray(np.asarray(data).T, dtype=np.float64)
    except (TypeError, ValueError):
        rows = None
    if rows is None or rows.ndim != 2:
        as_value_matrix(data, "data")  # raises, naming the problem
        raise ValueError("data: expected a 2-D numeric array (samples x features)")
    as_value_matrix(rows.T, "data", contiguous=False)  # shape and finiteness; float64 already: no copy
    return rows


def _paired_series(previous: np.ndarray, pairs: np.ndarray, omega: float) -> np.ndarray:
    """The next level's (variables, samples) values with :func:`next_level`'s arithmetic."""
    left = unpaired_variable(pairs, previous.shape[0])
    paired = previous[pairs[:, 0]]
    paired += previous[pairs[:, 1]]
    paired *= omega
    if left is None:
        return paired
    return np.concatenate([paired, omega * previous[[left]]], axis=0)


def _list_column(series: pd.Series, name: str) -> tuple[np.ndarray, np.ndarray]:
    """(offsets, flat values) of a list-valued column."""
    if isinstance(series.dtype, pd.ArrowDtype):
        chunked = pa.chunked_array(series.array.__arrow_array__())
        array = chunked.combine_chunks()
        if not (pa.types.is_list(array.type) or pa.types.is_large_list(array.type)):
            raise ValueError(f"{name}: expected a list column, got Arrow type {array.type}")
        if array.null_count:
            raise ValueError(f"{name}: contains missing entries")
        offsets = np.asarray(array.offsets, dtype=np.int64)
        flat = array.values.to_numpy(zero_copy_only=False)
        return offsets - offsets[0], flat[offsets[0] : offsets[-1]]
    cells = [np.asarray(cell) for cell in series]
    if any(cell.ndim != 1 for cell in cells):
        raise ValueError(f"{name}: every entry must be a one-dimensional list")
    lengths = np.array([cell.size for cell in cells], dtype=np.int64)
    offsets = np.concatenate([[0], np.cumsum(lengths)])
    flat = np.concatenate(cells) if cells else np.empty(0)
    return offsets, flat


def _pairs_from_members(previous: list[np.ndarray], current: list[np.ndarray], level: int) -> np.ndarray:
    n_features = sum(m.size for m in previous)
    owner = np.full(n_features, -1, dtype=np.int64)
    for k, mem in enumerate(previous):
        owner[mem] = k
    pairs = []
    seen = np.zeros(len(previous), dtype=np.int64)
    for k, mem in enumerate(current):
        if mem.size == 0 or mem.min() < 0 or mem.max() >= n_features:
            raise ValueError(f"members: level {level} variable {k} has empty or out-of-range members")
        parents = np.unique(owner[mem])
        expected = sum(previous[p].size for p in parents)
        if parents.size not in (1, 2) or expected != mem.size or not np.array_equal(
            np.sort(np.concatenate([previous[p] for p in parents])), np.sort(mem)
        ):
            raise ValueError(
                f"members: level {level} variable {k} is not the union of one or two variables of level {level - 1}"
            )
        seen[parents] += 1
        if parents.size == 1 and k != len(current) - 1:
            raise ValueError(f"members: level {level} carries variable {k} unpaired, but only the last may be")
        if parents.size == 2:
            pairs.append(parents)
    if np.any(seen != 1):
        raise ValueError(f"members: level {level} does not use every variable of level {level - 1} exactly once")
    return np.array(pairs, dtype=np.int64).reshape(-1, 2)
