"""The built-in scoring methods (``sum``, ``mean``, ``weighted_sum``) as a default plugin."""

from __future__ import annotations

from alliancekit.plugins import RegisterScoringMethod, hookimpl
from alliancekit.scoring import BUILTIN_METHODS

__all__ = ["alliancekit_register_scoring_methods"]


@hookimpl
def alliancekit_register_scoring_methods(register: RegisterScoringMethod) -> None:
    """Register every built-in method with its exact kernel."""
    for method in BUILTIN_METHODS.values():
        register(method)
