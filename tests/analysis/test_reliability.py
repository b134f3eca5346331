"""Specification of :func:`alliancekit.analysis.reliability`.

The reference values in ``tests/data/psych/reference.json`` were computed by R's psych package
(``Rscript tests/data/psych/reference.R``), never by this code.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings, strategies as st

from alliancekit.analysis import Reliability, reliability
from alliancekit.document import Scale
from alliancekit.errors import ResponseError

np = pytest.importorskip("numpy")

PSYCH_DIR = Path(__file__).resolve().parents[1] / "data" / "psych"
TOLERANCE = 1e-9
SCALAR_STATS = ("alpha", "standardized_alpha", "average_r", "sem", "omega")
ITEM_STATS = ("item_total", "alpha_if_deleted")
CASES = ("complete", "small", "reversed", "missing-pairwise", "missing-listwise")


def _read_table(name: str) -> Any:
    """A psych data set as a NumPy array in item order (an empty cell is NaN)."""
    return np.genfromtxt(PSYCH_DIR / name, delimiter=",", skip_header=1)


def _case(reference: dict[str, Any], case_id: str) -> dict[str, Any]:
    return next(case for case in reference["cases"] if case["id"] == case_id)


@pytest.fixture(scope="module")
def analysed(
    psych_reference: dict[str, Any], make_scale: Callable[..., Scale]
) -> Callable[[str], tuple[Reliability, dict[str, Any]]]:
    """Analyse one reference case as reference.R did; return our result and R's values.

    Results are kept for the module: every statistic of a case is checked against one analysis.
    """
    results: dict[str, tuple[Reliability, dict[str, Any]]] = {}

    def run(case_id: str) -> tuple[Reliability, dict[str, Any]]:
        if case_id not in results:
            case = _case(psych_reference, case_id)
            scale = make_scale(reverse=case["reverse"])
            table = _read_table(case["file"])
            results[case_id] = reliability(scale, table, missing=case["missing"]), case
        return results[case_id]

    return run


# -- agreement with R's psych ---------------------------------------------------------------


@pytest.mark.parametrize("statistic", SCALAR_STATS)
@pytest.mark.parametrize("case_id", CASES)
def test_scalar_statistic_matches_psych(
    analysed: Callable[[str], tuple[Reliability, dict[str, Any]]], case_id: str, statistic: str
) -> None:
    """Each whole-scale statistic agrees with R to 1e-9 (omega: with the converged minres fit)."""
    result, case = analysed(case_id)
    assert getattr(result, statistic) == pytest.approx(case[statistic], abs=TOLERANCE, rel=0)


@pytest.mark.parametrize("statistic", ITEM_STATS)
@pytest.mark.parametrize("case_id", CASES)
def test_item_statistic_matches_psych(
    analysed: Callable[[str], tuple[Reliability, dict[str, Any]]], case_id: str, statistic: str
) -> None:
    """Item-rest r (psych's r.drop) and alpha if deleted agree with R to 1e-9, item by item."""
    result, case = analysed(case_id)
    ours = getattr(result, statistic)
    assert list(ours) == list(case[statistic])
    for item, expected in case[statistic].items():
        assert ours[item] == pytest.approx(expected, abs=TOLERANCE, rel=0), item


@pytest.mark.parametrize("case_id", CASES)
def test_feldt_interval_matches_psych(
    analysed: Callable[[str], tuple[Reliability, dict[str, Any]]], case_id: str
) -> None:
    """The 95 % Feldt interval agrees with psych's ``$feldt`` bounds to 1e-9."""
    result, case = analysed(case_id)
    assert result.alpha_ci == pytest.approx(tuple(case["alpha_ci"]), abs=TOLERANCE, rel=0)


@pytest.mark.parametrize("case_id", CASES)
def test_feldt_interval_at_other_confidence_matches_psych(
    psych_reference: dict[str, Any],
    psych_table: Callable[[str], Any],
    make_scale: Callable[..., Scale],
    case_id: str,
) -> None:
    """``confidence=0.90`` gives psych's ``alpha.ci(p.val = 0.10)`` to 1e-9."""
    case = _case(psych_reference, case_id)
    result = reliability(
        make_scale(reverse=case["reverse"]),
        psych_table(case["file"]),
        missing=case["missing"],
        confidence=0.90,
    )
    assert result.alpha_ci == pytest.approx(tuple(case["alpha_ci_90"]), abs=TOLERANCE, rel=0)
    assert result.confidence == 0.90


@pytest.mark.parametrize("case_id", CASES)
def test_n_matches_psych(
    analysed: Callable[[str], tuple[Reliability, dict[str, Any]]], case_id: str
) -> None:
    """``n`` is the number of respondents psych used."""
    result, case = analysed(case_id)
    assert result.n == case["n"]


@pytest.mark.parametrize("case_id", CASES)
def test_omega_is_within_psych_optimizer_tolerance(
    analysed: Callable[[str], tuple[Reliability, dict[str, Any]]], case_id: str
) -> None:
    """psych's own ``omega.tot`` stops its L-BFGS-B early; ours lies within 1e-8 of it.

    The reference file records the largest gap psych leaves to the converged solution
    (``omega_psych_minres_max_gap``, about 6e-9), hence the looser bound for this comparison.
    """
    result, case = analysed(case_id)
    assert result.omega == pytest.approx(case["omega_psych_minres"], abs=1e-8, rel=0)


@pytest.mark.parametrize("case_id", ["complete", "missing-pairwise", "missing-listwise"])
def test_block_by_block_accumulation_matches_psych(
    psych_reference: dict[str, Any],
    make_scale: Callable[..., Scale],
    monkeypatch: pytest.MonkeyPatch,
    case_id: str,
) -> None:
    """Large tables are read in blocks; with blocks of 7 rows (300 = 42 * 7 + 6, so a short last
    block) every statistic still agrees with R."""
    from alliancekit.analysis import _matrices

    monkeypatch.setattr(_matrices, "_BLOCK_ROWS", 7)
    monkeypatch.setattr(_matrices, "_PAIRWISE_BLOCK_ROWS", 7)
    case = _case(psych_reference, case_id)
    result = reliability(make_scale(), _read_table(case["file"]), missing=case["missing"])
    for statistic in SCALAR_STATS:
        assert getattr(result, statistic) == pytest.approx(case[statistic], abs=TOLERANCE, rel=0)
    for item, expected in case["item_total"].items():
        assert result.item_total[item] == pytest.approx(expected, abs=TOLERANCE, rel=0)
    assert result.n == case["n"]


# -- a worked example -----------------------------------------------------------------------


def test_hand_worked_example(make_scale: Callable[..., Scale]) -> None:
    """Three items, four respondents, worked out by hand.

    Answers (q1, q2, q3): (1, 2, 2), (2, 3, 2), (4, 4, 5), (5, 3, 3). Every item mean is 3.
    Deviations: q1 -2 -1 1 2, q2 -1 0 1 0, q3 -1 -1 2 0. With n - 1 = 3:
    var q1 = 10/3, var q2 = 2/3, var q3 = 6/3; cov q1q2 = 3/3, cov q1q3 = 5/3, cov q2q3 = 3/3.
    Totals 5, 7, 13, 11 (mean 9, deviations -4 -2 4 2): var = 40/3 = sum of the matrix.
    alpha = 3/2 * (1 - (18/3) / (40/3)) = 3/2 * 22/40 = 0.825.
    q1 against q2 + q3: cov = 1 + 5/3 = 8/3, var(q2 + q3) = 2/3 + 2 + 2 = 14/3,
    r = (8/3) / sqrt(10/3 * 14/3) = 8 / sqrt(140); alpha without q1 = 2 * (1 - (8/3)/(14/3)) = 6/7.
    SEM = sqrt(40/3) * sqrt(1 - 0.825) = sqrt(7/3).
    """
    scale = make_scale(3)
    result = reliability(scale, [[1, 2, 2], [2, 3, 2], [4, 4, 5], [5, 3, 3]])
    assert result.alpha == pytest.approx(0.825, rel=1e-12)
    assert result.item_total["q1"] == pytest.approx(8 / math.sqrt(140), rel=1e-12)
    assert result.alpha_if_deleted["q1"] == pytest.approx(6 / 7, rel=1e-12)
    assert result.sem == pytest.approx(math.sqrt(7 / 3), rel=1e-12)
    assert result.n == 4


# -- missing answers --------------------------------------------------------------------------


def test_pairwise_and_listwise_differ_on_missing_data(
    psych_table: Callable[[str], Any], make_scale: Callable[..., Scale]
) -> None:
    """With missing answers, pairwise keeps every respondent and gives another alpha."""
    table = psych_table("missing.csv")
    pairwise = reliability(make_scale(), table)
    listwise = reliability(make_scale(), table, missing="listwise")
    assert (pairwise.n, listwise.n) == (300, 152)
    assert abs(pairwise.alpha - listwise.alpha) > 1e-3


def test_listwise_is_the_analysis_of_complete_rows(
    psych_table: Callable[[str], Any], make_scale: Callable[..., Scale]
) -> None:
    """``missing="listwise"`` is the same as dropping every incomplete respondent first."""
    table = psych_table("missing.csv")
    complete_rows = table[~np.isnan(table).any(axis=1)]
    listwise = reliability(make_scale(), table, missing="listwise")
    dropped = reliability(make_scale(), complete_rows)
    assert attrs.evolve(dropped, missing="listwise") == listwise


def test_pairwise_equals_listwise_without_missing_answers(
    psych_table: Callable[[str], Any], make_scale: Callable[..., Scale]
) -> None:
    """On complete data the two rules are the same analysis."""
    table = psych_table("complete.csv")
    pairwise = reliability(make_scale(), table)
    listwise = reliability(make_scale(), table, missing="listwise")
    assert attrs.evolve(pairwise, missing="listwise") == listwise


def test_respondent_without_answers_is_not_counted(make_scale: Callable[..., Scale]) -> None:
    """A respondent who answered none of the score's items adds nothing, not even to ``n``."""
    scale = make_scale(3)
    rows = [{"q1": 1, "q2": 2, "q3": 2}, {"q1": 2, "q2": 3, "q3": 2}, {"q1": 4, "q2": 4, "q3": 5}]
    with_blank = reliability(scale, [*rows, {"q1": None}, {}])
    assert _close(with_blank, reliability(scale, rows))
    assert with_blank.n == 3


# -- input shapes -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["missing.csv", "complete.csv"])
def test_mappings_and_array_give_the_same_result(
    psych_answers: Callable[[str], list[dict[str, int | None]]],
    psych_table: Callable[[str], Any],
    make_scale: Callable[..., Scale],
    name: str,
) -> None:
    """Answer mappings (None = missing) and a NaN array of the same answers agree exactly."""
    scale = make_scale()
    assert reliability(scale, psych_answers(name)) == reliability(scale, psych_table(name))


def test_mappings_may_leave_out_keys_and_order_them_freely(
    make_scale: Callable[..., Scale],
) -> None:
    """A missing key is a missing answer; key order does not matter."""
    scale = make_scale(3)
    table = [[1, 2, 2], [2, 3, float("nan")], [4, 4, 5], [5, 3, 3], [1, 1, 2]]
    mappings = [
        {"q3": 2, "q2": 2, "q1": 1},
        {"q2": 3, "q1": 2},
        {"q1": 4, "q3": 5, "q2": 4},
        {"q1": 5, "q2": 3, "q3": 3},
        {"q1": 1, "q2": 1, "q3": 2},
    ]
    assert reliability(scale, mappings) == reliability(scale, table)


def test_lists_of_rows_with_none_are_accepted(make_scale: Callable[..., Scale]) -> None:
    """A table given as Python lists may use None for a missing answer."""
    scale = make_scale(3)
    rows: list[list[float | None]] = [[1, 2, 2], [2, 3, None], [4, 4, 5], [5, 3, 3], [1, 1, 2]]
    expected = reliability(scale, np.array(rows, dtype=float))
    assert reliability(scale, rows) == expected
    assert reliability(scale, iter(rows)) == expected


def test_score_selects_its_items(
    psych_answers: Callable[[str], list[dict[str, int | None]]],
    psych_table: Callable[[str], Any],
    make_scale: Callable[..., Scale],
) -> None:
    """``score=`` analyses only that score's items: mappings are cut down, arrays must match."""
    scores = [
        {"id": "total", "method": "sum", "items": "all"},
        {"id": "part", "method": "sum", "items": ["q2", "q5", "q9"]},
    ]
    scale = make_scale(scores=scores)
    result = reliability(scale, psych_answers("complete.csv"), "part")
    assert result.items == ("q2", "q5", "q9")
    columns = psych_table("complete.csv")[:, [1, 4, 8]]
    assert reliability(scale, columns, "part") == result


def test_score_built_from_scores_uses_all_their_items(
    psych_table: Callable[[str], Any], make_scale: Callable[..., Scale]
) -> None:
    """A score of subscales is analysed over the union of the subscales' items."""
    scores = [
        {"id": "a", "method": "sum", "items": [f"q{i}" for i in range(1, 7)]},
        {"id": "b", "method": "sum", "items": [f"q{i}" for i in range(7, 13)]},
        {"id": "total", "method": "sum", "scores": ["a", "b"]},
    ]
    table = psych_table("complete.csv")
    combined = reliability(make_scale(scores=scores), table)
    assert combined.items == tuple(f"q{i}" for i in range(1, 13))
    assert attrs.evolve(combined, scale_id="x") == attrs.evolve(
        reliability(make_scale(), table), scale_id="x"
    )


# -- reverse keys -----------------------------------------------------------------------------


def test_reverse_keys_come_from_the_scale(
    psych_table: Callable[[str], Any], make_scale: Callable[..., Scale]
) -> None:
    """Raw answers of reverse-keyed items are recoded min + max - x by the scale's keys.

    Analysing reversed.csv with q3 and q7 keyed ``reverse`` equals analysing the recoded data
    (6 - x) with an unkeyed scale, and differs from ignoring the keys.
    """
    raw = psych_table("reversed.csv")
    recoded = raw.copy()
    recoded[:, [2, 6]] = 6 - recoded[:, [2, 6]]
    keyed = reliability(make_scale(reverse=["q3", "q7"]), raw)
    assert _close(keyed, reliability(make_scale(), recoded))
    ignored = reliability(make_scale(), raw)
    assert ignored.alpha < keyed.alpha - 0.05
    assert ignored.item_total["q3"] < 0 < keyed.item_total["q3"]


def _close(a: Reliability, b: Reliability, tolerance: float = 1e-12) -> bool:
    """Whether two results agree in every statistic to ``tolerance``."""
    if (a.items, a.n) != (b.items, b.n):
        return False
    pairs = [(getattr(a, s), getattr(b, s)) for s in SCALAR_STATS]
    pairs += list(zip(a.alpha_ci, b.alpha_ci, strict=True))
    for statistic in ITEM_STATS:
        pairs += [(getattr(a, statistic)[i], getattr(b, statistic)[i]) for i in a.items]
    return all(
        math.isclose(x, y, rel_tol=tolerance, abs_tol=tolerance) or (x != x and y != y)
        for x, y in pairs
    )


# -- errors -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "code", "item"),
    [
        ({"q1": 1, "q99": 3}, "unknown-item", "q99"),
        ({"q1": True}, "boolean-not-allowed", "q1"),
        ({"q2": np.bool_(False)}, "boolean-not-allowed", "q2"),
        ({"q1": "4"}, "wrong-type", "q1"),
        ({"q1": 6}, "out-of-range", "q1"),
        ({"q3": 0}, "out-of-range", "q3"),
        ({"q1": float("nan")}, "not-finite", "q1"),
        ({"q1": float("inf")}, "not-finite", "q1"),
    ],
)
def test_bad_mapping_answer_is_a_response_error(
    make_scale: Callable[..., Scale], answers: dict[str, Any], code: str, item: str
) -> None:
    """A bad answer in a mapping raises ResponseError naming the item and a stable code."""
    rows = [{"q1": 1, "q2": 2, "q3": 3}, {"q1": 2, "q2": 2, "q3": 4}, answers]
    with pytest.raises(ResponseError) as caught:
        reliability(make_scale(3), rows)
    [issue] = caught.value.issues
    assert (issue.code, issue.item_id) == (code, item)
    assert "respondent 3" in issue.message  # respondents count from 1


