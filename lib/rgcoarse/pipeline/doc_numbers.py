"""Numbers in the docs pages, written from the committed result tables instead of by hand.

A number that a table gives is written in a page between two markers that name it::

    ρ̄ ∝ N^(<!-- num:gs.size.T1.0.slope -->−0.88 ± 0.07<!-- /num -->)

(the markers are HTML comments: a rendered page shows only the number). ``python -m
rgcoarse.pipeline.doc_numbers`` recomputes every marked number from the tables and rewrites the
spans of README.md and docs/*.md; tests/test_docs.py checks that the committed pages equal that
rewrite, so a number cannot go stale when a table is regenerated. A name may end in ``/<digits>``
to round to other digits than the name's default (``gs.size.local_last.span/1`` gives ``1.6–1.8``).

The tables are the glass sensitivity study's, committed under docs/glass_study/ (the study is not
part of the default run: ``snakemake --cores all glass_study`` makes them under
results/glass_study/), and the default run's summary under docs/default_run/ (written by
``python -m rgcoarse.pipeline.run_summary <run directory>``; :func:`default_run_numbers`:
``times.<part>.{seconds,jobs,ratio}`` from job_times.csv, ``rmi.<wave_packet | drops>.<feature>.<level>.{rmi,ci}``,
``rmi.<wave_packet | drops>.{changes,change}``, ``rmi.optimisation.*`` and
``planted.<structure>.<rule>.recovered`` from planted_benchmark.csv, ``wcrg.b<beta>.scale<j>.negative`` (percent
of negative Hessian eigenvalues; scale 0 the full energy) from wcrg_spectra.csv, and the Bayesian
renormalization arm's ``brg.*`` (:func:`bayes_rg_numbers`)). The glass study's names
(:func:`glass_study_numbers`):

* ``gs.<variant>.T<T>.<reading>.<rule>.<estimate>.<stat>``: one row of exponents.csv (the spread
  over replicas). ``<estimate>`` is ``k32`` (M2 exponent over K ≤ 32), ``all`` (over all levels),
  ``local_last`` (local exponent between the two largest levels), ``local_last_cm`` (what the
  common mode of the run's own ρ̄ gives there), ``rho`` (ρ̄), ``rho_n`` (ρ̄N), ``rho_fit``;
  ``<stat>`` is ``mean``, ``mean_sd`` (mean ± sd), ``ci`` (95 % interval) or ``min_max``.
* ``gs.span.T<T>.<reading>.<rule or both>.<estimate>``: the range of the replica means over the
  variants at T.
* ``gs.size.T<T>.slope`` (the size exponent b of ρ̄ ∝ N^b, ± its standard error) and
  ``gs.size.T<T>.N<N>.<rho | rho_n | local_last | local_last_cm>`` from size_scaling.csv;
  ``gs.size.local_last.span``.
* ``gs.runs...`` from runs.csv (one row per run): ``gs.runs.count``, ``gs.runs.T<T>.count``,
  ``gs.runs.T<T>.<corr_u | corr_p | corr_tkin>.median`` (Pearson r of the per-frame mean p_hop with
  U/N, p, T_kin) and ``.significant`` (runs at p < 0.05 against the circular shifts, "k of n"),
  ``gs.runs.T<T>.equilibrated`` (runs that pass the equilibration check, "k of n"),
  ``gs.runs.T<T>.tau_alpha.span``, ``gs.runs.<variant>.T<T>.r<replica>.drift_se`` (U/N drift in
  standard errors), ``gs.runs.<reading>.<rule>.exponents.span`` (both fit ranges, every run).
* ``gs.claims.<fig3b | fig3c>.reproduced`` ("k of n" conditions), ``.undetermined`` and
  ``gs.claims.<figure>.<reading>.<rule>.<estimate>.reproduced`` ("k of n" variants), by the
  study's own rule (:func:`rgcoarse.glass.study_tables.claim_rows`).
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from rgcoarse.io.atomic import write_text
from rgcoarse.pipeline.docs_command import docs_arguments

__all__ = ["Number", "SPAN", "TABLES", "all_numbers", "default_run_numbers", "load_tables", "glass_study_numbers", "fill",
           "pages", "rewrite", "main"]

# <!-- num:NAME -->TEXT<!-- /num -->, NAME optionally ending in /DIGITS
SPAN = re.compile(r"<!-- num:(?P<name>[^\s/]+)(?:/(?P<digits>\d+))? -->(?P<text>.*?)<!-- /num -->", re.S)
CODE = re.compile(r"^[ \t]*```.*?^[ \t]*```[^\n]*$|`[^`\n]+`", re.S | re.M)  # fenced blocks and inline code
TABLES = {
    "exponents": Path("docs/glass_study/exponents.csv"),
    "runs": Path("docs/glass_study/runs.csv"),
    "size_scaling": Path("docs/glass_study/size_scaling.csv"),
    # the default run's summary (python -m rgcoarse.pipeline.run_summary <run directory>)
    "job_times": Path("docs/default_run/job_times.csv"),
    "rmi_wave_packet": Path("docs/default_run/rmi_wave_packet.csv"),
    "rmi_drops": Path("docs/default_run/rmi_drops.csv"),
    "rmi_optimisation_runs": Path("docs/default_run/rmi_optimisation_runs.csv"),
    "planted_benchmark": Path("docs/default_run/planted_benchmark.csv"),
    "wcrg_spectra": Path("docs/default_run/wcrg_spectra.csv"),
    "wcrg_sampling": Path("docs/default_run/wcrg_sampling.csv"),
    "wcrg_lattice": Path("docs/default_run/wcrg_lattice.csv"),
    "wcrg_binder_crossings": Path("docs/default_run/wcrg_binder_crossings.csv"),
    "bayes_rg_summary": Path("docs/default_run/bayes_rg_summary.csv"),
    "bayes_rg_kyfan": Path("docs/default_run/bayes_rg_kyfan.csv"),
}
ESTIMATES = {  # name in a page -> estimate in exponents.csv
    "k32": "exponent[K<=32]",
    "all": "exponent[all levels]",
    "local_last": "local_exponent_last",
    "local_last_cm": "local_exponent_last_common_mode",
    "rho": "rho_mean",
    "rho_n": "rho_n",
    "rho_fit": "rho_fit",
}
DIGITS = {"rho": 4, "rho_fit": 4, "rho_n": 1}  # default digits by estimate (others: 2)
CORRELATIONS = {"corr_u": "U/N", "corr_p": "p", "corr_tkin": "T_kin"}
SIGNIFICANCE = 0.05  # "k of n runs at p < 0.05"
FIGURES = {"Fig. 3b": "fig3b", "Fig. 3c": "fig3c"}


@dataclass(frozen=True)
class Number:
    """A number as a page shows it: ``style`` says how its ``values`` are written."""

    values: tuple[float, ...]
    style: str = "value"  # value | pm (a ± b) | range (a–b) | interval ([a, b]) | of (k of n) | count
    digits: int = 2

    def text(self, digits: int | None = None) -> str:
        d = self.digits if digits is None else digits
        if self.style == "of":
            return f"{int(self.values[0])} of {int(self.values[1])}"
        if self.style == "count":
            return f"{int(self.values[0])}"
        written = [_format(value, d) for value in self.values]
        if self.style == "value":
            return written[0]
        if self.style == "pm":
            return f"{written[0]} ± {written[1]}"
        if self.style == "range":
            return f"{written[0]}–{written[1]}"
        if self.style == "interval":
            return f"[{written[0]}, {written[1]}]"
        raise ValueError(f"unknown style {self.style!r}")


def _format(value: float, digits: int) -> str:
    """Fixed point with a typographic minus; -0.00 is 0.00."""
    text = f"{value:.{digits}f}"
    if text.startswith("-") and float(text) == 0:
        text = text[1:]
    return text.replace("-", "−")


def _t(temperature) -> str:
    """``T1.0``, ``T0.4``, ``T0.47``."""
    return f"T{float(temperature)}"


# --- The numbers ------------------------------------------------------------------------------


def load_tables(root: Path) -> dict[str, pd.DataFrame]:
    return {name: pd.read_csv(Path(root) / path) for name, path in TABLES.items()}


def all_numbers(tables: dict[str, pd.DataFrame]) -> dict[str, Number]:
    """Every number the pages may cite: the glass study's and the default run's."""
    return {**glass_study_numbers(tables), **default_run_numbers(tables)}


def wcrg_sampling_numbers(tables: dict[str, pd.DataFrame]) -> dict[str, Number]:
    """``wcrg.b<beta>.<sampler>.{tau,abs_m,energy,flips}``, ``wcrg.b<beta>.speedup``,
    ``wcrg.ising.T<t>.scale<j>.kappa`` and ``wcrg.binder.<L1>_<L2>``."""
    numbers = {}
    for beta, rows in tables["wcrg_sampling"].groupby("beta"):
        by = rows.set_index("sampler")
        for sampler, row in by.iterrows():
            stem = f"wcrg.b{beta:g}.{sampler}"
            numbers[f"{stem}.abs_m"] = Number((row["mean_abs_m"],), "value", 3)
            numbers[f"{stem}.energy"] = Number((row["energy_per_site"],), "value", 3)
            if sampler != "data":
                numbers[f"{stem}.tau"] = Number((row["tau_m_cost"],), "value", 0 if row["tau_m_cost"] >= 100 else 1)
                numbers[f"{stem}.flips"] = Number((row["sign_changing_chains"], row["chains"]), "of")
                numbers[f"{stem}.length"] = Number((row["length_over_tau"],), "value", 0)
        numbers[f"wcrg.b{beta:g}.speedup"] = Number((by.loc["direct", "tau_m_cost"] / by.loc["multiscale", "tau_m_cost"],),
                                                    "value", 1)
    for row in tables["wcrg_lattice"].itertuples(index=False):
        numbers[f"wcrg.ising.{_t(row.condition[1:])}.scale{row.scale}.kappa"] = Number((row.kappa,), "value",
                                                                                       0 if row.scale == 0 else 2)
    for row in tables["wcrg_binder_crossings"].itertuples(index=False):
        numbers[f"wcrg.binder.{row.size_small}_{row.size_large}"] = Number((row.beta_crossing,), "value", 3)
    return numbers


def bayes_rg_numbers(tables: dict[str, pd.DataFrame]) -> dict[str, Number]:
    """``brg.<scheme>[.zeros].removable.{median,range}``, ``brg.zeros.range``, ``brg.gap.*`` and
    ``brg.kyfan.<dataset>.<method>.{median,range}`` (levels >= 1) of the Bayesian renormalization arm."""
    numbers = {}
    summary = tables["bayes_rg_summary"]
    for (scheme, zeros_first), rows in summary.groupby(["scheme", "zeros_first"]):
        stem = f"brg.{scheme}{'.zeros' if zeros_first else ''}.removable"
        values = rows["removable_fraction"]
        numbers[f"{stem}.median"] = Number((values.median(),), "value", 2)
        numbers[f"{stem}.range"] = Number((values.min(), values.max()), "range", 2)
    seeds = summary.drop_duplicates("seed")
    numbers["brg.seeds"] = Number((len(seeds),), "count")
    numbers["brg.zeros.range"] = Number((seeds["zero_fisher"].min(), seeds["zero_fisher"].max()), "range", 0)
    for cause in ("blank_pixel", "dead_unit", "other"):
        column = seeds[f"zero_{cause}"]
        numbers[f"brg.zeros.{cause}.range"] = Number((column.min(), column.max()), "range", 0)
    numbers["brg.gap.window.significant"] = Number((int((seeds["window_gap_p_value"] <= 0.05).sum()), len(seeds)), "of")
    numbers["brg.gap.window.ratio"] = Number((seeds["window_gap_ratio"].min(), seeds["window_gap_ratio"].max()), "range", 2)
    numbers["brg.gap.window.location"] = Number((seeds["window_gap_location"].median(),), "value", 3)
    numbers["brg.gap.whole.significant"] = Number((int((seeds["gap_p_value"] <= 0.05).sum()), len(seeds)), "of")
    for (dataset, method), rows in tables["bayes_rg_kyfan"].groupby(["dataset", "method"]):
        ratios = rows.loc[rows["level"] >= 1, "ratio"]
        numbers[f"brg.kyfan.{dataset}.{method}.median"] = Number((ratios.median(),), "value", 2)
        numbers[f"brg.kyfan.{dataset}.{method}.range"] = Number((ratios.min(), ratios.max()), "range", 2)
    return numbers


def default_run_numbers(tables: dict[str, pd.DataFrame]) -> dict[str, Number]:
    """``times.<part>.{seconds,jobs,ratio}`` and the RMI arm's ``rmi.*`` (module docstring)."""
    from rgcoarse.rmi.experiments import best_feature_changes

    numbers = {}
    for row in tables["job_times"].itertuples(index=False):
        numbers[f"times.{row.part}.seconds"] = Number((row.seconds,), "value", 0)
        numbers[f"times.{row.part}.jobs"] = Number((row.jobs,), "count")
        numbers[f"times.{row.part}.ratio"] = Number((row.ratio_to_lammps,), "value", 2)
    for name, parameter in (("wave_packet", "sigma"), ("drops", "spread")):
        table = tables[f"rmi_{name}"]
        for row in table.itertuples(index=False):
            stem = f"rmi.{name}.{row.feature}.{getattr(row, parameter):g}"
            numbers[f"{stem}.rmi"] = Number((row.rmi,), "value", 2)
            numbers[f"{stem}.ci"] = Number((row.ci_low, row.ci_high), "interval", 2)
        changes = best_feature_changes(table, parameter)
        switched = [i for i in range(len(changes) - 1) if changes["best"].iloc[i] != changes["best"].iloc[i + 1]]
        numbers[f"rmi.{name}.changes"] = Number((len(switched),), "count")
        if switched:
            first = switched[0]
            numbers[f"rmi.{name}.change"] = Number(
                (changes[parameter].iloc[first], changes[parameter].iloc[first + 1]), "range", 2)
    for row in tables["planted_benchmark"].itertuples(index=False):
        if np.isfinite(row.recovered):
            numbers[f"planted.{row.structure}.{row.method}.recovered"] = Number((row.recovered,), "value", 2)
    for row in tables["wcrg_spectra"].itertuples(index=False):
        numbers[f"wcrg.b{row.beta:g}.scale{row.scale}.negative"] = Number((100 * row.negative_fraction,), "value", 1)
    numbers.update(wcrg_sampling_numbers(tables))
    numbers.update(bayes_rg_numbers(tables))
    runs = tables["rmi_optimisation_runs"]
    knn = runs[runs["objective"] == "knn"]
    numbers["rmi.optimisation.final.median"] = Number((knn["final_rmi"].median(),), "value", 2)
    numbers["rmi.optimisation.final.range"] = Number((knn["final_rmi"].min(), knn["final_rmi"].max()), "range", 2)
    numbers["rmi.optimisation.rises"] = Number((int((knn["final_rmi"] > knn["initial_rmi"]).sum()), len(knn)), "of")
    linear = runs[runs["objective"] == "linear"]["final_rmi"].iloc[0]
    numbers["rmi.optimisation.linear"] = Number((linear,), "value", 2)
    numbers["rmi.optimisation.beats_linear"] = Number((int((knn["final_rmi"] > linear).sum()), len(knn)), "of")
    paper = runs[runs["objective"] == "histogram"].iloc[0]
    numbers["rmi.optimisation.histogram.objective"] = Number((paper["final_objective"],), "value", 2)
    numbers["rmi.optimisation.histogram.final"] = Number((paper["final_rmi"],), "value", 2)
    return numbers


