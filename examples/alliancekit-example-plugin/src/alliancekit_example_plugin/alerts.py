"""The example's alert: a trust check-in total below the cut-off, or a drop since last time.

One :class:`~alliancekit.ScoreResult` cannot show a drop, so :class:`CheckinMonitor` remembers the
last total per respondent key, in memory, in this process only. alliancekit passes whatever the
caller put in ``context``: give ``context["respondent_key"]`` (an opaque, pseudonymous key) to get
drop alerts; without it only the cut-off is checked. A real plugin would keep the history in its
own store (or use ``alliancekit.open_store``) and deliver alerts to its own system.

The thresholds come from the scale document: the cut-off is the top of the band flagged
``alert`` (a total below 12), the drop is the ``min_drop`` of its ``drop`` alert rule (3 points).
"""

from __future__ import annotations

import collections
import logging
import threading
from collections.abc import Mapping
from typing import Any

import attrs

__all__ = ["MONITOR", "SCALE_ID", "CheckinMonitor", "TrustAlert"]

SCALE_ID = "trust-checkin"
#: Alerts are also logged here, without the respondent key.
LOG = logging.getLogger("alliancekit_example_plugin")


@attrs.frozen(kw_only=True)
class TrustAlert:
    """One alert.

    :ivar kind: ``"below-cutoff"`` or ``"drop"``.
    :ivar total: the check-in total that raised it.
    :ivar previous: the respondent's previous total (for a drop), else ``None``.
    :ivar respondent_key: the caller's key, so the vendor can route the alert; never logged.
    :ivar message: a sentence for a clinician, without the respondent key.
    """

    kind: str
    total: float
    previous: float | None
    respondent_key: str | None
    message: str


def _thresholds(scale: Any) -> tuple[float, float]:
    reading = scale.interpretation["total"]
    cutoff = max(band.upper for band in reading.bands if band.flag == "alert")
    min_drop = next(rule.min_drop for rule in reading.alerts if rule.kind == "drop")
    return float(cutoff), float(min_drop)


class CheckinMonitor:
    """Remembers the last total per respondent key and keeps the most recent alerts."""

    def __init__(self, *, keep: int = 1000) -> None:
        self._last: dict[str, float] = {}
        self._lock = threading.Lock()
        self.alerts: collections.deque[TrustAlert] = collections.deque(maxlen=keep)

    def observe(self, result: Any, context: Mapping[str, Any]) -> list[TrustAlert]:
        """Check one scored check-in; returns (and keeps, and logs) the alerts it raises."""
        total = result.scores["total"].value
        if total is None:  # too many items missing: nothing to compare
            return []
        cutoff, min_drop = _thresholds(context["scale"])
        key = context.get("respondent_key")
        raised = []
        if total < cutoff:
            raised.append(
                TrustAlert(
                    kind="below-cutoff",
                    total=total,
                    previous=None,
                    respondent_key=key,
                    message=f"trust check-in total {total:g} is below the cut-off of {cutoff:g}",
                )
            )
        if key is not None:
            with self._lock:
                previous = self._last.get(key)
                self._last[key] = total
            if previous is not None and previous - total >= min_drop:
                raised.append(
                    TrustAlert(
                        kind="drop",
                        total=total,
                        previous=previous,
                        respondent_key=key,
                        message=f"trust check-in total dropped by {previous - total:g} "
                        f"(from {previous:g} to {total:g})",
                    )
                )
        for alert in raised:
            self.alerts.append(alert)
            LOG.warning("alliancekit example alert: %s", alert.message)
        return raised

    def clear(self) -> None:
        """Forget every remembered total and alert."""
        with self._lock:
            self._last.clear()
            self.alerts.clear()


#: The monitor the plugin's handler feeds.
MONITOR = CheckinMonitor()
