"""Internal-consistency reliability of a score: Cronbach's alpha and its companions, and omega.

:func:`reliability` replicates R's ``psych::alpha`` (version 2.2.9) statistic by statistic,
including its pairwise-complete handling of missing answers and its Feldt confidence interval,
and ``psych::omega(x, nfactors = 1)``'s omega total (converged further than psych's optimizer
goes; see :mod:`alliancekit.analysis._omega`). ``tests/data/psych/reference.json`` holds the R
values the tests compare against.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal

import attrs

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from alliancekit.document import Scale
    from alliancekit.model import Item

__all__ = ["Reliability", "reliability"]

Missing = Literal["pairwise", "listwise"]


def _frozen_mapping(value: Mapping[str, float]) -> Mapping[str, float]:
    return MappingProxyType(dict(value))


@attrs.frozen(kw_only=True)
class Reliability:
    """The reliability statistics of one score on one sample; see :func:`reliability`.

    :ivar scale_id: the scale analysed.
    :ivar score: the score whose items were analysed.
    :ivar items: those items, in order.
    :ivar missing: ``"pairwise"`` or ``"listwise"``: how missing answers were handled.
    :ivar n: respondents used (pairwise: those with at least one answer to the score's items;
        listwise: those who answered all of them).
    :ivar alpha: Cronbach's alpha from the covariance matrix (psych's ``raw_alpha``).
    :ivar standardized_alpha: alpha from the correlation matrix (psych's ``std.alpha``).
    :ivar average_r: the mean inter-item correlation (psych's ``average_r``).
    :ivar item_total: item id -> correlation of the item with the sum of the other items
        (psych's ``r.drop``), in item order.
    :ivar alpha_if_deleted: item id -> alpha of the other items (psych's ``alpha.drop``); NaN
        when the score has only two items.
    :ivar omega: McDonald's omega total from a one-factor minres model (psych's ``omega.tot``).
    :ivar sem: standard error of measurement of the total, ``SD(total) * sqrt(1 - alpha)``, with
        the total's SD taken from the same covariance matrix as alpha, ``sqrt(sum(C))``.
    :ivar alpha_ci: Feldt's confidence interval of alpha, ``(lower, upper)``.
    :ivar confidence: the confidence level of ``alpha_ci``.
    """

    scale_id: str
    score: str
    items: tuple[str, ...]
    missing: Missing
    n: int
    alpha: float
    standardized_alpha: float
    average_r: float
    item_total: Mapping[str, float] = attrs.field(converter=_frozen_mapping)
    alpha_if_deleted: Mapping[str, float] = attrs.field(converter=_frozen_mapping)
    omega: float
    sem: float
    alpha_ci: tuple[float, float]
    confidence: float

    def to_dict(self) -> dict[str, Any]:
        """Return the statistics as plain JSON-ready data (NaN becomes ``None``)."""

        def plain(x: float) -> float | None:
            return None if math.isnan(x) else x

        return {
            "scale": self.scale_id,
            "score": self.score,
            "missing": self.missing,
            "n": self.n,
            "items": [
                {
                    "id": item,
                    "item_total": plain(self.item_total[item]),
                    "alpha_if_deleted": plain(self.alpha_if_deleted[item]),
                }
                for item in self.items
            ],
            "alpha": plain(self.alpha),
            "standardized_alpha": plain(self.standardized_alpha),
            "average_r": plain(self.average_r),
            "omega": plain(self.omega),
            "sem": plain(self.sem),
            "alpha_ci": [plain(self.alpha_ci[0]), plain(self.alpha_ci[1])],
            "confidence": self.confidence,
        }


def _score_items(scale: Scale, score: str) -> tuple[Item, ...]:
    """The items of score ``score``; a score built from other scores gets all of theirs."""
    definitions = {definition.id: definition for definition in scale.scores}
    if score not in definitions:
        known = ", ".join(sorted(definitions))
        raise ValueError(f"scale {scale.id!r} has no score {score!r} (scores: {known})")
    if definitions[score].items:
        by_id = {item.id: item for item in scale.items}
        return tuple(by_id[item_id] for item_id in definitions[score].items)
    wanted: set[str] = set()
    pending = [score]
    while pending:
        definition = definitions[pending.pop()]
        wanted.update(definition.items)
        pending.extend(definition.scores)
    return tuple(item for item in scale.items if item.id in wanted)


def _require_numpy() -> None:
    try:
        import numpy  # noqa: F401
    except ImportError:
        raise ImportError(
            "alliancekit.analysis needs NumPy: pip install 'alliancekit[fast]'"
        ) from None


def reliability(
    scale: Scale,
    data: object,
    score: str = "total",
    *,
    missing: Missing = "pairwise",
    confidence: float = 0.95,
) -> Reliability:
    """Compute the internal-consistency reliability of one score of ``scale`` on ``data``.

    The statistics are those of R's ``psych::alpha`` with the scale's reverse keys (an item keyed
    ``reverse`` is recoded ``min + max - x`` first; the caller cannot override the keys), plus
    omega total and the standard error of measurement; see :class:`Reliability`.

    :param scale: the scale; only the items of score ``score`` are analysed.
    :param data: the answers: an iterable of mappings (item id -> number or ``None``; answers to
        other items of the scale are checked and ignored), or a 2-D array-like with one row per
        respondent and one column per item of the score, in the score's item order (NaN or
        ``None`` = missing).
    :param score: the id of the score whose items are analysed.
    :param missing: ``"pairwise"`` (default, as psych): each covariance and correlation from the
        respondents who answered both items; ``"listwise"``: only respondents who answered every
        item.
    :param confidence: the confidence level of Feldt's interval ``alpha_ci``.
    :returns: a :class:`Reliability`.
    :raises ResponseError: for answers that are not numbers of the items' ranges (booleans,
        strings, non-finite or out-of-range values) and for unknown item ids.
    :raises ValueError: for an unknown score, a score of fewer than two items, an unknown
        ``missing`` or a ``confidence`` outside (0, 1), data that is not a table of the score's
        items, or data that cannot give the statistics: fewer than two respondents for some pair
        of items, or an item without variance.
    :raises ImportError: when NumPy (the ``fast`` extra) is not installed.
    """
    if missing not in ("pairwise", "listwise"):
        raise ValueError(f"missing must be 'pairwise' or 'listwise' (got {missing!r})")
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must be between 0 and 1 (got {confidence!r})")
    items = _score_items(scale, score)
    if len(items) < 2:
        raise ValueError(f"score {score!r} has {len(items)} item; reliability needs at least two")
    _require_numpy()
    from alliancekit.analysis._table import answer_table

    table, has_missing = answer_table(scale, items, data)
    stats = _statistics(items, table, has_missing, missing, confidence)
    return Reliability(
        scale_id=scale.id, score=score, missing=missing, confidence=confidence, **stats
    )


def _statistics(
    items: tuple[Item, ...],
    table: npt.NDArray[np.float64],
    has_missing: bool,
    missing: Missing,
    confidence: float,
) -> dict[str, Any]:
    import numpy as np

    from alliancekit.analysis._fdist import f_quantile
    from alliancekit.analysis._matrices import complete_moments, pairwise_moments
    from alliancekit.analysis._omega import omega_total

    ids = tuple(item.id for item in items)
    if has_missing and missing == "listwise":
        table = table[~np.isnan(table).any(axis=1)]
        has_missing = False
    if has_missing:
        moments = pairwise_moments(table)
        _check_count(ids, moments.count)
    else:
        _check_count(ids, np.full((len(ids), len(ids)), float(table.shape[0])))
        moments = complete_moments(table)
    n = moments.rows
    _check_variance(ids, moments.cov, moments.cor)

    # Reverse keys flip signs, exactly as psych's key.d %*% C %*% key.d does.
    signs = np.array([-1.0 if item.reverse else 1.0 for item in items])
    flip = np.outer(signs, signs)
    cov = moments.cov * flip
    sd = np.sqrt(np.diag(cov))
    cor_alpha = cov / np.outer(sd, sd)  # R's cov2cor, as psych::alpha uses
    np.fill_diagonal(cor_alpha, 1.0)
    cor_omega = moments.cor * flip  # R's cor(use = "pairwise"), as psych::omega uses

    k = len(ids)
    total_var = float(cov.sum())
    trace = float(np.trace(cov))
    alpha = (1.0 - trace / total_var) * k / (k - 1)
    sum_r = float(cor_alpha.sum())
    column_sums = cov.sum(axis=0)
    variances = np.diag(cov)
    rest_var = total_var - 2.0 * column_sums + variances
    item_total = (column_sums - variances) / np.sqrt(variances * rest_var)
    if k > 2:
        alpha_drop = (1.0 - (trace - variances) / rest_var) * (k - 1) / (k - 2)
    else:
        alpha_drop = np.full(k, np.nan)

    # Feldt, Woodruff & Salih (1987), as psych::alpha.ci: (1 - alpha) * F quantiles.
    tail = (1.0 - confidence) / 2.0
    df1, df2 = n - 1, (n - 1) * (k - 1)
    lower = 1.0 - (1.0 - alpha) * f_quantile(1.0 - tail, df1, df2)
    upper = 1.0 - (1.0 - alpha) * f_quantile(tail, df1, df2)
    return {
        "items": ids,
        "n": n,
        "alpha": alpha,
        "standardized_alpha": (1.0 - k / sum_r) * k / (k - 1),
        "average_r": (sum_r - k) / (k * (k - 1)),
        "item_total": dict(zip(ids, map(float, item_total), strict=True)),
        "alpha_if_deleted": dict(zip(ids, map(float, alpha_drop), strict=True)),
        "omega": omega_total(cor_omega),
        "sem": math.sqrt(total_var) * math.sqrt(1.0 - alpha) if alpha <= 1.0 else math.nan,
        "alpha_ci": (lower, upper),
    }


def _check_count(ids: tuple[str, ...], count: npt.NDArray[np.float64]) -> None:
    import numpy as np

    i, j = np.unravel_index(int(np.argmin(count)), count.shape)
    if count[i, j] < 2:
        which = f"item {ids[i]!r}" if i == j else f"items {ids[i]!r} and {ids[j]!r}"
        raise ValueError(
            f"{which}: answered together by {int(count[i, j])} respondent(s); "
            "reliability needs at least two"
        )


def _check_variance(
    ids: tuple[str, ...], cov: npt.NDArray[np.float64], cor: npt.NDArray[np.float64]
) -> None:
    import numpy as np

    for i, variance in enumerate(np.diag(cov)):
        if not variance > 0.0:
            raise ValueError(f"item {ids[i]!r} has no variance: every answer is the same")
    bad = np.argwhere(np.isnan(cor))
    if len(bad):
        i, j = bad[0]
        raise ValueError(
            f"items {ids[i]!r} and {ids[j]!r}: no correlation, since one of them does not vary "
            "among the respondents who answered both"
        )
