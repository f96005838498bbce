"""Shared fixtures: a scratch copy of the workflow so tests never touch the repo's results/."""

import os
import platform
import re
import runpy
import shutil
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

# The tiny run's recorded values (tests/fixtures/tiny_fingerprints.json) are bit-exact, and the
# CPU-dispatched kernels round differently on different CPUs: an AVX-512 machine's OpenBLAS
# products differ in the last bits from an AVX2 machine's, a near-tie in a pairing then flips,
# and every table downstream moves. So the tests pin the kernels to AVX2 (OpenBLAS' Haswell
# kernels, NumPy's loops up to X86_V3, numba's code for Haswell) on every x86-64 machine, before
# NumPy is loaded here or in a Snakemake job; a value set in the environment is kept.
PINNED_KERNELS = {"OPENBLAS_CORETYPE": "Haswell", "NPY_DISABLE_CPU_FEATURES": "X86_V4 AVX512_ICL AVX512_SPR",
                  "NUMBA_CPU_NAME": "haswell"}
if platform.machine() in ("x86_64", "AMD64"):
    for key, value in PINNED_KERNELS.items():
        os.environ.setdefault(key, value)

import pytest
import yaml
from filelock import FileLock

from rgcoarse.config.layers import layered_config

REPO = Path(__file__).resolve().parents[1]
SNAKEMAKE = [sys.executable, "-m", "snakemake"]


# The suite runs on two pytest-xdist workers, one test file at a time each (pyproject addopts:
# -n 2 --dist loadfile --no-loadscope-reorder, so files go out in this order rather than largest
# first). The SLURM cluster test mostly waits on the scheduler's status checks, so it starts
# first, on one worker, while the other works through the rest; the fast lock-file checks come
# next because that worker queues one more file behind the SLURM test.
FIRST_FILES = ("test_slurm_cluster.py", "test_lock.py")


def pytest_collection_modifyitems(items):
    def rank(item):
        return FIRST_FILES.index(item.path.name) if item.path.name in FIRST_FILES else len(FIRST_FILES)

    items.sort(key=rank)  # stable: the collection order within each group


@pytest.fixture
def workflow_copy(tmp_path):
    """A copy of Snakefile, workflow/ and config.yaml in a temporary directory."""
    shutil.copy(REPO / "Snakefile", tmp_path / "Snakefile")
    shutil.copy(REPO / "config.yaml", tmp_path / "config.yaml")
    shutil.copytree(REPO / "workflow", tmp_path / "workflow", ignore=shutil.ignore_patterns("__pycache__"))
    if (REPO / "profiles").is_dir():
        shutil.copytree(REPO / "profiles", tmp_path / "profiles")
    return tmp_path


def run_workflow_script(name: str, job) -> None:
    """Run ``workflow/scripts/<name>`` in-process on ``job`` (a ``snakemake`` object, see ``script_job``)."""
    runpy.run_path(str(REPO / "workflow" / "scripts" / name), init_globals={"snakemake": job}, run_name="__main__")


def load_config(directory: Path) -> dict:
    return yaml.safe_load((directory / "config.yaml").read_text())


def save_config(directory: Path, config: dict) -> None:
    (directory / "config.yaml").write_text(yaml.safe_dump(config, sort_keys=False))


def run_snakemake(directory: Path, *args: str, check: bool = False) -> subprocess.CompletedProcess:
    """Run the Snakemake CLI in ``directory``; returns the completed process (text output)."""
    proc = subprocess.run(
        SNAKEMAKE + ["--directory", str(directory), "--snakefile", str(directory / "Snakefile"), *args],
        capture_output=True,
        text=True,
        cwd=directory,
        umask=0o022,  # a typical login umask: outputs must then be readable by group and others
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"snakemake {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}")
    return proc


def dry_run_error(directory: Path) -> str | None:
    """``snakemake -n`` on ``directory``, run in this process: the text of the error that stops
    it (with its causes), or None if the dry-run passes.

    The same API calls as the CLI (read the Snakefile and config, build the DAG, dry-run), in
    about 0.1 s for a config the checks refuse instead of a 4 s Snakemake process; one test in
    tests/test_config.py checks that the CLI prints the same message and exits non-zero.
    """
    from snakemake.api import SnakemakeApi
    from snakemake.settings.enums import Quietness
    from snakemake.settings.types import ConfigSettings, DAGSettings, OutputSettings, ResourceSettings

    cwd = Path.cwd()
    try:
        with SnakemakeApi(OutputSettings(quiet={Quietness.ALL})) as api:
            workflow = api.workflow(resource_settings=ResourceSettings(cores=1), config_settings=ConfigSettings(),
                                    snakefile=directory / "Snakefile", workdir=directory)
            workflow.dag(DAGSettings()).execute_workflow(executor="dryrun")
    except Exception as exc:  # noqa: BLE001 (every error is a refusal; its text is the result)
        messages = []
        while exc is not None:
            messages.append(f"{type(exc).__name__}: {exc}")
            exc = exc.__cause__ or exc.__context__
        return "\n".join(messages)
    finally:
        os.chdir(cwd)
    return None


# --- Workflow runs shared by the report, re-run, profile and lint tests -------------------------

TINY_CONFIG = REPO / "tests" / "fixtures" / "tiny_config.yaml"


