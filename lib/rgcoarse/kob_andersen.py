"""The Kob–Andersen binary Lennard-Jones mixture run with LAMMPS.

Model (W. Kob and H. C. Andersen, Phys. Rev. E 51, 4626 (1995); paper Sec. V): an 80:20
mixture of A and B particles of equal mass m = 1 at number density 1.2, interacting by
``V_ab(r) = 4 eps_ab [(sig_ab / r)^12 - (sig_ab / r)^6]`` with

    sig_AA = 1.0, sig_AB = 0.8, sig_BB = 0.88,   eps_AA = 1.0, eps_AB = 1.5, eps_BB = 0.5,

truncated at ``r_c`` and shifted to zero there (``pair_modify shift yes``). Reduced LJ
units of the A particles; time unit ``tau = sqrt(m sig_AA^2 / eps_AA)``.

Cutoff. The paper writes "2.5 sig_AA". Kob & Andersen (the protocol the paper cites) and
the reference data used for validation (Pedersen, Schrøder & Dyre, PRL 120, 165501
(2018)) truncate each pair at 2.5 sig_ab, so ``cutoff_scaling="pair"`` (the default)
gives ``r_c,ab = 2.5 sig_ab``; ``cutoff_scaling="sigma_aa"`` gives the literal reading,
``r_c = 2.5`` for every pair.

Protocol, one LAMMPS job per *stage*, each restartable:

* ``equilibrate``: random insertion (minimum distance 0.7), energy minimisation,
  Gaussian velocities at T, Nosé–Hoover NVT for ``n_steps``;
* ``quench``: from another temperature's equilibrated configuration, velocities rescaled
  to T (or a linear thermostat ramp over ``ramp_steps``), then ageing at T;
* ``produce``: from an equilibrated (or aged) configuration, NVT with unwrapped positions
  dumped every ``dump_every`` steps.

Nosé–Hoover damping ``T_damp = 0.5 tau = 100 dt``: the LAMMPS recommendation (fix nh:
"about 100 timesteps"), a thermostat period longer than the cage-vibration period
(~0.3 tau at this density) so it does not disturb the short-time dynamics, and far shorter
than the α-relaxation times studied (tau_alpha >~ 1), so temperature control is tight on
the scale of p_hop windows (t_R = 10 tau).

The runner launches LAMMPS with a configurable command so a cluster's own build replaces
the pip one; restart files let a killed stage resume where it stopped.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import os
import re
import shlex
import shutil
import string
import subprocess
import sys
import time
from dataclasses import dataclass, field
from importlib import metadata as importlib_metadata
from importlib import util as importlib_util
from pathlib import Path

import numpy as np

from rgcoarse.glass_dynamics import block_average
from rgcoarse.lammps_io import lammps_version, read_thermo, truncate_dump
from rgcoarse.seeds import derive_seed

__all__ = [
    "SIGMA",
    "EPSILON",
    "TYPE_IDS",
    "KAModel",
    "Stage",
    "StageResult",
    "LammpsRunError",
    "tau_alpha_estimate",
    "equilibration_time",
    "steps",
    "lammps_seeds",
    "input_script",
    "resolve_command",
    "run_stage",
    "check_data_file",
    "thermo_summary",
]

SIGMA = {"AA": 1.0, "AB": 0.8, "BB": 0.88}
EPSILON = {"AA": 1.0, "AB": 1.5, "BB": 0.5}
TYPE_IDS = {"A": 1, "B": 2}
PAIRS = (("AA", 1, 1), ("AB", 1, 2), ("BB", 2, 2))
CUTOFF_SCALINGS = ("pair", "sigma_aa")
NEIGHBOR_SKIN = 0.3  # LAMMPS default for LJ units; a tuning knob, no effect on the physics
MIN_DISTANCE = 0.7  # random insertion keeps particles this far apart; minimisation does the rest
DEFAULT_COMMAND = "{mpirun} -np {tasks} {lmp}"
MCT_TEMPERATURE = 0.435  # Kob & Andersen, PRE 51, 4626 (1995)

# Files of a stage's working directory (LAMMPS runs inside it, so the script needs no paths).
SCRIPT, LOG, DUMP, INPUT_DATA, OUTPUT_DATA, CHECKPOINTS = (
    "in.lmp",
    "log.lammps",
    "traj.dump",
    "input.data",
    "output.data",
    "checkpoints",
)


class LammpsRunError(RuntimeError):
    """LAMMPS failed or wrote less than the stage asked for."""


@dataclass(frozen=True)
class KAModel:
    """Kob–Andersen system: composition, density and interactions.

    Parameters
    ----------
    n_particles : int
        N (A and B together).
    fraction_a : float
        Fraction of A particles; ``n_particles * fraction_a`` must be a whole number.
    density : float
        Number density N / V.
    cutoff : float
        Cutoff in units of sigma (see ``cutoff_scaling``); the potential is shifted to zero there.
    cutoff_scaling : {"pair", "sigma_aa"}
        ``pair``: ``r_c,ab = cutoff * sig_ab`` (Kob & Andersen); ``sigma_aa``: ``r_c = cutoff``
        for every pair (literal reading of the paper's "2.5 sig_AA").
    mass : float
        Mass of both species.
    """

    n_particles: int = 1000
    fraction_a: float = 0.8
    density: float = 1.2
    cutoff: float = 2.5
    cutoff_scaling: str = "pair"
    mass: float = 1.0
    sigma: dict = field(default_factory=lambda: dict(SIGMA))
    epsilon: dict = field(default_factory=lambda: dict(EPSILON))

    def __post_init__(self):
        if not isinstance(self.n_particles, (int, np.integer)) or self.n_particles < 2:
            raise ValueError(f"n_particles must be an integer >= 2, got {self.n_particles!r}")
        if not 0 < self.fraction_a < 1:
            raise ValueError(f"fraction_a must be in (0, 1), got {self.fraction_a}")
        n_a = self.n_particles * self.fraction_a
        if abs(n_a - round(n_a)) > 1e-6 or round(n_a) in (0, self.n_particles):
            raise ValueError(
                f"n_particles * fraction_a = {n_a:g} must be a whole number of A particles "
                f"with at least one B"
            )
        if not self.density > 0 or not self.mass > 0:
            raise ValueError(f"density ({self.density}) and mass ({self.mass}) must be positive")
        if self.cutoff_scaling not in CUTOFF_SCALINGS:
            raise ValueError(f"cutoff_scaling must be one of {CUTOFF_SCALINGS}, got {self.cutoff_scaling!r}")
        if self.cutoff_distance("AB") <= 2 ** (1 / 6) * self.sigma["AB"]:
            raise ValueError(f"cutoff {self.cutoff} leaves no attractive part of the A-B potential")
        if 2 * (self.cutoff_distance("max") + NEIGHBOR_SKIN) > self.box_length:
            raise ValueError(
                f"box length {self.box_length:.3f} is shorter than twice the cutoff plus skin; "
                f"use more particles"
            )

    @property
    def n_a(self) -> int:
        return int(round(self.n_particles * self.fraction_a))

    @property
    def n_b(self) -> int:
        return self.n_particles - self.n_a

    @property
    def box_length(self) -> float:
        return (self.n_particles / self.density) ** (1.0 / 3.0)

    def cutoff_distance(self, pair: str) -> float:
        """Cutoff radius of ``pair`` ("AA", "AB", "BB"), or the largest one for ``"max"``."""
        if pair == "max":
            return max(self.cutoff_distance(p) for p, _, _ in PAIRS)
        scale = self.sigma[pair] if self.cutoff_scaling == "pair" else self.sigma["AA"]
        return self.cutoff * scale


@dataclass(frozen=True)
class Stage:
    """One LAMMPS job: what it starts from, how long it runs, what it writes.

    Parameters
    ----------
    kind : {"equilibrate", "quench", "produce"}
        ``equilibrate`` starts from a random configuration; the others read ``input.data``.
    temperature : float
        Thermostat temperature (eps_AA / k_B).
    n_steps : int
        MD steps of the stage (after minimisation).
    seed : int
        Master seed of the stage (insertion and velocity seeds derive from it).
    timestep : float
        dt in tau.
    thermostat_damping : float
        Nosé–Hoover T_damp in tau.
    thermo_every, restart_every : int
        Steps between thermo lines and between restart files.
    dump_every : int
        Steps between dumped frames; 0 writes no trajectory.
    start_temperature : float, optional
        ``quench``: temperature of the input configuration (start of the ramp).
    ramp_steps : int
        ``quench``: steps of the linear thermostat ramp; 0 rescales velocities at once.
    """

    kind: str
    temperature: float
    n_steps: int
    seed: int
    timestep: float = 0.005
    thermostat_damping: float = 0.5
    thermo_every: int = 100
    restart_every: int = 20000
    dump_every: int = 0
    start_temperature: float | None = None
    ramp_steps: int = 0

    def __post_init__(self):
        if self.kind not in ("equilibrate", "quench", "produce"):
            raise ValueError(f"stage kind must be equilibrate, quench or produce, got {self.kind!r}")
        if not self.temperature > 0:
            raise ValueError(f"temperature must be positive, got {self.temperature}")
        if not self.timestep > 0 or not self.thermostat_damping > 0:
            raise ValueError("timestep and thermostat_damping must be positive")
        for name in ("n_steps", "thermo_every", "restart_every"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1, got {getattr(self, name)}")
        if self.dump_every < 0 or (self.dump_every and self.n_steps % self.dump_every):
            raise ValueError(
                f"n_steps ({self.n_steps}) must be a multiple of dump_every ({self.dump_every})"
            )
        if self.kind == "quench":
            if self.start_temperature is None or not self.start_temperature > 0:
                raise ValueError("a quench stage needs the positive start_temperature of its input")
            if not 0 <= self.ramp_steps <= self.n_steps:
                raise ValueError(f"ramp_steps must be in [0, n_steps], got {self.ramp_steps}")
        elif self.ramp_steps:
            raise ValueError("ramp_steps is only for quench stages")

    @property
    def needs_input(self) -> bool:
        return self.kind != "equilibrate"


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


# ---------------------------------------------------------------------------- protocol


def tau_alpha_estimate(temperature: float) -> float:
    """Rough α-relaxation time (tau) of the A particles, KA mixture at density 1.2, N = 1000,
    Newtonian (Nosé–Hoover) dynamics: F_s(q = 7.25, tau_alpha) = 1/e.

    Vogel–Fulcher–Tammann form ``tau_alpha = tau_0 exp[B / (T - T_0)]`` with the VFT
    temperature ``T_0 = 0.325`` of the KA mixture (Sastry, Debenedetti & Stillinger, Nature
    393, 554 (1998)) and ``tau_0 = 0.287``, ``B = 1.019`` fitted to this pipeline's own
    measurements at T = 1.0, 0.6, 0.5 (tau_alpha = 1.24, 12.8, 92.6; residuals < 10 %).
    It only sizes default equilibration runs. Below T ~ 0.5 it is a lower bound: one
    N = 1000 sample at T = 0.47 relaxed more slowly (tau_alpha(A) > 1000, tau_alpha(B) = 744)
    than the 324 predicted, as small systems near T_MCT = 0.435 fluctuate strongly. The
    measured tau_alpha of every run is in ``results/ka/validation.csv``. At or below the
    mode-coupling temperature T_c = 0.435 (Kob & Andersen 1995) there is no estimate: those
    temperatures are prepared by quenching and ageing.
    """
    if temperature <= MCT_TEMPERATURE:
        raise ValueError(
            f"T = {temperature} is at or below the mode-coupling temperature {MCT_TEMPERATURE} of the KA "
            f"mixture, where brute-force equilibration is out of reach: use the quench protocol"
        )
    return 0.287 * math.exp(1.019 / (temperature - 0.325))


def equilibration_time(temperature: float, tau_alpha_multiple: float, minimum: float) -> float:
    """Default equilibration length: ``max(minimum, multiple * tau_alpha_estimate(T))``."""
    return max(minimum, tau_alpha_multiple * tau_alpha_estimate(temperature))


def steps(duration: float, timestep: float, name: str, multiple_of: int = 1) -> int:
    """A duration in tau as a whole number of MD steps (a multiple of ``multiple_of``).

    Raises a ValueError naming ``name`` when the duration is not a whole number of steps
    (relative tolerance 1e-9) or is not positive.
    """
    n = duration / timestep
    if not duration > 0 or abs(n - round(n)) > 1e-9 * max(1.0, n):
        raise ValueError(f"{name} = {duration:g} tau is not a positive whole number of timesteps ({timestep:g})")
    n = int(round(n))
    if n % multiple_of:
        raise ValueError(f"{name} = {duration:g} tau ({n} steps) is not a multiple of {multiple_of} steps")
    return n


def lammps_seeds(seed: int) -> dict:
    """Positive 31-bit LAMMPS seeds (insertion of A, of B, velocities) derived from ``seed``."""
    return {name: derive_seed(seed, "lammps", name) or 1 for name in ("insert_a", "insert_b", "velocity")}


def _number(value: float) -> str:
    return repr(float(value))


def input_script(model: KAModel, stage: Stage, restart_step: int | None = None) -> str:
    """The LAMMPS input script of ``stage`` (run inside the stage's working directory).

    Parameters
    ----------
    model : KAModel
    stage : Stage
    restart_step : int, optional
        Resume from ``checkpoints/restart.<restart_step>`` instead of starting afresh.
    """
    seeds = lammps_seeds(stage.seed)
    resume = restart_step is not None
    t_target = _number(stage.temperature)
    damp = _number(stage.thermostat_damping)
    lines = [
        f"# Kob-Andersen {model.n_a}:{model.n_b} binary LJ mixture, stage '{stage.kind}' at T = {stage.temperature}",
        "# written by rgcoarse.kob_andersen; edit the config, not this file",
        f"log {LOG} append",
        'print "rgcoarse: LAMMPS version $(version)"',
        "units lj",
        "atom_style atomic",
        "boundary p p p",
    ]
    if resume:
        lines.append(f"read_restart {CHECKPOINTS}/restart.{restart_step}")
    elif stage.kind == "equilibrate":
        length = _number(model.box_length)
        lines += [
            f"region box block 0.0 {length} 0.0 {length} 0.0 {length}",
            "create_box 2 box",
            f"create_atoms 1 random {model.n_a} {seeds['insert_a']} NULL overlap {MIN_DISTANCE} maxtry 1000",
            f"create_atoms 2 random {model.n_b} {seeds['insert_b']} NULL overlap {MIN_DISTANCE} maxtry 1000",
        ]
    else:
        lines.append(f"read_data {INPUT_DATA}")
    lines += [
        f"mass 1 {_number(model.mass)}",
        f"mass 2 {_number(model.mass)}",
        f"pair_style lj/cut {_number(model.cutoff_distance('max'))}",
    ]
    for pair, i, j in PAIRS:
        lines.append(
            f"pair_coeff {i} {j} {_number(model.epsilon[pair])} {_number(model.sigma[pair])} "
            f"{_number(model.cutoff_distance(pair))}"
        )
    lines += [
        "pair_modify shift yes",
        f"neighbor {NEIGHBOR_SKIN} bin",
        "neigh_modify every 1 delay 0 check yes",
        f"timestep {_number(stage.timestep)}",
    ]
    if not resume:
        if stage.kind == "equilibrate":
            # Minimisation thermo has other columns, so the thermo parser keeps only MD lines.
            lines += [
                "thermo_style custom step pe fnorm",
                "min_style cg",
                "minimize 1.0e-6 1.0e-8 10000 100000",
                "reset_timestep 0",
                f"velocity all create {t_target} {seeds['velocity']} dist gaussian mom yes rot no loop geom",
            ]
        else:
            lines.append("reset_timestep 0")
            if stage.kind == "quench" and stage.ramp_steps == 0:
                lines.append(f"velocity all scale {t_target}")
    lines += [
        "thermo_style custom step temp pe press etotal",
        "thermo_modify norm yes flush yes",
        f"thermo {stage.thermo_every}",
    ]
    if stage.dump_every:
        lines += [
            f"dump traj all custom {stage.dump_every} {DUMP} id type xu yu zu",
            "dump_modify traj sort id format float %.9g" + (" append yes" if resume else ""),
        ]
    lines.append(f"restart {stage.restart_every} {CHECKPOINTS}/restart.*")
    if stage.kind == "quench" and stage.ramp_steps and (restart_step or 0) < stage.ramp_steps:
        # Linear ramp; `start`/`stop` pin the ramp to absolute steps, so a resume continues it.
        lines += [
            f"fix thermostat all nvt temp {_number(stage.start_temperature)} {t_target} {damp}",
            f"run {stage.ramp_steps} upto start 0 stop {stage.ramp_steps}",
            "unfix thermostat",
        ]
    lines += [
        f"fix thermostat all nvt temp {t_target} {t_target} {damp}",
        f"run {stage.n_steps} upto",
        f"write_data {OUTPUT_DATA} nocoeff",
    ]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------- runner


def _pip_lammps_binary() -> str:
    spec = importlib_util.find_spec("lammps")
    if spec is None or not spec.submodule_search_locations:
        raise LammpsRunError("the command uses {lmp} but the Python package 'lammps' is not installed")
    binary = Path(list(spec.submodule_search_locations)[0]) / "lmp"
    if not binary.is_file():
        raise LammpsRunError(f"the pip LAMMPS package has no executable at {binary}")
    return str(binary)


def _mpich_library_dir() -> str | None:
    """Directory of the pip MPICH ``libmpi.so`` (what the pip LAMMPS binary links against)."""
    try:
        files = importlib_metadata.files("mpich") or []
        found = [f for f in files if "libmpi.so" in str(f)]
        if found:
            return str(Path(found[0].locate()).parent)
    except importlib_metadata.PackageNotFoundError:
        pass
    candidate = Path(sys.prefix) / "lib"
    return str(candidate) if list(candidate.glob("libmpi.so*")) else None


def resolve_command(template: str, tasks: int) -> tuple[list[str], dict]:
    """The argv and environment that launch LAMMPS, from a command template.

    Placeholders: ``{tasks}`` (MPI ranks), ``{lmp}`` (the pip LAMMPS executable), ``{mpirun}``
    (the ``mpirun`` next to this Python). When ``{lmp}`` or ``{mpirun}`` is used, the pip
    MPICH library directory is prepended to ``LD_LIBRARY_PATH`` (the pip binary needs it).
    Any other command (``srun lmp_mpi``, ``lmp -k on g 1 -sf kk``) runs as written.
    """
    if tasks < 1:
        raise ValueError(f"tasks must be at least 1, got {tasks}")
    names = {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}
    unknown = names - {"tasks", "lmp", "mpirun"}
    if unknown:
        raise ValueError(
            f"LAMMPS command {template!r}: unknown placeholder(s) {sorted(unknown)}; use {{tasks}}, {{lmp}}, {{mpirun}}"
        )
    values = {"tasks": tasks}
    env = dict(os.environ)
    if names & {"lmp", "mpirun"}:
        if "lmp" in names:
            values["lmp"] = _pip_lammps_binary()
        if "mpirun" in names:
            mpirun = Path(sys.executable).parent / "mpirun"
            if not mpirun.is_file():
                raise LammpsRunError(f"the command uses {{mpirun}} but there is no {mpirun}")
            values["mpirun"] = str(mpirun)
        library = _mpich_library_dir()
        if library:
            env["LD_LIBRARY_PATH"] = os.pathsep.join(filter(None, [library, env.get("LD_LIBRARY_PATH")]))
    argv = shlex.split(template.format(**values))
    if not argv:
        raise ValueError("LAMMPS command is empty")
    return argv, env


def _fingerprint(model: KAModel, stage: Stage, input_data) -> str:
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
                            f"({100.0 * step / stage.n_steps:.0f}%), thermo: {line}")
                    last_report = now
        finally:
            if process.poll() is None:  # interrupted: do not leave LAMMPS running
                process.terminate()
                process.wait()


def run_stage(
    model: KAModel,
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
    model, stage : KAModel, Stage
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


def check_data_file(path, model: KAModel) -> None:
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


def lammps_version_of(log_path) -> str:
    """LAMMPS version printed by the pipeline's scripts (``rgcoarse: LAMMPS version ...``)."""
    text = Path(log_path).read_text(errors="replace")
    match = re.search(r"^rgcoarse: LAMMPS version (\S+)", text, flags=re.MULTILINE)
    return match.group(1) if match else lammps_version(text)


# ---------------------------------------------------------------------------- thermodynamics


def thermo_summary(log_path, n_blocks: int, skip_steps: int = 0) -> dict:
    """Block averages of U/N, pressure and kinetic temperature from a stage's log.

    Parameters
    ----------
    log_path : path-like
        ``log.lammps`` of a stage (thermo with ``norm yes``: pe is per particle).
    n_blocks : int
        Blocks for the standard errors (see :func:`rgcoarse.glass_dynamics.block_average`).
    skip_steps : int
        Thermo lines with ``step < skip_steps`` are left out.

    Returns
    -------
    dict
        ``{"u_per_n": {"mean", "error"}, "pressure": {...}, "kinetic_temperature": {...},
        "u_per_n_drift": {"mean", "error"}, "n_samples": int, "n_blocks": int}``, where the
        drift is U/N of the second half minus the first half (each from ``n_blocks // 2``
        blocks): consistent with zero for a stationary (equilibrated) run.
    """
    if n_blocks < 4:
        raise ValueError(f"n_blocks must be at least 4 (2 per half for the drift), got {n_blocks}")
    thermo = read_thermo(log_path)
    thermo = thermo[thermo["step"] >= skip_steps]
    summary = {"n_samples": int(len(thermo)), "n_blocks": int(n_blocks)}
    for key, column in (("u_per_n", "poteng"), ("pressure", "press"), ("kinetic_temperature", "temp")):
        if column not in thermo.columns:
            raise ValueError(f"{log_path}: thermo has no column {column!r}")
        mean, error = block_average(thermo[column].to_numpy(), n_blocks)
        summary[key] = {"mean": mean, "error": error}
    energy = thermo["poteng"].to_numpy()
    half = energy.size // 2
    first, first_err = block_average(energy[:half], n_blocks // 2)
    second, second_err = block_average(energy[half:], n_blocks // 2)
    summary["u_per_n_drift"] = {"mean": second - first, "error": math.hypot(first_err, second_err)}
    return summary
