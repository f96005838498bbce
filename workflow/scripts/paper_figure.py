"""Glue: draw one panel of the paper's Figs. 1-3 from Parquet tables."""

import argparse
import json

from rgcoarse import paper_figures as pf
from rgcoarse.joblog import job_logger
from rgcoarse.plotting import save_figure
from rgcoarse.tables import read_table, read_tables_by_temperature as tables_by_temperature



def draw(panel, inputs, settings, method):
    if panel == "fig1":
        return pf.draw_fig1(read_table(inputs["cod"])[0], settings.get("levels", [0, 2, 4]))
    if panel in ("fig2a", "fig2b"):
        default_level = 0 if panel == "fig2a" else 10
        return pf.draw_m2_vs_temperature(
            tables_by_temperature(inputs["m2"]), settings.get("level", default_level), method
        )
    if panel in ("fig2c", "fig2d"):
        fits = read_table(inputs["fit"])[0]
        fit = fits[fits["observable"] == "m2"].iloc[0]
        return pf.draw_m2_vs_cluster_size(read_table(inputs["m2"])[0], fit, settings["temperature"], method)
    if panel == "fig2e":
        return pf.draw_cod_vs_rank(tables_by_temperature(inputs["cod"]), settings.get("level", 0), method)
    if panel == "fig2f":
        return pf.draw_largest_cod_vs_temperature(
            tables_by_temperature(inputs["cod"]), settings.get("levels", [0, 10]), method
        )
    if panel == "fig3a":
        return pf.draw_glass_cod_levels(tables_by_temperature(inputs["cod"]), settings.get("levels", [0, 2, 4, 6]),
                                        method)
    if panel in ("fig3b", "fig3c"):
        fits = read_table(inputs["fit"])[0]
        fit = fits[fits["observable"] == "m2"].iloc[0]
        return pf.draw_glass_m2(read_table(inputs["m2"])[0], fit, settings["temperature"], method, panel[-1])
    raise ValueError(f"unknown panel {panel!r}")


def main(panel, inputs, outputs, settings, method, dpi, log_path=None):
    logger = job_logger("paper_figure", log_path)
    fig, caption = draw(panel, inputs, settings, method)
    save_figure(fig, outputs["pdf"], outputs["png"], outputs["caption"], caption, dpi=dpi)
    logger.info("drew %s", panel)


if "snakemake" in globals():
    p = snakemake.params
    main(snakemake.wildcards.panel, dict(snakemake.input.items()), dict(snakemake.output.items()),
         dict(p.settings), p.method, p.dpi, snakemake.log[0])
elif __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("panel")
    parser.add_argument("--inputs", required=True, help='JSON, e.g. {"cod": "results/.../cod.parquet"}')
    parser.add_argument("--settings", default="{}", help="JSON panel settings")
    parser.add_argument("--method", default="projection")
    parser.add_argument("--dpi", type=int, default=200)
    parser.add_argument("--outdir", default="figures")
    a = parser.parse_args()
    outs = {k: f"{a.outdir}/{a.panel}.{ext}" for k, ext in (("pdf", "pdf"), ("png", "png"), ("caption", "caption.txt"))}
    main(a.panel, json.loads(a.inputs), outs, json.loads(a.settings), a.method, a.dpi)