@pytest.mark.parametrize(
    ("table", "code", "item"),
    [
        ([[1, 2, 3], [2, True, 4], [3, 3, 3]], "boolean-not-allowed", "q2"),
        ([[1, 2, 3], [2, "2", 4], [3, 3, 3]], "wrong-type", "q2"),
        (np.array([[1, 2, 3], [2, 2, 9], [3, 3, 3]]), "out-of-range", "q3"),
        (np.array([[1, 2, 3], [2, 2, np.inf], [3, 3, 3]]), "not-finite", "q3"),
        (np.array([[1, 2, 3], [2, 2, 3], [3, 3, 3]], dtype=bool), "boolean-not-allowed", "*"),
    ],
)
def test_bad_table_cell_is_a_response_error(
    make_scale: Callable[..., Scale], table: Any, code: str, item: str
) -> None:
    """A bad cell of a table raises ResponseError naming the column's item and a stable code."""
    with pytest.raises(ResponseError) as caught:
        reliability(make_scale(3), table)
    assert [(i.code, i.item_id) for i in caught.value.issues] == [(code, item)]


def test_response_error_is_a_value_error(make_scale: Callable[..., Scale]) -> None:
    """Callers that catch ValueError also catch bad answers."""
    with pytest.raises(ValueError, match="q7"):
        reliability(make_scale(3), [{"q7": 1}])


