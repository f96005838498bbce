"""One atomic writer for every output file: write to a temporary sibling, then rename.

The policy, for every output of every job:

- a killed or failing job never leaves a half-written file under an output's name (which a later
  run could mistake for a finished one); Snakemake also deletes the outputs of a failed job;
- the temporary file is hidden and unique (``.<name>.<random>.tmp`` beside the output), removed
  when the write fails with an exception;
- the file gets the mode any file the user creates gets (0666 less the process umask, as for
  ``cp``): ``mkstemp`` makes its temporary 0600, which would hide results from a shared group;
- a job killed outright (SIGKILL, a node failure) cannot clean up: its temporary file stays until
  the same output is next written successfully, which removes every stale temporary of that output.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


@contextlib.contextmanager
def atomic_path(path):
    """Yield a temporary path beside ``path``; on success it is renamed to ``path``, on error removed."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(descriptor)
    tmp = Path(tmp)
    try:
        yield tmp
        if tmp.exists():  # a writer may have replaced the file; its mode is then already the umask's
            tmp.chmod(0o666 & ~_current_umask())
        tmp.replace(path)
        _remove_stale_temporaries(path)
    finally:
        tmp.unlink(missing_ok=True)


def _current_umask() -> int:
    """The process umask (reading it means setting it; put straight back)."""
    mask = os.umask(0o077)
    os.umask(mask)
    return mask


def _remove_stale_temporaries(path: Path) -> None:
    """Temporaries of ``path`` left by writers that were killed (one output has one writer at a time)."""
    for stale in path.parent.glob(f".{path.name}.*.tmp"):
        stale.unlink(missing_ok=True)


def write_text(path, text: str) -> None:
    """Write ``text`` to ``path`` atomically (UTF-8)."""
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")


def write_bytes(path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically."""
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
