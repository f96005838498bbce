"""The docs cannot drift from the repository: the layout table, links, generated pages, numbers.

* docs/layout.md's table lists every top-level entry, every folder of workflow/ and every
  subpackage of lib/rgcoarse/, and every path it lists exists (outputs of a run aside);
* every relative link of README.md and docs/*.md points at an existing file (and heading);
* docs/configuration.md is what rgcoarse.pipeline.config_docs makes of config.yaml;
* every number marked in the pages is what rgcoarse.pipeline.doc_numbers writes from the tables.

Each checker is also run on made-up input, so that it is seen to fail when it should.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pandas as pd
import pytest
from conftest import REPO

from rgcoarse.pipeline import config_docs, doc_numbers

README = REPO / "README.md"
DOCS = REPO / "docs"
PAGES = [README, *sorted(DOCS.glob("*.md"))]
LAYOUT_PAGE = DOCS / "layout.md"
OUTPUT_MARK = "*(output)*"  # a layout row whose "holds" starts with this is made by a run
OUTPUTS = {"results", "figures"}  # outputs the table must list (as outputs)
README_MAX_LINES = 200


def page_id(page: Path) -> str:
    return str(page.relative_to(REPO))


# --- The layout table -------------------------------------------------------------------------


def layout_rows(text: str) -> list[tuple[str, str]]:
    """``(path, holds)`` of every row of the page's ``| path | holds |`` table (path without its
    backticks)."""
    lines = text.splitlines()
    for start, line in enumerate(lines):
        if re.fullmatch(r"\|\s*path\s*\|\s*holds\s*\|", line.strip()):
            break
    else:
        raise AssertionError("no `| path | holds |` table")
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        cells = [cell.strip() for cell in line.strip().strip("|").split("|", 1)]
        path = cells[0]
        assert re.fullmatch(r"`[^`]+`", path), f"a layout row's path should be one path in backticks: {line!r}"
        rows.append((path.strip("`"), cells[1] if len(cells) > 1 else ""))
    return rows


def layout_problems(rows, required: set[str], exists, outputs: set[str] = OUTPUTS) -> list[str]:
    """What is wrong with the layout ``rows`` for a tree: a listed path that does not exist (unless
    marked as an output), a ``required`` path not listed, an output not marked as one.

    Paths compare without a trailing slash; ``exists(path)`` says whether a path is in the tree."""
    problems = []
    listed = {}
    for path, holds in rows:
        key = path.rstrip("/")
        if key in listed:
            problems.append(f"{path} is listed twice")
        listed[key] = holds.startswith(OUTPUT_MARK)
        if not listed[key] and not exists(key):
            problems.append(f"{path} is in the table but not in the tree (mark outputs with {OUTPUT_MARK})")
    for path in sorted(required - set(listed)):
        problems.append(f"{path} is in the tree but not in the table")
    for path in sorted(outputs):
        if path not in listed:
            problems.append(f"the output {path}/ is not in the table")
        elif not listed[path]:
            problems.append(f"{path}/ is an output of a run: its row should start with {OUTPUT_MARK}")
    return problems


def repository_files(root: Path) -> list[str]:
    """The repository's files as a clone would have them: tracked and new (not ignored) files that
    exist in the working tree."""
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=root, capture_output=True, text=True)
    if listed.returncode != 0:
        pytest.skip(f"not a git checkout: {listed.stderr.strip()}")
    return [name for name in listed.stdout.split("\0") if name and (root / name).exists()]


def required_layout_paths(root: Path, files: list[str]) -> set[str]:
    """Every top-level entry (dotfiles aside), every folder of workflow/, every subpackage of
    lib/rgcoarse/ (a folder with an __init__.py)."""
    required = {name.split("/")[0] for name in files if not name.startswith(".")}
    required |= {"/".join(name.split("/")[:2]) for name in files if name.startswith("workflow/") and name.count("/") >= 2}
    package = root / "lib" / "rgcoarse"
    required |= {f"lib/rgcoarse/{d.name}" for d in package.iterdir() if (d / "__init__.py").is_file()}
    return required


def test_layout_table_matches_the_tree():
    rows = layout_rows(LAYOUT_PAGE.read_text())
    required = required_layout_paths(REPO, repository_files(REPO))
    problems = layout_problems(rows, required, exists=lambda path: (REPO / path).exists())
    assert not problems, f"{page_id(LAYOUT_PAGE)}'s layout table does not match the tree:\n" + "\n".join(problems)


def test_layout_checker_fails_on_a_wrong_table(tmp_path):
    (tmp_path / "lib" / "rgcoarse" / "io").mkdir(parents=True)
    (tmp_path / "lib" / "rgcoarse" / "io" / "__init__.py").write_text("")
    (tmp_path / "lib" / "rgcoarse" / "stats").mkdir()  # a subpackage the table forgets
    (tmp_path / "lib" / "rgcoarse" / "stats" / "__init__.py").write_text("")
    (tmp_path / "lib" / "rgcoarse" / "__pycache__").mkdir()  # not a subpackage
    (tmp_path / "workflow" / "rules").mkdir(parents=True)
    (tmp_path / "Snakefile").write_text("")
    (tmp_path / "README.md").write_text("")
    files = ["Snakefile", "README.md", "workflow/rules/a.smk", "lib/rgcoarse/io/__init__.py", "lib/rgcoarse/stats/__init__.py"]
    table = "\n".join([
        "| path | holds |", "|---|---|",
        "| `Snakefile` | the workflow |",
        "| `workflow/` | rules |",
        "| `workflow/rules/` | rule files |",
        "| `lib/` | source |",
        "| `lib/rgcoarse/io/` | files |",
        "| `configs/` | gone from the tree |",
        "| `results/` | *(output)* tables |",
        "| `figures/` | figures, not marked as an output |",
        "", "text after the table",
    ])  # fmt: skip
    rows = layout_rows(table)
    assert [path for path, _ in rows][:2] == ["Snakefile", "workflow/"] and len(rows) == 8
    problems = layout_problems(rows, required_layout_paths(tmp_path, files), exists=lambda p: (tmp_path / p).exists())
    assert problems == [
        "configs/ is in the table but not in the tree (mark outputs with *(output)*)",
        "figures/ is in the table but not in the tree (mark outputs with *(output)*)",
        "README.md is in the tree but not in the table",
        "lib/rgcoarse/stats is in the tree but not in the table",
        "figures/ is an output of a run: its row should start with *(output)*",
    ], problems
    # the same tree with a right table has nothing to report
    right = [row for row in rows if row[0] not in ("configs/", "figures/")]
    right += [("README.md", "front door"), ("lib/rgcoarse/stats/", "statistics"), ("figures/", "*(output)* figures")]
    assert layout_problems(right, required_layout_paths(tmp_path, files), exists=lambda p: (tmp_path / p).exists()) == []


# --- Links ------------------------------------------------------------------------------------

FENCE = re.compile(r"^[ \t]*```.*?^[ \t]*```[^\n]*$", re.S | re.M)
CODE = re.compile(rf"{FENCE.pattern}|`[^`\n]+`", re.S | re.M)
LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
HTML_LINK = re.compile(r"""<(?:img|a|source)\b[^>]*?\b(?:src|href)\s*=\s*["']([^"']+)["']""", re.I)
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$", re.M)


def heading_anchor(heading: str) -> str:
    """GitHub's anchor of a heading: its text (no markup) lower-cased, punctuation but - and _
    dropped, spaces as hyphens."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link's text
    text = re.sub(r"<[^>]+>", "", text).replace("`", "").replace("*", "")
    text = "".join(char for char in text.lower() if char in " -_" or unicodedata.category(char)[0] in "LN")
    return text.replace(" ", "-")


