"""The seam through which a scored result is announced to listeners above the scoring layer.

The scoring layer knows nothing of plugins. The plugin layer installs its dispatcher here with
:func:`set_result_listener` (and removes it while it knows that no handler listens, so that
scoring then pays one attribute read); :meth:`Scale.score`, the one place a result is announced,
calls :func:`announce` once per result it returns.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from alliancekit.scoring._results import ScoreResult

__all__ = ["ResultListener", "announce", "has_listeners", "set_result_listener"]

#: ``listener(result, context)``
ResultListener = Callable[[ScoreResult, Mapping[str, Any]], None]


class _Seam:
    listener: ResultListener | None = None
    has: Callable[[], bool] = staticmethod(lambda: True)


def set_result_listener(
    listener: ResultListener | None, has: Callable[[], bool] | None = None
) -> None:
    """Install the dispatcher of scored results, or ``None`` while nobody listens.

    :param has: tells whether ``listener`` would reach any handler (default: it would).
    """
    _Seam.listener = listener
    _Seam.has = staticmethod(has or (lambda: True))


def announce(result: ScoreResult, scale: object, context: Mapping[str, Any] | None) -> None:
    """Announce one scored result of ``scale`` with the caller's context (``"scale"`` added)."""
    listener = _Seam.listener
    if listener is not None:
        listener(result, {"scale": scale} if context is None else {**context, "scale": scale})


def has_listeners() -> bool:
    """Whether announcing a result may reach a handler (so that bulk paths can skip building
    per-row results nobody listens to)."""
    return _Seam.listener is not None and _Seam.has()
