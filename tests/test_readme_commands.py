"""The commands of the README and of the docs pages work as written.

Every `snakemake ...` command that README.md or a page docs/*.md shows (in its bash code blocks and
in inline code) is read from the page, not copied here, and dry-run in a copy of the workflow with
the default config.yaml (a command shown on several pages is run once, under the first page that
shows it). The README's install command is run as written, in a fresh venv without the test
extra, and then the commands of a finished run (the report) are run with that venv's snakemake.
"""

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, copy_workflow, planned_jobs, run_snakemake

README = REPO / "README.md"
# The pages whose commands are tested: the README and every page of docs/ (not docs/*/: those are
# tables written by the pipeline).
PAGES = [README, *sorted((REPO / "docs").glob("*.md"))]
# The snakemake the README's commands call: the entry point of the venv running the tests.
SNAKEMAKE_EXE = Path(sys.executable).with_name("snakemake")


def readme_command_lines(text: str) -> list:
    """Command lines as a page shows them: every line of its ```bash blocks (indented ones too, as
    in a list item), then every inline code span that is a snakemake command (e.g. the SLURM steps)."""
    lines = []
    for block in re.findall(r"^[ \t]*```bash\n(.*?)^[ \t]*```", text, re.S | re.M):
        lines += [line.strip() for line in block.splitlines() if line.strip()]
    prose = re.sub(r"^[ \t]*```.*?^[ \t]*```", "", text, flags=re.S | re.M)
    lines += [span for span in re.findall(r"`([^`\n]+)`", prose) if span.startswith("snakemake ")]
    return lines


def split_commands(line: str) -> list:
    """The commands of one shell line (comments dropped, split at &&), each as a list of words."""
    commands, current = [], []
    for word in shlex.split(line, comments=True):
        if word == "&&":
            commands.append(current)
            current = []
        else:
            current.append(word)
    return [command for command in commands + [current] if command]


def page_snakemake_commands(page: Path) -> list:
    """Every distinct `snakemake ...` command of one page, in order of appearance."""
    seen = {}
    for line in readme_command_lines(page.read_text()):
        for command in split_commands(line):
            if command[0] == "snakemake":
                seen.setdefault(shlex.join(command), command)
    return list(seen.values())


def readme_snakemake_commands() -> list:
    """Every distinct `snakemake ...` command of the README and the docs pages, in order of
    appearance (README first), each with the first page that shows it: ``(page, command)``."""
    seen = {}
    for page in PAGES:
        for command in page_snakemake_commands(page):
            seen.setdefault(shlex.join(command), (page, command))
    return list(seen.values())


PAGE_COMMANDS = readme_snakemake_commands()
COMMANDS = [command for _, command in PAGE_COMMANDS]


def skip_reason(command: list) -> str | None:
    """Why a README command cannot be dry-run here, or None."""
    if re.search(r"<[^>]+>", shlex.join(command)):
        return "has a placeholder for the user to fill in"
    if "--report" in command:
        return "needs a finished run (test_readme_install_then_report runs it on one)"
    return None


def as_dry_run(command: list) -> list:
    """The command with -n added (a SLURM command is checked as a dry-run: nothing is submitted)."""
    return command if {"-n", "--dry-run"} & set(command) else [command[0], "-n", *command[1:]]


def test_readme_shows_the_commands_this_file_tests():
    """The parser finds the commands it should across the README and the docs pages (so a parser
    bug cannot skip them silently), and the README itself shows the main one."""
    shown = {shlex.join(command) for command in COMMANDS}
    for expected in (
        "snakemake --cores all",
        "snakemake -n --config 'figures={dpi: 300, method: projection}'",
        "snakemake --report report.html",
        "snakemake --profile profiles/slurm -n --cores 1024",
    ):
        assert expected in shown, f"{expected!r} not found among the commands of README.md and docs/*.md: {sorted(shown)}"
    in_readme = {shlex.join(command) for command in page_snakemake_commands(README)}
    assert "snakemake --cores all" in in_readme, f"README.md should show the main command: {sorted(in_readme)}"


