"""The HTML report: every figure with its caption and the tables, grouped by paper figure.

The report is built once (`snakemake --report report.html`) from a copy of the tiny real run.
Snakemake 9 writes a `.html` report as one self-contained file: the results are embedded as
data URIs in a `var results = {...}` JSON object that the report's React app displays.
"""

import base64
import html as htmllib
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import run_snakemake

TABLES = ("results/claims.csv", "results/exponents.csv")
# Markers docutils leaves in HTML when an rst caption does not parse.
RST_ERRORS = ("system-message", "problematic", "Unknown directive", "Undefined substitution")


@pytest.fixture(scope="module")
def report(tiny_run, tmp_path_factory):
    """(run directory, report.html) built from a private copy of the tiny run."""
    directory = tmp_path_factory.mktemp("report") / "run"
    shutil.copytree(tiny_run, directory, symlinks=True)
    html = directory / "report.html"
    run_snakemake(directory, "--report", str(html), check=True)
    assert html.is_file(), "snakemake --report did not write report.html"
    return directory, html


def embedded(html: Path, name: str):
    """The JSON value of `var <name> = ...;` in the report."""
    script_id = name.replace("_", "-")
    match = re.search(rf'<script id="{script_id}">\s*var {name} = (.*?);\s*</script>', html.read_text(), re.S)
    assert match, f"report.html has no `var {name}` (has the Snakemake report format changed?)"
    return json.loads(match.group(1))


def data_uri_bytes(uri: str) -> bytes:
    header, _, payload = uri.partition(",")
    assert header.endswith(";base64"), f"unexpected data URI header {header!r}"
    return base64.b64decode(payload)


def plain(text: str) -> str:
    """Text without HTML tags and entities, whitespace collapsed."""
    return " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", text)).split())


ARM_CATEGORIES = {"rmi": "Renormalized mutual information", "wcrg": "Wavelet conditional RG",
                  "bayes": "Bayesian renormalization"}  # workflow/rules/report.smk


def expected_category(figure: Path) -> str:
    match = re.fullmatch(r"fig([0-9]+)[a-z]?", figure.stem)
    if figure.name.startswith(tuple(ARM_CATEGORIES)):
        return ARM_CATEGORIES[figure.name.split("_")[0]]
    return f"Fig. {match.group(1)}" if match else "Supplementary"


def category_of(categories: dict, path: str) -> list:
    return [name for name, subcategories in categories.items() for items in subcategories.values() if path in items]


def test_report_has_every_figure_with_its_caption(report):
    directory, html = report
    results, categories = embedded(html, "results"), embedded(html, "categories")
    figures = sorted((directory / "figures").glob("*.png"))
    assert len(figures) >= 8, f"the tiny run should draw fig1, fig2a-f and supplementary figures, found {figures}"
    for figure in figures:
        key = f"figures/{figure.name}"
        assert key in results, f"{key} is missing from the report (is its rule output wrapped in report()?)"
        entry = results[key]
        assert entry["mime_type"] == "image/png"
        assert data_uri_bytes(entry["data_uri"]) == figure.read_bytes(), f"{key}: embedded image differs from the file"
        caption = entry["caption"]
        measured = " ".join(figure.with_suffix("").with_suffix(".caption.txt").read_text().split())
        assert measured in plain(caption), f"{key}: the caption lacks the text written with the figure:\n{caption}"
        assert not any(marker in caption for marker in RST_ERRORS), f"{key}: rst errors in the caption:\n{caption}"
        assert category_of(categories, key) == [expected_category(figure)], (
            f"{key} is in {category_of(categories, key)}, expected {expected_category(figure)}"
        )
    for key in ("figures/fig2c.png", "figures/fig2d.png"):
        assert "The paper:" in results[key]["caption"], f"{key}: the caption should quote the paper's claim"


def test_report_has_the_claims_and_exponents_tables(report):
    directory, html = report
    results, categories = embedded(html, "results"), embedded(html, "categories")
    for key in TABLES:
        assert key in results, f"{key} is missing from the report"
        assert data_uri_bytes(results[key]["data_uri"]) == (directory / key).read_bytes()
        assert category_of(categories, key) == ["Tables"], f"{key} is in {category_of(categories, key)}"
        caption = results[key]["caption"]
        assert not any(marker in caption for marker in RST_ERRORS), f"{key}: rst errors in the caption:\n{caption}"
        # The caption shows the table itself: one row per data line of the CSV.
        n_rows = len((directory / key).read_text().strip().splitlines()) - 1
        assert caption.count("<tr>") == n_rows + 1, f"{key}: caption table has {caption.count('<tr>')} rows, CSV {n_rows} + header"

    claims = (directory / "results/claims.csv").read_text().splitlines()[1:]
    caption = results["results/claims.csv"]["caption"]
    for line in claims:
        claim_id = line.split(",")[0]
        assert claim_id in plain(caption), f"the claims table lacks claim {claim_id}"
    assert "|M2 - 0.25|" in plain(caption) or "|M2" not in "".join(claims), "a rule with |...| must show as written"

    # The front page links to both tables (a wide table inline would cover the workflow graph).
    description = embedded(html, "workflow_desc")
    for key in TABLES:
        assert f"javascript:app.showResultInfo('{key}')" in description, f"the report's front page lacks a link to {key}"
    assert "<table" not in description, "the report's front page should link to the tables, not inline them"
    assert not any(marker in description for marker in RST_ERRORS), "rst errors in the workflow description"


