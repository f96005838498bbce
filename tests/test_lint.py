"""Workflow hygiene: `snakemake --lint` is clean, and a failed job leaves no output behind."""

from conftest import REPO, copy_workflow, run_snakemake


def test_snakemake_lint_is_clean(tmp_path):
    directory = copy_workflow(tmp_path / "workflow", REPO / "config.yaml")
    proc = run_snakemake(directory, "--lint")
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, f"snakemake --lint failed:\n{output}"
    assert "Lints for" not in output, f"snakemake --lint reports problems:\n{output}"
    assert "Congratulations" in output, f"unexpected snakemake --lint output:\n{output}"


FAILING_SCRIPT = '''\
# Writes part of its output, then fails, like a job killed by an error half-way through.
with open(snakemake.output[0], "wb") as handle:
    handle.write(b"PAR1 partial")
raise RuntimeError("injected failure after a partial write")
'''


def test_failed_job_leaves_no_partial_output(tmp_path):
    directory = copy_workflow(tmp_path / "workflow")
    (directory / "workflow" / "scripts" / "gaussian_matrix.py").write_text(FAILING_SCRIPT)
    target = "results/data/gaussian/default.parquet"

    proc = run_snakemake(directory, "--cores", "1", target)

    output = proc.stdout + proc.stderr
    assert proc.returncode != 0, f"the injected failure did not fail the run:\n{output}"
    assert "injected failure" in output, f"the job's error is not reported:\n{output[-3000:]}"
    assert not (directory / target).exists(), "the failed job's partial output was left behind"
    assert not list((directory / "results").rglob("*.parquet")), "a failed run left data files"


def test_failed_rerun_leaves_no_stale_output(tiny_run_copy):
    """A job that fails on re-run (here: a damaged input table) leaves neither its old outputs,
    which would be stale, nor new partial ones."""
    damaged = tiny_run_copy / "results/observables/gaussian/default/projection/cod.parquet"
    damaged.write_bytes(b"not a parquet file")
    outputs = [tiny_run_copy / f"figures/fig1.{ext}" for ext in ("pdf", "png", "caption.txt")]
    assert all(path.exists() for path in outputs), "the tiny run should have drawn fig1"

    proc = run_snakemake(tiny_run_copy, "--cores", "1", "--forcerun", "paper_figure", "--", "figures/fig1.png")

    output = proc.stdout + proc.stderr
    assert proc.returncode != 0, f"drawing fig1 from a damaged table should fail:\n{output[-3000:]}"
    assert "Error in rule paper_figure" in output, f"the failing rule is not named:\n{output[-3000:]}"
    left = [str(path.relative_to(tiny_run_copy)) for path in outputs if path.exists()]
    assert not left, f"the failed job left outputs behind: {left}"
    assert (tiny_run_copy / "logs/figures/fig1.log").exists(), "the failed job's log should be kept"
