"""Placeholder until the plugin system lands: built-in registrations only."""

from __future__ import annotations

from alliancekit.methods import BUILTIN_METHODS, ScoringMethod


def scoring_methods() -> dict[str, ScoringMethod]:
    """Every scoring method by name."""
    return dict(BUILTIN_METHODS)


def notify_result_scored(result: object, context: object) -> None:
    """Fire the result-scored event (no handlers until the plugin system lands)."""