def test_report_categories_follow_the_paper(report):
    _, html = report
    categories = embedded(html, "categories")
    assert {"Fig. 1", "Fig. 2", "Supplementary", "Tables"} <= set(categories), f"categories: {sorted(categories)}"
    allowed = {"Fig. 1", "Fig. 2", "Fig. 3", "Supplementary", "Tables", *ARM_CATEGORIES.values()}
    assert set(categories) <= allowed, f"unexpected report categories (an item without category?): {sorted(categories)}"


# --- In a browser ----------------------------------------------------------------------------

CHROMIUM_NAMES = ("chromium", "chromium-browser")


def page_check(element_id: str, out: str, body: str, helpers: str = "") -> str:
    """A script to append to a copy of the report: once the page has loaded, it runs ``body``
    (JavaScript filling the object ``out``, started as the literal ``out``) and writes ``out`` as
    JSON into <pre id=element_id>, with ``out.error`` set if ``body`` threw."""
    body, helpers = body.lstrip("\n"), helpers.lstrip("\n")
    return (
        '<script>\nwindow.addEventListener("load", async () => {\n'
        f"{helpers}  const out = {out};\n  try {{\n{body}  }} catch (err) {{ out.error = String(err); }}\n"
        f'  const pre = document.createElement("pre");\n  pre.id = "{element_id}";\n'
        "  pre.textContent = JSON.stringify(out);\n  document.body.appendChild(pre);\n});\n</script>\n"
    )


# Appended to a copy of the report: waits for the report's React app, then shows every image
# result the way clicking it does (app.setView with the image's data URI), waits for the <img>
# to load and records its decoded size; writes the summary into <pre id="render-check">.
RENDER_CHECK = page_check(
    "render-check",
    '{app: false, images: {}, text: ""}',
    r"""
    for (let i = 0; i < 100 && (typeof app === "undefined" || !app); i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    out.app = typeof app !== "undefined" && !!app;
    out.text = document.querySelector("#app").innerText;
    for (const [path, entry] of Object.entries(results)) {
      if (!entry.mime_type.startsWith("image/")) continue;
      app.setView({content: "img", contentPath: entry.data_uri, resultPath: path});
      await new Promise((r) => setTimeout(r, 100));
      const img = Array.from(document.querySelectorAll("#app img")).find((i) => i.src === entry.data_uri);
      if (!img) { out.images[path] = "not shown"; continue; }
      // Loading a data URI is a resource load, which holds Chromium's virtual clock.
      const loaded = await new Promise((resolve) => {
        if (img.complete) { resolve(img.naturalWidth > 0); return; }
        img.addEventListener("load", () => resolve(true));
        img.addEventListener("error", () => resolve(false));
      });
      out.images[path] = loaded ? [img.naturalWidth, img.naturalHeight] : "failed to load";
    }
""",
)


def _which_chromium():
    return next((path for path in map(shutil.which, CHROMIUM_NAMES) if path), None)


@pytest.fixture(scope="session")
def chromium():
    """Path of a Chromium executable; installs Debian's `chromium` with apt-get when missing."""
    found = _which_chromium()
    if found:
        return found
    if not hasattr(os, "geteuid") or os.geteuid() != 0 or shutil.which("apt-get") is None:
        pytest.skip("Chromium is not installed and cannot be installed here (installing it needs root and apt-get)")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    install = ["apt-get", "install", "-y", "-q", "--no-install-recommends", "chromium"]
    proc = subprocess.run(install, capture_output=True, text=True, env=env)
    if proc.returncode != 0:  # the package lists may be missing or stale
        subprocess.run(["apt-get", "update", "-q"], capture_output=True, text=True, env=env)
        proc = subprocess.run(install, capture_output=True, text=True, env=env)
    found = _which_chromium()
    if proc.returncode != 0 or not found:
        pytest.skip(f"Chromium could not be installed with apt-get (no network or no package?): {proc.stderr[-500:]}")
    return found