def test_command_parser_reads_blocks_inline_code_and_list_items():
    """The parser on a made-up page: bash blocks (also indented in a list), inline snakemake code,
    comments and && split; other languages' blocks and other inline code are not commands."""
    page = (
        "Run `snakemake -n a` or `python x.py`.\n\n"
        "```bash\nsnakemake --cores 1 b   # one target\n```\n\n"
        "1. In a list:\n\n   ```bash\n   pip install x && snakemake c\n   ```\n\n"
        "```yaml\nkey: snakemake d\n```\n"
    )
    lines = readme_command_lines(page)
    commands = [shlex.join(c) for line in lines for c in split_commands(line) if c[0] == "snakemake"]
    assert commands == ["snakemake --cores 1 b", "snakemake c", "snakemake -n a"], commands


@pytest.fixture(scope="module")
def default_workflow(tmp_path_factory):
    """A copy of the workflow with the real config.yaml and configs/ (the README's --configfile)."""
    directory = copy_workflow(tmp_path_factory.mktemp("readme") / "wf", REPO / "config.yaml")
    shutil.copytree(REPO / "configs", directory / "configs")
    return directory


def run_readme_command(directory: Path, command: list, snakemake: Path = SNAKEMAKE_EXE) -> subprocess.CompletedProcess:
    """``command`` (starting with `snakemake`) run in ``directory`` as a user would type it."""
    program = [str(snakemake)] if snakemake.is_file() else [sys.executable, "-m", "snakemake"]
    return subprocess.run(program + command[1:], capture_output=True, text=True, cwd=directory)


def page_name(page: Path) -> str:
    return str(page.relative_to(REPO))


@pytest.mark.parametrize(("page", "command"), PAGE_COMMANDS, ids=[f"{page_name(p)}: {shlex.join(c)}" for p, c in PAGE_COMMANDS])
def test_readme_snakemake_command_dry_runs(default_workflow, page, command):
    reason = skip_reason(command)
    if reason:
        pytest.skip(f"`{shlex.join(command)}` {reason}")
    dry = as_dry_run(command)
    proc = run_readme_command(default_workflow, dry)
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, f"{page_name(page)} command `{shlex.join(dry)}` failed (exit {proc.returncode}):\n{output[-4000:]}"
    assert planned_jobs(output), f"{page_name(page)}: `{shlex.join(dry)}` planned no jobs on a fresh copy:\n{output[-2000:]}"


# --- Nested --config values (the README's "see what a change would re-run") -------------------


def test_nested_config_override_keeps_types_and_the_rest_of_the_section(tiny_run_copy):
    """`--config 'figures={...}'` is merged into the section and read as YAML, as in config.yaml.

    On a finished run: the config's own value changes nothing (a string '50' would fail the
    schema, and a section replaced instead of merged would lose its panels); another dpi re-draws
    the figures only; a nested panel setting re-draws that panel only.
    """
    same = run_snakemake(tiny_run_copy, "-n", "--config", "figures={dpi: 50, method: projection}")
    assert same.returncode == 0, f"the config's own values were rejected:\n{same.stdout}{same.stderr}"
    assert "Nothing to be done" in same.stdout + same.stderr, f"same values re-run jobs:\n{same.stdout[-3000:]}"

    proc = run_snakemake(tiny_run_copy, "-n", "--config", "figures={dpi: 300}")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    rules = {job.rule for job in planned_jobs(proc.stdout + proc.stderr)} - {"all"}
    assert "paper_figure" in rules, f"a new dpi should re-draw the paper figures, plans {rules}"
    figure_rules = {"paper_figure", "supplementary_figure", "supp_pairing_rules", "glass_validation_figure", "planted_benchmark", "rmi_figure", "wcrg_figure", "bayes_rg_figure"}
    assert rules <= figure_rules, (
        f"a new dpi should re-draw figures only, plans {rules}"
    )

    proc = run_snakemake(tiny_run_copy, "-n", "--config", "figures={fig2c: {temperature: 2.3}}")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    jobs = [job for job in planned_jobs(proc.stdout + proc.stderr) if job.rule != "all"]
    assert [(job.rule, job.wildcards) for job in jobs] == [("paper_figure", {"panel": "fig2c"})], (
        f"fig2c's temperature should re-draw fig2c only: {[(job.rule, job.wildcards) for job in jobs]}"
    )


