"""Shared fixtures: a scratch copy of the workflow so tests never touch the repo's results/."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
SNAKEMAKE = [sys.executable, "-m", "snakemake"]


@pytest.fixture
def workflow_copy(tmp_path):
    """A copy of Snakefile, workflow/ and config.yaml in a temporary directory."""
    shutil.copy(REPO / "Snakefile", tmp_path / "Snakefile")
    shutil.copy(REPO / "config.yaml", tmp_path / "config.yaml")
    shutil.copytree(REPO / "workflow", tmp_path / "workflow", ignore=shutil.ignore_patterns("__pycache__"))
    if (REPO / "profiles").is_dir():
        shutil.copytree(REPO / "profiles", tmp_path / "profiles")
    return tmp_path


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
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"snakemake {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}")
    return proc
