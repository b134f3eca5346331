"""Reading and writing rows in chunks: CSV (with its quoting rules) and JSON Lines."""

from __future__ import annotations

import csv
import io
import math

import pytest
from hypothesis import given, settings, strategies as st

from alliancekit.files._csv import CsvReader, CsvWriter, InputError, JsonLinesReader, text_stream
from alliancekit.files._csv_fast import Fields, Formatter, Texts, assemble, make_grid, text_table
from alliancekit.files._streaming import read_cell


def _rows(data: bytes, *, chunk_rows: int = 3, grids: bool = False) -> list[tuple[int, list[str]]]:
    """(row number, cells) of every row, read through CsvReader."""
    reader = CsvReader(io.BytesIO(data), chunk_rows, grids=grids)
    out = []
    for chunk in reader.chunks():
        for offset in range(chunk.size):
            if chunk.grid is not None:
                cells = [chunk.grid.text(offset, c) for c in range(len(reader.header))]
            else:
                cells = [chunk.columns[name][offset] for name in reader.header]
            out.append((chunk.start + offset, cells))
    return out


def test_rows_are_numbered_from_one_across_chunks() -> None:
    """Rows count from 1 after the header, continuing across chunks of any size."""
    data = b"a,b\n" + b"".join(b"%d,x\n" % n for n in range(1, 8))
    for chunk_rows in (1, 2, 3, 100):
        assert _rows(data, chunk_rows=chunk_rows) == [(n, [str(n), "x"]) for n in range(1, 8)]


@pytest.mark.parametrize("grids", [False, True])
def test_bom_crlf_and_missing_last_newline(grids: bool) -> None:
    """A UTF-8 byte-order mark, CRLF line ends and a last line without an end are all fine."""
    reader = CsvReader(io.BytesIO(b"\xef\xbb\xbfid,q1\r\nA,1\r\nB,2"), 10, grids=grids)
    assert reader.header == ["id", "q1"]
    assert _rows(b"\xef\xbb\xbfid,q1\r\nA,1\r\nB,2", grids=grids) == [
        (1, ["A", "1"]),
        (2, ["B", "2"]),
    ]


@pytest.mark.parametrize("grids", [False, True])
def test_blank_lines_are_not_rows(grids: bool) -> None:
    """Blank lines are skipped and not counted, as the csv module skips them."""
    assert _rows(b"a,b\n\n1,2\n\n\n3,4\n", grids=grids) == [(1, ["1", "2"]), (2, ["3", "4"])]


def test_quoted_fields_follow_the_csv_module() -> None:
    """Quoted fields keep their commas, quotes and line breaks, as csv.reader reads them."""
    data = b'id,note,q1\n1,"a, b",3\n2,"say ""hi""",4\n3,"two\nlines",5\n4,plain,6\n'
    assert _rows(data, chunk_rows=2) == [
        (1, ["1", "a, b", "3"]),
        (2, ["2", 'say "hi"', "4"]),
        (3, ["3", "two\nlines", "5"]),
        (4, ["4", "plain", "6"]),
    ]


def test_ragged_rows_are_reported() -> None:
    """A row with another number of fields than the header is a problem of that row."""
    reader = CsvReader(io.BytesIO(b"a,b,c\n1,2,3\n1,2\n1,2,3,4\n"), 10)
    (chunk,) = reader.chunks()
    assert chunk.problems == {
        1: "has 2 fields but the header has 3",
        2: "has 4 fields but the header has 3",
    }


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the input is empty"),
        (b"\n\n", "the input is empty"),
        (b"a,,b\n", "header column 2 has no name"),
        (b"a,b,a\n", "the header repeats the column name 'a'"),
    ],
)
def test_bad_headers(data: bytes, message: str) -> None:
    """An empty stream, an unnamed column or a repeated name stops the reading."""
    with pytest.raises(InputError, match=message):
        CsvReader(io.BytesIO(data), 10)


def test_text_that_is_not_utf8_is_an_error() -> None:
    """Bytes that are not UTF-8 raise UnicodeDecodeError while reading."""
    with pytest.raises(UnicodeDecodeError):
        _rows(b"a,b\n\xff\xfe,1\n")


