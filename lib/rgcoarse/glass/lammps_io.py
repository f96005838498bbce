"""Read what LAMMPS writes (text dumps, thermo logs, input scripts) and store trajectories.

The parsers expect the formats the pipeline asks LAMMPS for (:mod:`rgcoarse.glass`):

* dumps from ``dump ID all custom N file id type xu yu zu`` with ``dump_modify sort id``;
* thermo blocks from ``thermo_style custom step ...`` (the header line starts with ``Step``
  and the block ends with ``Loop time``), possibly several runs per log and, after a
  resume from a restart file, repeated steps (the later value wins).

Trajectories are stored as Parquet in long format (columns ``frame, id, type, x, y, z``,
positions float32, unwrapped) with the run's metadata as JSON, through
:mod:`rgcoarse.io.tables`.
"""

from __future__ import annotations

import io
import re
import shlex
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from rgcoarse.io.tables import read_table, write_table

__all__ = [
    "Trajectory",
    "LammpsFormatError",
    "read_dump",
    "truncate_dump",
    "parse_thermo",
    "read_thermo",
    "lammps_version",
    "parse_input_script",
    "write_trajectory",
    "read_trajectory",
]

DUMP_COLUMNS = ("id", "type", "xu", "yu", "zu")
_HEADER_LINES = 9  # ITEM: TIMESTEP, step, ITEM: NUMBER OF ATOMS, n, ITEM: BOX BOUNDS, 3 bounds, ITEM: ATOMS


class LammpsFormatError(ValueError):
    """A LAMMPS file that is not in the format the pipeline asked for."""


@dataclass(frozen=True)
class Trajectory:
    """Unwrapped positions of a fixed set of particles at equally spaced frames.

    Parameters
    ----------
    positions : ndarray, shape (n_frames, n_particles, 3)
        Unwrapped coordinates (particle order = ``ids``).
    ids : ndarray of int, shape (n_particles,)
        LAMMPS atom ids, increasing.
    types : ndarray of int, shape (n_particles,)
        LAMMPS atom types (1 = A, 2 = B for the Kob–Andersen mixture).
    timesteps : ndarray of int, shape (n_frames,)
        MD step of every frame.
    """

    positions: np.ndarray
    ids: np.ndarray
    types: np.ndarray
    timesteps: np.ndarray

    @property
    def n_frames(self) -> int:
        return self.positions.shape[0]

    @property
    def n_particles(self) -> int:
        return self.positions.shape[1]


def _frame_layout(lines: list[bytes], path) -> tuple[int, list[str]]:
    """Number of atoms and column names from the first frame's header."""
    if len(lines) < _HEADER_LINES or lines[0].strip() != b"ITEM: TIMESTEP":
        raise LammpsFormatError(f"{path}: not a LAMMPS text dump (first line {lines[0][:40]!r})")
    if lines[2].strip() != b"ITEM: NUMBER OF ATOMS":
        raise LammpsFormatError(f"{path}: line 3 is not 'ITEM: NUMBER OF ATOMS'")
    n_atoms = int(lines[3])
    atoms_header = lines[8].decode().split()
    if atoms_header[:2] != ["ITEM:", "ATOMS"]:
        raise LammpsFormatError(f"{path}: line 9 is not an 'ITEM: ATOMS' header")
    return n_atoms, atoms_header[2:]


def _complete_frames(path) -> tuple[list[bytes], int, list[str], int]:
    """Lines of the file, atoms per frame, columns and number of complete frames."""
    lines = Path(path).read_bytes().split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    if not lines:
        raise LammpsFormatError(f"{path}: empty dump file")
    n_atoms, columns = _frame_layout(lines, path)
    frame_size = _HEADER_LINES + n_atoms
    return lines, n_atoms, columns, len(lines) // frame_size


