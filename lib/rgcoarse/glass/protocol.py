"""How long to run: the α-relaxation estimate that sizes equilibration, and durations as MD steps."""

from __future__ import annotations

import math

from rgcoarse.checks import check_positive_integer, check_positive_real, check_real

__all__ = ["MCT_TEMPERATURE", "tau_alpha_estimate", "equilibration_time", "steps"]

MCT_TEMPERATURE = 0.435  # Kob & Andersen, PRE 51, 4626 (1995)


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
    measured tau_alpha of every run is in ``results/glass/validation.csv``. At or below the
    mode-coupling temperature T_c = 0.435 (Kob & Andersen 1995) there is no estimate: those
    temperatures are prepared by quenching and ageing.
    """
    check_real(temperature, "temperature")
    if temperature <= MCT_TEMPERATURE:
        raise ValueError(
            f"T = {temperature} is at or below the mode-coupling temperature {MCT_TEMPERATURE} of the KA "
            f"mixture, where brute-force equilibration is out of reach: use the quench protocol"
        )
    return 0.287 * math.exp(1.019 / (temperature - 0.325))


def equilibration_time(temperature: float, tau_alpha_multiple: float, minimum: float) -> float:
    """Default equilibration length: ``max(minimum, multiple * tau_alpha_estimate(T))``."""
    check_positive_real(tau_alpha_multiple, "tau_alpha_multiple")
    check_real(minimum, "minimum", minimum=0.0)
    return max(minimum, tau_alpha_multiple * tau_alpha_estimate(temperature))


def steps(duration: float, timestep: float, name: str, multiple_of: int = 1) -> int:
    """A duration in tau as a whole number of MD steps (a multiple of ``multiple_of``).

    Raises a ValueError naming ``name`` when the duration is not a whole number of steps
    (relative tolerance 1e-9) or is not positive.
    """
    check_positive_real(timestep, "timestep")
    check_positive_integer(multiple_of, "multiple_of")
    n = duration / timestep
    if not duration > 0 or abs(n - round(n)) > 1e-9 * max(1.0, n):
        raise ValueError(f"{name} = {duration:g} tau is not a positive whole number of timesteps ({timestep:g})")
    n = int(round(n))
    if n % multiple_of:
        raise ValueError(f"{name} = {duration:g} tau ({n} steps) is not a multiple of {multiple_of} steps")
    return n
