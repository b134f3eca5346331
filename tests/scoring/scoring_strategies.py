"""Hypothesis strategies for the scoring tests: valid answers (with or without missing ones),
bad values per kind of response set, and text cells as files give them.

Written for these tests while ``alliancekit.testing.strategies`` was being built in parallel; the
two can be merged (this one adds marks with up to three decimals, a ``dense`` mode and cells).
"""

from __future__ import annotations

import math
from typing import Any

from hypothesis import strategies as st

from alliancekit.document import Scale
from alliancekit.model import ResponseSet


def valid_value(response_set: ResponseSet) -> st.SearchStrategy[int | float]:
    """A valid answer: an option, or a mark (an end, a whole number, or 1 to 3 decimals)."""
    if response_set.kind == "ordinal":
        return st.sampled_from(sorted(response_set.values))
    low, high = response_set.min, response_set.max
    assert low is not None and high is not None
    decimals = st.integers(0, 3).flatmap(
        lambda d: st.integers(math.ceil(low * 10**d), math.floor(high * 10**d)).map(
            lambda k: k / 10**d
        )
    )
    return st.one_of(st.sampled_from([low, high]), decimals.filter(lambda v: low <= v <= high))


def answers(scale: Scale, *, missing: bool = True) -> st.SearchStrategy[dict[str, Any]]:
    """Answer mappings in item order; with ``missing``, each item may be ``None`` or absent."""
    values = [valid_value(item.response_set) for item in scale.items]
    if not missing:
        return st.tuples(*values).map(
            lambda vs: dict(zip([i.id for i in scale.items], vs, strict=True))
        )
    holes = st.sampled_from(["answered"] * 6 + ["none", "absent"])
    return st.tuples(*[st.tuples(v, holes) for v in values]).map(
        lambda pairs: {
            item.id: (value if hole == "answered" else None)
            for item, (value, hole) in zip(scale.items, pairs, strict=True)
            if hole != "absent"
        }
    )


def bad_value(response_set: ResponseSet) -> st.SearchStrategy[tuple[Any, str]]:
    """A value the item must reject, with the issue code it must get."""
    finite = {"allow_nan": False, "allow_infinity": False}
    if response_set.kind == "ordinal":
        shape = st.integers(-(10**6), 10**6).filter(lambda v: v not in response_set.values)
        misfit = shape.map(lambda v: (v, "value-not-an-option"))
        wrong = st.floats(**finite).map(lambda v: (v, "wrong-type"))
    else:
        low, high = response_set.min, response_set.max
        assert low is not None and high is not None
        outside = st.one_of(
            st.floats(max_value=low, exclude_max=True, **finite),
            st.floats(min_value=high, exclude_min=True, **finite),
        )
        misfit = outside.map(lambda v: (v, "out-of-range"))
        wrong = st.text(max_size=5).map(lambda v: (v, "wrong-type"))
    return st.one_of(
        misfit,
        wrong,
        st.booleans().map(lambda v: (v, "boolean-not-allowed")),
        st.sampled_from([math.nan, math.inf, -math.inf]).map(lambda v: (v, "not-finite")),
        st.sampled_from([[1], {"x": 1}, b"1", 1j]).map(lambda v: (v, "wrong-type")),
    )


def cell_text(response_set: ResponseSet) -> st.SearchStrategy[str]:
    """A CSV cell for an item: mostly valid answers written in various ways, sometimes blank,
    sometimes junk (bad text, out-of-range numbers, odd spellings)."""
    written = valid_value(response_set).flatmap(
        lambda v: st.sampled_from(
            [
                repr(v),
                str(v),
                f" {v} ",
                f"+{v}" if v >= 0 else str(v),
                f"{v}0" if "." in str(v) else str(v),
            ]
        )
    )
    junk = st.sampled_from(
        [
            "",
            " ",
            "NA",
            "nan",
            "x",
            "1e1",
            "-0",
            "0x1",
            "4,5",
            "11",
            "-1",
            "1e400",
            ".",
            "+",
            "2.50",
        ]
    )
    return st.one_of(written, written, written, junk)