def anchors(text: str) -> set[str]:
    """Every heading anchor of a page (a repeated heading gets -1, -2, ... as on GitHub)."""
    seen, out = {}, set()
    for _, heading in HEADING.findall(FENCE.sub("", text)):
        anchor = heading_anchor(heading)
        count = seen.get(anchor, 0)
        seen[anchor] = count + 1
        out.add(anchor if count == 0 else f"{anchor}-{count}")
    return out


def relative_links(text: str) -> list[str]:
    """The link targets of a page that are not URLs: markdown links and images, and HTML src/href,
    outside code."""
    prose = CODE.sub("", text)
    targets = LINK.findall(prose) + HTML_LINK.findall(prose)
    return [t for t in targets if not re.match(r"^[a-z][a-z0-9+.-]*:", t, re.I)]


def broken_links(page: Path, text: str, root: Path) -> list[str]:
    """The relative links of ``page`` (its ``text``) that point at no file, or at no heading of it."""
    broken = []
    for target in relative_links(text):
        path, _, anchor = target.partition("#")
        destination = (page.parent / path).resolve() if path else page
        if not destination.exists():
            broken.append(f"{target}: no such file")
        elif root.resolve() not in destination.resolve().parents and destination.resolve() != root.resolve():
            broken.append(f"{target}: outside the repository")
        elif anchor and destination.suffix == ".md":
            heads = anchors(text if destination == page else destination.read_text())
            if anchor not in heads:
                broken.append(f"{target}: no heading #{anchor} in {destination.name}")
    return broken


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_relative_links_resolve(page):
    broken = broken_links(page, page.read_text(), REPO)
    assert not broken, f"{page_id(page)} has broken links:\n" + "\n".join(broken)


