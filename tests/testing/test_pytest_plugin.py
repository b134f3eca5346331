"""The pytest plugin, exercised in inner pytest sessions (``pytester``): the ``alliancekit_scale``
and ``alliancekit_strategies`` fixtures, ``--alliancekit-scale``, ``scale_file_tests`` and the
promise to stay cheap and quiet in every session it is loaded into."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest
from toolkit_helpers import BROKEN, REPO

import alliancekit as ak

pytest_plugins = ["pytester"]

BUILTIN = [info.id for info in ak.list_scales()]


@pytest.fixture
def inner(pytester: pytest.Pytester) -> pytest.Pytester:
    """A pytester whose inner sessions turn warnings into errors, like this project's own."""
    pytester.makeini("[pytest]\nfilterwarnings = error\n")
    return pytester


def test_alliancekit_scale_runs_a_test_once_per_catalogue_scale(inner: pytest.Pytester) -> None:
    """Without the option, a test asking for alliancekit_scale runs on every catalogue scale,
    with the scale id as the test id."""
    inner.makepyfile(
        """
        def test_scale_has_items(alliancekit_scale):
            assert alliancekit_scale.items
        """
    )
    result = inner.runpytest("-v")
    result.assert_outcomes(passed=len(BUILTIN))
    result.stdout.fnmatch_lines(
        [f"*test_scale_has_items?{scale_id}? PASSED*" for scale_id in BUILTIN]
    )


def test_option_selects_scales_by_id_and_by_path(inner: pytest.Pytester) -> None:
    """``--alliancekit-scale`` (repeatable) takes catalogue ids and paths relative to where
    pytest was started."""
    (inner.path / "mine.json").write_text((REPO / "scales" / "srs.json").read_text("utf-8"))
    inner.makepyfile(
        """
        def test_scale_id(alliancekit_scale):
            assert alliancekit_scale.id in ("wai-sr", "srs")
        """
    )
    result = inner.runpytest(
        "-v", "--alliancekit-scale", "wai-sr", "--alliancekit-scale", "mine.json"
    )
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(
        ["*test_scale_id?wai-sr? PASSED*", "*test_scale_id?mine.json? PASSED*"]
    )


def test_a_test_can_choose_its_scales_by_indirect_parametrize(inner: pytest.Pytester) -> None:
    """A test that parametrizes alliancekit_scale itself gets exactly those scales, whatever the
    option says."""
    inner.makepyfile(
        """
        import pytest

        @pytest.mark.parametrize("alliancekit_scale", ["srs"], indirect=True)
        def test_only_srs(alliancekit_scale):
            assert alliancekit_scale.id == "srs"
        """
    )
    inner.runpytest("--alliancekit-scale", "wai-sr").assert_outcomes(passed=1)


def test_a_scale_that_does_not_load_errors_with_the_loader_problem(inner: pytest.Pytester) -> None:
    """A path to a broken document makes the fixture fail with the loader's issue, no traceback
    of alliancekit internals."""
    gap = (BROKEN / "gap-between-bands.json").read_text("utf-8")
    (inner.path / "gap.json").write_text(gap)
    inner.makepyfile("def test_x(alliancekit_scale):\n    pass\n")
    result = inner.runpytest("--alliancekit-scale", "gap.json")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*gap-between-bands*"])


def test_strategies_fixture_works_inside_given(inner: pytest.Pytester) -> None:
    """alliancekit_strategies with alliancekit_scale and st.data() drive a Hypothesis test
    without tripping the function-scoped-fixture health check."""
    inner.makepyfile(
        """
        from hypothesis import given, settings, strategies as st

        @settings(max_examples=10, deadline=None)
        @given(data=st.data())
        def test_total_in_range(alliancekit_scale, alliancekit_strategies, data):
            answers = data.draw(alliancekit_strategies.answers(alliancekit_scale))
            result = alliancekit_scale.score(answers)
            for score in alliancekit_scale.scores:
                low, high = score.range
                assert low <= result.scores[score.id].value <= high
        """
    )
    inner.runpytest("--alliancekit-scale", "wai-s").assert_outcomes(passed=1)


def test_scale_file_tests_checks_each_file_in_one_line(inner: pytest.Pytester) -> None:
    """``test_my_scales = scale_file_tests("../scales/*.json")`` makes one case per file (paths
    relative to the test module): a sound document passes, a broken one fails with the failing
    property and its counterexample."""
    scales = inner.mkdir("scales")
    (scales / "srs.json").write_text((REPO / "scales" / "srs.json").read_text("utf-8"))
    wrong = (BROKEN / "reversed-item-wrong-range.json").read_text("utf-8")
    (scales / "wrong.json").write_text(wrong)
    tests = inner.mkdir("tests")
    (tests / "test_scales.py").write_text(
        textwrap.dedent(
            """
            from alliancekit.testing import scale_file_tests

            test_my_scales = scale_file_tests("../scales/*.json", max_examples=10)
            """
        )
    )
    result = inner.runpytest("-v", "tests")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        [
            "*test_my_scales?../scales/srs.json? PASSED*",
            "*test_my_scales?../scales/wrong.json? FAILED*",
            "*FAILED  reverse-key-range*",
            '*counterexample: {"score": "total", "item": "q4"*',
        ]
    )


def test_scale_file_tests_fails_when_a_pattern_matches_nothing(inner: pytest.Pytester) -> None:
    """A pattern that matches no file is a failing case, so a typo cannot pass silently."""
    inner.makepyfile(
        """
        from alliancekit.testing import scale_file_tests

        test_my_scales = scale_file_tests("no-such-dir/*.json")
        """
    )
    result = inner.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*no scale document matches*no-such-dir/[*].json*"])


def test_scale_file_tests_needs_a_pattern() -> None:
    """Calling it without a pattern is a TypeError at import time of the test module."""
    from alliancekit.testing import scale_file_tests

    with pytest.raises(TypeError, match="at least one glob pattern"):
        scale_file_tests()


def test_plugin_adds_no_fixture_to_tests_that_do_not_ask(inner: pytest.Pytester) -> None:
    """No autouse: a test that asks for nothing gets no alliancekit fixture."""
    inner.makepyfile(
        """
        def test_nothing_from_alliancekit(request):
            assert not [f for f in request.fixturenames if f.startswith("alliancekit")]
        """
    )
    inner.runpytest().assert_outcomes(passed=1)


def test_importing_the_plugin_loads_neither_hypothesis_nor_the_suite() -> None:
    """Loading the plugin (as every pytest session does) imports no Hypothesis and no property
    suite; they load when a test first asks for them."""
    code = (
        "import json, sys, alliancekit.testing.pytest_plugin, alliancekit.testing; "
        "print(json.dumps([m in sys.modules for m in "
        "('hypothesis', 'alliancekit.testing.properties', 'alliancekit.testing.strategies')]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert json.loads(out) == [False, False, False]