def copy_workflow(destination: Path, config: Path = TINY_CONFIG) -> Path:
    """Snakefile, workflow/, profiles/, envs/ and ``config`` (as config.yaml) copied to ``destination``.

    ``config`` other than the repo's config.yaml is an overlay (tests/fixtures/tiny_config.yaml):
    the copy's config.yaml is then the defaults with it laid over them (rgcoarse.config.layers).

    File times are kept (copy2): Snakemake re-runs a script rule whose script is newer than its
    outputs, so a copy made with fresh times would look out of date.
    """
    destination.mkdir(parents=True, exist_ok=True)
    shutil.copy2(REPO / "Snakefile", destination / "Snakefile")
    if Path(config).resolve() == (REPO / "config.yaml").resolve():
        shutil.copy2(config, destination / "config.yaml")
    else:  # an overlay: the copy's config.yaml is the defaults with the overlay laid over them
        merged = layered_config(REPO / "config.yaml", [config])
        (destination / "config.yaml").write_text(yaml.safe_dump(merged, sort_keys=False))
    for name in ("workflow", "profiles", "envs"):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, destination / name, ignore=shutil.ignore_patterns("__pycache__"))
    return destination


@pytest.fixture(scope="session")
def tiny_run(tmp_path_factory):
    """The whole pipeline, run once on tests/fixtures/tiny_config.yaml (about a minute on 2 cores).

    Shared by several tests: read it, never change it; ``tiny_run_copy`` gives a private copy.
    Under pytest-xdist the workers share one run: the first to ask makes it, under a file lock,
    in the session's common temporary directory.
    """
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):  # an xdist worker: its basetemp is <session>/popen-gw<n>
        shared = shared.parent
    directory = shared / "tiny_run" / "workflow"
    with FileLock(shared / "tiny_run.lock"):
        done = directory.parent / "finished"
        if not done.exists():
            if directory.exists():  # a worker that failed half-way
                shutil.rmtree(directory)
            copy_workflow(directory)
            run_snakemake(directory, "--cores", "2", check=True)
            done.touch()
    return directory


@pytest.fixture
def tiny_run_copy(tiny_run, tmp_path):
    """A private copy of the finished tiny run: results, figures and Snakemake's metadata."""
    destination = tmp_path / "tiny_run"
    shutil.copytree(tiny_run, destination, symlinks=True)
    return destination


@dataclass
class PlannedJob:
    """One job of a dry-run, as Snakemake prints it."""

    rule: str
    local: bool
    input: list = field(default_factory=list)
    output: list = field(default_factory=list)
    log: list = field(default_factory=list)
    benchmark: str | None = None
    wildcards: dict = field(default_factory=dict)
    threads: int = 1
    resources: dict = field(default_factory=dict)
    reason: str = ""
    priority: int = 0


_JOB_HEADER = re.compile(r"^(local)?(?:rule|checkpoint) (\w+):$")


def _split_pairs(text: str) -> dict:
    pairs = {}
    for item in text.split(", "):
        key, sep, value = item.partition("=")
        if sep:
            pairs[key.strip()] = value.strip()
    return pairs


def job_stats(text: str) -> dict:
    """The ``Job stats`` table of a dry-run as {rule: count} (empty when nothing is to be done)."""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.strip() == "Job stats:":
            counts = {}
            for row in lines[i + 3 :]:
                parts = row.split()
                if len(parts) != 2 or not parts[1].isdigit():
                    break
                counts[parts[0]] = int(parts[1])
            counts.pop("total", None)
            return counts
    return {}


def planned_jobs(text: str) -> list:
    """The jobs of a dry-run's output (``snakemake -n``): rule, outputs, wildcards, resources.

    Cross-checked against the dry-run's own ``Job stats`` table, so that a change in Snakemake's
    output format fails loudly instead of yielding a wrong job list.
    """
    jobs, current = [], None
    for line in text.splitlines():
        header = _JOB_HEADER.match(line)
        if header:
            current = PlannedJob(rule=header.group(2), local=bool(header.group(1)))
            jobs.append(current)
            continue
        if current is None:
            continue
        if not line.startswith("    "):
            current = None
            continue
        key, _, value = line.strip().partition(": ")
        if key in ("input", "output", "log"):
            setattr(current, key, value.split(", "))
        elif key == "benchmark":
            current.benchmark = value
        elif key == "wildcards":
            current.wildcards = _split_pairs(value)
        elif key == "threads":
            current.threads = int(value)
        elif key == "priority":
            current.priority = int(value)
        elif key == "resources":
            current.resources = _split_pairs(value)
        elif key == "reason":
            current.reason = value
    counted = Counter(job.rule for job in jobs)
    stats = job_stats(text)
    if counted != Counter(stats):
        raise AssertionError(
            f"dry-run parse mismatch: parsed jobs {dict(counted)} but Job stats say {stats}\n{text[-3000:]}"
        )
    return jobs


def dry_run(directory: Path, *args: str) -> list:
    """``snakemake -n`` in ``directory``: the jobs it would run (see ``planned_jobs``)."""
    proc = run_snakemake(directory, "--dry-run", *args)
    output = proc.stdout + proc.stderr
    if proc.returncode != 0:
        raise AssertionError(f"snakemake --dry-run {' '.join(args)} failed:\n{output[-5000:]}")
    return planned_jobs(output)