def test_link_checker_fails_on_broken_links(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "other.md").write_text("# Other page\n\n## A `code` heading: here\n")
    (tmp_path / "docs" / "figure.png").write_bytes(b"")
    page = tmp_path / "docs" / "page.md"
    page.write_text(text := "\n".join([
        "# Page", "",
        "[ok](other.md) [ok anchor](other.md#a-code-heading-here) [own](#page) ![img](figure.png)",
        '<img src="figure.png" width="100"> [web](https://example.org/missing.md)',
        "[missing](nothing.md) [bad anchor](other.md#nowhere) [own bad](#elsewhere)",
        '<img src="missing.png">', "`[in code](nothing_either.md)`",
        "```text", "[in a block](nor_this.md)", "```",
    ]))  # fmt: skip
    assert broken_links(page, text, tmp_path) == [
        "nothing.md: no such file",
        "other.md#nowhere: no heading #nowhere in other.md",
        "#elsewhere: no heading #elsewhere in page.md",
        "missing.png: no such file",
    ]


def test_heading_anchors_as_github_writes_them():
    assert heading_anchor("The glass model, as read from the paper") == "the-glass-model-as-read-from-the-paper"
    assert heading_anchor("`glass_sensitivity`") == "glass_sensitivity"
    assert heading_anchor("What each pairing rule recovers: the planted benchmark") == (
        "what-each-pairing-rule-recovers-the-planted-benchmark"
    )
    assert heading_anchor("Running on a cluster (SLURM)") == "running-on-a-cluster-slurm"
    assert anchors("# A\n## A\n```\n# not a heading\n```\n") == {"a", "a-1"}


# --- The README is a front door ---------------------------------------------------------------


def test_readme_is_short_and_links_every_docs_page():
    text = README.read_text()
    assert len(text.splitlines()) <= README_MAX_LINES, f"README.md has {len(text.splitlines())} lines (at most {README_MAX_LINES})"
    linked = {Path(target.partition("#")[0]).name for target in relative_links(text)}
    unlinked = [page.name for page in sorted(DOCS.glob("*.md")) if page.name not in linked]
    assert not unlinked, f"README.md links no page {unlinked}"


# --- docs/configuration.md from config.yaml ---------------------------------------------------


def test_configuration_page_is_generated_from_config_yaml():
    expected = config_docs.render((REPO / "config.yaml").read_text())
    page = DOCS / "configuration.md"
    assert page.is_file() and page.read_text() == expected, (
        "docs/configuration.md is not what config.yaml gives: run `python -m rgcoarse.pipeline.config_docs`"
    )


SMALL_CONFIG = """\
# Header of the file.
# Second header line.

# Master seed.
seed: 7

# The model (a section).
#   example: {a: 1}
model:
  size: 64            # L; N = L^2
  # Temperatures, J/k_B.
  temperatures: [1.0, 2.0]
  mode: pair          # pair: r = 2.5 s_ab;
                      # aa: r = 2.5 s_aa (the 'literal' one) | other
  label: "a # not a comment"   # a label
  overrides:          # per temperature
    "0.4": {start: 0.47}
  empty:
  list:
    - 1
    - 2
  nested:
    deep: <= 3
"""


def test_config_keys_of_a_small_file():
    keys = {key.dotted: key for key in config_docs.config_keys(SMALL_CONFIG)}
    assert list(keys) == ["seed", "model", "model.size", "model.temperatures", "model.mode", "model.label",
                          "model.overrides", 'model.overrides."0.4"', "model.empty", "model.list",
                          "model.nested", "model.nested.deep"]  # fmt: skip
    assert (keys["seed"].default, keys["seed"].comment) == ("7", "Master seed.")
    assert keys["model"].default is None and keys["model"].above == ("The model (a section).", "  example: {a: 1}")
    assert (keys["model.size"].default, keys["model.size"].comment) == ("64", "L; N = L^2")
    assert (keys["model.temperatures"].default, keys["model.temperatures"].comment) == ("[1.0, 2.0]", "Temperatures, J/k_B.")
    assert keys["model.mode"].comment == "pair: r = 2.5 s_ab; aa: r = 2.5 s_aa (the 'literal' one) | other"
    assert (keys["model.label"].default, keys["model.label"].comment) == ('"a # not a comment"', "a label")
    assert keys["model.overrides"].default is None and keys["model.overrides"].comment == "per temperature"
    assert keys['model.overrides."0.4"'].default == "{start: 0.47}"
    assert keys["model.empty"].default == "null" and keys["model.list"].default == "[1, 2]"
    assert config_docs.header_comment(SMALL_CONFIG) == ("Header of the file.", "Second header line.")
    assert config_docs.undocumented_keys(SMALL_CONFIG) == ['model.overrides."0.4"', "model.empty", "model.list",
                                                           "model.nested", "model.nested.deep"]  # fmt: skip