_FIELD = st.text(alphabet=st.sampled_from(list('ab,"\r\n 1.-')), max_size=5)


@settings(max_examples=150, deadline=None)
@given(
    rows=st.lists(st.lists(_FIELD, min_size=3, max_size=3), max_size=12),
    chunk_rows=st.integers(1, 5),
    line_end=st.sampled_from(["\n", "\r\n"]),
)
def test_both_readers_read_what_csv_reader_reads(
    rows: list[list[str]], chunk_rows: int, line_end: str
) -> None:
    """Whatever the quoting, line ends and chunk size, the grid reader and the text reader give
    the rows csv.reader gives (blank rows skipped), and flag the rows of another width."""
    text = io.StringIO(newline="")
    csv.writer(text, lineterminator=line_end).writerows([["x", "y", "z"], *rows])
    data = text.getvalue().encode()
    parsed = [row for row in csv.reader(io.StringIO(text.getvalue(), newline="")) if row][1:]
    for grids in (False, True):
        reader = CsvReader(io.BytesIO(data), chunk_rows, grids=grids)
        got = []
        for chunk in reader.chunks():
            for offset in range(chunk.size):
                if chunk.grid is not None:
                    got.append([chunk.grid.text(offset, c) for c in range(3)])
                elif offset in chunk.problems:
                    got.append(["malformed"])
                else:
                    got.append([chunk.columns[name][offset] for name in reader.header])
        assert got == [row if len(row) == 3 else ["malformed"] for row in parsed]


def test_json_lines() -> None:
    """Objects are rows; blank lines are skipped; bad JSON and non-objects are row problems."""
    data = '{"id": "a", "q1": 1}\n\n{"id": "b"}\n[1]\n{oops\n'
    reader = JsonLinesReader(text_stream(io.BytesIO(data.encode())), 10)
    assert reader.header == ["id", "q1"]
    (chunk,) = reader.chunks()
    assert chunk.size == 4
    assert list(chunk.columns["q1"]) == [1, None, None, None]
    assert chunk.problems[2] == "is a JSON list, not an object"
    assert chunk.problems[3].startswith("is not valid JSON")


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.lists(_FIELD, min_size=1, max_size=3), min_size=1, max_size=6).filter(
        lambda rows: len({len(r) for r in rows}) == 1
    )
)
def test_csv_writer_output_reads_back(rows: list[list[str]]) -> None:
    """Whatever CsvWriter writes (commas, quotes, bare carriage returns, a lone empty field),
    csv.reader reads back as the same rows."""
    out = io.StringIO(newline="")
    width = len(rows[0])
    writer = CsvWriter(out, [f"h{i}" for i in range(width)])
    writer.write([[row[i] for row in rows] for i in range(width)])
    back = list(csv.reader(io.StringIO(out.getvalue(), newline="")))
    assert back == [[f"h{i}" for i in range(width)], *rows]


_NUMBERISH = st.one_of(
    st.from_regex(r"[+-]?[0-9]{0,17}(\.[0-9]{0,17})?", fullmatch=True),
    st.sampled_from(["", " 4", "4 ", "NA", "nan", "inf", "1e3", "1_0", ".", "-", "+.5", "٣"]),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_NUMBERISH, min_size=1, max_size=8))
def test_grid_reads_numbers_as_parse_text_does(cells: list[str]) -> None:
    """Every cell read by the vectorised reader is the float the general path reads (NaN when
    missing, infinity when no number), to the last bit."""
    data = "".join(f"{cell},x\n" for cell in cells).encode()
    grid = make_grid(data, 2)
    assert grid is not None
    got = grid.floats([0])[:, 0].tolist()
    for cell, value in zip(cells, got, strict=True):
        expected = read_cell(cell)
        assert (math.isnan(value) and math.isnan(expected)) or repr(value) == repr(expected), cell


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.text(alphabet="ab1 é", max_size=4), st.sampled_from([1.0, 2.5, math.nan, 1 / 3])
        ),
        min_size=1,
        max_size=10,
    )
)
def test_assembled_rows_equal_joined_text(rows: list[tuple[str, float]]) -> None:
    """Rows assembled from input byte ranges and value texts equal the fields joined by commas."""
    data = "".join(f"{text},z\n" for text, _ in rows).encode()
    grid = make_grid(data, 2)
    assert grid is not None
    formatter = Formatter()
    import numpy as np

    codes = formatter.codes(np.array([[v for _, v in rows]]))
    out = assemble(
        [
            Fields(grid, grid.starts[:, 0], grid.ends[:, 0]),
            Texts(text_table(formatter.texts), codes[0]),
        ],
        len(rows),
    )
    expected = "".join(f"{t},{'' if math.isnan(v) else repr(v)}\n" for t, v in rows)
    assert out.decode() == expected


