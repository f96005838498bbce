"""Random numbers for one Markov chain: xoshiro256** seeded through splitmix64.

The generator's whole state is a ``uint64[4]`` array owned by one chain, so a
chain is reproducible from its seed alone. The numba helpers here are inlined
into the update kernels; thresholds turn probabilities into 53-bit integers so
an accept/reject decision is one integer comparison.
"""

from __future__ import annotations

import math

import numba
import numpy as np

from ..checks import check_integer

__all__ = ["new_rng_state", "rng_next_u64"]

_MASK64 = (1 << 64) - 1
_U1 = np.uint64(1)
_U5 = np.uint64(5)
_U7 = np.uint64(7)
_U9 = np.uint64(9)
_U11 = np.uint64(11)
_U17 = np.uint64(17)
_U45 = np.uint64(45)
_U63 = np.uint64(63)
_U64 = np.uint64(64)
_UNIT_53 = 1.0 / 9007199254740992.0  # 2**-53


def _splitmix64(x: int) -> tuple[int, int]:
    """One splitmix64 step (Steele, Lea & Flood 2014): returns (new_state, output)."""
    x = (x + 0x9E3779B97F4A7C15) & _MASK64
    z = x
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK64
    return x, z ^ (z >> 31)


def _check_seed(seed) -> int:
    return check_integer(seed, "seed", minimum=0, maximum=_MASK64)


def new_rng_state(seed: int) -> np.ndarray:
    """Fresh xoshiro256** state for one chain, filled by splitmix64 from ``seed``.

    Parameters
    ----------
    seed : int
        ``0 <= seed < 2**64``.

    Returns
    -------
    numpy.ndarray of uint64, shape (4,)
        Mutated in place by every kernel that draws random numbers.
    """
    x = _check_seed(seed)
    words = []
    for _ in range(4):
        x, out = _splitmix64(x)
        words.append(out)
    return np.array(words, dtype=np.uint64)


def _check_rng_state(rng_state) -> np.ndarray:
    if not (
        isinstance(rng_state, np.ndarray)
        and rng_state.dtype == np.uint64
        and rng_state.shape == (4,)
        and rng_state.flags.c_contiguous
        and rng_state.flags.writeable
    ):
        raise ValueError("rng_state must be a writeable uint64 array of shape (4,) from new_rng_state")
    if not rng_state.any():
        raise ValueError("rng_state must not be all zeros (xoshiro256** would stay at zero)")
    return rng_state


@numba.njit(cache=True, inline="always")
def _xoshiro_next(s0, s1, s2, s3):
    """xoshiro256** (Blackman & Vigna 2018) on a state held in registers."""
    x = s1 * _U5
    result = ((x << _U7) | (x >> (_U64 - _U7))) * _U9
    t = s1 << _U17
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = (s3 << _U45) | (s3 >> (_U64 - _U45))
    return result, s0, s1, s2, s3


@numba.njit(cache=True, inline="always")
def _next_u64(state):
    """Next output of the generator whose state lives in ``state`` (uint64[4])."""
    result, s0, s1, s2, s3 = _xoshiro_next(state[0], state[1], state[2], state[3])
    state[0] = s0
    state[1] = s1
    state[2] = s2
    state[3] = s3
    return result


@numba.njit(cache=True)
def _fill_u64(state, out):
    for i in range(out.size):
        out[i] = _next_u64(state)


def rng_next_u64(rng_state: np.ndarray, n: int) -> np.ndarray:
    """The next ``n`` raw 64-bit outputs of a chain's generator (advances ``rng_state``)."""
    _check_rng_state(rng_state)
    n = check_integer(n, "n", minimum=0)
    out = np.empty(n, dtype=np.uint64)
    _fill_u64(rng_state, out)
    return out


@numba.njit(cache=True, inline="always")
def _draw53(state):
    """Uniform integer in [0, 2**53): compare against ``floor(p * 2**53)`` to accept with p."""
    return _next_u64(state) >> _U11


@numba.njit(cache=True, inline="always")
def _draw_index(state, n):
    """Uniform integer in [0, n) (53-bit resolution; bias below 2**-53 * n)."""
    return np.int64((_next_u64(state) >> _U11) * _UNIT_53 * n)


def _probability_threshold(p: float) -> np.uint64:
    """Integer ``t`` such that a 53-bit uniform draw ``u`` satisfies ``u < t`` with probability ``p``."""
    return np.uint64(min(1 << 53, math.floor(p * (1 << 53))))
