"""Helpers shared by the subcommands."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from alliancekit.document import Scale
from alliancekit.plugins import get_scale, load_scale

__all__ = ["print_json", "resolve_scale"]


def resolve_scale(name: str) -> Scale:
    """A scale by catalogue id, or from a document when ``name`` is a path to a ``.json`` file.

    :raises UnknownScaleError: for an id that is not in the catalogue.
    :raises ScaleDefinitionError: for an invalid document.
    """
    if name.endswith(".json") or Path(name).is_file():
        return load_scale(name)
    return get_scale(name)


def print_json(data: Any) -> None:
    """Print JSON (indented, UTF-8) to stdout."""
    json.dump(data, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
