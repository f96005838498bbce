"""The command line shared by the docs generators (``config_docs``, ``doc_numbers``)."""

from __future__ import annotations

import argparse
from pathlib import Path


def docs_arguments(description: str, check_help: str, marker: Path, argv=None) -> tuple[Path, bool]:
    """``(root, check)`` of a docs generator's command line.

    ``root`` defaults to the repository holding this package (lib/rgcoarse/pipeline/ is three levels
    down) when it holds ``marker``, else the current directory.
    """
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--root", type=Path, default=None, help="repository root (default: the one holding this package)")
    parser.add_argument("--check", action="store_true", help=check_help)
    args = parser.parse_args(argv)
    repository = Path(__file__).resolve().parents[3]
    default = repository if (repository / marker).is_file() else Path.cwd()
    return args.root or default, args.check
