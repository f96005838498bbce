"""Argument validation shared by the kernels: each check returns the cleaned value or raises ValueError.

Messages name the argument, what was expected and what was given, so a wrong call stops at once
instead of producing a NaN later.
"""

from __future__ import annotations

import math
import numbers


def check_integer(value, name: str, minimum: int | None = None, maximum: int | None = None) -> int:
    """``value`` as an int (bools and non-integers rejected) within ``[minimum, maximum]``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name}: expected an integer, got {value!r}")
    if minimum is not None and value < minimum:
        raise ValueError(f"{name}: expected an integer >= {minimum}, got {value}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name}: expected an integer <= {maximum}, got {value}")
    return int(value)


def check_positive_integer(value, name: str) -> int:
    """``value`` as an int >= 1."""
    return check_integer(value, name, minimum=1)


def check_real(value, name: str, minimum: float | None = None, strict: bool = False) -> float:
    """``value`` as a finite float; with ``minimum``, ``>= minimum`` (``> minimum`` when ``strict``)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
        raise ValueError(f"{name}: expected a finite number, got {value!r}")
    if minimum is not None and (value < minimum or (strict and value == minimum)):
        raise ValueError(f"{name}: expected a number {'>' if strict else '>='} {minimum}, got {value}")
    return float(value)


def check_positive_real(value, name: str) -> float:
    """``value`` as a finite float > 0."""
    return check_real(value, name, minimum=0.0, strict=True)


def check_choice(value, name: str, choices) -> str:
    """``value`` if it is one of ``choices``."""
    choices = tuple(choices)
    if value not in choices:
        raise ValueError(f"{name}: expected one of {choices}, got {value!r}")
    return value
