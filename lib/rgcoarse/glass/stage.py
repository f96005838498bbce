"""One LAMMPS job (a *stage*): what it starts from, how long it runs, what it writes, and the
files of its working directory (LAMMPS runs inside it, so the input script needs no paths)."""

from __future__ import annotations

from dataclasses import dataclass

from rgcoarse.checks import check_choice, check_integer, check_positive_integer, check_positive_real

__all__ = ["STAGE_KINDS", "THERMOSTATS", "SCRIPT", "LOG", "DUMP", "INPUT_DATA", "OUTPUT_DATA", "CHECKPOINTS", "Stage"]

STAGE_KINDS = ("equilibrate", "quench", "produce")
# Dynamics of a stage's run at T: Nose-Hoover NVT (fix nvt), Langevin (fix langevin + fix nve,
# total momentum kept zero) or plain NVE (fix nve; T is then only the starting temperature).
THERMOSTATS = ("nose_hoover", "langevin", "nve")

# Files of a stage's working directory.
SCRIPT, LOG, DUMP, INPUT_DATA, OUTPUT_DATA, CHECKPOINTS = (
    "in.lmp",
    "log.lammps",
    "traj.dump",
    "input.data",
    "output.data",
    "checkpoints",
)


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
        MD steps of the stage (after minimisation); a ``quench`` may have 0 (no waiting).
    seed : int
        Master seed of the stage (insertion and velocity seeds derive from it).
    timestep : float
        dt in tau.
    thermostat_damping : float
        Nosé–Hoover T_damp, or the Langevin damping time 1/gamma, in tau (unused by ``nve``).
    thermo_every, restart_every : int
        Steps between thermo lines and between restart files.
    dump_every : int
        Steps between dumped frames; 0 writes no trajectory.
    start_temperature : float, optional
        ``quench``: temperature of the input configuration (start of the ramp).
    ramp_steps : int
        ``quench``: steps of the linear thermostat ramp; 0 rescales velocities at once.
    thermostat : {"nose_hoover", "langevin", "nve"}
        Dynamics of the run at ``temperature`` (a ramp is always Nosé–Hoover).
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
    thermostat: str = "nose_hoover"

    def __post_init__(self):
        # Checked, never converted: the fields are written into input scripts and fingerprints as given.
        check_choice(self.kind, "kind", STAGE_KINDS)
        check_choice(self.thermostat, "thermostat", THERMOSTATS)
        check_positive_real(self.temperature, "temperature")
        check_positive_real(self.timestep, "timestep")
        check_positive_real(self.thermostat_damping, "thermostat_damping")
        check_integer(self.seed, "seed", minimum=0)
        for name in ("thermo_every", "restart_every"):
            check_positive_integer(getattr(self, name), name)
        # A quench may run no steps: the rescaled configuration itself (waiting time 0).
        check_integer(self.n_steps, "n_steps", minimum=0 if self.kind == "quench" else 1)
        check_integer(self.dump_every, "dump_every", minimum=0)
        if self.dump_every and self.n_steps % self.dump_every:
            raise ValueError(
                f"n_steps ({self.n_steps}) must be a multiple of dump_every ({self.dump_every})"
            )
        if self.kind == "quench":
            if self.start_temperature is None:
                raise ValueError("a quench stage needs the start_temperature of its input")
            check_positive_real(self.start_temperature, "start_temperature")
            check_integer(self.ramp_steps, "ramp_steps", minimum=0, maximum=self.n_steps)
        elif self.ramp_steps:
            raise ValueError("ramp_steps is only for quench stages")

    @property
    def needs_input(self) -> bool:
        return self.kind != "equilibrate"
