"""The lock file pins every declared dependency, and the conda env pins the same versions.

Fast and offline: reads pyproject.toml, requirements/lock.txt, envs/rgcoarse.yaml, README.md and
.ci/run only.
"""

import re
import tomllib
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

REPO = Path(__file__).resolve().parents[1]
LOCK = REPO / "requirements" / "lock.txt"
CONDA_ENV = REPO / "envs" / "rgcoarse.yaml"

# conda-forge names that differ from the PyPI names used in the lock
CONDA_TO_PYPI = {"snakemake-minimal": "snakemake"}
# listed in the conda env but not in the lock, on purpose: the interpreter and the installer
CONDA_UNPINNED = {"python", "pip"}


def _lock_pins() -> dict[str, Version]:
    pins = {}
    for line in LOCK.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        assert not line.startswith("-"), f"unexpected option line in lock file: {line!r}"
        req = Requirement(line)
        specs = list(req.specifier)
        assert len(specs) == 1 and specs[0].operator == "==", f"not an exact pin in lock file: {line!r}"
        pins[canonicalize_name(req.name)] = Version(specs[0].version)
    return pins


def _declared() -> list[Requirement]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    reqs = project["dependencies"] + project["optional-dependencies"]["test"]
    return [Requirement(r) for r in reqs]


def _conda_pins() -> list[tuple[str, str]]:
    """(name as written, spec string) for every package the conda env lists, conda and pip."""
    deps = yaml.safe_load(CONDA_ENV.read_text())["dependencies"]
    out = []
    for dep in deps:
        if isinstance(dep, dict):
            for pip_line in dep["pip"]:
                if pip_line.startswith("-"):  # -e .. (the project itself)
                    continue
                req = Requirement(pip_line)
                out.append((req.name, str(req.specifier)))
        else:
            m = re.fullmatch(r"([A-Za-z0-9_.\-]+)\s*(.*)", dep.strip())
            assert m, f"cannot parse conda dependency {dep!r}"
            out.append((m.group(1), m.group(2).strip()))
    return out


def test_lock_header_says_how_it_was_generated():
    head = LOCK.read_text().splitlines()[:3]
    assert any("uv pip compile pyproject.toml --extra test --python-version 3.11" in line for line in head)


def test_lock_pins_only_exact_versions_and_is_not_empty():
    assert len(_lock_pins()) > 20


@pytest.mark.parametrize("req", _declared(), ids=lambda r: r.name)
def test_declared_dependency_is_pinned_within_its_bound(req):
    pins = _lock_pins()
    name = canonicalize_name(req.name)
    assert name in pins, f"{req.name} (pyproject.toml) missing from {LOCK.name}"
    assert req.specifier.contains(pins[name], prereleases=True), (
        f"lock pins {req.name}=={pins[name]}, outside pyproject.toml's {req.specifier}"
    )


def test_conda_env_pins_equal_the_lock():
    pins = _lock_pins()
    seen = set()
    for written, spec in _conda_pins():
        name = canonicalize_name(CONDA_TO_PYPI.get(written, written))
        seen.add(name)
        if name == "python":
            assert spec in ("=3.11", "==3.11"), f"python must be pinned to 3.11 in the conda env, got {spec!r}"
            continue
        if name in CONDA_UNPINNED:
            continue
        m = re.fullmatch(r"==\s*(\S+)", spec)
        assert m, f"{written} is not pinned exactly in {CONDA_ENV.name}: {spec!r}"
        assert name in pins, f"{written} is pinned in {CONDA_ENV.name} but not in {LOCK.name}"
        assert Version(m.group(1)) == pins[name], (
            f"{written}: {CONDA_ENV.name} has {m.group(1)}, {LOCK.name} has {pins[name]}"
        )
    # every main dependency of pyproject.toml is in the conda env (the test extra need not be)
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    for dep in project["dependencies"]:
        assert canonicalize_name(Requirement(dep).name) in seen, f"{dep} missing from {CONDA_ENV.name}"


def test_ci_runs_the_readme_test_command_against_the_lock():
    readme = (REPO / "README.md").read_text()
    ci_commands = [
        line for line in (REPO / ".ci" / "run").read_text().splitlines() if "pip install" in line
    ]
    assert len(ci_commands) == 1
    assert "-c requirements/lock.txt" in ci_commands[0]
    assert f"\n{ci_commands[0]}\n" in readme
