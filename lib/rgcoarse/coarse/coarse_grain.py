"""The coarse-graining level loop: pair the variables of each level with one rule until few remain.

Levels, their conventions and their stored table form are in :mod:`rgcoarse.coarse.levels`.
"""

from __future__ import annotations

import numpy as np

from rgcoarse.checks import check_integer, check_positive_integer, check_positive_real
from rgcoarse.coarse.levels import (  # noqa: F401  (re-exported: the level API lives beside the loop)
    FRAME_COLUMNS,
    Level,
    initial_level,
    levels_from_frame,
    levels_to_frame,
    next_level,
)
from rgcoarse.coarse.pair_checks import check_lattice_shape
from rgcoarse.coarse.pairing_rules import PairingContext, option_config_keys, pairing_rule


def coarse_grain(
    values,
    method: str,
    *,
    omega: float,
    min_variables: int,
    seed: int = 0,
    lattice_shape=None,
    level0_products=None,
    **options,
) -> list[Level]:
    """Coarse-grain ``values`` level by level until at most ``min_variables`` remain.

    Parameters
    ----------
    values : array_like, shape (m, N)
        Samples x features.
    method : str
        A registered pairing rule (:mod:`rgcoarse.coarse.pairing_rules`): ``projection``,
        ``correlation``, ``lattice``, ``random``, ...
    omega : float
        Pair-sum factor, ``z = omega * (x_a + x_b)``; default ``1/sqrt(2)``.
    min_variables : int
        Stop once a level has at most this many variables.
    seed : int
        Seed of the run's random generator (used by the ``random`` rule).
    lattice_shape : (int, int), optional
        (rows, cols) of the row-major lattice; required by rules that need a lattice
        (ignored by the others). The ``lattice`` rule alternates horizontal and vertical
        pairs (:func:`rgcoarse.coarse.pairing.lattice_axis`); the shape must be halvable down to
        ``min_variables`` variables.
    level0_products : rgcoarse.coarse.selection.LevelProducts, optional
        Level 0's correlation and Gram matrices, made on ``values`` and shared with the caller
        (performance only: a rule that needs them uses them instead of making its own).
    **options
        Rule options, e.g. ``order`` (``"index"`` or ``"greedy"``) of the projection rule;
        options of other rules are ignored.

    Returns
    -------
    list of Level
        ``levels[0]`` is the input.
    """
    rule = pairing_rule(method)
    unknown = set(options) - set(option_config_keys())
    if unknown:
        raise ValueError(f"options: {sorted(unknown)} are options of no pairing rule")
    omega = check_positive_real(omega, "omega")
    min_variables = check_positive_integer(min_variables, "min_variables")
    seed = check_integer(seed, "seed", minimum=0)
    levels = [initial_level(values)]
    rule_options = {name: options[name] for name in rule.options if name in options}
    if rule.check is not None:
        rule.check(levels[0].n_variables, lattice_shape, min_variables, rule_options)
    context = PairingContext(
        level=0,
        omega=omega,
        rng=np.random.default_rng(seed),
        options=rule_options,
        lattice_shape=check_lattice_shape(lattice_shape) if rule.needs_lattice else None,
        level0_products=level0_products,
    )
    while levels[-1].n_variables > min_variables:
        current = levels[-1]
        context.level = current.level
        pairing = rule.pair(current.values, context)
        levels.append(next_level(current, pairing.pairs, omega, pairing.values))
    return levels
