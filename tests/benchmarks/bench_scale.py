"""Neuron-scale user data through the pipeline: time and memory against N (issue 28, item 3).

For each N, the script writes a synthetic recording of 20,000 samples x N features with planted
correlated groups (groups of ``--group`` features sharing one latent signal at pair correlation
``--rho``, in a shuffled column order, float32 NPY), declares it as a user dataset in a scratch
copy of the workflow and runs, with ``snakemake --cores all``, exactly what a user's run does for it:
the data job, then ``correlation``, ``random`` and ``projection``, each with its observables and fits.
Per N and rule it prints the summed job time of coarse-graining + observables (whose job makes
the fits too), the peak RSS of the largest job (Snakemake's benchmark files) and the memory the
jobs declared (``mem_mb``, :func:`rgcoarse.pipeline.costs.declared_mem_mb`); per N, the wall time
and the shared jobs (the data job and the data's own level-0 COD). A size whose declaration exceeds
what the machine may give is refused before any job starts: the script prints the refusal.

It then fits the growth law ``t = a N^b`` per rule to the measured sizes and gives the time and
memory it predicts at N = 65,536 (a run through the SLURM profile: one node per job, jobs of one
N running side by side).

    python tests/benchmarks/bench_scale.py [--sizes 2048 4096 8192 16384] [--samples 20000]
        [--cores all] [--keep]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import yaml

REPO = Path(__file__).resolve().parents[2]
RULES = ("correlation", "random", "projection")
STAGES = ("coarse", "observables")  # observables jobs include the fits
DATASET = "scale"
PREDICT_AT = 65536


def planted_recording(n_samples: int, n_features: int, group: int, rho: float, seed: int) -> np.ndarray:
    """float32 samples x features: groups of ``group`` features share a latent signal (pair correlation
    ``rho``), columns shuffled so that the groups are not contiguous."""
    rng = np.random.default_rng([seed, n_features])
    latent = rng.standard_normal((n_samples, n_features // group), dtype=np.float32)
    values = np.repeat(latent, group, axis=1) * np.float32(np.sqrt(rho))
    values += rng.standard_normal((n_samples, n_features), dtype=np.float32) * np.float32(np.sqrt(1 - rho))
    return values[:, rng.permutation(n_features)]


def scratch_workflow(workdir: Path, data: Path) -> None:
    for name in ("Snakefile", "config.yaml"):
        shutil.copy(REPO / name, workdir / name)
    for name in ("workflow", "profiles", "envs"):
        shutil.copytree(REPO / name, workdir / name)
    overlay = {"user_datasets": {DATASET: {"path": str(data), "methods": list(RULES)}},
               "resources": {"analysis_mem_mb": 20480}}  # the bound: 20 GiB per job
    (workdir / "scale.yaml").write_text(yaml.safe_dump(overlay))


def benchmark_row(path: Path) -> dict:
    header, values = path.read_text().splitlines()[:2]
    row = dict(zip(header.split("\t"), values.split("\t")))
    return {"s": float(row["s"]), "max_rss_mb": float(row["max_rss"]) if row["max_rss"] != "NA" else np.nan}


def run_size(n_features: int, args, scratch: Path) -> dict | str:
    workdir = scratch / f"N{n_features}"
    workdir.mkdir()
    data = workdir / "recording.npy"
    np.save(data, planted_recording(args.samples, n_features, args.group, args.rho, args.seed))
    scratch_workflow(workdir, data)
    targets = [f"results/fits/{DATASET}/default/{rule}.parquet" for rule in RULES]
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "snakemake", "--cores", args.cores, *targets,
                           "--configfile", "scale.yaml"], cwd=workdir, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    data.unlink()
    if proc.returncode != 0:
        text = proc.stdout + proc.stderr
        refusal = next((line for line in text.splitlines() if "needs about" in line), None)
        if refusal:
            return refusal.strip()
        raise SystemExit(f"N = {n_features}: snakemake failed:\n{text[-4000:]}")
    result = {"wall": wall, "rules": {}}
    for rule in RULES:
        rows = [benchmark_row(workdir / "benchmarks" / stage / DATASET / "default" / f"{rule}.tsv") for stage in STAGES]
        result["rules"][rule] = {"s": sum(r["s"] for r in rows), "stages": [r["s"] for r in rows],
                                 "max_rss_mb": max(r["max_rss_mb"] for r in rows)}
    data_job = workdir / "benchmarks" / "data" / DATASET / "default.tsv"
    result["data_s"] = benchmark_row(data_job)["s"] if data_job.is_file() else np.nan
    # The data's own level-0 COD: one job per condition, shared by every rule's observables.
    level0 = benchmark_row(workdir / "benchmarks" / "observables" / DATASET / "default" / "level0_cod.tsv")
    result["level0_s"], result["level0_rss_mb"] = level0["s"], level0["max_rss_mb"]
    if not args.keep:
        shutil.rmtree(workdir / "results")
    return result


def growth_law(sizes, seconds) -> tuple[float, float]:
    """(a, b) of t = a N^b, least squares in log-log."""
    b, log_a = np.polyfit(np.log(sizes), np.log(seconds), 1)
    return float(np.exp(log_a)), float(b)


def print_growth(measured: dict, samples: int) -> None:
    """Growth laws t = a N^b per rule: over every measured size, and locally between the two largest
    (the one to extrapolate with: the O(N^3) and O(m N^2) terms take over from fixed costs as N grows),
    with the time that local law and the memory the cost model give at N = PREDICT_AT."""
    from rgcoarse.pipeline.costs import declared_mem_mb

    sizes = np.array(sorted(measured), dtype=float)
    print(f"\ngrowth laws t = a N^b over N = {', '.join(f'{int(n):,}' for n in sizes)} (all) and over the two "
          f"largest (local); predicted at N = {PREDICT_AT:,} by the local law (one job per node: the SLURM profile)")
    for rule in RULES:
        seconds = [measured[int(n)]["rules"][rule]["s"] for n in sizes]
        rss = [measured[int(n)]["rules"][rule]["max_rss_mb"] for n in sizes]
        _, b_all = growth_law(sizes, seconds)
        a, b = growth_law(sizes[-2:], seconds[-2:])
        _, b_rss = growth_law(sizes[-2:], rss[-2:])
        print(f"  {rule}: b = {b_all:.2f} (all), {b:.2f} (local); at {PREDICT_AT:,}: {a * PREDICT_AT**b / 3600:.1f} h "
              f"of job time; peak RSS grew locally as N^{b_rss:.2f}; the cost model declares "
              f"{declared_mem_mb(samples, PREDICT_AT) / 1024:,.0f} GB per job (its N x N matrices dominate there)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2048, 4096, 8192, 16384])
    parser.add_argument("--samples", type=int, default=20000)
    parser.add_argument("--group", type=int, default=16, help="features per planted group")
    parser.add_argument("--rho", type=float, default=0.3, help="pair correlation within a group")
    parser.add_argument("--seed", type=int, default=28)
    parser.add_argument("--cores", default="all")
    parser.add_argument("--keep", action="store_true", help="keep the scratch workflows (results removed)")
    args = parser.parse_args()
    from rgcoarse.pipeline.costs import available_memory_mb, declared_mem_mb

    scratch = Path(tempfile.mkdtemp(prefix="bench_scale_"))
    print(f"{args.samples} samples x N features, planted groups of {args.group} at rho = {args.rho}; "
          f"machine memory available {available_memory_mb():,} MB; snakemake --cores {args.cores}")
    print("| N | rule | coarse + observables (s) | coarse / observables (s) | peak RSS (MB) | declared mem_mb |")
    print("|---:|---|---:|---:|---:|---:|")
    measured = {}
    for n in args.sizes:
        result = run_size(n, args, scratch)
        if isinstance(result, str):
            print(f"| {n:,} | all | refused before any job | | | {declared_mem_mb(args.samples, n):,} |")
            print(f"  {result}")
            continue
        measured[n] = result
        for rule, row in result["rules"].items():
            stages = " / ".join(f"{s:.0f}" for s in row["stages"])
            print(f"| {n:,} | {rule} | {row['s']:.0f} | {stages} | {row['max_rss_mb']:,.0f} | "
                  f"{declared_mem_mb(args.samples, n):,} |", flush=True)
        print(f"  N = {n:,}: wall {result['wall']:.0f} s for the three rules (data job {result['data_s']:.0f} s; "
              f"the shared level-0 COD job {result['level0_s']:.0f} s, peak RSS {result['level0_rss_mb']:,.0f} MB)")
    if len(measured) >= 2:
        print_growth(measured, args.samples)
    if not args.keep:
        shutil.rmtree(scratch)


if __name__ == "__main__":
    main()
