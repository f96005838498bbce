"""One write policy for every output: temporary sibling + rename; a killed writer leaves no output."""

import os
import re
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
import pytest
from conftest import REPO

from rgcoarse.io.atomic import atomic_path
from rgcoarse.io.tables import read_table, write_table

# A writer killed outright (SIGKILL) in the middle of writing a Parquet table.
KILLED_WRITER = textwrap.dedent("""
    import os, signal, sys
    import pandas as pd
    import pyarrow.parquet as pq
    from rgcoarse.io import tables

    def write_half_then_die(table, where, **kwargs):
        with open(where, "wb") as handle:
            handle.write(b"PAR1 half a file")
            handle.flush()
        os.kill(os.getpid(), signal.SIGKILL)

    tables.pq.write_table = write_half_then_die
    tables.write_table(sys.argv[1], pd.DataFrame({"x": range(1000)}))
""")


def test_a_writer_killed_mid_write_leaves_no_output_and_the_next_write_cleans_up(tmp_path):
    output = tmp_path / "results" / "table.parquet"
    proc = subprocess.run([sys.executable, "-c", KILLED_WRITER, str(output)], capture_output=True)
    assert proc.returncode == -9, proc.stderr
    assert not output.exists(), "a killed writer left a file under the output's name"
    stale = list(output.parent.glob(".table.parquet.*.tmp"))
    assert len(stale) == 1  # SIGKILL allows no clean-up ...
    write_table(output, pd.DataFrame({"x": [1, 2]}))  # ... the next successful write does it
    assert read_table(output)[0]["x"].tolist() == [1, 2]
    assert list(output.parent.iterdir()) == [output]


def test_a_failing_write_removes_its_temporary_and_keeps_the_old_output(tmp_path):
    output = tmp_path / "claims.csv"
    output.write_text("old\n")
    with pytest.raises(RuntimeError):
        with atomic_path(output) as tmp:
            tmp.write_text("half")
            raise RuntimeError("disk full")
    assert output.read_text() == "old\n"
    assert list(tmp_path.iterdir()) == [output]


# Writes that are not job outputs: LAMMPS working-directory files (input script, fingerprint, a dump
# truncated for a restart) live in the job's scratch directory, never under an output's name.
ALLOWED_DIRECT_WRITES = {
    ("lib/rgcoarse/glass/runner.py", "fingerprint_file.write_text("),
    ("lib/rgcoarse/glass/runner.py", "(workdir / SCRIPT).write_text("),
    ("lib/rgcoarse/glass/runner.py", '(workdir / "lammps.out").open("ab")'),
    ("lib/rgcoarse/glass/lammps_io.py", "path.write_bytes("),
}
DIRECT_WRITE = re.compile(r"\.to_csv\(|\.to_parquet\(|\.write_text\(|\.write_bytes\(|\.savefig\(|json\.dump\(|"
                          r"np\.save\(|pq\.write_table\(|open\([^)]*[\"'][wa]b?[\"']")


def test_every_output_goes_through_the_atomic_writer():
    offenders = []
    for path in [*(REPO / "lib" / "rgcoarse").rglob("*.py"), *(REPO / "workflow" / "scripts").glob("*.py")]:
        relative = str(path.relative_to(REPO))
        if relative == "lib/rgcoarse/io/atomic.py":
            continue
        lines = path.read_text().splitlines()
        in_atomic_block = False
        for number, line in enumerate(lines, 1):
            if "atomic_path(" in line:
                in_atomic_block = True  # writes to the yielded temporary path are the policy itself
                continue
            if in_atomic_block and line.strip() and not line.startswith(" " * 8):
                in_atomic_block = False
            if not DIRECT_WRITE.search(line) or in_atomic_block:
                continue
            if '"' in line.split("(")[0] or line.strip().startswith(("#", '"', "'")):
                continue  # a message or comment mentioning to_csv, not a call
            if any(relative == f and snippet in line for f, snippet in ALLOWED_DIRECT_WRITES):
                continue
            offenders.append(f"{relative}:{number}: {line.strip()}")
    assert not offenders, "outputs written in place:\n" + "\n".join(offenders)


def test_a_written_file_has_the_umask_mode_not_mkstemps_0600(tmp_path):
    from rgcoarse.io.atomic import write_text

    previous = os.umask(0o022)
    try:
        write_text(tmp_path / "a.txt", "x")
        os.umask(0o027)
        write_text(tmp_path / "b.txt", "x")
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "a.txt").stat().st_mode) == 0o644
    assert stat.S_IMODE((tmp_path / "b.txt").stat().st_mode) == 0o640


def test_every_output_of_the_tiny_run_is_readable_by_group_and_others(tiny_run):
    """The tiny run is made under umask 022 (conftest.run_snakemake): every file is then 0644."""
    unreadable = [
        f"{path.relative_to(tiny_run)} {stat.filemode(path.stat().st_mode)}"
        for top in ("results", "figures")
        for path in (tiny_run / top).rglob("*")
        if path.is_file() and (path.stat().st_mode & 0o044) != 0o044
    ]
    assert not unreadable, unreadable
