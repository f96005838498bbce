"""The registry of pairing rules: the one place that lists them.

Everything else reads this registry: the level loop (:func:`rgcoarse.coarse.coarse_grain.coarse_grain`),
the Snakemake wildcard constraint and the config check (``workflow/rules/common.smk``), the
supplementary comparison figure and the plotting colours.

A rule is a function ``pair(values, context) -> LevelPairing`` that pairs the variables of one
level (``values``, samples x variables). Adding a rule means writing that function (in its own
module, or in :mod:`rgcoarse.coarse.pairing`) and one :func:`register` call below, plus its tests.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from rgcoarse.coarse.pair_checks import (
    PROJECTION_ORDERS,
    check_lattice_shape,
    lattice_axis,
)

# The rules' implementations (rgcoarse.coarse.pairing, information_pairing: numba, PyWavelets, SciPy)
# are imported where a rule runs, not here: the workflow reads this registry when it parses the
# Snakefile, for every dry-run and every cluster job, and needs only the names.


@dataclass
class PairingContext:
    """What a rule may use besides the level's values.

    Attributes
    ----------
    level : int
        Index of the level being paired (0 = the data).
    omega : float
        Pair-sum factor of the coarse-graining.
    rng : numpy.random.Generator
        The coarse-graining's seeded generator (one per run, shared by all levels).
    options : dict
        Rule options from the config (see :attr:`PairingRule.options`).
    lattice_shape : (int, int) or None
        Current lattice shape of lattice data; a lattice rule updates it level by level.
    level0_products : rgcoarse.coarse.selection.LevelProducts or None
        Level 0's correlation and Gram matrices, when the caller shares them with its own
        use of them (a null draw's level-0 COD); rules that need them read them from here.
    """

    level: int
    omega: float
    rng: np.random.Generator
    options: dict = field(default_factory=dict)
    lattice_shape: tuple | None = None
    level0_products: object | None = None


@dataclass(frozen=True)
class LevelPairing:
    """A rule's answer for one level: the pairs and, optionally, their precomputed sums."""

    pairs: np.ndarray
    values: np.ndarray | None = None


@dataclass(frozen=True)
class PairingRule:
    """One registered pairing rule.

    Attributes
    ----------
    name : str
        Its name in the config, in wildcards and paths.
    pair : callable
        ``pair(values, context) -> LevelPairing``.
    description : str
        One line for docs, captions and ``--help``.
    colour : str
        Its colour in every figure that compares rules.
    needs_lattice : bool
        Whether it needs lattice data (a ``lattice_shape`` in the data matrix's metadata).
    options : dict
        Rule option name -> config key under ``coarse_graining`` that sets it.
    check : callable, optional
        ``check(n_variables, lattice_shape, min_variables, options)``, run before the first
        level, so an impossible run fails before any work.
    """

    name: str
    pair: Callable
    description: str
    colour: str
    needs_lattice: bool = False
    options: dict = field(default_factory=dict)
    check: Callable | None = None


PAIRING_RULES: dict[str, PairingRule] = {}


def register(rule: PairingRule) -> PairingRule:
    """Add ``rule`` to the registry (its name must be new and a valid wildcard value)."""
    if rule.name in PAIRING_RULES:
        raise ValueError(f"pairing rule {rule.name!r} is already registered")
    if not rule.name.isidentifier() or rule.name != rule.name.lower():
        raise ValueError(f"pairing rule name {rule.name!r}: use lower-case letters, digits and underscores")
    PAIRING_RULES[rule.name] = rule
    return rule


def pairing_rule(name: str) -> PairingRule:
    """The registered rule called ``name``."""
    try:
        return PAIRING_RULES[name]
    except KeyError:
        raise ValueError(f"method: pairing rule {name!r} is not registered; known rules: {', '.join(PAIRING_RULES)}") from None


def pairing_rule_names() -> tuple[str, ...]:
    """Names of every registered rule, in registration order."""
    return tuple(PAIRING_RULES)


def wildcard_pattern() -> str:
    """A regular expression matching exactly the registered rule names (Snakemake wildcard constraint)."""
    return "|".join(PAIRING_RULES)


def option_config_keys() -> dict[str, str]:
    """Every rule option and the ``coarse_graining`` config key that sets it."""
    return {option: key for rule in PAIRING_RULES.values() for option, key in rule.options.items()}


# ------------------------------------------------------------------------ the rules


def _projection(values, context: PairingContext) -> LevelPairing:
    from rgcoarse.coarse.pairing import projection_pairs

    products = context.level0_products if context.level == 0 else None
    return LevelPairing(projection_pairs(values, context.options.get("order", "index"), products=products))


def _projection_greedy(values, context: PairingContext) -> LevelPairing:
    from rgcoarse.coarse.pairing import projection_pairs

    return LevelPairing(projection_pairs(values, "greedy"))


def _check_projection(n_variables, lattice_shape, min_variables, options) -> None:
    order = options.get("order", "index")
    if order not in PROJECTION_ORDERS:
        raise ValueError(f"order: expected one of {PROJECTION_ORDERS}, got {order!r}")


def _correlation(values, context: PairingContext) -> LevelPairing:
    from rgcoarse.coarse.pairing import correlation_pairs

    return LevelPairing(correlation_pairs(values))


def _random(values, context: PairingContext) -> LevelPairing:
    from rgcoarse.coarse.pairing import random_pairs

    return LevelPairing(random_pairs(values, context.rng))


def _information_options(context: PairingContext) -> dict:
    return {key: context.options[key] for key in ("estimator", "beta", "width", "bins") if key in context.options}


def _information_rule(compression: str):
    """The information rule with one reading of eq. 24's compression term (information_pairing)."""
    def pair(values, context: PairingContext) -> LevelPairing:
        from rgcoarse.coarse.information_pairing import information_pairs

        return LevelPairing(information_pairs(values, compression=compression, **_information_options(context)))
    return pair


def _check_information(n_variables, lattice_shape, min_variables, options) -> None:
    from rgcoarse.coarse.information_pairing import INFORMATION_ESTIMATORS

    if options.get("estimator", "auto") not in INFORMATION_ESTIMATORS:
        raise ValueError(f"estimator: expected one of {INFORMATION_ESTIMATORS}, got {options.get('estimator')!r}")


def _rmi(values, context: PairingContext) -> LevelPairing:
    from rgcoarse.rmi.pairing import (
        rmi_pairs,  # the RMI arm's rule, imported where it is used
    )

    options = {key: context.options[key] for key in ("estimator", "width", "bins") if key in context.options}
    return LevelPairing(rmi_pairs(values, **options))


def _check_rmi(n_variables, lattice_shape, min_variables, options) -> None:
    from rgcoarse.rmi.pairing import RMI_ESTIMATORS

    if options.get("estimator", "auto") not in RMI_ESTIMATORS:
        raise ValueError(f"estimator: expected one of {RMI_ESTIMATORS}, got {options.get('estimator')!r}")


def _lattice(values, context: PairingContext) -> LevelPairing:
    from rgcoarse.coarse.pairing import haar_block_values, lattice_pairs

    axis = lattice_axis(context.lattice_shape, context.level)
    sums = haar_block_values(values, context.lattice_shape, axis, context.omega)
    pairs, context.lattice_shape = lattice_pairs(values, context.lattice_shape, axis)
    return LevelPairing(pairs, sums)


def _check_lattice(n_variables, lattice_shape, min_variables, options) -> None:
    """The lattice must be halvable, one axis at a time, down to ``min_variables`` sites."""
    if lattice_shape is None:
        raise ValueError("lattice_shape: required by the lattice method")
    shape = check_lattice_shape(lattice_shape, n_variables)
    level, current = 0, tuple(shape)
    while current[0] * current[1] > min_variables:
        axis = lattice_axis(current, level)
        if axis is None:
            raise ValueError(
                f"lattice_shape: {tuple(shape)} reaches {current[0]} x {current[1]} at level {level}, which "
                f"cannot be halved (both sides odd) before min_variables={min_variables}; "
                "use a larger min_variables or a lattice with power-of-two sides"
            )
        current = (current[0] // 2, current[1]) if axis == 0 else (current[0], current[1] // 2)
        level += 1


register(PairingRule(
    name="projection",
    pair=_projection,
    description="the paper's stepwise linear selection (Sec. II.B): each pair lowers the projection error most",
    colour="#1b6ca8",
    options={"order": "projection_order"},
    check=_check_projection,
))
register(PairingRule(
    name="projection_greedy",
    pair=_projection_greedy,
    description="the projection rule in greedy order: the best pair overall at every step",
    colour="#5fa8d3",
))
register(PairingRule(
    name="correlation",
    pair=_correlation,
    description="Meshulam et al. (2019): the two most correlated unpaired variables, repeatedly",
    colour="#d1495b",
))
register(PairingRule(
    name="lattice",
    pair=_lattice,
    description="Kadanoff block spins: nearest neighbours on the lattice, alternating axes (Haar low-pass)",
    colour="#2e933c",
    needs_lattice=True,
    check=_check_lattice,
))
register(PairingRule(
    name="random",
    pair=_random,
    description="a seeded random pairing: the control",
    colour="#7a7a7a",
))
INFORMATION_OPTIONS = {"estimator": "information_estimator", "beta": "information_beta",
                       "width": "information_width", "bins": "information_bins"}
for name, compression, description, colour in (
    ("information", "pairwise", "the paper's nonlinear rule (Sec. III) as its text reads eq. 24: pair mutual information "
     "plus beta x what the sum keeps about the rest", "#8e44ad"),
    ("information_eq24", "full", "eq. 24 as written: -H(x_a + x_b) plus beta x what the sum keeps about the rest "
     "(favours anti-correlated pairs)", "#d35400"),
):
    register(PairingRule(name=name, pair=_information_rule(compression), description=description, colour=colour,
                         options=INFORMATION_OPTIONS, check=_check_information))
register(PairingRule(
    name="rmi",
    pair=_rmi,
    description="renormalized mutual information (Sarra et al.): the pairs whose sum loses the least I~ "
    "(H(x_a, x_b) - H(x_a + x_b) on standardised variables)",
    colour="#c2a100",
    options={"estimator": "rmi_estimator", "width": "information_width", "bins": "information_bins"},
    check=_check_rmi,
))
