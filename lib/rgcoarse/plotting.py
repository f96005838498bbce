"""One shared matplotlib style for every figure of the pipeline.

Figures are drawn from result tables only; this module holds no physics. It sets a
consistent look (sizes, fonts, colours), a temperature colour scale, and writes each
figure as PDF and PNG plus a caption file for the report.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")  # figures are files; never open a window

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.colors import LogNorm  # noqa: E402
from matplotlib.ticker import FormatStrFormatter  # noqa: E402

from rgcoarse.atomic import atomic_path, write_text  # noqa: E402
from rgcoarse.constants import ISING_CRITICAL_TEMPERATURE  # noqa: E402
from rgcoarse.pairing_rules import PAIRING_RULES  # noqa: E402


STYLE = {
    "figure.figsize": (4.2, 3.3),
    "figure.dpi": 100,
    "font.size": 10,
    "axes.labelsize": 11,
    "axes.titlesize": 10,
    "legend.fontsize": 8,
    "legend.frameon": False,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "lines.linewidth": 1.4,
    "lines.markersize": 4.5,
    "savefig.bbox": "tight",
}
TEMPERATURE_CMAP = "coolwarm"


def method_colour(method: str) -> str:
    """A pairing rule's colour (from the registry; black for a name it does not know)."""
    rule = PAIRING_RULES.get(method)
    return rule.colour if rule else "k"


def new_figure(ncols: int = 1, nrows: int = 1, **kwargs):
    """A figure and axes in the shared style."""
    with plt.rc_context(STYLE):
        width, height = STYLE["figure.figsize"]
        fig, axes = plt.subplots(nrows, ncols, figsize=(width * ncols, height * nrows), **kwargs)
    return fig, axes


def temperature_norm(temperatures):
    """Logarithmic colour scale over the temperatures shown (they span decades of J)."""
    temperatures = np.asarray(temperatures, dtype=float)
    return LogNorm(vmin=temperatures.min(), vmax=max(temperatures.max(), temperatures.min() * 1.01))


def temperature_colour(temperature, norm):
    return plt.get_cmap(TEMPERATURE_CMAP)(norm(temperature))


def add_temperature_colourbar(fig, ax, norm, label="$T$"):
    mappable = plt.cm.ScalarMappable(norm=norm, cmap=TEMPERATURE_CMAP)
    bar = fig.colorbar(mappable, ax=ax, pad=0.02)
    bar.set_label(label)
    # Plain numbers on the log scale: "2", "3", "5", not "2 x 10^0".
    plain = FormatStrFormatter("%g")
    bar.ax.yaxis.set_major_formatter(plain)
    bar.ax.yaxis.set_minor_formatter(plain)
    return bar


def plain_log_ticks(ax, axis: str = "x"):
    """Label a log axis with plain numbers (2, 3, 5) instead of 2 x 10^0."""
    target = ax.xaxis if axis == "x" else ax.yaxis
    target.set_major_formatter(FormatStrFormatter("%g"))
    target.set_minor_formatter(FormatStrFormatter("%g"))


def mark_critical_temperature(ax, tc: float = ISING_CRITICAL_TEMPERATURE):
    ax.axvline(tc, color="0.5", lw=0.8, ls=":", zorder=0)
    ax.text(tc, 1.0, r" $T_c$", transform=ax.get_xaxis_transform(), va="top", ha="left", color="0.4", fontsize=8)


def save_figure(fig, pdf_path, png_path, caption_path, caption: str, dpi: int = 200) -> None:
    """Write the figure as PDF and PNG and its caption as text; close the figure."""
    try:
        with plt.rc_context(STYLE), atomic_path(pdf_path) as pdf, atomic_path(png_path) as png:
            fig.savefig(pdf, format="pdf")
            fig.savefig(png, format="png", dpi=dpi)
    finally:
        plt.close(fig)
    write_text(caption_path, caption.strip() + "\n")
