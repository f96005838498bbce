# Report: after a run, `snakemake --report report.html` gathers every figure with its caption
# and the claims and exponents tables into one self-contained HTML file, grouped by paper
# figure: "Fig. 1", "Fig. 2", "Fig. 3", "Supplementary", "Tables".
#
# The rules mark their outputs with report(...) (figures.smk, coarse_graining.smk, glass.smk);
# the captions are the rst files under workflow/report/ (Jinja templates: a figure's caption
# switches on its {panel} wildcard and includes the caption the figure script wrote with the
# measured values). This file is included before the rule files that use its helpers.

import re


report: "../report/workflow.rst"


REPORT_TABLES = "Tables"
REPORT_SUPPLEMENTARY = "Supplementary"


def _panel_parts(panel):
    """'fig2c' -> ('2', 'c'); a panel name that is not figN[x] is a programming error."""
    match = re.fullmatch(r"fig([0-9]+)([a-z]?)", panel)
    if match is None:
        raise ValueError(f"figure panel {panel!r} is not of the form fig<number>[<letter>]")
    return match.groups()


def report_figure_category(wildcards):
    """Report category of a paper panel: the paper's figure, e.g. fig2c -> 'Fig. 2'."""
    return f"Fig. {_panel_parts(wildcards.panel)[0]}"


def report_figure_labels(wildcards):
    """Label shown in the report's result table, e.g. fig2c -> {'panel': 'Fig. 2c'}."""
    number, letter = _panel_parts(wildcards.panel)
    return {"panel": f"Fig. {number}{letter}"}