def read_dump(path, *, allow_partial_last: bool = False) -> Trajectory:
    """Read a sorted ``id type xu yu zu`` text dump into a :class:`Trajectory`.

    Parameters
    ----------
    path : path-like
        The dump file.
    allow_partial_last : bool
        Drop an incomplete last frame (a run killed while writing) instead of raising.

    Raises
    ------
    LammpsFormatError
        Wrong columns, a changing atom count, unsorted ids, repeated or decreasing
        timesteps, or (unless allowed) a truncated last frame.
    """
    lines, n_atoms, columns, n_frames = _complete_frames(path)
    if tuple(columns) != DUMP_COLUMNS:
        raise LammpsFormatError(f"{path}: dump columns {columns}, expected {list(DUMP_COLUMNS)}")
    frame_size = _HEADER_LINES + n_atoms
    if len(lines) % frame_size and not allow_partial_last:
        raise LammpsFormatError(
            f"{path}: truncated last frame ({len(lines) % frame_size} of {frame_size} lines)"
        )
    if n_frames == 0:
        raise LammpsFormatError(f"{path}: no complete frame")
    starts = np.arange(n_frames) * frame_size
    for offset, item in ((0, b"ITEM: TIMESTEP"), (2, b"ITEM: NUMBER OF ATOMS")):
        bad = [s for s in starts if lines[s + offset].strip() != item]
        if bad:
            raise LammpsFormatError(f"{path}: frame layout broken at line {bad[0] + offset + 1}")
    counts = np.array([int(lines[s + 3]) for s in starts])
    if np.any(counts != n_atoms):
        raise LammpsFormatError(f"{path}: atom count changes between frames ({sorted(set(counts))})")
    timesteps = np.array([int(lines[s + 1]) for s in starts], dtype=np.int64)
    if np.any(np.diff(timesteps) <= 0):
        raise LammpsFormatError(f"{path}: timesteps are not strictly increasing")
    atom_lines = b"\n".join(
        b"\n".join(lines[s + _HEADER_LINES : s + frame_size]) for s in starts
    )
    table = pd.read_csv(
        io.BytesIO(atom_lines), sep=r"\s+", header=None, names=list(DUMP_COLUMNS), engine="c"
    )
    data = table.to_numpy(dtype=np.float64).reshape(n_frames, n_atoms, len(DUMP_COLUMNS))
    ids = data[0, :, 0].astype(np.int64)
    types = data[0, :, 1].astype(np.int64)
    if np.any(np.diff(ids) <= 0):
        raise LammpsFormatError(f"{path}: atom ids not sorted (use dump_modify sort id)")
    if np.any(data[:, :, 0] != ids) or np.any(data[:, :, 1] != types):
        raise LammpsFormatError(f"{path}: atom ids or types differ between frames")
    return Trajectory(np.ascontiguousarray(data[:, :, 2:5]), ids, types, timesteps)


def truncate_dump(path, before_step: int) -> int:
    """Keep only complete frames with timestep < ``before_step``; return how many remain.

    Used before resuming from a restart file written at ``before_step``: the resumed run
    writes that frame again, and anything after it (or half-written) is discarded.
    """
    path = Path(path)
    if not path.exists() or path.stat().st_size == 0:
        return 0
    lines, n_atoms, _, n_frames = _complete_frames(path)
    frame_size = _HEADER_LINES + n_atoms
    keep = 0
    while keep < n_frames and int(lines[keep * frame_size + 1]) < before_step:
        keep += 1
    text = b"\n".join(lines[: keep * frame_size])
    path.write_bytes(text + b"\n" if keep else b"")
    return keep


def parse_thermo(text: str) -> pd.DataFrame:
    """Thermo output of a LAMMPS log as one table (columns lower-cased, ``step`` first).

    Every block from a header line starting with ``Step`` to its ``Loop time`` line (or the
    end of the text, for a run still going or killed) is read. Only blocks with the same
    columns as the last block are kept; a step seen twice (a resumed run) keeps its last
    value, so the table is sorted by ``step`` without repeats.
    """
    blocks: list[tuple[list[str], list[list[float]]]] = []
    current = None
    for raw in text.splitlines():
        words = raw.split()
        if words and words[0] == "Step":
            current = ([w.lower() for w in words], [])
            blocks.append(current)
        elif raw.startswith(("Loop time", "ERROR")):
            current = None
        elif current is not None and len(words) == len(current[0]):
            try:
                current[1].append([float(w) for w in words])
            except ValueError:  # a WARNING or other text line of the same length
                pass
    if not blocks:
        raise LammpsFormatError("no thermo output (no header line starting with 'Step')")
    columns = blocks[-1][0]
    rows = [row for names, block in blocks if names == columns for row in block]
    frame = pd.DataFrame(rows, columns=columns)
    frame["step"] = frame["step"].astype(np.int64)
    frame = frame.drop_duplicates("step", keep="last").sort_values("step", kind="stable")
    return frame.reset_index(drop=True)


