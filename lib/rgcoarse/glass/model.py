"""The Kob–Andersen mixture itself: interaction parameters, composition, density, cutoff.

``V_ab(r) = 4 eps_ab [(sig_ab / r)^12 - (sig_ab / r)^6]``, truncated at ``r_c`` and shifted to
zero there, with the parameters of W. Kob and H. C. Andersen, Phys. Rev. E 51, 4626 (1995);
reduced LJ units of the A particles. See the package docstring for the cutoff convention.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rgcoarse.checks import check_choice, check_integer, check_positive_real, check_real

__all__ = ["SIGMA", "EPSILON", "TYPE_IDS", "PAIRS", "CUTOFF_SCALINGS", "NEIGHBOR_SKIN", "KobAndersenModel"]

SIGMA = {"AA": 1.0, "AB": 0.8, "BB": 0.88}
EPSILON = {"AA": 1.0, "AB": 1.5, "BB": 0.5}
TYPE_IDS = {"A": 1, "B": 2}
PAIRS = (("AA", 1, 1), ("AB", 1, 2), ("BB", 2, 2))
CUTOFF_SCALINGS = ("pair", "sigma_aa")
NEIGHBOR_SKIN = 0.3  # LAMMPS default for LJ units; a tuning knob, no effect on the physics


@dataclass(frozen=True)
class KobAndersenModel:
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
        # Checked, never converted: the fields are written into input scripts and fingerprints as given.
        check_integer(self.n_particles, "n_particles", minimum=2)
        if check_real(self.fraction_a, "fraction_a", minimum=0.0, strict=True) >= 1:
            raise ValueError(f"fraction_a: expected a number < 1, got {self.fraction_a}")
        n_a = self.n_particles * self.fraction_a
        if abs(n_a - round(n_a)) > 1e-6 or round(n_a) in (0, self.n_particles):
            raise ValueError(
                f"n_particles * fraction_a = {n_a:g} must be a whole number of A particles "
                f"with at least one B"
            )
        check_positive_real(self.density, "density")
        check_positive_real(self.mass, "mass")
        check_positive_real(self.cutoff, "cutoff")
        check_choice(self.cutoff_scaling, "cutoff_scaling", CUTOFF_SCALINGS)
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
