"""The :class:`Scale`: a validated scale document, the facade callers score with.

A scale holds the frozen parts of its document (:mod:`alliancekit.model`) and the scoring methods
its scores name. Scoring delegates down to the scoring layer's compiled plan (built on first use
and kept on the scale); :meth:`Scale.score` is the one place a scored result is announced to
``alliancekit_result_scored`` listeners.
"""

from __future__ import annotations

import copy
import functools
import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Literal

import attrs

from alliancekit.errors import DefinitionIssue, ScaleDefinitionError
from alliancekit.model import (
    Citation,
    Fact,
    Item,
    License,
    ResponseSet,
    ScoreDefinition,
    ScoreInterpretation,
    Verification,
)
from alliancekit.scoring import (
    Answers,
    ScoreResult,
    ScoringMethod,
    ScoringPlan,
    announce,
    score_table as _score_table,
)

__all__ = ["Scale", "canonical_json", "restore_scale", "set_scale_restorer"]


def canonical_json(document: Mapping[str, Any]) -> bytes:
    """Encode a document canonically: sorted keys, no insignificant white space, UTF-8."""
    return json.dumps(
        document, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


@attrs.frozen(kw_only=True)
class Scale:
    """A validated rating scale. Build one with :func:`alliancekit.load_scale`."""

    id: str
    version: str
    title: str
    citations: tuple[Citation, ...]
    license: License
    verification: Verification
    response_sets: Mapping[str, ResponseSet]
    items: tuple[Item, ...]
    scores: tuple[ScoreDefinition, ...]
    interpretation: Mapping[str, ScoreInterpretation]
    abbreviation: str | None = None
    construct: str | None = None
    respondent: str | None = None
    #: every fact the document's scores and readings rest on, with its source and status
    facts: tuple[Fact, ...] = attrs.field(default=(), repr=False)
    #: the meta-schema version of the document (1: one status for the whole document)
    schema_version: int = 2
    sha256: str = attrs.field(repr=False)
    #: the scoring methods the scores name, resolved when the document was loaded
    methods: Mapping[str, ScoringMethod] = attrs.field(repr=False, eq=False)
    _document: Mapping[str, Any] = attrs.field(repr=False, eq=False, alias="document")

    @property
    def status(self) -> Literal["verified", "provisional"]:
        """``verified`` or ``provisional`` (see :attr:`verification`)."""
        return self.verification.status

    @functools.cached_property
    def scoring_warnings(self) -> tuple[str, ...]:
        """The warnings every result of this scale carries: one per provisional fact that its
        scores rest on (response sets, reverse keys, members, missing-data rules, transforms).

        A v1 document states one status for the whole document: when it is provisional, one
        warning per open question, as before per-fact status existed.
        """
        if self.schema_version == 1:
            if self.status != "provisional":
                return ()
            return tuple(
                f"provisional scale {self.id!r}: {q}" for q in self.verification.open_questions
            )
        return _unique(f.warning() for f in self.facts if f.provisional and f.scores)

    def score_warnings(self, score_id: str) -> tuple[str, ...]:
        """The warnings about the provisional facts the value of ``score_id`` rests on (for a v1
        document, :attr:`scoring_warnings`)."""
        if self.schema_version == 1:
            return self.scoring_warnings
        return _unique(f.warning() for f in self.facts if f.provisional and score_id in f.scores)

    @functools.cached_property
    def plan(self) -> ScoringPlan:
        """The compiled scoring plan (built on first use)."""
        return ScoringPlan(self)

    def item(self, item_id: str) -> Item:
        """Return the item with this id; raises :class:`KeyError` if there is none."""
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    def score_definition(self, score_id: str) -> ScoreDefinition:
        """Return the score with this id; raises :class:`KeyError` if there is none."""
        for score in self.scores:
            if score.id == score_id:
                return score
        raise KeyError(score_id)

    def to_dict(self) -> dict[str, Any]:
        """Return the canonical document (a fresh deep copy); ``load_scale`` of it gives this
        scale back."""
        return copy.deepcopy(dict(self._document))

    def canonical_json(self) -> bytes:
        """The canonical JSON encoding of the document, whose sha256 is :attr:`sha256`."""
        return canonical_json(self._document)

    def score(
        self,
        answers: Answers,
        *,
        coerce: bool = False,
        context: Mapping[str, Any] | None = None,
        notify: bool = True,
    ) -> ScoreResult:
        """Score one set of answers (item id -> value, ``None`` or absent for missing).

        This is where a scored result is announced: unless ``notify`` is false, every
        ``alliancekit_result_scored`` handler is called once with the result.

        :param coerce: accept strings such as ``"4"`` or ``"8.7"`` (e.g. from CSV) and whole
            floats such as ``4.0`` for an option; an empty string or NaN is a missing answer.
        :param context: passed on to ``alliancekit_result_scored`` handlers (with ``"scale"``
            added), e.g. ``{"respondent_key": ...}`` for a plugin that follows a client.
        :param notify: ``False`` scores without firing ``alliancekit_result_scored`` (for
            synthetic or simulated answers, or re-scoring to verify).
        :returns: a :class:`~alliancekit.ScoreResult`.
        :raises ResponseError: listing every bad answer.
        """
        result = self.plan.score(answers, coerce=coerce)
        if notify:
            announce(result, self, context)
        return result

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle by the canonical document and its sha256, which unpickling checks (so any
        engine that ships functions to workers can carry a scale)."""
        return (_Restorer.restore, (self.canonical_json(), self.sha256))

    def score_table(self, table: Any) -> dict[str, Any]:
        """Score a table (rows = responses, columns = items in item order, NaN = missing),
        vectorised with NumPy when the ``fast`` extra is installed; results are identical to
        :meth:`score` row by row. Does not fire ``alliancekit_result_scored``.

        :returns: score id -> 1-D float64 NumPy array (a list of floats without NumPy), NaN
            where the missing-data rule fails.
        :raises ResponseError: listing every bad cell as ``table[row, column]`` with the item id.
        """
        return _score_table(self.plan, table)


def restore_scale(document: bytes, sha256: str) -> Scale:
    """The scale of a pickled canonical document (built-in scoring methods only).

    :raises ScaleDefinitionError: when the document is invalid or its sha256 is not ``sha256``.
    """
    from alliancekit.document._loading import load_scale

    return checked_restore(load_scale(json.loads(document)), sha256)


def checked_restore(scale: Scale, sha256: str) -> Scale:
    """``scale`` when its sha256 is ``sha256``.

    :raises ScaleDefinitionError: otherwise (the pickled document was altered).
    """
    if scale.sha256 != sha256:
        raise ScaleDefinitionError(
            [
                DefinitionIssue(
                    json_path="$",
                    code="sha256-mismatch",
                    message=f"the pickled document of {scale.id!r} does not have its recorded "
                    f"sha256 ({sha256[:12]}…)",
                )
            ]
        )
    return scale


class _Restorer:
    restore: Callable[[bytes, str], Scale] = staticmethod(restore_scale)


def set_scale_restorer(restore: Callable[[bytes, str], Scale]) -> None:
    """Install how an unpickled scale is loaded (the plugin layer installs one that knows the
    registered scoring methods, so a plugin scale unpickles wherever the plugin is installed)."""
    _Restorer.restore = staticmethod(restore)


def _unique(lines: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(lines))