def glass_study_numbers(tables: dict[str, pd.DataFrame]) -> dict[str, Number]:
    """Every number the pages may cite, by name (see the module's docstring for the names)."""
    numbers: dict[str, Number] = {}
    numbers.update(_exponent_numbers(tables["exponents"]))
    numbers.update(_size_numbers(tables["size_scaling"]))
    numbers.update(_run_numbers(tables["runs"]))
    numbers.update(_claim_numbers(tables["exponents"]))
    return numbers


def _exponent_numbers(exponents: pd.DataFrame) -> dict[str, Number]:
    numbers = {}
    slugs = {estimate: slug for slug, estimate in ESTIMATES.items()}
    rows = exponents[exponents["estimate"].isin(slugs)]
    for row in rows.itertuples(index=False):
        slug = slugs[row.estimate]
        digits = DIGITS.get(slug, 2)
        stem = f"gs.{row.variant}.{_t(row.temperature)}.{row.reading}.{row.method}.{slug}"
        numbers[f"{stem}.mean"] = Number((row.mean,), "value", digits)
        numbers[f"{stem}.mean_sd"] = Number((row.mean, row.sd), "pm", digits)
        numbers[f"{stem}.ci"] = Number((row.ci_low, row.ci_high), "interval", digits)
        numbers[f"{stem}.min_max"] = Number((row.min, row.max), "range", digits)
    for (temperature, reading, estimate), group in rows.groupby(["temperature", "reading", "estimate"]):
        slug = slugs[estimate]
        digits = DIGITS.get(slug, 2)
        stem = f"gs.span.{_t(temperature)}.{reading}"
        numbers[f"{stem}.both.{slug}"] = Number((group["mean"].min(), group["mean"].max()), "range", digits)
        for method, by_method in group.groupby("method"):
            numbers[f"{stem}.{method}.{slug}"] = Number((by_method["mean"].min(), by_method["mean"].max()), "range", digits)
    return numbers


