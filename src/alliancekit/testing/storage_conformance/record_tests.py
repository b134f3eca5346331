"""Conformance tests of what a store keeps: round trips, history, amendments, checks on save,
re-scoring from stored documents, export."""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
from typing import Any

import attrs
import pytest
from hypothesis import given, settings, strategies as st

from alliancekit.errors import StorageError
from alliancekit.plugins import get_scale
from alliancekit.storage import Administration, Store
from alliancekit.testing.storage_conformance.backend import BackendHooks
from alliancekit.testing.storage_conformance.data import UTC, old_srs, srs

__all__ = ["RecordConformance"]

answers_strategy = st.one_of(
    st.none(), st.integers(0, 10), st.floats(0, 10, allow_nan=False, allow_subnormal=False)
)


class RecordConformance(BackendHooks):
    """Conformance tests of records: what is saved comes back, in order, checked."""

    # -- round trip --

    def test_round_trip_keeps_answers_scores_and_metadata(self, store: Store) -> None:
        """get() returns what save() was given: answers (missing ones too), every score with
        its reason, and the metadata. WAI-SR with q5 missing: task = q1+q2+q10+q12 =
        2+3+1+3 = 9, bond (q3, q5, q7, q9) cannot be scored."""
        answers = {f"q{j}": j % 5 + 1 for j in range(1, 13)} | {"q5": None}
        result = get_scale("wai-sr").score(answers)
        at = dt.datetime(2024, 3, 1, 14, 0, tzinfo=dt.timezone(dt.timedelta(hours=2)))
        record_id = store.save(
            result, respondent="r-1", occasion=3, administered_at=at, administered_by="clinician-9"
        )
        record = store.get(record_id)
        assert record.to_result() == result
        assert record.values()["task"] == 9.0
        assert record.scores["bond"].value is None and record.scores["bond"].reason
        assert list(record.answers) == [f"q{j}" for j in range(1, 13)]
        assert (record.occasion, record.administered_by) == (3, "clinician-9")
        assert record.administered_at == dt.datetime(2024, 3, 1, 12, 0, tzinfo=UTC)
        assert record.respondent_key == store.respondent_key("r-1")
        assert (record.amends, record.superseded_by) == (None, None)
        # A record read back is built slot by slot: it equals one built by the constructor.
        assert attrs.evolve(record) == record and repr(attrs.evolve(record)) == repr(record)

    def test_round_trip_keeps_status_and_warnings(self, store: Store) -> None:
        """A provisional scale's result keeps its status and every warning line."""
        result = get_scale("ors").score({"q1": 1.5, "q2": 2, "q3": 3, "q4": 4})
        record = store.get(store.save(result, respondent="r-1", occasion=1))
        assert record.status == "provisional"
        assert record.warnings == result.warnings and len(record.warnings) > 0

    def test_any_result_round_trips_exactly(self, store: Store) -> None:
        """For any SRS answers (ints, floats, missing), the stored result equals the scored one
        bit for bit, and int answers stay ints."""
        occasions = itertools.count()

        # Defined per call: each backend's run is its own Hypothesis test over its own store.
        @settings(max_examples=60, deadline=None)
        @given(answers=st.fixed_dictionaries({f"q{i}": answers_strategy for i in range(1, 5)}))
        def round_trip(answers: dict[str, Any]) -> None:
            result = get_scale("srs").score(answers)
            record = store.get(store.save(result, respondent="prop", occasion=next(occasions)))
            assert record.to_result() == result
            assert {k: type(v) for k, v in record.answers.items()} == {
                k: type(v) for k, v in answers.items()
            }

        round_trip()

    # -- history and amendments --

    def test_history_is_in_occasion_order(self, store: Store) -> None:
        """Saved as occasions 3, 1, 2, the history lists 1, 2, 3; other respondents and scales
        are left out."""
        for occasion, q1 in ((3, 3), (1, 1), (2, 2)):
            store.save(srs(q1, 0, 0, 0), respondent="a", occasion=occasion)
        store.save(srs(9, 9, 9, 9), respondent="b", occasion=1)
        store.save(
            get_scale("ors").score({"q1": 1, "q2": 1, "q3": 1, "q4": 1}), respondent="a", occasion=1
        )
        history = store.history("a", "srs")
        assert [(r.occasion, r.values()["total"]) for r in history] == [(1, 1), (2, 2), (3, 3)]

    def test_unknown_respondent_has_empty_history(self, store: Store) -> None:
        """No records is an empty list, not an error."""
        assert store.history("nobody", "srs") == []

    def test_saving_an_occasion_twice_is_refused(self, store: Store) -> None:
        """A second original record for the same respondent, scale and occasion is an error
        that points at amend()."""
        store.save(srs(1, 1, 1, 1), respondent="a", occasion=1)
        with pytest.raises(StorageError, match="amend"):
            store.save(srs(2, 2, 2, 2), respondent="a", occasion=1)
        assert len(store.history("a", "srs")) == 1

    def test_amendment_replaces_the_record_in_history(self, store: Store) -> None:
        """history() shows the latest amendment in the amended record's place (totals 4 -> 8
        -> 12 for answers 1s, 2s, 3s); include_superseded shows the chain with its links."""
        first = store.save(srs(1, 1, 1, 1), respondent="a", occasion=1)
        second = store.save(srs(5, 5, 5, 5), respondent="a", occasion=2)
        fix = store.amend(first, srs(2, 2, 2, 2), "q1-q4 entered from the wrong sheet")
        fix2 = store.amend(fix, srs(3, 3, 3, 3), "second look")
        current = store.history("a", "srs")
        assert [(r.id, r.values()["total"]) for r in current] == [(fix2, 12), (second, 20)]
        assert (current[0].amends, current[0].amend_reason) == (fix, "second look")
        chain = store.history("a", "srs", include_superseded=True)
        assert [(r.id, r.superseded_by) for r in chain] == [
            (first, fix),
            (fix, fix2),
            (fix2, None),
            (second, None),
        ]
        assert store.get(first).values()["total"] == 4

    @pytest.mark.parametrize(
        ("case", "message"),
        [
            ("superseded", "already amended"),
            ("other-scale", "scale"),
            ("no-reason", "reason"),
            ("unknown-id", "no record"),
        ],
    )
    def test_bad_amendments_are_refused(self, store: Store, case: str, message: str) -> None:
        """Only the latest record of a chain, with the same scale id and a reason, can be
        amended; nothing is saved otherwise."""
        first = store.save(srs(1, 1, 1, 1), respondent="a", occasion=1)
        store.amend(first, srs(2, 2, 2, 2), "fix")
        target, result, reason = {
            "superseded": (first, srs(3, 3, 3, 3), "again"),
            "other-scale": (
                first + 1,
                get_scale("ors").score({"q1": 1, "q2": 1, "q3": 1, "q4": 1}),
                "wrong scale",
            ),
            "no-reason": (first + 1, srs(3, 3, 3, 3), "  "),
            "unknown-id": (first + 1000, srs(3, 3, 3, 3), "fix"),
        }[case]
        with pytest.raises(StorageError, match=message):
            store.amend(target, result, reason)
        assert len(store.history("a", "srs", include_superseded=True)) == 2

    # -- what a save checks --

    def test_a_result_that_its_answers_do_not_give_is_refused(self, store: Store) -> None:
        """A result whose total was changed to 11 (its answers give 1 + 2 + 3 + 4 = 10) is
        refused, so every stored score is what its stored scale gives."""
        result = srs(1, 2, 3, 4)
        forged = attrs.evolve(
            result, scores={"total": attrs.evolve(result.scores["total"], value=11.0)}
        )
        with pytest.raises(StorageError, match="not what scale"):
            store.save(forged, respondent="a", occasion=1)

    @pytest.mark.parametrize("warnings", [(), ("provisional: nothing",), (["a list"],)])
    def test_a_result_whose_warnings_were_changed_is_refused(
        self, store: Store, warnings: tuple[Any, ...]
    ) -> None:
        """A result whose warnings are not its scale's (the provisional facts dropped,
        replaced, or not even text) is refused: a stored score never loses the note that it
        rests on a provisional fact."""
        forged = attrs.evolve(srs(1, 2, 3, 4), warnings=warnings)
        with pytest.raises(StorageError, match="warnings are not the ones"):
            store.save(forged, respondent="a", occasion=1)
        assert store.history("a", "srs") == []

    @pytest.mark.parametrize(
        ("answers", "ok"),
        [
            ({"q1": 1, "q2": 2, "q3": 3, "q4": 4}, True),
            ({"q1": 1.0, "q2": 2, "q3": 3, "q4": 4}, True),
            ({"q1": 1, "q2": 2, "q3": 3, "q4": 5}, False),
            ({"q1": 1, "q2": 2, "q3": 3}, False),
            ({"q1": 1, "q2": 2, "q3": 3, "q4": 4, "q9": 1}, False),
        ],
    )
    def test_answers_argument_must_agree_with_the_result(
        self, store: Store, answers: dict[str, Any], ok: bool
    ) -> None:
        """answers= is accepted when it is the result's answers (4 == 4.0) and refused when an
        item differs, is absent (absent means missing) or is not the scale's."""
        if ok:
            store.save(srs(1, 2, 3, 4), respondent="a", occasion=1, answers=answers)
        else:
            with pytest.raises(StorageError, match="answers="):
                store.save(srs(1, 2, 3, 4), respondent="a", occasion=1, answers=answers)

    @pytest.mark.parametrize(
        ("field", "value"),
        [
            ("occasion", -1),
            ("occasion", True),
            ("occasion", 2**31),
            ("respondent", ""),
            ("administered_at", dt.datetime(2024, 1, 1)),
            ("administered_by", 7),
        ],
    )
    def test_bad_metadata_is_refused(self, store: Store, field: str, value: Any) -> None:
        """Occasions are ints 0..2**31-1, respondents non-empty, timestamps timezone-aware."""
        arguments: dict[str, Any] = {"respondent": "a", "occasion": 1} | {field: value}
        with pytest.raises(StorageError):
            store.save(srs(1, 2, 3, 4), **arguments)

    def test_save_many_is_all_or_nothing(self, store: Store) -> None:
        """A batch whose third entry repeats an occasion saves nothing; an empty batch saves
        nothing and returns no ids."""
        batch = [
            Administration(result=srs(o, 0, 0, 0), respondent="a", occasion=o) for o in (1, 2, 1)
        ]
        with pytest.raises(StorageError):
            store.save_many(batch)
        assert store.history("a", "srs") == []
        ids = store.save_many(batch[:2])
        assert [r.id for r in store.history("a", "srs")] == ids
        assert store.save_many([]) == []

    # -- re-deriving --

    def test_old_version_still_rescores_its_records(self, store: Store) -> None:
        """Records scored by SRS 0.9.0 (total = mean) re-score from the stored document after the
        catalogue moved to 1.0.0 (total = sum): answers 8, 6, 7, 9 give 30 / 4 = 7.5, not 30."""
        old = old_srs()
        result = old.score({"q1": 8, "q2": 6, "q3": 7, "q4": 9})
        record_id = store.save(result, respondent="a", occasion=1, scale=old)
        assert get_scale("srs").score(dict(result.answers)).values()["total"] == 30
        assert store.rescore(record_id).values()["total"] == 7.5
        assert store.scale_for(record_id).version == "0.9.0"
        assert store.scale_for(store.get(record_id)).sha256 == old.sha256
        store.save(old.score({"q1": 1, "q2": 1, "q3": 1, "q4": 1}), respondent="a", occasion=2)

    def test_unknown_scale_document_must_be_passed(self, store: Store) -> None:
        """A result of a scale the store does not hold and the catalogue has moved on from is
        refused unless its Scale is passed as scale=."""
        result = old_srs().score({"q1": 8, "q2": 6, "q3": 7, "q4": 9})
        with pytest.raises(StorageError, match="scale="):
            store.save(result, respondent="a", occasion=1)
        with pytest.raises(StorageError, match="not the document"):
            store.save(result, respondent="a", occasion=1, scale=get_scale("srs"))

    def test_export_is_json_lines_of_documents_and_records(self, store: Store) -> None:
        """export(): a header, each scale document once (its sha256 checks out), each record."""
        first = store.save(srs(1, 1, 1, 1), respondent="a", occasion=1)
        store.save(srs(2, 2, 2, 2), respondent="b", occasion=1)
        store.amend(first, srs(3, 3, 3, 3), "fix")
        lines = list(store.export())
        assert all(line.endswith("\n") and line.count("\n") == 1 for line in lines)
        rows = [json.loads(line) for line in lines]
        assert [row["type"] for row in rows] == ["alliancekit-export", "scale", *["record"] * 3]
        document = json.dumps(
            rows[1]["document"], sort_keys=True, separators=(",", ":"), ensure_ascii=False
        ).encode()
        assert (
            hashlib.sha256(document).hexdigest()
            == rows[1]["sha256"]
            == srs(1, 1, 1, 1).scale_sha256
        )
        assert [r["scores"]["total"]["value"] for r in rows[2:]] == [4, 8, 12]
        assert rows[2]["superseded_by"] == rows[4]["id"]
        keys = {store.respondent_key("a"), store.respondent_key("b")}
        assert {r["respondent_key"] for r in rows[2:]} == keys
