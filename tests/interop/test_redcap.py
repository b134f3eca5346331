"""The REDCap bridge: a data dictionary whose calc fields score as score() does, a draft
scale document from a data dictionary, and hostile input."""

from __future__ import annotations

import csv
import io
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given, settings
from redcap_calc import evaluate, rows, run_calcs
from scoring_documents import all_scales, invented
from scoring_strategies import answers

import alliancekit as ak
from alliancekit import redcap
from alliancekit.errors import ScaleDefinitionError
from alliancekit.redcap._calc import CalcSyntaxError, parse_calc

SCALES = all_scales()
IDS = [scale.id for scale in SCALES]
HEADER_LINE = (
    '"Variable / Field Name","Form Name","Section Header","Field Type","Field Label",'
    '"Choices, Calculations, OR Slider Labels","Field Note",'
    '"Text Validation Type OR Show Slider Number","Text Validation Min","Text Validation Max",'
    'Identifier?,"Branching Logic (Show field only if...)","Required Field?","Custom Alignment",'
    '"Question Number (surveys only)","Matrix Group Name","Matrix Ranking?","Field Annotation"'
)


def _fields(scale: ak.Scale, given_answers: dict[str, Any]) -> dict[str, Fraction | None]:
    items, _ = redcap.field_names(scale, redcap_form(scale))
    return {
        items[item.id]: (
            None
            if given_answers.get(item.id) is None
            else Fraction(repr(given_answers[item.id]))
            if isinstance(given_answers[item.id], float)
            else Fraction(given_answers[item.id])
        )
        for item in scale.items
    }


def redcap_form(scale: ak.Scale) -> str:
    """The default form name: the scale id in lower case with underscores."""
    return scale.id.replace("-", "_").lower()


def test_calc_evaluator_on_hand_examples() -> None:
    """The test evaluator itself: blanks propagate through operators, sum()/mean() skip them,
    if() takes one branch, rounddown truncates."""
    data: dict[str, Fraction | None] = {"a": Fraction(2), "b": None, "c": Fraction(5)}
    assert evaluate(parse_calc("[a]+[b]"), data) is None
    assert evaluate(parse_calc("sum([a],(6-[b]),[c])"), data) == 7
    assert evaluate(parse_calc("mean([a],[c])"), data) == Fraction(7, 2)
    assert evaluate(parse_calc('if([b]<>"",1,0)+if([a]<>"",1,0)'), data) == 1
    assert evaluate(parse_calc('if([a]>=3,[a],"")'), data) == ""
    assert evaluate(parse_calc("rounddown(17.99,0)+-[a]*2"), data) == 13


def test_header_is_redcaps_exactly() -> None:
    """The first line is REDCap's 18-column header as REDCap writes it; every row has 18 cells."""
    text = redcap.to_data_dictionary(ak.get_scale("wai-sr"))
    assert text.splitlines()[0] == HEADER_LINE
    assert all(len(r) == 18 for r in csv.reader(io.StringIO(text)))


def test_wai_s_fields() -> None:
    """WAI-S: record_id, a descriptive field with the licence, radio items with 'value, label'
    choices, and a calc total with the reversed items as (8-[x])."""
    table = rows(redcap.to_data_dictionary(ak.get_scale("wai-s")))
    assert [r["Field Type"] for r in table[:3]] == ["text", "descriptive", "radio"]
    assert "SPR" in table[1]["Field Label"]
    assert table[2]["Variable / Field Name"] == "wai_s_q1"
    assert table[2]["Choices, Calculations, OR Slider Labels"].startswith("1, Never | 2, Rarely")
    (total,) = [r for r in table if r["Field Type"] == "calc"]
    calculation = total["Choices, Calculations, OR Slider Labels"]
    assert "(8-[wai_s_q4])" in calculation and "(8-[wai_s_q10])" in calculation
    assert "[wai_s_q1]+" in calculation


