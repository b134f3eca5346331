"""The seam through which a scored result is announced to listeners above the scoring layer.

The scoring layer knows nothing of plugins. The plugin layer installs its dispatcher here with
:func:`set_result_listener`; :meth:`Scale.score` (the one place a result is announced) calls
:func:`announce` once per result it returns. With no listener installed nothing happens.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from alliancekit.scoring._results import ScoreResult

__all__ = ["ResultListener", "announce", "has_listeners", "set_result_listener"]

#: ``listener(result, context)``; ``has(…)`` tells whether anyone is listening at all.
ResultListener = Callable[[ScoreResult, Mapping[str, Any]], None]


class _Seam:
    listener: ResultListener | None = None
    has: Callable[[], bool] = staticmethod(lambda: False)


def set_result_listener(listener: ResultListener, has: Callable[[], bool]) -> None:
    """Install the dispatcher of scored results (the plugin layer does, on import).

    :param has: tells cheaply whether ``listener`` would call anyone, so that bulk paths can skip
        building per-row results nobody listens to.
    """
    _Seam.listener = listener
    _Seam.has = staticmethod(has)


def announce(result: ScoreResult, context: Mapping[str, Any]) -> None:
    """Announce one scored result with the caller's context."""
    listener = _Seam.listener
    if listener is not None:
        listener(result, context)


def has_listeners() -> bool:
    """Whether announcing a result would reach any handler."""
    return _Seam.listener is not None and _Seam.has()