def test_assembled_field_wider_than_the_bytes_after_its_last_row() -> None:
    """A column whose widest field is wider than what follows the last row's field (the sliding
    window would run past the input) is copied exactly."""
    data = b"a,zzzz\nb,z\n"
    grid = make_grid(data, 2)
    assert grid is not None
    out = assemble([Fields(grid, grid.starts[:, 1], grid.ends[:, 1])], grid.rows)
    assert out == b"zzzz\nz\n"


class _SmallFormatter(Formatter):
    """A formatter whose table starts afresh after three values, so that tests reach it."""

    LIMIT = 3


def _check_texts(formatter: Formatter, values: list[float]) -> None:
    """Each value's code names its text: ``repr`` of the value, empty for NaN, and the text of
    0.0 for -0.0 when 0.0 came first (equal values share a text)."""
    import numpy as np

    array = np.array(values, dtype=np.float64)
    codes = formatter.codes(array)
    for value, code in zip(values, codes.tolist(), strict=True):
        text = formatter.texts[code]
        if math.isnan(value):
            assert text == b""
        elif value == 0:
            assert float(text) == 0
        else:
            assert text == repr(value).encode(), (value, text)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.lists(
            st.one_of(
                st.sampled_from([0.0, -0.0, 1.0, 2.5, 1 / 3, 40.0, math.nan]),
                st.floats(allow_infinity=False),
                st.integers(-50, 50).map(lambda n: n / 4),
            ),
            max_size=40,
        ),
        min_size=1,
        max_size=4,
    ),
    st.booleans(),
)
def test_formatter_codes_name_each_values_text(chunks: list[list[float]], small: bool) -> None:
    """Chunk after chunk, with new values, repeated values, NaN and a table that starts afresh,
    every value's code names its text, whether the hash or the sorted table found it."""
    formatter = _SmallFormatter() if small else Formatter()
    for chunk in chunks:
        _check_texts(formatter, chunk)
        _check_texts(formatter, chunk)  # again: now every value is known


def test_formatter_values_that_lose_their_hash_slot_are_still_found() -> None:
    """With a thousand known values some share a hash slot; those are found in the sorted table,
    and every code still names its value's text."""
    values = [n / 7 for n in range(1000)]
    formatter = Formatter()
    _check_texts(formatter, values)
    _check_texts(formatter, values)  # now all known: the hash finds most
    assert formatter._hash is not None
    _, keys, _ = formatter._hash
    held = {float(v) for v in keys.view("float64").tolist() if not math.isnan(v)}
    assert 0 < len(held) < len(values)  # some values lost their slot


def test_json_lines_blank_runs_longer_than_a_chunk() -> None:
    """A run of blank lines longer than a chunk does not end the stream early."""
    data = '{"q1": 1}\n' + "\n" * 10 + '{"q1": 2}\n'
    reader = JsonLinesReader(text_stream(io.BytesIO(data.encode())), 2)
    assert [list(chunk.columns["q1"]) for chunk in reader.chunks()] == [[1, 2]]


def test_csv_blank_runs_longer_than_a_chunk() -> None:
    """A run of blank lines longer than a chunk does not end the stream early (csv module path,
    chosen here by a quoted field)."""
    data = b'a,b\n"1",2\n' + b"\r\n" * 10 + b"3,4\n"
    assert _rows(data, chunk_rows=2) == [(1, ["1", "2"]), (2, ["3", "4"])]