def test_provisional_facts_are_stated_in_the_dictionary() -> None:
    """A provisional scale's descriptive field lists every provisional fact its scores rest on,
    and each calc field's note points there; a verified scale's dictionary says neither."""
    scale = ak.get_scale("wfpts-5")
    table = rows(redcap.to_data_dictionary(scale))
    about = table[1]
    assert about["Variable / Field Name"] == "wfpts_5_about"
    assert all(warning in about["Field Label"] for warning in scale.scoring_warnings)
    assert "provisional: reverse keys (q1 reversed)" in about["Field Label"]
    (total,) = [r for r in table if r["Field Type"] == "calc"]
    assert total["Field Note"] == "score 5–25; rests on provisional facts (see wfpts_5_about)"
    verified = rows(redcap.to_data_dictionary(invented("prorated")))
    assert not any("provisional" in cell for row in verified for cell in row.values())


def test_marks_are_number_fields_with_bounds() -> None:
    """SRS marks are text fields validated as numbers 0–10, the unit in the field note."""
    table = rows(redcap.to_data_dictionary(ak.get_scale("srs"), form="SRS post"))
    mark = table[2]
    assert mark["Variable / Field Name"] == "srs_post_q1"
    assert (mark["Field Type"], mark["Text Validation Type OR Show Slider Number"]) == (
        "text",
        "number",
    )
    assert (mark["Text Validation Min"], mark["Text Validation Max"]) == ("0", "10")
    assert "cm" in mark["Field Note"]


@pytest.mark.parametrize("scale", SCALES, ids=IDS)
def test_calc_fields_score_as_score_does(scale: ak.Scale) -> None:
    """For every built-in and invented scale, each calc field (evaluated exactly) equals
    score()'s value, for complete and partial answer sets; blank exactly where score() gives
    None."""
    dictionary = redcap.to_data_dictionary(scale)
    _, score_fields = redcap.field_names(scale, redcap_form(scale))

    @settings(max_examples=40, deadline=None)
    @given(answers(scale))
    def check(given_answers: dict[str, Any]) -> None:
        data = run_calcs(dictionary, _fields(scale, given_answers))
        for score_id, score in scale.score(given_answers, notify=False).scores.items():
            value = data[score_fields[score_id]]
            assert (None if value is None else float(value)) == score.value, score_id

    check()


@pytest.mark.parametrize("scale", SCALES, ids=IDS)
def test_round_trip_scores_complete_answers_as_the_scale(scale: ak.Scale) -> None:
    """from_data_dictionary(to_data_dictionary(scale)) keeps every item and every score of items
    that is not transformed (sums, means, weighted sums; their complete-answers branch), and
    scores every complete answer set as the scale does."""
    form = redcap_form(scale)
    plain = {
        s.id
        for s in scale.scores
        if s.method in ("sum", "mean", "weighted_sum") and s.items and s.transform is None
    }
    if not plain:  # e.g. only transformed scores: nothing a REDCap sum or mean can carry
        with pytest.raises(ScaleDefinitionError, match="no calc field"):
            redcap.from_data_dictionary(redcap.to_data_dictionary(scale), form=form)
        return
    document = redcap.from_data_dictionary(redcap.to_data_dictionary(scale), form=form)
    draft = ak.load_scale(document)
    assert draft.status == "provisional"
    assert [i.id for i in draft.items] == [i.id for i in scale.items]
    assert [i.reverse for i in draft.items] == [
        i.reverse and any(i.id in s.items for s in draft.scores) for i in scale.items
    ]
    assert plain == {s.id for s in draft.scores}

    @settings(max_examples=25, deadline=None)
    @given(answers(scale, missing=False))
    def check(complete: dict[str, Any]) -> None:
        expected = scale.score(complete, notify=False).values()
        got = draft.score(complete, notify=False).values()
        assert got == {k: expected[k] for k in got}

    check()


def _dictionary(*lines: str) -> str:
    return HEADER_LINE + "\n" + "\n".join(lines) + "\n"