def read_thermo(path) -> pd.DataFrame:
    """:func:`parse_thermo` of a log file, naming the file in errors."""
    try:
        return parse_thermo(Path(path).read_text(errors="replace"))
    except LammpsFormatError as exc:
        raise LammpsFormatError(f"{path}: {exc}") from None


def lammps_version(log_text: str) -> str:
    """The version string of the first line ``LAMMPS (22 Jul 2025 - Update 4)`` of a log."""
    match = re.search(r"^LAMMPS \(([^)]*)\)", log_text, flags=re.MULTILINE)
    return match.group(1) if match else "unknown"


def parse_input_script(text: str) -> list[tuple[str, list[str]]]:
    """Commands of a LAMMPS input script as ``(command, arguments)`` in order.

    Comments (``#`` to end of line) and blank lines are dropped; ``&`` continuation lines
    are joined; quoted arguments are unquoted. Variables are not expanded.
    """
    commands = []
    pending = ""
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].rstrip()
        if line.endswith("&"):
            pending += line[:-1] + " "
            continue
        line = (pending + line).strip()
        pending = ""
        if line:
            words = shlex.split(line)
            commands.append((words[0], words[1:]))
    return commands


def write_trajectory(path, trajectory: Trajectory, metadata: dict) -> None:
    """Write ``trajectory`` as long-format Parquet (positions float32) with ``metadata``."""
    n_frames, n_particles, _ = trajectory.positions.shape
    positions = trajectory.positions.astype(np.float32).reshape(-1, 3)
    frame = pd.DataFrame(
        {
            "frame": np.repeat(np.arange(n_frames, dtype=np.int32), n_particles),
            "id": np.tile(trajectory.ids.astype(np.int32), n_frames),
            "type": np.tile(trajectory.types.astype(np.int8), n_frames),
            "x": positions[:, 0],
            "y": positions[:, 1],
            "z": positions[:, 2],
        }
    )
    metadata = dict(metadata, timesteps=[int(s) for s in trajectory.timesteps])
    write_table(path, frame, metadata)


def read_trajectory(path) -> tuple[Trajectory, dict]:
    """Read a trajectory written by :func:`write_trajectory`: (trajectory, metadata).

    Positions come back as float32, exactly as stored.
    """
    frame, metadata = read_table(path)
    for column in ("frame", "id", "type", "x", "y", "z"):
        if column not in frame.columns:
            raise LammpsFormatError(f"{path}: trajectory has no column {column!r}")
    frame = frame.sort_values(["frame", "id"], kind="stable")
    n_frames = int(frame["frame"].nunique())
    if n_frames == 0 or len(frame) % n_frames:
        raise LammpsFormatError(f"{path}: frames do not all hold the same particles")
    n_particles = len(frame) // n_frames
    positions = frame[["x", "y", "z"]].to_numpy(np.float32).reshape(n_frames, n_particles, 3)
    ids = frame["id"].to_numpy()[:n_particles].astype(np.int64)
    types = frame["type"].to_numpy()[:n_particles].astype(np.int64)
    if np.any(frame["id"].to_numpy().reshape(n_frames, n_particles) != ids):
        raise LammpsFormatError(f"{path}: frames do not all hold the same particles")
    timesteps = np.asarray(metadata.get("timesteps", np.arange(n_frames)), dtype=np.int64)
    return Trajectory(positions, ids, types, timesteps), metadata
