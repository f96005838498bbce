"""The small tables of a finished default run that the docs cite, copied under docs/default_run/.

``python -m rgcoarse.pipeline.run_summary <run directory>`` writes, as CSV:

- ``job_times.csv``: summed job times by part (:mod:`rgcoarse.pipeline.job_times`);
- ``rmi_wave_packet.csv``, ``rmi_drops.csv``, ``rmi_optimisation_runs.csv``: the RMI arm's
  feature comparisons and optimisation runs (``results/rmi/``);
- ``planted_benchmark.csv``: what each pairing rule recovers of the planted structures;
- ``wcrg_spectra.csv``: the WCRG arm's Hessian spectra (every phi^4 coupling and scale);
  ``wcrg_sampling.csv``: its multiscale-against-direct sampling summaries; ``wcrg_lattice.csv``: the
  Ising bridge's conditional kappa_j; ``wcrg_binder_crossings.csv``: beta_c from the named target
  ``wcrg_binder`` (run it in the same directory before the summary);
- ``bayes_rg_summary.csv``: the Bayesian renormalization arm's removable fractions and Fisher gaps per
  training seed; ``bayes_rg_kyfan.csv``: its Ky Fan bridge (``results/bayes_rg/``).

Then ``python -m rgcoarse.pipeline.doc_numbers`` rewrites every number the pages cite from them,
so the docs' figures are the run's, not typed by hand.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from rgcoarse.io.tables import read_table, write_csv
from rgcoarse.pipeline.job_times import job_time_table

SUMMARY_DIR = Path("docs/default_run")
RUN_TABLES = {  # name under docs/default_run -> table of the run
    "rmi_wave_packet.csv": "results/rmi/wave_packet.parquet",
    "rmi_drops.csv": "results/rmi/drops.parquet",
    "rmi_optimisation_runs.csv": "results/rmi/optimisation_runs.parquet",
    "planted_benchmark.csv": "results/planted_benchmark.csv",
    "wcrg_binder_crossings.csv": "results/wcrg/binder_crossings.parquet",
    "bayes_rg_summary.csv": "results/bayes_rg/summary.parquet",
    "bayes_rg_kyfan.csv": "results/bayes_rg/kyfan.parquet",
}
STACKED_TABLES = {  # name under docs/default_run -> the run's tables of that kind, one per condition
    "wcrg_spectra.csv": "results/wcrg/fits/*/spectra.parquet",
    "wcrg_sampling.csv": "results/wcrg/fits/*/sampling.parquet",
    "wcrg_lattice.csv": "results/wcrg/lattice/ising/*.parquet",
}


def write_summary(run_directory, destination) -> list[Path]:
    run_directory, destination = Path(run_directory), Path(destination)
    destination.mkdir(parents=True, exist_ok=True)
    written = [destination / "job_times.csv"]
    write_csv(written[0], job_time_table(run_directory), float_format="%.1f")
    for name, pattern in STACKED_TABLES.items():
        paths = sorted(run_directory.glob(pattern))
        if not paths:
            raise FileNotFoundError(f"{run_directory}: no {pattern} (is this a finished default run?)")
        write_csv(destination / name, pd.concat([read_table(path)[0] for path in paths], ignore_index=True))
        written.append(destination / name)
    for name, table in RUN_TABLES.items():
        source = run_directory / table
        frame = read_table(source)[0] if source.suffix == ".parquet" else pd.read_csv(source)
        write_csv(destination / name, frame)
        written.append(destination / name)
    return written


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("run_directory", help="the directory snakemake ran the default configuration in")
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parents[3],
                        help="repository root (default: the one holding this package)")
    args = parser.parse_args(argv)
    for path in write_summary(args.run_directory, args.root / SUMMARY_DIR):
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