def _row(name: str, kind: str, label: str = "L", choices: str = "", **cells: str) -> str:
    out = io.StringIO()
    values = [
        name,
        "their_form",
        "",
        kind,
        label,
        choices,
        "",
        cells.get("validation", ""),
        cells.get("low", ""),
        cells.get("high", ""),
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
    ]
    csv.writer(out, lineterminator="").writerow(values)
    return out.getvalue()


def test_import_parses_choices_leniently() -> None:
    """Spaces around ',' and '|', HTML in labels and non-contiguous codes 0, 1, 3 are read;
    a slider is 0–100; a number field keeps its bounds; a reverse term (3-[x]) on a 0–3 item
    keys it reversed; sum() and mean() make scores."""
    text = _dictionary(
        _row("record_id", "text"),
        _row("a", "radio", "<b>First</b> &amp; more", " 0 ,Never|1,  <i>Some</i> | 3 , Always "),
        _row("b", "dropdown", "Second", "0, No | 1, Maybe | 2, Often | 3, Yes"),
        _row("s", "slider", "Mark"),
        _row("n", "text", "Number", validation="number", low="0", high="10"),
        _row("total", "calc", "Total", "[a] + (3-[b])"),
        _row("avg", "calc", "Mean", "mean([s], [n])"),
        _row("both", "calc", "Sum", "sum([a],(3-[b]))"),
    )
    document = redcap.from_data_dictionary(text, form="their_form")
    scale = ak.load_scale(document)
    a = scale.item("a")
    assert [(o.value, dict(o.label or {}).get("en")) for o in a.response_set.options] == [
        (0, "Never"),
        (1, "Some"),
        (3, "Always"),
    ]
    assert dict(a.text or {})["en"] == "First & more"
    assert scale.item("b").reverse and not a.reverse
    assert (scale.item("s").response_set.min, scale.item("s").response_set.max) == (0, 100)
    assert (scale.item("n").response_set.min, scale.item("n").response_set.max) == (0, 10)
    result = scale.score({"a": 3, "b": 0, "s": 40, "n": 7.5})
    assert result.values() == {"total": 6.0, "avg": 23.75, "both": 6.0}


def test_import_names_what_it_skips() -> None:
    """A notes field, a text field without validation, a calc that is not a sum or mean, a
    reverse term whose k is not min + max, and codes that are not numbers are each named."""
    text = _dictionary(
        _row("record_id", "text"),
        _row("a", "radio", "A", "1, x | 2, y | 3, z"),
        _row("b", "radio", "B", "1, x | 2, y | 3, z"),
        _row("words", "radio", "W", "yes, Yes | no, No"),
        _row("comment", "notes"),
        _row("free", "text"),
        _row("ok", "calc", "OK", "[a]+[b]"),
        _row("bad_k", "calc", "K", "[a]+(5-[b])"),
        _row("double", "calc", "D", "2*[a]"),
        _row("evil", "calc", "E", "__import__('os').system('x')"),
    )
    document = redcap.from_data_dictionary(text, form="their_form")
    assert [s["id"] for s in document["scores"]] == ["ok"]
    questions = "\n".join(document["verification"]["open_questions"])
    for name in ("words", "comment", "free", "bad_k", "double", "evil"):
        assert f"field {name!r} not carried over" in questions
    assert "k must be 4" in questions


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Variable,Form\nx,y\n", "wrong-header"),
        ("", "invalid-data-dictionary"),
        (
            _dictionary(_row("a", "radio", "A", "1, x | 2, y"), _row("a", "calc", "A", "[a]")),
            "duplicate-variable",
        ),
        (_dictionary("a,their_form,,radio"), "wrong-row"),
        (
            _dictionary(_row("a", "radio", "A", "1, x | 2, y")).replace("their_form", "other"),
            "unknown-form",
        ),
        (_dictionary(_row("record_id", "text"), _row("a", "notes")), "nothing-to-score"),
    ],
)
def test_bad_dictionaries_are_clear_errors(text: str, code: str) -> None:
    """A header that is not REDCap's, an empty file, duplicate variable names, a short row, an
    unknown form and a form with nothing to score raise ScaleDefinitionError with a code."""
    with pytest.raises(ScaleDefinitionError) as error:
        redcap.from_data_dictionary(text, form="their_form")
    assert code in {issue.code for issue in error.value.errors}


