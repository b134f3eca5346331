"""score_spark and score_dask on real engines (a local[2] Spark session, a two-process Dask
cluster): the same scores as score_frame and Scale.score, errors raised where they belong."""

from __future__ import annotations

from typing import Any

import pytest
from frame_documents import TYPES, answer_sets, as_columns, clinic, reference
from frame_engines import engine
from frame_kinds import FrameKind

import alliancekit as ak
from alliancekit.frames import ShippedScale, output_columns, score_frame

CLINIC = clinic()
WAI_SR = ak.get_scale("wai-sr")
WAI_ITEMS = [item.id for item in WAI_SR.items]
SCORES = [score.id for score in CLINIC.scores]


def pandas_frame(sets: list[dict[str, Any]]) -> Any:
    """The answer sets as a pandas frame (nullable Int64 Likert columns, float marks)."""
    return FrameKind("pandas").make(as_columns(sets), TYPES)


def spark_rows(frame: Any, names: list[str]) -> dict[str, list[Any]]:
    """Columns of a Spark result, rows in ``id`` order."""
    rows = frame.orderBy("id").collect()
    return {name: [row[name] for row in rows] for name in names}


def test_ten_thousand_rows_agree_everywhere(spark: Any, dask_client: Any) -> None:
    """The same 10,000 answer sets with missing cells give identical scores through
    Scale.score, score_frame on pandas, Polars and Arrow, score_spark and score_dask."""
    from alliancekit.dask import score_dask
    from alliancekit.spark import score_spark

    dd = engine("dask.dataframe")
    sets = answer_sets(10_000, seed=13)
    expected = reference(CLINIC, sets)
    native = pandas_frame(sets)
    for name in ("pandas", "polars", "arrow"):
        kind = FrameKind(name)
        frame = score_frame(CLINIC, kind.make(as_columns(sets), TYPES))
        assert {s: kind.values(frame, s) for s in SCORES} == expected, name
    spark_frame = score_spark(CLINIC, spark.createDataFrame(native))
    assert spark_rows(spark_frame, SCORES) == expected, "spark"
    dask_frame = score_dask(CLINIC, dd.from_pandas(native, npartitions=4)).compute()
    pandas = FrameKind("pandas")
    assert {s: pandas.values(dask_frame, s) for s in SCORES} == expected, "dask"


# -- Spark ---------------------------------------------------------------------------------------


def test_spark_keeps_columns_and_types(spark: Any) -> None:
    """The Spark result has the input columns (an id and text kept as they were) and one
    double column per score, named with the prefix."""
    from alliancekit.spark import score_spark

    rows = [(f"c{r}", *([r % 5 + 1] * 12)) for r in range(6)]
    frame = spark.createDataFrame(rows, ["client", *WAI_ITEMS])
    scored = score_spark(WAI_SR, frame, prefix="wai_")
    added = [f"wai_{s.id}" for s in WAI_SR.scores]
    assert scored.columns == ["client", *WAI_ITEMS, *added]
    assert {scored.schema[name].dataType.typeName() for name in added} == {"double"}
    got = {row["client"]: row["wai_total"] for row in scored.collect()}
    assert got == {f"c{r}": 12.0 * (r % 5 + 1) for r in range(6)}


def test_spark_mapped_columns_and_details(spark: Any) -> None:
    """``columns``, ``details`` and ``on_error="null"`` behave as in score_frame; the error
    text names the Spark partition too (row 7 of 300 is in the first of two)."""
    from alliancekit.spark import score_spark

    sets = answer_sets(300, seed=5, missing=0.4)
    sets[7]["q2"] = 9
    native = pandas_frame(sets).rename(columns={"m1": "VAS_1"})
    options: dict[str, Any] = {"columns": {"m1": "VAS_1"}, "details": True, "on_error": "null"}
    expected = score_frame(CLINIC, native, **options)
    scored = score_spark(CLINIC, spark.createDataFrame(native), **options)
    names = output_columns(CLINIC, details=True, on_error="null")
    pandas = FrameKind("pandas")
    errors = ["Spark partition 0, " + e if e else e for e in pandas.values(expected, "error")]
    assert spark_rows(scored, names) == {
        **{name: pandas.values(expected, name) for name in names},
        "error": errors,
    }
    assert spark_rows(scored, ["error"])["error"][7].endswith("(got 9)")


def test_spark_chunks_span_batches_and_partitions(spark: Any) -> None:
    """Chunks of ``batch_rows`` gather several of Spark's 1,500-row Arrow batches (and end
    with a partition's remainder): every chunk size gives the scores of Scale.score."""
    from alliancekit.spark import score_spark

    sets = answer_sets(7_000, seed=21)
    expected = reference(CLINIC, sets)
    frame = spark.createDataFrame(pandas_frame(sets)).repartition(3)
    for batch_rows in (1, 2_000, 100_000):
        scored = score_spark(CLINIC, frame, batch_rows=batch_rows)
        assert spark_rows(scored, SCORES) == expected, batch_rows
    for wrong in (0, -5, 2.5, True):
        with pytest.raises(ValueError, match="batch_rows must be a positive int"):
            score_spark(CLINIC, frame, batch_rows=wrong)


