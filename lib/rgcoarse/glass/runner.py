"""Run one stage with LAMMPS in its own working directory, resuming from its restart files.

A fingerprint file records the model, stage and input a directory was made for, so a restart
file is only used by the same job; a killed stage resumes where it stopped, and a restart file
half-written at the kill is skipped for the one before it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
import shlex
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from rgcoarse.glass.command import DEFAULT_COMMAND, LammpsRunError, resolve_command
from rgcoarse.glass.lammps_input import input_script
from rgcoarse.glass.model import KobAndersenModel
from rgcoarse.glass.stage import CHECKPOINTS, DUMP, INPUT_DATA, LOG, OUTPUT_DATA, SCRIPT, Stage
from rgcoarse.glass.thermo import lammps_version_of
from rgcoarse.glass.lammps_io import truncate_dump

__all__ = ["StageResult", "run_stage", "check_data_file"]


@dataclass(frozen=True)
class StageResult:
    """What a finished stage left in its working directory."""

    workdir: Path
    output_data: Path
    log: Path
    dump: Path | None
    resumed_from: int | None
    wall_seconds: float
    engine_version: str


def _fingerprint(model: KobAndersenModel, stage: Stage, input_data) -> str:
    payload = {"model": dataclasses.asdict(model), "stage": dataclasses.asdict(stage)}
    if input_data is not None:
        payload["input_sha256"] = hashlib.sha256(Path(input_data).read_bytes()).hexdigest()
    return json.dumps(payload, sort_keys=True)


def _latest_restart(checkpoints: Path) -> int | None:
    found = [int(m.group(1)) for p in checkpoints.glob("restart.*") if (m := re.fullmatch(r"restart\.(\d+)", p.name))]
    return max(found) if found else None


def _last_thermo_line(log: Path, offset: int) -> tuple[str | None, int]:
    """Last thermo data line written to ``log`` after byte ``offset``, and the new offset."""
    if not log.exists():
        return None, offset
    with log.open("rb") as handle:
        handle.seek(offset)
        chunk = handle.read()
    last = None
    for line in chunk.decode(errors="replace").splitlines():
        words = line.split()
        if len(words) >= 2 and words[0].isdigit():
            last = " ".join(words)
    return last, offset + len(chunk)


def _tail(path: Path, n: int = 25) -> str:
    if not path.exists():
        return f"({path.name} was not written)"
    return "\n".join(path.read_text(errors="replace").splitlines()[-n:])


def _launch(argv, workdir: Path, env, stage: Stage, log, progress_seconds: float, poll_seconds: float) -> int:
    """Run LAMMPS to completion, logging the latest thermo line every ``progress_seconds``."""
    offset, last_report = 0, time.perf_counter()
    with (workdir / "lammps.out").open("ab") as out:
        process = subprocess.Popen(argv, cwd=workdir, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            while True:
                try:
                    return process.wait(timeout=poll_seconds)
                except subprocess.TimeoutExpired:
                    pass
                now = time.perf_counter()
                if now - last_report >= progress_seconds:
                    line, offset = _last_thermo_line(workdir / LOG, offset)
                    if line:
                        step = int(line.split()[0])
                        log(f"{stage.kind} T={stage.temperature}: step {step}/{stage.n_steps} "
                            f"({100.0 * step / max(stage.n_steps, 1):.0f}%), thermo: {line}")
                    last_report = now
        finally:
            if process.poll() is None:  # interrupted: do not leave LAMMPS running
                process.terminate()
                process.wait()


def run_stage(
    model: KobAndersenModel,
    stage: Stage,
    workdir,
    *,
    input_data=None,
    command: str = DEFAULT_COMMAND,
    tasks: int = 1,
    log=print,
    progress_seconds: float = 30.0,
    poll_seconds: float = 0.5,
) -> StageResult:
    """Run one stage in ``workdir``, resuming from its latest restart file if it has one.

    A restart file is used only if ``workdir`` was made by the same model, stage and input
    (a fingerprint file records them); otherwise the directory is emptied and the stage
    starts afresh. On success the directory holds ``output.data`` (final configuration
    with velocities), ``log.lammps`` and, for dumping stages, ``traj.dump``; the caller
    converts them and may delete the directory.

    Parameters
    ----------
    model, stage : KobAndersenModel, Stage
    workdir : path-like
        Working directory of this stage (created if missing).
    input_data : path-like, optional
        LAMMPS data file to start from (required by quench and produce stages).
    command : str
        Launch template, see :func:`resolve_command`.
    tasks : int
        MPI ranks for ``{tasks}``.
    log : callable
        Receives progress and status messages (one string each).
    progress_seconds : float
        Interval between progress messages.

    Raises
    ------
    LammpsRunError
        LAMMPS exited with an error (the log tail is in the message) or wrote no output.
    """
    workdir = Path(workdir)
    if stage.needs_input:
        if input_data is None or not Path(input_data).is_file():
            raise LammpsRunError(f"stage {stage.kind} needs an input data file, got {input_data}")
        check_data_file(input_data, model)
    argv, env = resolve_command(command, tasks)
    workdir.mkdir(parents=True, exist_ok=True)
    checkpoints = workdir / CHECKPOINTS
    fingerprint_file = workdir / "fingerprint.json"
    fingerprint = _fingerprint(model, stage, input_data)
    restart_step = None
    if fingerprint_file.exists() and fingerprint_file.read_text() == fingerprint:
        restart_step = _latest_restart(checkpoints)
    if restart_step is None:
        shutil.rmtree(workdir)
        checkpoints.mkdir(parents=True)
        fingerprint_file.write_text(fingerprint)
        if input_data is not None:
            shutil.copyfile(input_data, workdir / INPUT_DATA)
    else:
        if stage.dump_every:
            kept = truncate_dump(workdir / DUMP, restart_step)
            log(f"resuming {stage.kind} from step {restart_step} ({kept} frames kept)")
        else:
            log(f"resuming {stage.kind} from step {restart_step}")
    (workdir / OUTPUT_DATA).unlink(missing_ok=True)
    (workdir / SCRIPT).write_text(input_script(model, stage, restart_step))
    full = argv + ["-in", SCRIPT, "-log", "none", "-screen", "none", "-nocite"]
    log(f"running: {shlex.join(full)} (in {workdir})")
    start = time.perf_counter()
    returncode = _launch(full, workdir, env, stage, log, progress_seconds, poll_seconds)
    wall = time.perf_counter() - start
    log_path = workdir / LOG
    if returncode != 0 or not (workdir / OUTPUT_DATA).is_file():
        if restart_step is not None and "Last input line: read_restart" in _tail(log_path):
            # A job killed while writing a restart file leaves it unreadable: use the one before.
            log(f"restart file of step {restart_step} is unreadable; falling back to an earlier one")
            (checkpoints / f"restart.{restart_step}").unlink()
            return run_stage(model, stage, workdir, input_data=input_data, command=command, tasks=tasks, log=log,
                             progress_seconds=progress_seconds, poll_seconds=poll_seconds)
        raise LammpsRunError(
            f"LAMMPS {stage.kind} stage at T = {stage.temperature} failed (exit code {returncode}) "
            f"in {workdir}.\n--- log.lammps (tail) ---\n{_tail(log_path)}\n"
            f"--- lammps.out (tail) ---\n{_tail(workdir / 'lammps.out')}"
        )
    version = lammps_version_of(log_path)
    log(f"{stage.kind} T={stage.temperature}: {stage.n_steps} steps done in {wall:.1f} s (LAMMPS {version})")
    return StageResult(
        workdir=workdir,
        output_data=workdir / OUTPUT_DATA,
        log=log_path,
        dump=workdir / DUMP if stage.dump_every else None,
        resumed_from=restart_step,
        wall_seconds=wall,
        engine_version=version,
    )


def check_data_file(path, model: KobAndersenModel) -> None:
    """Raise :class:`LammpsRunError` unless ``path`` is a LAMMPS data file of ``model``'s size.

    Checks the header counts (atoms, atom types) so a wrong or damaged file stops the stage
    before LAMMPS starts.
    """
    header = Path(path).read_text(errors="replace")[:4000]
    atoms = re.search(r"^\s*(\d+)\s+atoms\s*$", header, flags=re.MULTILINE)
    types = re.search(r"^\s*(\d+)\s+atom types\s*$", header, flags=re.MULTILINE)
    if not atoms or not types:
        raise LammpsRunError(f"{path}: not a LAMMPS data file (no 'atoms' / 'atom types' header lines)")
    if int(atoms.group(1)) != model.n_particles or int(types.group(1)) != 2:
        raise LammpsRunError(
            f"{path}: holds {atoms.group(1)} atoms of {types.group(1)} types; the model has "
            f"{model.n_particles} atoms of 2 types"
        )
