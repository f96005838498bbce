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
from matplotlib.ticker import FormatStrFormatter, FuncFormatter  # noqa: E402

from rgcoarse.coarse.pairing_rules import PAIRING_RULES  # noqa: E402
from rgcoarse.config.constants import ISING_CRITICAL_TEMPERATURE  # noqa: E402
from rgcoarse.io.atomic import atomic_path, write_text  # noqa: E402

STYLE = {
    "figure.figsize": (4.2, 3.3),
    "figure.dpi": 100,
    "font.size": 10,
    "axes.labelsize": 11,
    "axes.titlesize": 10,
    "legend.fontsize": 9,
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


def _plain_number(value, _position=None) -> str:
    return f"{value:g}"


def _plain_number_125(value, _position=None) -> str:
    """``%g`` at 1, 2, 3 and 5 times a power of ten, nothing at the other minor ticks (no crowding)."""
    if value <= 0:
        return ""
    mantissa = value / 10 ** np.floor(np.log10(value) + 1e-9)
    return f"{value:g}" if any(abs(mantissa - m) < 1e-6 for m in (1, 2, 3, 5)) else ""


def plain_log_ticks(ax, axis: str = "x"):
    """Label a log axis with plain numbers (2, 3, 5, 10) instead of 2 x 10^0.

    Minor ticks are labelled only at 2, 3 and 5 times a power of ten, so neighbouring labels
    (8, 9, 10) never run into each other.
    """
    target = ax.xaxis if axis == "x" else ax.yaxis
    target.set_major_formatter(FuncFormatter(_plain_number))
    target.set_minor_formatter(FuncFormatter(_plain_number_125))


def legend(ax, **kwargs):
    """A legend in the shared style (no frame, ``STYLE`` font size), whenever it is drawn."""
    kwargs.setdefault("frameon", STYLE["legend.frameon"])
    kwargs.setdefault("fontsize", STYLE["legend.fontsize"])
    return ax.legend(**kwargs)


#: Line styles and markers cycled with the colours of a categorical palette, so curves stay
#: apart in greyscale and where colours are close.
LINE_STYLES = ("-", "--", "-.", ":")
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")


def categorical_styles(n: int, cmap: str = "plasma", stop: float = 0.85) -> list[dict]:
    """``n`` plot styles (colour, line style, marker), evenly spaced over ``cmap`` by rank.

    Spacing by rank, not by value, keeps close values (T = 2.2, 2.3, 2.4) as far apart in
    colour as distant ones; ``stop`` < 1 leaves out the palette's pale end.
    """
    colours = plt.get_cmap(cmap)(np.linspace(0.0, stop, max(n, 2)))
    return [{"color": colours[i], "ls": LINE_STYLES[i % len(LINE_STYLES)], "marker": MARKERS[i % len(MARKERS)]}
            for i in range(n)]


def mark_critical_temperature(ax, tc: float = ISING_CRITICAL_TEMPERATURE):
    """Dotted vertical line at Tc, labelled just above the axes (never on top of the data)."""
    ax.axvline(tc, color="0.5", lw=0.8, ls=":", zorder=0)
    ax.text(tc, 1.0, r"$T_c$", transform=ax.get_xaxis_transform(), va="bottom", ha="center", color="0.4",
            fontsize=8)


def save_figure(fig, pdf_path, png_path, caption_path, caption: str, dpi: int = 200) -> None:
    """Write the figure as PDF and PNG and its caption as text; close the figure."""
    try:
        with plt.rc_context(STYLE), atomic_path(pdf_path) as pdf, atomic_path(png_path) as png:
            fig.savefig(pdf, format="pdf")
            fig.savefig(png, format="png", dpi=dpi)
    finally:
        plt.close(fig)
    write_text(caption_path, caption.strip() + "\n")
