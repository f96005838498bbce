"""Glue: the supplementary comparison of the four pairing rules on the Ising data."""

import argparse

import pandas as pd

from rgcoarse.joblog import job_logger
from rgcoarse.paper_figures import draw_pairing_comparison
from rgcoarse.plotting import save_figure
from rgcoarse.tables import read_table


def load_locality(paths):
    frames = []
    for path in paths:
        frame, metadata = read_table(path)
        if frame.empty:
            continue
        frames.append(frame.assign(method=metadata["method"], temperature=metadata["dataset_metadata"]["temperature"]))
    columns = ["method", "temperature", "nn_fraction", "random_expectation"]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)


def main(fit_paths, pair_paths, outputs, dpi, log_path=None):
    logger = job_logger("supp_pairing_rules", log_path)
    fits = pd.concat([read_table(p)[0] for p in fit_paths], ignore_index=True)
    exponents = fits[(fits["observable"] == "m2") & (fits["status"] == "ok")]
    fig, caption = draw_pairing_comparison(exponents, load_locality(pair_paths))
    save_figure(fig, outputs["pdf"], outputs["png"], outputs["caption"], caption, dpi=dpi)
    logger.info("drew supplementary pairing-rule comparison from %d fits", len(fit_paths))


if "snakemake" in globals():
    main(list(snakemake.input.fits), list(snakemake.input.pairs), dict(snakemake.output.items()),
         snakemake.params.dpi, snakemake.log[0])
elif __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--fits", nargs="+", required=True)
    parser.add_argument("--pairs", nargs="+", required=True)
    parser.add_argument("--outdir", default="figures")
    parser.add_argument("--dpi", type=int, default=200)
    a = parser.parse_args()
    outs = {k: f"{a.outdir}/supp_pairing_rules.{e}" for k, e in (("pdf", "pdf"), ("png", "png"), ("caption", "caption.txt"))}
    main(a.fits, a.pairs, outs, a.dpi)