def test_formula_injection_is_neutralised() -> None:
    """A label that a spreadsheet would run as a formula is written with a leading apostrophe."""
    document = invented("weighted").to_dict()
    document["id"] = "hostile"
    document["items"][0]["construct"] = "=cmd|' /C calc'!A0"
    document["scores"][0]["title"] = "+SUM(A1)"
    table = rows(redcap.to_data_dictionary(ak.load_scale(document)))
    labels = [r["Field Label"] for r in table]
    assert "'=cmd|' /C calc'!A0" in labels and "'+SUM(A1)" in labels
    free_text = ("Field Label", "Field Note", "Section Header", "Field Annotation")
    assert not any(r[c].startswith(("=", "+", "-", "@")) for r in table for c in free_text)


def test_a_plugin_method_is_not_calculated(register_plugin: Any) -> None:
    """A score whose method is a plugin's is a read-only text field saying why, not a calc."""
    from alliancekit import hookimpl

    class Methods:
        @hookimpl
        def alliancekit_register_scoring_methods(self, register: Any) -> None:
            register("highest", lambda values, score: max(v for v in values if v is not None))

    register_plugin(Methods(), "maths")
    document = invented("weighted").to_dict()
    document["id"] = "peaks"
    document["scores"] = [{"id": "peak", "items": "all", "method": "highest"}]
    (peak,) = [
        r
        for r in rows(redcap.to_data_dictionary(ak.load_scale(document)))
        if r["Variable / Field Name"] == "peaks_peak"
    ]
    assert peak["Field Type"] == "text"
    assert "highest" in peak["Field Annotation"]


@pytest.mark.parametrize("text", ["[a]+", "1 +* 2", "[a][b]", "(" * 500 + "1" + ")" * 500, "x"])
def test_the_parser_refuses_what_it_does_not_know(text: str) -> None:
    """Broken, event-prefixed, too deeply nested and unknown syntax is a CalcSyntaxError."""
    with pytest.raises(CalcSyntaxError):
        parse_calc(text)


def test_variable_names_are_valid_and_unique() -> None:
    """Variable names are lower case letters, digits and underscores starting with a letter,
    and a score named like an item gets '_score'."""
    document = invented("prorated").to_dict()
    document["id"] = "Odd-Name"
    document["scores"][3]["id"] = "q1"
    scale = ak.load_scale(document)
    items, scores = redcap.field_names(scale, "9 Odd Form")
    names = [*items.values(), *scores.values()]
    assert len(set(names)) == len(names)
    assert all(n[0].isalpha() and n == n.lower() and n.replace("_", "").isalnum() for n in names)
    assert scores["q1"].endswith("_score")


def test_reverse_keys_must_be_possible_and_consistent() -> None:
    """A reverse term on options that are not symmetric (0, 1, 3) and an item reversed in one
    calc but not in another are refused, each named with its reason."""
    text = _dictionary(
        _row("record_id", "text"),
        _row("a", "radio", "A", "1, x | 2, y | 3, z"),
        _row("b", "radio", "B", "1, x | 2, y | 3, z"),
        _row("g", "radio", "G", "0, x | 1, y | 3, z"),
        _row("plain", "calc", "P", "[a]+[b]"),
        _row("flipped", "calc", "F", "[a]+(4-[b])"),
        _row("gapped", "calc", "G", "[a]+(3-[g])"),
    )
    document = redcap.from_data_dictionary(text, form="their_form")
    assert [s["id"] for s in document["scores"]] == ["plain"]
    questions = "\n".join(document["verification"]["open_questions"])
    assert "field 'flipped' not carried over: [b] is reverse keyed" in questions
    assert "field 'gapped' not carried over: reverse keying [g]" in questions
