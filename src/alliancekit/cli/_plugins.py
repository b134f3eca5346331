"""``alliancekit plugins``: the loaded plugins, what each registered, and the ones that failed."""

from __future__ import annotations

import argparse
import warnings
from typing import Any

from alliancekit.cli import add_command
from alliancekit.cli._common import print_json, say
from alliancekit.errors import PluginLoadWarning
from alliancekit.plugins import PluginReport, plugin_report

__all__ = ["register"]


def register(subparsers: Any) -> None:
    """Add the ``plugins`` subcommand."""
    p = add_command(
        subparsers,
        "plugins",
        "List the loaded plugins (built-in ones first) with their distribution and "
        "version and what each registered, then the plugins that failed to load and why. "
        "Exit code 1 when a plugin failed.",
    )
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(handler=_plugins)


def _plugins(args: argparse.Namespace) -> int:
    with warnings.catch_warnings():
        # The report lists every failure; the warnings would say the same thing twice.
        warnings.simplefilter("ignore", PluginLoadWarning)
        report = plugin_report()
    if args.json:
        print_json(_as_json(report))
    else:
        say(_as_text(report))
    return 1 if report.failures else 0


def _as_json(report: PluginReport) -> dict[str, Any]:
    return {
        "plugins": [
            {
                "name": record.source.plugin,
                "distribution": record.source.distribution,
                "version": record.source.version,
                "entry_point": record.source.entry_point,
                "builtin": record.source.builtin,
                "hooks": list(record.hooks),
                "registered": {kind: list(keys) for kind, keys in record.registered.items()},
            }
            for record in report.plugins
        ],
        "failures": [
            {
                "name": failure.source.plugin,
                "distribution": failure.source.distribution,
                "version": failure.source.version,
                "entry_point": failure.source.entry_point,
                "stage": failure.stage,
                "error": failure.error,
            }
            for failure in report.failures
        ],
    }


def _as_text(report: PluginReport) -> str:
    lines = ["Loaded plugins:"]
    for record in report.plugins:
        source = record.source
        if source.builtin:
            where = f"built in, alliancekit {source.version}"
        elif source.distribution is not None:
            where = f"{source.distribution} {source.version}, entry point {source.entry_point}"
        else:
            where = "registered at runtime"
        lines.append(f"  {source.plugin}  ({where})")
        for kind, keys in record.registered.items():
            lines.append(f"      {kind}: {', '.join(keys)}")
        if "alliancekit_result_scored" in record.hooks:
            lines.append("      event handler: alliancekit_result_scored")
    if report.failures:
        lines += ["", "Failed plugins:"]
        lines += [f"  {failure}" for failure in report.failures]
    return "\n".join(lines)