def test_spark_checks_columns_at_once(spark: Any) -> None:
    """Column problems are raised by score_spark itself, before any job runs."""
    from alliancekit.spark import score_spark

    frame = spark.createDataFrame([(1,) * 11], WAI_ITEMS[:11])
    with pytest.raises(ValueError, match=r"no column for item 'q12'"):
        score_spark(WAI_SR, frame)
    text = spark.createDataFrame([("1",) * 12], WAI_ITEMS)
    with pytest.raises(ak.ResponseError, match=r"column 'q1' must be numeric"):
        score_spark(WAI_SR, text)


def test_spark_bad_cell_fails_the_job(spark: Any) -> None:
    """A bad cell fails the Spark action with the ResponseError's message."""
    from alliancekit.spark import score_spark

    errors = engine("pyspark.errors")
    frame = spark.createDataFrame([tuple([2] * 11 + [6])], WAI_ITEMS)
    scored = score_spark(WAI_SR, frame)
    with pytest.raises(
        errors.PythonException, match=r"column 'q12': 'q12' must be one of"
    ) as caught:
        scored.collect()
    assert "alliancekit.errors.ResponseError" in str(caught.value)


def test_spark_names_a_bad_cell_by_partition_and_row(spark: Any) -> None:
    """A bad cell is named by its partition and its row within the partition, not within the
    chunk that scored it: row 3,200 of one partition lies in the third chunk of 1,000 rows or
    more (Spark's batches here are 1,500 rows), both when the job fails and in the ``error``
    column."""
    from alliancekit.spark import score_spark

    errors = engine("pyspark.errors")
    rows = [tuple([2] * 12) for _ in range(5_000)]
    rows[3_200] = tuple([2] * 11 + [6])
    frame = spark.createDataFrame(rows, WAI_ITEMS).coalesce(1)
    located = r"Spark partition 0, row 3200, column 'q12': 'q12' must be one of"
    with pytest.raises(errors.PythonException, match=located):
        score_spark(WAI_SR, frame, batch_rows=1_000).collect()
    scored = score_spark(WAI_SR, frame, batch_rows=1_000, on_error="null").collect()
    assert [row["error"] for row in scored if row["error"]] == [
        "Spark partition 0, row 3200, column 'q12': " + scored[3_200]["error"].split(": ", 1)[1]
    ]


# -- Dask ----------------------------------------------------------------------------------------


def test_dask_meta_matches_partitions(dask_client: Any) -> None:
    """The lazy frame's meta has the computed frame's columns and dtypes."""
    from alliancekit.dask import score_dask

    dd = engine("dask.dataframe")
    lazy = score_dask(CLINIC, dd.from_pandas(pandas_frame(answer_sets(200, 3)), npartitions=3))
    computed = lazy.compute()
    assert list(lazy.columns) == list(computed.columns)
    assert lazy.dtypes.to_dict() == computed.dtypes.to_dict()


def test_dask_keeps_the_index(dask_client: Any) -> None:
    """Each partition keeps its index: row r of the result is row r of the input."""
    from alliancekit.dask import score_dask

    dd = engine("dask.dataframe")
    native = FrameKind("pandas").make({i: [r % 5 + 1 for r in range(40)] for i in WAI_ITEMS})
    computed = score_dask(WAI_SR, dd.from_pandas(native, npartitions=4)).compute()
    assert computed.index.tolist() == list(range(40))
    assert computed["total"].tolist() == [12.0 * (r % 5 + 1) for r in range(40)]


def test_dask_checks_columns_at_once(dask_client: Any) -> None:
    """Column problems are raised by score_dask itself, on the frame's meta."""
    from alliancekit.dask import score_dask

    dd = engine("dask.dataframe")
    native = FrameKind("pandas").make({i: [1] for i in WAI_ITEMS})
    with pytest.raises(ValueError, match=r"already has column 'total'"):
        score_dask(WAI_SR, dd.from_pandas(native.assign(total=1.0), npartitions=1))


def test_dask_bad_cell_raises_on_compute(dask_client: Any) -> None:
    """A bad cell raises the ResponseError when the result is computed."""
    from alliancekit.dask import score_dask

    dd = engine("dask.dataframe")
    native = FrameKind("pandas").make({i: [1, 1, 1, 1] for i in WAI_ITEMS})
    native.loc[3, "q6"] = 0
    lazy = score_dask(WAI_SR, dd.from_pandas(native, npartitions=2))
    # rows 2 and 3 are the second partition: row 3 is its row 1
    located = r"Dask partition 1, row 1, column 'q6': 'q6' must be one of"
    with pytest.raises(ak.ResponseError, match=located):
        lazy.compute()


# -- the scale on its way -------------------------------------------------------------------------


def test_shipped_scale_loads_the_same_scale() -> None:
    """A shipped scale loads as an equal scale with the same sha256."""
    shipped = ShippedScale.of(CLINIC)
    loaded = shipped.load()
    assert loaded == CLINIC
    assert loaded.sha256 == CLINIC.sha256


def test_shipped_scale_checks_its_sha256() -> None:
    """A document that does not match its sha256 is refused where it is loaded."""
    other = ShippedScale.of(WAI_SR)
    forged = ShippedScale(document=other.document, sha256="0" * 64)
    with pytest.raises(ValueError, match="not the shipped 0000"):
        forged.load()
