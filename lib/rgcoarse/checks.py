"""Argument validation shared by the kernels: each check returns the cleaned value or raises ValueError.

Messages name the argument, what was expected and what was given, so a wrong call stops at once
instead of producing a NaN later.
"""

from __future__ import annotations

import math
import numbers

import numpy as np


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


# Data whose largest magnitude lies outside this window cannot be analysed in float64: the
# variance of a sum of up to N features is of order (N * max|x|)**2, which overflows above
# about 1e154 and loses all precision (subnormal squares) below about 1e-154.
MAX_DATA_MAGNITUDE = 1e140
MIN_DATA_MAGNITUDE = 1e-140


def check_data_scale(values, name: str) -> None:
    """Raise ValueError unless the data's scale lets sums of all features and their squares stay in float64.

    All-zero data passes (its observables are exactly zero); otherwise ``max|x| * N`` must be at
    most :data:`MAX_DATA_MAGNITUDE` and ``max|x|`` at least :data:`MIN_DATA_MAGNITUDE`.
    """
    values = np.asarray(values)
    if values.size == 0 or not np.issubdtype(values.dtype, np.floating):
        return  # integers and booleans are always in range
    largest = float(np.max(np.abs(values)))
    if largest == 0:
        return
    n_features = values.shape[-1]
    if largest * n_features > MAX_DATA_MAGNITUDE:
        raise ValueError(
            f"{name}: values up to {largest:.3g} over {n_features} features: variances of cluster sums "
            f"would overflow float64; rescale the data (e.g. divide by its standard deviation)"
        )
    if largest < MIN_DATA_MAGNITUDE:
        raise ValueError(
            f"{name}: the largest value is {largest:.3g}: squares of the data underflow float64; "
            "rescale the data (e.g. divide by its standard deviation)"
        )


def as_value_matrix(values, name: str = "values", contiguous: bool = True) -> np.ndarray:
    """Return ``values`` as a float64 (samples x features) array, C-contiguous unless not ``contiguous``.

    ``contiguous=False`` keeps a float64 array's layout (no transposing copy of a
    column-major level, for callers whose NumPy and BLAS work takes either).

    Raises
    ------
    ValueError
        If ``values`` is not two-dimensional, is empty, or holds NaN or infinity.
    """
    try:
        array = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name}: cannot be converted to a float64 array ({exc})") from None
    if array.ndim != 2:
        raise ValueError(f"{name}: expected a 2-D array (samples x features), got {array.ndim}-D")
    if array.shape[0] < 1 or array.shape[1] < 1:
        raise ValueError(f"{name}: needs at least one sample and one feature, got shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name}: contains NaN or infinite entries")
    return np.ascontiguousarray(array) if contiguous else array
