"""docs/configuration.md, generated from config.yaml: every key, its default value and its comment.

config.yaml is the one defaults file, and its comments are the documentation of its keys. This
module renders them as a page, so the page cannot drift from the file: tests/test_docs.py checks
that docs/configuration.md is exactly what :func:`render` makes of today's config.yaml.

Reading the file: pyyaml composes the document (keys, values and where each starts and ends); the
comments are read from the lines. A key's comment is the comment on its own line (continued on the
lines below it that start at the same column), after the comment lines directly above it (no
blank line between). The comment lines at the top of the file, before its first blank line, are
the file's header; the comment above a top-level key introduces its section.

Regenerate the page after changing config.yaml::

    python -m rgcoarse.pipeline.config_docs          # writes docs/configuration.md
    python -m rgcoarse.pipeline.config_docs --check  # exit status 1 if the page is stale
"""

from __future__ import annotations

import re
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import yaml

from rgcoarse.io.atomic import write_text
from rgcoarse.pipeline.docs_command import docs_arguments

__all__ = ["ConfigKey", "config_keys", "header_comment", "section_comment", "render", "undocumented_keys", "main"]

PAGE = Path("docs") / "configuration.md"
SOURCE = Path("config.yaml")
MAPPING = "*(the keys below)*"  # the default cell of a key whose value is a block mapping


@dataclass(frozen=True)
class ConfigKey:
    """One key of the file: where it sits, its default as written, its comment."""

    path: tuple[str, ...]  # e.g. ("ising", "lattice_size")
    default: str | None  # the value as written in the file; None: a block mapping (its keys follow)
    above: tuple[str, ...]  # the comment lines directly above the key
    inline: str  # the comment on the key's line, with its continuation lines

    @property
    def dotted(self) -> str:
        """``ising.lattice_size``; a key that is not a plain name is quoted: ``glass.overrides."0.47"``."""
        return ".".join(part if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_-]*", part) else f'"{part}"' for part in self.path)

    @property
    def comment(self) -> str:
        """Every comment of the key, the lines above it first, as one line of text."""
        return " ".join(part for part in (_join(self.above), self.inline) if part)


# --- Reading the file -------------------------------------------------------------------------


def _split_comment(line: str) -> tuple[str, str | None, int]:
    """``(code, comment, column)`` of one line: the comment is the text after a ``#`` that starts
    the line or follows a space, outside quotes (None: no comment)."""
    quote, escaped = None, False
    for column, char in enumerate(line):
        if quote:
            if escaped:
                escaped = False
            elif quote == '"' and char == "\\":
                escaped = True
            elif char == quote:
                quote = None
        elif char in "'\"" and (column == 0 or line[column - 1] in " \t[{,:"):
            quote = char  # a quoted scalar starts (an apostrophe inside a plain word does not)
        elif char == "#" and (column == 0 or line[column - 1] in " \t"):
            return line[:column], line[column + 1 :].removeprefix(" ").rstrip(), column
    return line, None, -1


class _Lines:
    """The file's lines, each classified: blank, comment only, or code (with an inline comment)."""

    def __init__(self, text: str):
        self.lines = text.splitlines()
        self.comment = {}  # line -> comment text (comment-only lines and inline comments)
        self.column = {}  # line -> column of its '#'
        self.code = set()  # lines with code
        self.continues = {}  # comment-only line -> the code line whose inline comment it continues
        for number, line in enumerate(self.lines):
            code, comment, column = _split_comment(line)
            if code.strip():
                self.code.add(number)
            if comment is not None:
                self.comment[number] = comment
                self.column[number] = column
            if not code.strip() and comment is not None and number - 1 in self.column:
                previous = number - 1
                owner = previous if previous in self.code else self.continues.get(previous)
                if owner is not None and self.column[previous] == column:
                    self.continues[number] = owner

    def is_comment_only(self, number: int) -> bool:
        return number in self.comment and number not in self.code

    def above(self, number: int) -> tuple[str, ...]:
        """The comment lines directly above line ``number`` (not a continuation of a comment above)."""
        lines = []
        number -= 1
        while number >= 0 and self.is_comment_only(number) and number not in self.continues:
            lines.append(self.comment[number])
            number -= 1
        return tuple(reversed(lines))

    def inline(self, number: int) -> str:
        """The comment on code line ``number`` and the comment lines continuing it."""
        if number not in self.code or number not in self.comment:
            return ""
        parts = [self.comment[number]] + [self.comment[n] for n, owner in sorted(self.continues.items()) if owner == number]
        return _join(parts)