def test_many_bad_answers_are_reported_up_to_a_limit(make_scale: Callable[..., Scale]) -> None:
    """A large batch of bad answers is reported by its first 20 problems, not all of them."""
    rows = [{"q1": True} for _ in range(100)]
    with pytest.raises(ResponseError) as caught:
        reliability(make_scale(3), rows)
    assert len(caught.value.issues) == 20


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"score": "nope"}, "has no score 'nope'"),
        ({"missing": "casewise"}, "missing must be"),
        ({"confidence": 1.0}, "confidence must be"),
        ({"confidence": 0.0}, "confidence must be"),
    ],
)
def test_bad_arguments_are_value_errors(
    make_scale: Callable[..., Scale], kwargs: dict[str, Any], message: str
) -> None:
    """An unknown score, missing-data rule or a confidence outside (0, 1) is refused."""
    with pytest.raises(ValueError, match=message):
        reliability(make_scale(3), [[1, 2, 3], [2, 3, 4]], **kwargs)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"q1": 1, "q2": 2}, "not a single dict"),
        ("1,2,3", "not a single str"),
        (np.ones((4, 2)), r"3 columns \(q1, q2, q3\)"),
        (np.ones(3), "3 columns"),
        ([[1, 2, 3], [1, 2]], "row 2 of the table has 2 values"),
        ([{"q1": 1}, [1, 2, 3]], "mixes answer mappings"),
        (42, "must be iterable"),
        ([], "no respondents"),
        (np.empty((0, 3)), "answered together by 0"),
    ],
)
def test_data_of_the_wrong_shape_is_refused(
    make_scale: Callable[..., Scale], data: Any, message: str
) -> None:
    """Data that is neither answer mappings nor a table of the score's columns is a ValueError."""
    with pytest.raises(ValueError, match=message):
        reliability(make_scale(3), data)


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ([[1, 2, 3]], "answered together by 1 respondent"),
        ([[1, 2, 3], [1, 3, 4], [1, 4, 2]], "item 'q1' has no variance"),
        ([[1, 2, np.nan], [2, np.nan, 4], [3, 3, np.nan]], "'q2' and 'q3'"),
        ([[1, 2, 3], [2, 2, 4], [3, 5, 5], [1, 2, 1]], None),
    ],
)
def test_data_too_thin_for_the_statistics_is_refused(
    make_scale: Callable[..., Scale], table: list[list[float]], message: str | None
) -> None:
    """Fewer than two respondents for a pair, or an item that does not vary, is a ValueError.

    The last row of the table is a control: the same shape of data with enough variation works.
    """
    if message is None:
        assert reliability(make_scale(3), table).n == 4
        return
    with pytest.raises(ValueError, match=message):
        reliability(make_scale(3), table)