def png_size(data: bytes) -> list:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return [int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")]


def with_script(html: Path, script: str, page: Path) -> Path:
    """A copy of the report at ``page`` with ``script`` appended to its body."""
    text = html.read_text()
    end = text.rindex("</body>")
    page.write_text(text[:end] + script + text[end:])
    return page


def run_chromium(chromium: str, tmp_path: Path, page: Path, *args: str) -> subprocess.CompletedProcess:
    """Headless Chromium on ``page`` with ``args`` (e.g. --dump-dom, --screenshot=...)."""
    command = [
        chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions",
        f"--user-data-dir={tmp_path / 'chromium-profile'}", "--virtual-time-budget=30000",
        *args, page.as_uri(),
    ]  # fmt: skip
    return subprocess.run(command, capture_output=True, text=True, timeout=180)


def script_output(proc: subprocess.CompletedProcess, element_id: str):
    """The JSON an injected script wrote into <pre id=element_id> of Chromium's --dump-dom."""
    match = re.search(rf'<pre id="{element_id}">(.*?)</pre>', proc.stdout, re.S)
    assert match, f"the check script did not finish in Chromium (rc {proc.returncode}):\n{proc.stderr[-2000:]}"
    return json.loads(htmllib.unescape(match.group(1)))


def test_report_figures_render_in_chromium(report, chromium, tmp_path):
    directory, html = report
    page = with_script(html, RENDER_CHECK, tmp_path / "report_check.html")
    proc = run_chromium(chromium, tmp_path, page, "--dump-dom")
    check = script_output(proc, "render-check")
    assert check["app"], f"the report's app did not start: {check}"
    assert "error" not in check, f"JavaScript error in the report: {check['error']}"
    for category in ("Fig. 1", "Fig. 2", "Supplementary", "Tables"):
        assert category in check["text"], f"the report's menu lacks {category!r}:\n{check['text'][:1000]}"
    figures = sorted((directory / "figures").glob("*.png"))
    for figure in figures:
        key = f"figures/{figure.name}"
        assert check["images"].get(key) == png_size(figure.read_bytes()), (
            f"{key} did not render in Chromium at its size {png_size(figure.read_bytes())}: {check['images'].get(key)}"
        )


# Appended to a copy of the report: waits until the landing page has drawn the workflow graph,
# then records the boxes (viewport coordinates) of the graph's drawing, of the landing page's
# text column and of every element in it (any table included), of the title and of the scroll
# box of the page; writes them into <pre id="layout-check">.
LAYOUT_CHECK = page_check(
    "layout-check",
    "{}",
    r"""
    const drawing = () => document.querySelector("#rulegraph canvas, #rulegraph svg");
    for (let i = 0; i < 100 && !drawing(); i++) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 500));
    const text = document.querySelector("#app .prose");
    out.viewport = [window.innerWidth, window.innerHeight];
    out.graph = box(drawing());
    out.text = box(text);
    out.text_width = text && [text.scrollWidth, text.clientWidth];
    out.title = box(text && text.querySelector("h1"));
    out.scroll_box = box(text && text.closest(".overflow-auto"));
    out.elements = Array.from(text ? text.querySelectorAll("*") : []).map((el) => [el.tagName.toLowerCase(), box(el)]);
""",
    helpers=r"""
  const box = (el) => {
    if (!el) return null;
    const r = el.getBoundingClientRect();
    return {left: r.left, top: r.top, right: r.right, bottom: r.bottom};
  };
""",
)


def intersect(a: dict, b: dict) -> bool:
    return a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]


@pytest.mark.parametrize("window", ["1400,1000", "1024,700"])
def test_report_landing_page_is_readable_in_chromium(report, chromium, tmp_path, window):
    """The landing page's text (and any table in it) does not overlap the workflow graph, does not
    spill out of its column, and starts at the top of the window (its title is not cut off).

    A screenshot of the page is kept next to the test's other files for a human to look at.
    """
    _, html = report
    screenshot = tmp_path / f"landing_{window.replace(',', 'x')}.png"
    proc = run_chromium(chromium, tmp_path, html, f"--window-size={window}", f"--screenshot={screenshot}")
    assert screenshot.is_file(), f"Chromium took no screenshot (rc {proc.returncode}):\n{proc.stderr[-2000:]}"
    assert png_size(screenshot.read_bytes()) == [int(n) for n in window.split(",")]
    print(f"landing page screenshot: {screenshot}")

    page = with_script(html, LAYOUT_CHECK, tmp_path / "report_layout.html")
    layout = script_output(run_chromium(chromium, tmp_path, page, f"--window-size={window}", "--dump-dom"), "layout-check")
    assert "error" not in layout, f"JavaScript error while measuring the landing page: {layout['error']}"
    assert layout["graph"] and layout["text"], f"the landing page has no workflow graph or no text: {layout}"
    graph = layout["graph"]
    for tag, element in [("the text column", layout["text"])] + layout["elements"]:
        assert not intersect(element, graph), f"{tag} {element} overlaps the workflow graph {graph} (window {window})"
    scroll_width, client_width = layout["text_width"]
    assert scroll_width <= client_width, f"the landing page's text is {scroll_width} px wide in a {client_width} px column"
    assert layout["title"] and layout["title"]["top"] >= layout["scroll_box"]["top"], (
        f"the landing page's title is cut off above the window: title {layout['title']}, page {layout['scroll_box']}"
    )