def _size_numbers(scaling: pd.DataFrame) -> dict[str, Number]:
    numbers = {}
    columns = {"rho": ("rho_mean", 4), "rho_n": ("rho_n", 1), "local_last": ("local_exponent_last", 2),
               "local_last_cm": ("local_exponent_last_common_mode", 2)}  # fmt: skip
    for temperature, group in scaling.groupby("temperature"):
        first = group.iloc[0]
        numbers[f"gs.size.{_t(temperature)}.slope"] = Number((first["size_exponent"], first["size_exponent_se"]), "pm", 2)
        for row in group.itertuples(index=False):
            for name, (column, digits) in columns.items():
                numbers[f"gs.size.{_t(temperature)}.N{row.n_particles}.{name}"] = Number((getattr(row, column),), "value", digits)
    local = scaling["local_exponent_last"]
    numbers["gs.size.local_last.span"] = Number((local.min(), local.max()), "range", 2)
    return numbers


def _run_numbers(runs: pd.DataFrame) -> dict[str, Number]:
    numbers = {}
    each_run = runs.drop_duplicates(["variant", "condition"])  # one row per (run, reading, rule) in the file
    numbers["gs.runs.count"] = Number((len(each_run),), "count")
    for temperature, group in each_run.groupby("temperature"):
        stem = f"gs.runs.{_t(temperature)}"
        numbers[f"{stem}.count"] = Number((len(group),), "count")
        for name, column in CORRELATIONS.items():
            numbers[f"{stem}.{name}.median"] = Number((group[f"r[{column}]"].median(),), "value", 2)
            significant = int((group[f"p[{column}]"] < SIGNIFICANCE).sum())
            numbers[f"{stem}.{name}.significant"] = Number((significant, len(group)), "of")
        numbers[f"{stem}.equilibrated"] = Number((int((group["equilibration"] == "ok").sum()), len(group)), "of")
        tau = group["tau_alpha"].dropna()
        if len(tau):
            numbers[f"{stem}.tau_alpha.span"] = Number((tau.min(), tau.max()), "range", 2)
    for row in each_run.itertuples(index=False):
        drift, error = row.u_drift, row.u_drift_error
        if np.isfinite(drift) and np.isfinite(error) and error > 0:
            name = f"gs.runs.{row.variant}.{_t(row.temperature)}.r{row.replica}.drift_se"
            numbers[name] = Number((abs(drift) / error,), "value", 1)
    fits = ["exponent[K<=32]", "exponent[all levels]"]
    for (reading, method), group in runs.groupby(["reading", "method"]):
        values = group[fits].to_numpy(dtype=float).ravel()
        values = values[np.isfinite(values)]
        numbers[f"gs.runs.{reading}.{method}.exponents.span"] = Number((values.min(), values.max()), "range", 2)
    return numbers


