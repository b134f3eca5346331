"""An example alliancekit plugin: copy this package to start your own.

It registers, through alliancekit's hooks:

* a scale, the "Therapeutic Trust Check-in" (``trust-checkin``), an UNVALIDATED five-item example
  whose document carries its own English item text (CC0);
* an item-text pack: the same items in Spanish (``es``);
* an ``alliancekit_result_scored`` handler that raises an alert when a check-in total falls below
  the scale's cut-off or drops by the scale's ``min_drop`` since the same respondent's previous
  check-in (see :mod:`alliancekit_example_plugin.alerts`).

alliancekit finds it through the entry point in ``pyproject.toml``::

    [project.entry-points.alliancekit]
    example = "alliancekit_example_plugin"
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from alliancekit import hookimpl
from alliancekit_example_plugin.alerts import MONITOR, SCALE_ID, CheckinMonitor, TrustAlert

__all__ = [
    "MONITOR",
    "SCALE_ID",
    "CheckinMonitor",
    "TrustAlert",
    "alliancekit_register_item_text",
    "alliancekit_register_scales",
    "alliancekit_result_scored",
]

_HERE = Path(__file__).parent


@hookimpl
def alliancekit_register_scales(register: Any) -> None:
    """Register the example scale from the document shipped in this package.

    The file is named after the scale id (``trust-checkin.json``), which alliancekit checks.
    """
    register(_HERE / f"{SCALE_ID}.json")


@hookimpl
def alliancekit_register_item_text(register: Any) -> None:
    """Register every text pack in ``text/`` (here: Spanish)."""
    for path in sorted((_HERE / "text").glob("*.json")):
        pack = json.loads(path.read_text(encoding="utf-8"))
        register(pack["scale"], pack["language"], pack["items"], license_note=pack["license_note"])


@hookimpl
def alliancekit_result_scored(result: Any, context: Mapping[str, Any]) -> None:
    """Watch every trust check-in that alliancekit scores (other scales are ignored)."""
    if result.scale_id == SCALE_ID:
        MONITOR.observe(result, context)
