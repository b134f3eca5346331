"""What the conformance tests save: SRS results, a made-up older SRS, and the content of a store
in the previous schema."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

import attrs

from alliancekit.document import Scale
from alliancekit.plugins import get_scale, load_scale
from alliancekit.scoring import ScoreResult

__all__ = [
    "UTC",
    "PreviousRecord",
    "PreviousStoreContent",
    "old_srs",
    "previous_store_content",
    "srs",
]

UTC = dt.timezone.utc


def srs(q1: float, q2: float, q3: float, q4: float) -> ScoreResult:
    """The built-in SRS (total = q1 + q2 + q3 + q4) scoring these answers."""
    return get_scale("srs").score({"q1": q1, "q2": q2, "q3": q3, "q4": q4})


def old_srs() -> Scale:
    """A made-up earlier SRS, version 0.9.0, whose total was the mean of the items."""
    document = get_scale("srs").to_dict()
    document["version"] = "0.9.0"
    document["scores"][0]["method"] = "mean"
    del document["interpretation"]
    return load_scale(document)


@attrs.frozen(kw_only=True)
class PreviousRecord:
    """One record of :func:`previous_store_content` (``result`` gives every stored value)."""

    id: int
    respondent: str
    occasion: int
    result: ScoreResult
    saved_at: dt.datetime
    administered_at: dt.datetime | None = None
    administered_by: str | None = None
    amends: int | None = None
    amend_reason: str | None = None


@attrs.frozen(kw_only=True)
class PreviousStoreContent:
    """What :meth:`StoreConformance.build_previous_schema` must write in the previous schema.

    :ivar secret: the store's respondent-key secret; a respondent's key is
        :meth:`respondent_key` (HMAC-SHA256 of the identifier's UTF-8 bytes, hex).
    :ivar scale: the one scale document the records use.
    :ivar records: the records, in id order.
    """

    secret: bytes
    scale: Scale
    records: tuple[PreviousRecord, ...]

    def respondent_key(self, respondent: str) -> str:
        """The pseudonymous key of a respondent under :attr:`secret`."""
        return hmac.new(self.secret, respondent.encode("utf-8"), hashlib.sha256).hexdigest()


def previous_store_content() -> PreviousStoreContent:
    """Four SRS records of two respondents; record 3 amends record 1."""
    at = dt.datetime(2023, 5, 4, 9, 30, tzinfo=UTC)
    return PreviousStoreContent(
        secret=bytes(range(32)),
        scale=get_scale("srs"),
        records=(
            PreviousRecord(
                id=1,
                respondent="client-A",
                occasion=1,
                result=srs(7.5, 8, 6.25, 9),
                saved_at=at,
                administered_at=at,
                administered_by="clinician-7",
            ),
            PreviousRecord(
                id=2,
                respondent="client-A",
                occasion=2,
                result=srs(2, 3, 4, 5),
                saved_at=at + dt.timedelta(days=7),
            ),
            PreviousRecord(
                id=3,
                respondent="client-A",
                occasion=1,
                result=srs(7.5, 8, 6.5, 9),
                saved_at=at + dt.timedelta(days=8),
                administered_at=at,
                administered_by="clinician-7",
                amends=1,
                amend_reason="q3 was misread",
            ),
            PreviousRecord(
                id=4,
                respondent="client-B",
                occasion=1,
                result=srs(10, 10, 10, 10),
                saved_at=at + dt.timedelta(days=9),
            ),
        ),
    )