def _join(lines) -> str:
    return " ".join(line.strip() for line in lines if line.strip())


def _value_text(text: str, node: yaml.Node) -> str:
    """The value as written: scalars and flow collections verbatim, a block sequence in flow style."""
    if isinstance(node, yaml.SequenceNode) and not node.flow_style:
        value = yaml.safe_load(yaml.serialize(node))
        return yaml.safe_dump(value, default_flow_style=True, width=float("inf")).strip()
    written = text[node.start_mark.index : node.end_mark.index].strip()
    return written if written else "null"


def config_keys(text: str) -> list[ConfigKey]:
    """Every key of the YAML ``text``, in the file's order, nested keys after their parent.

    The keys of block mappings are listed; a flow mapping (``{a: 1}``) is a value.
    """
    root = yaml.compose(text)
    if root is None:
        return []
    if not isinstance(root, yaml.MappingNode):
        raise ValueError("the configuration is not a mapping of keys")
    lines = _Lines(text)
    keys = []

    def walk(node: yaml.MappingNode, prefix: tuple[str, ...]) -> None:
        for key_node, value_node in node.value:
            line = key_node.start_mark.line
            path = (*prefix, str(key_node.value))
            block = isinstance(value_node, yaml.MappingNode) and not value_node.flow_style
            keys.append(ConfigKey(path, None if block else _value_text(text, value_node), lines.above(line), lines.inline(line)))
            if block:
                walk(value_node, path)

    walk(root, ())
    return keys


def header_comment(text: str) -> tuple[str, ...]:
    """The comment lines that open the file, up to its first blank line (none if a key follows them
    directly: they are then that key's comment)."""
    lines = text.splitlines()
    header = []
    for line in lines:
        if not line.strip():
            return tuple(header)
        if not line.lstrip().startswith("#"):
            return ()
        header.append(line.strip().removeprefix("#").removeprefix(" ").rstrip())
    return ()


def section_comment(text: str, key: str) -> tuple[str, ...]:
    """The comment lines directly above top-level ``key`` (its section's introduction)."""
    for item in config_keys(text):
        if item.path == (key,):
            return item.above
    raise KeyError(key)


def undocumented_keys(text: str) -> list[str]:
    """Keys with no comment of their own (neither above nor on their line)."""
    return [key.dotted for key in config_keys(text) if not key.comment]


# --- Writing the page -------------------------------------------------------------------------

_CODE_SPAN = re.compile(r"(`+)(.+?)\1")


def _escape(text: str, table: bool) -> str:
    """Markdown for a comment's text: code spans kept (a pipe escaped in a table); outside them
    ``<`` (an HTML tag to markdown), ``*`` (emphasis) and ``|`` escaped."""
    out, position = [], 0
    for match in _CODE_SPAN.finditer(text):
        out.append(_escape_plain(text[position : match.start()]))
        out.append(match.group(0).replace("|", "\\|") if table else match.group(0))
        position = match.end()
    out.append(_escape_plain(text[position:]))
    return "".join(out)


def _escape_plain(text: str) -> str:
    return text.replace("\\", "\\\\").replace("<", "&lt;").replace("*", "\\*").replace("|", "\\|")