def test_score_of_one_item_is_refused(make_scale: Callable[..., Scale]) -> None:
    """Alpha needs at least two items."""
    scores = [
        {"id": "total", "method": "sum", "items": "all"},
        {"id": "one", "method": "sum", "items": ["q1"]},
    ]
    with pytest.raises(ValueError, match="at least two"):
        reliability(make_scale(3, scores=scores), [[1], [2]], "one")


def test_two_items_have_no_alpha_if_deleted(make_scale: Callable[..., Scale]) -> None:
    """With two items, dropping one leaves no alpha (NaN; psych prints a covariance ratio)."""
    result = reliability(make_scale(2), [[1, 2], [2, 2], [3, 5], [5, 4]])
    assert all(math.isnan(v) for v in result.alpha_if_deleted.values())
    assert result.to_dict()["items"][0]["alpha_if_deleted"] is None


def test_missing_numpy_is_a_clear_import_error(
    make_scale: Callable[..., Scale], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without NumPy, reliability names the extra to install."""
    monkeypatch.setitem(__import__("sys").modules, "numpy", None)
    with pytest.raises(ImportError, match=r"alliancekit\[fast\]"):
        reliability(make_scale(3), [[1, 2, 3], [2, 3, 4]])


# -- the result -------------------------------------------------------------------------------


def test_result_is_immutable(make_scale: Callable[..., Scale]) -> None:
    """A Reliability cannot be changed, nor can its per-item mappings."""
    result = reliability(make_scale(3), [[1, 2, 2], [2, 3, 2], [4, 4, 5], [5, 3, 3]])
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        result.alpha = 1.0  # type: ignore[misc]
    with pytest.raises(TypeError):
        result.item_total["q1"] = 1.0  # type: ignore[index]


def test_to_dict_is_json_ready(make_scale: Callable[..., Scale]) -> None:
    """``to_dict`` gives plain data that JSON can encode, with the statistics unchanged."""
    result = reliability(make_scale(3), [[1, 2, 2], [2, 3, 2], [4, 4, 5], [5, 3, 3]])
    data = json.loads(json.dumps(result.to_dict(), allow_nan=False))
    assert data["alpha"] == result.alpha
    assert [item["id"] for item in data["items"]] == ["q1", "q2", "q3"]
    assert data["alpha_ci"] == list(result.alpha_ci)


# -- properties -------------------------------------------------------------------------------


def _one_factor_table(seed: int, n: int, k: int) -> Any:
    """Answers with a common factor, so no statistic is degenerate (a fixture for properties)."""
    rng = np.random.default_rng(seed)
    loadings = rng.uniform(0.4, 0.9, k)
    latent = rng.standard_normal((n, 1)) * loadings + rng.standard_normal((n, k)) * np.sqrt(
        1 - loadings**2
    )
    return np.round(latent * 10, 1)


tables = st.builds(
    _one_factor_table,
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(8, 60),
    k=st.integers(3, 7),
)


@settings(max_examples=25, deadline=None)
@given(table=tables, data=st.data())
def test_shifting_an_item_changes_nothing(
    make_scale: Callable[..., Scale], table: Any, data: st.DataObject
) -> None:
    """Every statistic depends on the data only through covariances and correlations, so adding
    a constant to every answer of one item leaves all of them unchanged."""
    scale = make_scale(table.shape[1], low=-1000, high=1000, continuous=True)
    item = data.draw(st.integers(0, table.shape[1] - 1))
    shifted = table.copy()
    shifted[:, item] += data.draw(st.integers(-500, 500))
    assert _close(reliability(scale, table), reliability(scale, shifted), 1e-9)


@settings(max_examples=25, deadline=None)
@given(table=tables, data=st.data())
def test_rescaling_an_item_keeps_correlation_statistics(
    make_scale: Callable[..., Scale], table: Any, data: st.DataObject
) -> None:
    """Multiplying one item by a positive constant changes no correlation, so standardized
    alpha, the average correlation and omega stay; raw alpha is a covariance statistic and may
    move."""
    scale = make_scale(table.shape[1], low=-1000, high=1000, continuous=True)
    item = data.draw(st.integers(0, table.shape[1] - 1))
    scaled = table.copy()
    scaled[:, item] *= data.draw(st.sampled_from([0.1, 0.5, 2.0, 7.0]))
    before, after = reliability(scale, table), reliability(scale, scaled)
    for statistic in ("standardized_alpha", "average_r", "omega"):
        assert math.isclose(
            getattr(before, statistic), getattr(after, statistic), rel_tol=1e-9, abs_tol=1e-9
        ), statistic


@settings(max_examples=20, deadline=None)
@given(table=tables, data=st.data())
def test_order_of_respondents_does_not_matter(
    make_scale: Callable[..., Scale], table: Any, data: st.DataObject
) -> None:
    """Shuffling the respondents changes no statistic."""
    scale = make_scale(table.shape[1], low=-1000, high=1000, continuous=True)
    order = data.draw(st.permutations(range(table.shape[0])))
    assert _close(reliability(scale, table), reliability(scale, table[list(order)]), 1e-9)
