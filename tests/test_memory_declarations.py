"""Each analysis job declares its dataset's memory from the cost model; what cannot fit stops before work (issue 28)."""

import copy
import types

import pytest
import yaml
from conftest import REPO, run_snakemake
from rgcoarse.config.validation import ConfigError
from rgcoarse.pipeline import costs
from rgcoarse.pipeline.plan import Plan

DEFAULTS = yaml.safe_load((REPO / "config.yaml").read_text())


def plan_with(change=lambda config: None):
    config = copy.deepcopy(DEFAULTS)
    change(config)
    return Plan(config)


def job(dataset, condition):
    return types.SimpleNamespace(dataset=dataset, condition=condition)


def test_declared_memory_is_the_cost_model_of_each_dataset():
    plan = plan_with()
    ising = DEFAULTS["ising"]
    # 600 MB + 8 bytes x max(5.5 m N + N^2, 2.5 m N + 5 N^2), by hand for the Ising default (m = 4000, N = 64^2):
    # the matrix phase is the larger there
    n = ising["lattice_size"] ** 2
    by_hand = 600 + -(-8 * max(5.5 * ising["n_samples"] * n + n * n, 2.5 * ising["n_samples"] * n + 5 * n * n) // 2**20)
    assert plan.analysis_mem_mb(job("ising", "T2.300")) == by_hand == 1553
    gaussian = DEFAULTS["gaussian"]
    assert plan.analysis_mem_mb(job("gaussian", "default")) == costs.declared_mem_mb(gaussian["n_samples"],
                                                                                     gaussian["n_features"])
    # The glass: frames of the production run (600 tau of dt 0.005, a frame every dump_every steps) x particles.
    condition = plan.glass_run_conditions()[0]
    stage = plan.glass_production_stage(condition)
    frames = stage["n_steps"] // stage["dump_every"] + 1
    assert plan.analysis_mem_mb(job("glass", condition)) == costs.declared_mem_mb(frames, DEFAULTS["glass"]["n_particles"])
    assert plan.analysis_mem_mb(job("glass-shift", condition)) == plan.analysis_mem_mb(job("glass", condition))
    assert plan.largest_analysis_mem_mb() == (1553, plan.largest_analysis_mem_mb()[1])
    assert plan.largest_analysis_mem_mb()[1].startswith("ising ")


def test_declared_memory_covers_the_measured_peaks():
    """Measured peak RSS, MB (Snakemake benchmark files; tests/benchmarks/bench_scale.py, docs/performance.md)."""
    assert costs.declared_mem_mb(4000, 4096) > 800  # the Ising default
    # 20,000 samples; the largest job at each N, bench_scale.py at eac1688
    for n_features, peak in ((2048, 1655), (4096, 2947), (8192, 5345), (16384, 10765)):
        assert costs.declared_mem_mb(20000, n_features) > peak


def test_a_dataset_one_job_cannot_fit_is_refused_naming_it_and_the_estimate():
    plan = plan_with()
    plan.check_machine_memory(24000, "this machine has available")  # the defaults fit a 24 GB machine
    with pytest.raises(ConfigError, match=r"dataset ising T\d\.\d+: one analysis job needs about 1,553 MB.*1,000 MB"):
        plan.check_machine_memory(1000, "this machine has available")
    with pytest.raises(ConfigError, match=r"dataset gaussian \(default\).*needs about [\d,]+ MB per analysis job"):
        plan_with(lambda c: c["gaussian"].update(n_features=30000, n_samples=100))


def test_available_memory_reads_meminfo(tmp_path):
    meminfo = tmp_path / "meminfo"
    meminfo.write_text("MemTotal:       24576000 kB\nMemFree:  100 kB\nMemAvailable:   20480000 kB\n")
    assert costs.available_memory_mb(str(meminfo)) == 20000
    assert costs.available_memory_mb(str(tmp_path / "absent")) > 0  # the physical total instead


def test_snakemake_refuses_a_run_whose_job_exceeds_the_memory_it_may_use(workflow_copy):
    proc = run_snakemake(workflow_copy, "-n", "--quiet", "--cores", "1", "--resources", "mem_mb=1500")
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert "dataset ising" in output and "1,553 MB" in output and "--resources mem_mb" in output, output[-2000:]
