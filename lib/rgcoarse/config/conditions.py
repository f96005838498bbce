"""Temperatures as conditions: wildcard names and per-temperature settings (shared by both arms)."""

from __future__ import annotations

import math

from rgcoarse.config.constants import TEMPERATURE_DECIMALS, TEMPERATURE_TOLERANCE


def temperature_condition(temperature) -> str:
    """Wildcard value of one temperature, e.g. 2.3 -> ``'T2.300'``."""
    return f"T{float(temperature):.{TEMPERATURE_DECIMALS}f}"


def same_temperature(a, b) -> bool:
    """Whether two temperatures name the same condition (equal to the written decimals)."""
    return math.isclose(float(a), float(b), abs_tol=TEMPERATURE_TOLERANCE)


def find_temperature(temperature, temperatures):
    """The entry of ``temperatures`` that is the same condition as ``temperature`` (None if none is)."""
    return next((t for t in temperatures if same_temperature(t, temperature)), None)


def with_override(defaults: dict, overrides: dict, temperature) -> dict:
    """``defaults`` updated by the entry of ``overrides`` (keyed by temperature as written) for ``temperature``.

    The same rule for the Ising and glass arms: ``overrides`` maps a temperature (a string or a
    number, as the user wrote it) to the settings that replace the defaults at that temperature.
    """
    settings = dict(defaults)
    for key, override in (overrides or {}).items():
        if same_temperature(key, temperature):
            settings.update(override)
    return settings


def replica_condition(temperature, replica) -> str:
    """Wildcard value of one replica at one temperature (the glass arm), e.g. (0.47, 0) -> ``'T0.470_r0'``."""
    return f"{temperature_condition(temperature)}_r{int(replica)}"
