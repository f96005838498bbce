"""A failing job leaves its traceback in its own log file under logs/ (not only on the console)."""

from pathlib import Path

import pytest
from conftest import copy_workflow, run_snakemake, run_workflow_script
from rgcoarse.pipeline.snakemake_job import script_job


def test_script_failure_is_logged_with_traceback(tmp_path):
    missing = tmp_path / "missing.parquet"
    log = tmp_path / "logs" / "coarse.log"
    job = script_job("coarse_grain", input=[missing], output=[tmp_path / "out.parquet"],
                     params={"omega": 2**-0.5, "min_variables": 4, "seed": 1, "options": {}},
                     wildcards={"dataset": "gaussian", "condition": "default", "method": "random"}, log=[log])
    log.parent.mkdir()
    with pytest.raises(Exception, match="file not found"):
        run_workflow_script("coarse_grain.py", job)
    text = log.read_text()
    assert "Traceback (most recent call last)" in text
    assert "file not found" in text and str(missing) in text
    assert not (tmp_path / "out.parquet").exists()


def test_failed_snakemake_job_log_holds_the_traceback(tmp_path):
    directory = copy_workflow(tmp_path / "workflow")
    data = "results/data/gaussian/default.parquet"
    run_snakemake(directory, "--cores", "1", data, check=True)
    Path(directory, data).write_bytes(b"not a parquet file")  # damaged after it was made
    proc = run_snakemake(directory, "--cores", "1", "results/coarse/gaussian/default/projection.parquet")
    assert proc.returncode != 0
    log = Path(directory, "logs/coarse/gaussian/default/projection.log").read_text()
    assert "Traceback (most recent call last)" in log, log
    assert "default.parquet" in log