def _code(value: str, table: bool) -> str:
    """``value`` as an inline code span (longer fences around backticks)."""
    fence = "`" * (max((len(run) for run in re.findall(r"`+", value)), default=0) + 1)
    pad = " " if value.startswith("`") or value.endswith("`") else ""
    span = f"{fence}{pad}{value}{pad}{fence}"
    return span.replace("|", "\\|") if table else span


def _prose(lines: tuple[str, ...]) -> list[str]:
    """A comment block as markdown: its lines joined into paragraphs; lines indented past the
    comment's text (examples, lists) kept as they are, in a text block."""
    out, paragraph, block = [], [], []

    def flush_paragraph():
        if paragraph:
            out.extend([_escape(_join(paragraph), table=False), ""])
            paragraph.clear()

    def flush_block():
        if block:
            out.extend(["```text", *textwrap.dedent("\n".join(block)).splitlines(), "```", ""])
            block.clear()

    for line in lines:
        if line[:1].isspace():
            flush_paragraph()
            block.append(line.rstrip())
        else:
            flush_block()
            paragraph.append(line)
    flush_paragraph()
    flush_block()
    return out


def _cell(key: ConfigKey) -> str:
    return "<br>".join(_escape(part, table=True) for part in (_join(key.above), key.inline) if part)


def render(text: str, source: str = "config.yaml") -> str:
    """The markdown page of the YAML ``text`` (the contents of ``source``)."""
    keys = config_keys(text)
    out = [
        "# Configuration: every key of `config.yaml`",
        "",
        f"<!-- Generated from {source} by `python -m rgcoarse.pipeline.config_docs`; do not edit by hand.",
        "     tests/test_docs.py checks that this page is what the generator makes of the file. -->",
        "",
        f"[`{source}`](../{source}) holds the defaults of every run: every key below, its default value",
        "and the comment it has in the file (this page is generated from it). A run changes keys with",
        "`--config section={key: value}` or `--configfile my_changes.yaml`, layered on top of it",
        "([Running one target](extending.md#running-one-target)).",
        "",
    ]
    header = header_comment(text)
    if header:
        out += ["The file opens with:", "", *(f"> {_escape(line, table=False)}".rstrip() for line in header), ""]
    sections = [key for key in keys if len(key.path) == 1]
    out += ["Sections: " + ", ".join(f"[`{key.path[0]}`](#{_anchor(key.path[0])})" for key in sections) + ".", ""]
    for section in sections:
        out += [f"## `{section.path[0]}`", ""]
        out += _prose(section.above)
        members = [key for key in keys if len(key.path) > 1 and key.path[0] == section.path[0]]
        if section.default is not None:
            out += [f"Default: {_code(section.default, table=False)}." + (f" {_escape(section.inline, table=False)}" if section.inline else ""), ""]
            continue
        if section.inline:
            out += [_escape(section.inline, table=False), ""]
        out += ["| key | default | comment |", "|---|---|---|"]
        for key in members:
            default = MAPPING if key.default is None else _code(key.default, table=True)
            out.append(f"| {_code(key.dotted, table=True)} | {default} | {_cell(key)} |")
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def _anchor(name: str) -> str:
    """GitHub's anchor of a heading `` `name` ``: lower case, punctuation but - and _ dropped."""
    return re.sub(r"[^a-z0-9_ -]", "", name.lower()).replace(" ", "-")


# --- Command line -----------------------------------------------------------------------------


def main(argv=None) -> int:
    root, check = docs_arguments(__doc__.splitlines()[0], "only check that the page is up to date (exit 1 if not)",
                                 SOURCE, argv)
    page = render((root / SOURCE).read_text(), source=str(SOURCE))
    target = root / PAGE
    if check:
        current = target.read_text() if target.is_file() else None
        if current != page:
            print(f"{PAGE} is stale: run `python -m rgcoarse.pipeline.config_docs`", file=sys.stderr)
            return 1
        return 0
    target.parent.mkdir(parents=True, exist_ok=True)
    write_text(target, page)
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