def test_config_page_of_a_small_file():
    page = config_docs.render(SMALL_CONFIG, source="small.yaml")
    assert page.startswith("# Configuration: every key of `config.yaml`\n")
    assert "> Header of the file.\n> Second header line.\n" in page
    assert "## `seed`\n\nMaster seed.\n\nDefault: `7`.\n" in page
    assert "## `model`\n\nThe model (a section).\n\n```text\nexample: {a: 1}\n```\n" in page
    assert "| `model.size` | `64` | L; N = L^2 |" in page
    assert "| `model.temperatures` | `[1.0, 2.0]` | Temperatures, J/k_B. |" in page
    assert "| `model.mode` | `pair` | pair: r = 2.5 s_ab; aa: r = 2.5 s_aa (the 'literal' one) \\| other |" in page
    assert '| `model.overrides."0.4"` | `{start: 0.47}` |  |' in page
    assert f"| `model.nested` | {config_docs.MAPPING} |  |" in page
    assert "| `model.nested.deep` | `&lt;= 3` |" not in page and "| `model.nested.deep` | `<= 3` |  |" in page
    # every key of the file is on the page
    for key in config_docs.config_keys(SMALL_CONFIG):
        assert f"`{key.dotted}`" in page or key.path == ("seed",), key.dotted


def test_config_page_check_reports_a_stale_page(tmp_path):
    (tmp_path / "config.yaml").write_text(SMALL_CONFIG)
    assert config_docs.main(["--root", str(tmp_path)]) == 0
    assert config_docs.main(["--root", str(tmp_path), "--check"]) == 0
    (tmp_path / "config.yaml").write_text(SMALL_CONFIG.replace("size: 64", "size: 32"))
    assert config_docs.main(["--root", str(tmp_path), "--check"]) == 1


# --- Numbers written from the tables ----------------------------------------------------------


@pytest.fixture(scope="module")
def numbers():
    return doc_numbers.all_numbers(doc_numbers.load_tables(REPO))


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_marked_numbers_are_the_tables(page, numbers):
    text = page.read_text()
    assert doc_numbers.fill(text, numbers, page=page_id(page)) == text, (
        f"{page_id(page)} has numbers that differ from the tables: run `python -m rgcoarse.pipeline.doc_numbers`"
    )


def test_glass_study_page_numbers_are_marked(numbers):
    """The glass study's findings cite the tables through markers (so this test has work to do)."""
    spans = doc_numbers.SPAN.findall((DOCS / "glass_study.md").read_text())
    assert len(spans) >= 50, f"only {len(spans)} marked numbers on docs/glass_study.md"


def test_fill_writes_numbers_and_refuses_unknown_names():
    numbers = {
        "a.slope": doc_numbers.Number((-0.87974, 0.0726), "pm"),
        "a.range": doc_numbers.Number((1.37463, 1.75938), "range"),
        "a.count": doc_numbers.Number((28, 30), "of"),
    }
    text = (
        "b = <!-- num:a.slope -->−0.90 ± 0.07<!-- /num -->, <!-- num:a.range/1 -->old<!-- /num -->, "
        "<!-- num:a.count -->?<!-- /num --> runs; `<!-- num:example -->1<!-- /num -->` is code.\n"
    )
    assert doc_numbers.fill(text, numbers) == (
        "b = <!-- num:a.slope -->−0.88 ± 0.07<!-- /num -->, <!-- num:a.range/1 -->1.4–1.8<!-- /num -->, "
        "<!-- num:a.count -->28 of 30<!-- /num --> runs; `<!-- num:example -->1<!-- /num -->` is code.\n"
    )
    with pytest.raises(KeyError, match="no number named 'a.missing'"):
        doc_numbers.fill("<!-- num:a.missing -->1<!-- /num -->", numbers)


def test_a_changed_table_makes_the_pages_stale(tmp_path):
    """The study's tables changed (a new run): the check fails, the rewrite writes the new number."""
    for path in doc_numbers.TABLES.values():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO / path, tmp_path / path)
    (tmp_path / "docs" / "page.md").write_text("b = <!-- num:gs.size.T1.0.slope -->−0.88 ± 0.07<!-- /num -->\n")
    assert doc_numbers.rewrite(tmp_path, check=True) == []
    scaling = pd.read_csv(tmp_path / doc_numbers.TABLES["size_scaling"])
    scaling.loc[scaling["temperature"] == 1.0, "size_exponent"] = -0.95
    scaling.to_csv(tmp_path / doc_numbers.TABLES["size_scaling"], index=False)
    assert doc_numbers.main(["--root", str(tmp_path), "--check"]) == 1
    assert doc_numbers.main(["--root", str(tmp_path)]) == 0
    assert (tmp_path / "docs" / "page.md").read_text() == "b = <!-- num:gs.size.T1.0.slope -->−0.95 ± 0.07<!-- /num -->\n"
