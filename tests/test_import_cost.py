"""Parsing the workflow stays light: the plan and the registries import no kernel library.

Snakemake parses the Snakefile for every dry-run and, on a cluster, inside every job; the plan
(rgcoarse.pipeline.plan) and the registries it reads (pairing rules, panels, supplementary figures,
claim groups, nulls, planted structures, the glass package's constants) import numba, matplotlib
and SciPy's statistics only where a kernel runs (issue 28: fixed costs).
"""

import subprocess
import sys

import yaml
from conftest import REPO

HEAVY = ("numba", "matplotlib", "scipy.stats", "sklearn")  # PyWavelets stays: the WCRG check validates wavelet names
PARSE = """
import sys, yaml
from rgcoarse.pipeline.plan import Plan
import rgcoarse.paper.panels, rgcoarse.paper.supplementary, rgcoarse.paper.claim_groups
import rgcoarse.datasets.planted, rgcoarse.datasets.nulls, rgcoarse.pipeline.schema, rgcoarse.glass
Plan(yaml.safe_load(open(sys.argv[1])))
print(",".join(m for m in {heavy!r} if m in sys.modules))
"""


def test_building_the_plan_imports_no_kernel_library():
    proc = subprocess.run([sys.executable, "-c", PARSE.format(heavy=HEAVY), str(REPO / "config.yaml")],
                          capture_output=True, text=True, cwd=REPO, env={"PYTHONPATH": str(REPO / "lib"),
                                                                         "PATH": "/usr/bin:/bin"})
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "", f"parsing the workflow imported {proc.stdout.strip()}"


def test_the_lazy_glass_package_still_exports_every_name():
    import rgcoarse.glass as glass

    assert all(getattr(glass, name) is not None for name in glass.__all__)
    assert yaml  # the test module's own import, used by the subprocess above