def test_nested_config_override_keeps_strings(default_workflow):
    """Text values stay text (an enum and a command line with braces), null becomes None."""
    proc = run_readme_command(
        default_workflow,
        ["snakemake", "-n", "--config", "coarse_graining={projection_order: greedy}",
         "glass={lammps_command: 'srun lmp_mpi -in {tasks}', start_from: null}"],
    )  # fmt: skip
    assert proc.returncode == 0, f"string and null overrides were rejected:\n{(proc.stdout + proc.stderr)[-3000:]}"


# --- The README's install, then the commands of a finished run --------------------------------

NETWORK_ERRORS = (
    "NewConnectionError", "Failed to establish a new connection", "Temporary failure in name resolution",
    "Name or service not known", "Network is unreachable", "ProxyError", "ConnectTimeoutError",
    "Connection refused", "No route to host",
)  # fmt: skip


def readme_install_commands() -> list:
    """The install part of the README's "Run the main job" line: everything before `snakemake`."""
    for line in readme_command_lines(README.read_text()):
        commands = split_commands(line)
        words = [command[0] for command in commands]
        if "pip" in words and "snakemake" in words:
            return commands[: words.index("snakemake")]
    raise AssertionError("README.md has no install-and-run line (pip install ... && snakemake ...)")


def source_copy(destination: Path) -> Path:
    """The repository's files (as a clone would have them, without .venv or results) at ``destination``."""
    listed = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=REPO, capture_output=True, text=True
    )
    if listed.returncode != 0:  # not a git checkout: copy everything but the obvious non-sources
        skip = shutil.ignore_patterns(".git", ".venv", "results", "logs", "benchmarks", ".snakemake", "__pycache__")
        shutil.copytree(REPO, destination, ignore=skip)
        return destination
    for name in filter(None, listed.stdout.split("\0")):
        source = REPO / name
        if source.is_file():
            (destination / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination / name)
    return destination


@pytest.mark.slow
def test_readme_install_then_report(tiny_run_copy, tmp_path):
    """After the README's own install (no test extra), `snakemake --report report.html` and a
    dry-run work. The install runs exactly as the README writes it, in a copy of the sources."""
    install = readme_install_commands()
    assert [command[0] for command in install] == ["python3", ".", "pip"], f"unexpected install line: {install}"
    assert not any("test" in word for word in install[-1]), f"the main install should not add the test extra: {install}"
    clone = source_copy(tmp_path / "clone")
    script = " && ".join(shlex.join(command) for command in install)
    env = {key: value for key, value in os.environ.items() if key not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")}
    proc = subprocess.run(["bash", "-c", script], cwd=clone, capture_output=True, text=True, env=env, timeout=1800)
    output = proc.stdout + proc.stderr
    if proc.returncode != 0:
        offline = [marker for marker in NETWORK_ERRORS if marker in output]
        if offline and os.environ.get("CI") != "true":
            pytest.skip(f"the README's install could not reach the package index ({offline[0]}): {output[-500:]}")
        raise AssertionError(f"the README's install `{script}` failed:\n{output[-5000:]}")
    snakemake = clone / ".venv" / "bin" / "snakemake"
    assert snakemake.is_file(), f"the README's install made no snakemake executable:\n{output[-2000:]}"

    for command in COMMANDS:
        if "--report" in command:
            report = tiny_run_copy / command[command.index("--report") + 1]
            proc = run_readme_command(tiny_run_copy, command, snakemake)
            assert proc.returncode == 0, f"`{shlex.join(command)}` failed after the README's install:\n{(proc.stdout + proc.stderr)[-4000:]}"
            assert report.is_file() and "var results" in report.read_text(), f"`{shlex.join(command)}` wrote no report"
            break
    else:
        raise AssertionError("neither the README nor the docs show a `snakemake --report` command")

    proc = run_readme_command(tiny_run_copy, ["snakemake", "-n"], snakemake)
    assert proc.returncode == 0, f"a dry-run failed after the README's install:\n{(proc.stdout + proc.stderr)[-4000:]}"
