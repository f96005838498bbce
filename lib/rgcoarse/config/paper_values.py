"""The paper's numbers that a claim compares with, each once, with where the paper states it.

Sources are in the main paper (``shared/papers/main_paper_rg_motivated_learning.txt``, Landy,
Tlusty, Lee, Jho): a figure, an equation, a section. The paper has no page numbers in that text;
the section is given instead. The claims (:mod:`rgcoarse.paper.claims_ising`,
:mod:`rgcoarse.paper.claims_glass`) and the glass study's tables read these values from here;
a tolerance is ours, not the paper's, and stays with its claim.
"""

from __future__ import annotations

from dataclasses import dataclass

from rgcoarse.config.constants import ISING_2D_DIMENSION, ISING_2D_ETA

__all__ = ["PaperValue", "PAPER_VALUES", "paper_value"]


@dataclass(frozen=True)
class PaperValue:
    value: object
    source: str  # figure / equation, section
    quote: str  # the paper's words


PAPER_VALUES = {
    "ising_level0_m2": PaperValue(
        0.25, "Fig. 2a, Sec. V", "The original data's mean-variance data is 0.25"),
    "ising_high_t_exponent": PaperValue(
        1.05, "Fig. 2c, Sec. V", "it is 1.05 at T = 9.5"),
    "ising_high_t_temperature": PaperValue(
        9.5, "Fig. 2c, Sec. V", "it is 1.05 at T = 9.5"),
    "ising_high_t_almost_1": PaperValue(
        1.0, "Sec. V", "The exponent of the power-law is almost 1 at high temperatures"),
    "ising_low_t_exponent": PaperValue(
        2.0, "Fig. 2d, Sec. V", "the exponent jumps to values close to 2 below the critical point"),
    "ising_cod_trend_window": PaperValue(
        (2.3, 2.4), "Fig. 2e, Sec. V", "The trend changes substantially between T = 2.3 and T = 2.4"),
    "eq29_exponent": PaperValue(
        (ISING_2D_ETA - 2) / ISING_2D_DIMENSION, "eq. (29), Sec. IV",
        "(N - i)^((eta - 2)/d) with the 2D Ising eta = 1/4, d = 2: -0.875"),
    "glass_high_t_exponent": PaperValue(
        1.0, "Fig. 3b, Sec. V", "The exponent is almost 1 at high temperatures"),
    "glass_low_t_exponent": PaperValue(
        1.85, "Fig. 3c, Sec. V", "is as large as 1.85 at T = 0.4"),
    "glass_low_t_temperature": PaperValue(
        0.4, "Fig. 3c, Sec. V", "is as large as 1.85 at T = 0.4"),
    "glass_persistence_temperature": PaperValue(
        0.47, "Fig. 3a, Sec. VI", "at temperature T = 0.47, the nonlinear behavior holds for the first 4 coarse grain steps"),
    "glass_persistence_depth": PaperValue(
        4, "Fig. 3a, Sec. VI", "the nonlinear behavior holds for the first 4 coarse grain steps but disappears afterward"),
}


def paper_value(key: str):
    """The value the paper states under ``key`` (the table above)."""
    if key not in PAPER_VALUES:
        raise KeyError(f"{key!r} is not a paper value; known: {', '.join(PAPER_VALUES)}")
    return PAPER_VALUES[key].value