def _claim_numbers(exponents: pd.DataFrame) -> dict[str, Number]:
    from rgcoarse.glass.study_tables import (
        claim_rows,  # the study's own rule for its claims
    )

    numbers = {}
    slugs = {estimate: slug for slug, estimate in ESTIMATES.items()}
    claims = claim_rows(exponents)
    for figure, group in claims.groupby("figure"):
        stem = f"gs.claims.{FIGURES[figure]}"
        numbers[f"{stem}.reproduced"] = Number((int(group["reproduced"].sum()), len(group)), "of")
        numbers[f"{stem}.undetermined"] = Number((int((group["verdict"] == "undetermined").sum()),), "count")
        for (reading, method, estimate), by_condition in group.groupby(["reading", "method", "estimate"]):
            name = f"{stem}.{reading}.{method}.{slugs[estimate]}.reproduced"
            numbers[name] = Number((int(by_condition["reproduced"].sum()), len(by_condition)), "of")
    return numbers


# --- The pages --------------------------------------------------------------------------------


def fill(text: str, numbers: dict[str, Number], page: str = "page") -> str:
    """``text`` with every marked span's number written from ``numbers``."""

    def replace(match: re.Match) -> str:
        name, digits = match.group("name"), match.group("digits")
        if name not in numbers:
            raise KeyError(f"{page}: no number named {name!r} (rgcoarse.pipeline.doc_numbers lists the names)")
        written = numbers[name].text(None if digits is None else int(digits))
        suffix = f"/{digits}" if digits is not None else ""
        return f"<!-- num:{name}{suffix} -->{written}<!-- /num -->"

    out, position = [], 0
    for code in CODE.finditer(text):  # a span shown as code (an example of the markers) is left as it is
        out += [SPAN.sub(replace, text[position : code.start()]), code.group(0)]
        position = code.end()
    return "".join([*out, SPAN.sub(replace, text[position:])])


def pages(root: Path) -> list[Path]:
    """The pages whose numbers are written: README.md and docs/*.md."""
    root = Path(root)
    return [root / "README.md", *sorted((root / "docs").glob("*.md"))]


def rewrite(root: Path, check: bool = False) -> list[Path]:
    """Rewrite the numbers of every page under ``root`` (only compare, with ``check``); the pages
    that changed (or would change)."""
    numbers = all_numbers(load_tables(root))
    changed = []
    for path in pages(root):
        if not path.is_file():
            continue
        text = path.read_text()
        new = fill(text, numbers, page=str(path.relative_to(root)))
        if new != text:
            changed.append(path)
            if not check:
                write_text(path, new)
    return changed


def main(argv=None) -> int:
    root, check = docs_arguments(__doc__.splitlines()[0], "only check that every number is up to date (exit 1 if not)",
                                 TABLES["exponents"], argv)
    changed = rewrite(root, check=check)
    for path in changed:
        print(f"{'stale' if check else 'rewrote'}: {path.relative_to(root)}")
    return 1 if check and changed else 0


if __name__ == "__main__":
    sys.exit(main())
