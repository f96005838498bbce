"""The one way things are registered (null models, planted structures, supplementary figures, ...)."""

from __future__ import annotations

import re


def add_to_registry(registry: dict, item, *, what: str, pattern: str = r"[a-z][a-z0-9]*"):
    """Add ``item`` (with a ``name``) to ``registry``: the name must match ``pattern`` and be new."""
    if not re.fullmatch(pattern, item.name):
        raise ValueError(f"{what} {item.name!r}: a name must match {pattern} (it becomes a path part and a wildcard)")
    if item.name in registry:
        raise ValueError(f"{what} {item.name!r} is already registered")
    registry[item.name] = item
    return item
