"""The information rule's coarse-graining against a baseline commit, in the same run (issue 28).

Each data matrix (a ``results/data/...parquet`` of a run, e.g. the default run's Ising at
T = 5.0 and glass p_hop at T = 0.4) is coarse-grained by the ``information`` rule with the
default config's options, by this checkout and by ``--baseline`` (a temporary git worktree),
alternately, ``--repeats`` times each in fresh processes. Prints the median times, their ratio,
and whether the two pairings are identical.

    python tests/benchmarks/bench_information_rule.py --baseline 73b9801 DATA.parquet [DATA.parquet ...]
"""

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CHILD = """
import json, sys, time, hashlib
import numpy as np
import yaml
from rgcoarse.io.datamatrix import read_data_matrix
from rgcoarse.coarse.coarse_grain import coarse_grain
config = yaml.safe_load(open(sys.argv[2]))["coarse_graining"]
options = dict(estimator=config["information_estimator"], beta=config["information_beta"],
               width=config["information_width"], bins=config["information_bins"])
values = read_data_matrix(sys.argv[1]).values
coarse_grain(values[:200, :64], "information", omega=config["omega"], min_variables=4, **options)  # compile numba
start = time.perf_counter()
levels = coarse_grain(values, "information", omega=config["omega"], min_variables=config["min_variables"], **options)
seconds = time.perf_counter() - start
pairs = np.concatenate([level.pairs.ravel() for level in levels]).astype(np.int64)
print(json.dumps({"seconds": seconds, "pairs": hashlib.sha256(pairs.tobytes()).hexdigest()}))
"""


def run(lib: Path, data: str) -> dict:
    proc = subprocess.run([sys.executable, "-c", CHILD, data, str(REPO / "config.yaml")], capture_output=True,
                          text=True, env={"PYTHONPATH": str(lib), "PATH": "/usr/bin:/bin"}, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="+", help="data matrices (Parquet) to coarse-grain")
    parser.add_argument("--baseline", required=True, help="commit to compare against")
    parser.add_argument("--repeats", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        baseline = Path(scratch) / "baseline"
        subprocess.run(["git", "-C", str(REPO), "worktree", "add", "-q", "--detach", str(baseline), args.baseline],
                       check=True)
        try:
            print("data | this checkout (s) | baseline (s) | baseline / this | same pairing")
            for data in args.data:
                times = {"this": [], "baseline": []}
                hashes = {}
                for _ in range(args.repeats):
                    for name, lib in (("baseline", baseline / "lib"), ("this", REPO / "lib")):
                        result = run(lib, data)
                        times[name].append(result["seconds"])
                        hashes[name] = result["pairs"]
                this, base = statistics.median(times["this"]), statistics.median(times["baseline"])
                print(f"{data} | {this:.1f} | {base:.1f} | {base / this:.2f} | {hashes['this'] == hashes['baseline']}",
                      flush=True)
        finally:
            subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(baseline)], check=False)


if __name__ == "__main__":
    main()
