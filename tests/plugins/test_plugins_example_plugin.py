"""The example plugin in examples/alliancekit-example-plugin: its unvalidated trust check-in
scale, its Spanish text pack, its alert handler, and — installed with pip into a fresh virtual
environment — its discovery by entry point."""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path
from typing import Any

import pytest

import alliancekit as ak
from alliancekit import plugins

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "alliancekit-example-plugin"
LOW = {"q1": 2, "q2": 2, "q3": 2, "q4": 2, "q5": 3}  # 2+2+2+2+3 = 11, below the cut-off of 12
AT_CUTOFF = {"q1": 3, "q2": 3, "q3": 2, "q4": 2, "q5": 2}  # 3+3+2+2+2 = 12, not below 12
FULL = {f"q{n}": 4 for n in range(1, 6)}  # 5 × 4 = 20


def test_the_example_scale_is_clearly_an_unvalidated_example(example_plugin: Any) -> None:
    """Provisional, titled as an unvalidated example, and every result says so."""
    scale = ak.get_scale("trust-checkin")
    assert scale.status == "provisional"
    assert "unvalidated example" in scale.title
    assert scale.verification.open_questions[0].startswith("This is an unvalidated example")
    result = scale.score(FULL)
    assert result.warnings[0].startswith(
        "provisional scale 'trust-checkin': This is an unvalidated example scale"
    )
    info = next(s for s in ak.list_scales() if s.id == "trust-checkin")
    assert (info.status, info.origin) == ("provisional", "example")


def test_the_example_scale_asks_the_five_trust_questions(example_plugin: Any) -> None:
    """Five 0–4 items: safety, not being judged, empowerment, the therapist's consistency and
    reliability, and confidentiality, each with its own (CC0) English text."""
    scale = ak.get_scale("trust-checkin")
    constructs = [item.construct or "" for item in scale.items]
    for item, word in zip(
        scale.items,
        ["safe", "judged", "empowered", "consistency and reliability", "confidential"],
        strict=True,
    ):
        assert word in (item.construct or ""), constructs
        assert item.response_set.values == frozenset(range(5))
        assert item.text is not None and "en" in item.text
    assert scale.license.item_text == "included"
    assert scale.license.terms.startswith("CC0 1.0 Universal")


@pytest.mark.parametrize(
    ("answers", "total"),
    [
        (FULL, 20.0),
        (LOW, 11.0),
        ({"q1": 0, "q2": 0, "q3": 0, "q4": 0, "q5": 0}, 0.0),
        # one missing item is prorated: (4+3+2+1) × 5/4 = 12.5
        ({"q1": 4, "q2": 3, "q3": 2, "q4": 1}, 12.5),
        # two missing items: no total
        ({"q1": 4, "q2": 3, "q3": 2}, None),
    ],
)
def test_the_example_scale_scores(
    answers: dict[str, int], total: float | None, example_plugin: Any
) -> None:
    """The total is the sum of the five items (0–20), with at most one item prorated."""
    assert ak.get_scale("trust-checkin").score(answers).scores["total"].value == total


def test_the_example_registers_a_spanish_text_pack(example_plugin: Any) -> None:
    """Besides the document's English text there is a Spanish pack for all five items."""
    assert ak.plugins.item_text_languages("trust-checkin") == ["en", "es"]
    spanish = ak.item_texts("trust-checkin", "es")
    assert list(spanish) == ["q1", "q2", "q3", "q4", "q5"]
    assert spanish["q1"] == "En la sesión de hoy me sentí seguro/a."
    pack = ak.plugins.text_pack("trust-checkin", "es")
    assert pack is not None and pack.license_note.startswith("CC0 1.0 Universal")


def test_a_total_below_the_cutoff_raises_an_alert(example_plugin: Any) -> None:
    """11 is below 12: one below-cutoff alert; 12 itself raises none."""
    scale = ak.get_scale("trust-checkin")
    scale.score(AT_CUTOFF)
    assert list(example_plugin.MONITOR.alerts) == []
    scale.score(LOW)
    [alert] = example_plugin.MONITOR.alerts
    assert (alert.kind, alert.total, alert.previous) == ("below-cutoff", 11.0, None)
    assert alert.message == "trust check-in total 11 is below the cut-off of 12"


@pytest.mark.parametrize(
    ("second", "alerts"),
    [
        ({"q1": 4, "q2": 4, "q3": 3, "q4": 3, "q5": 3}, [("drop", 17.0, 20.0)]),  # 20 → 17: −3
        ({"q1": 4, "q2": 4, "q3": 4, "q4": 3, "q5": 3}, []),  # 20 → 18: −2, under min_drop 3
        (FULL, []),
    ],
)
def test_a_drop_since_the_same_respondents_last_check_in_raises_an_alert(
    second: dict[str, int], alerts: list[tuple[str, float, float]], example_plugin: Any
) -> None:
    """With a respondent key in the context, a drop of 3 points or more raises an alert; the
    alert keeps the key for routing but its message (and the log) do not contain it."""
    scale = ak.get_scale("trust-checkin")
    context = {"respondent_key": "r-0001"}
    scale.score(FULL, context=context)
    scale.score(second, context=context)
    raised = list(example_plugin.MONITOR.alerts)
    assert [(a.kind, a.total, a.previous) for a in raised] == alerts
    assert all(a.respondent_key == "r-0001" and "r-0001" not in a.message for a in raised)


def test_drops_are_tracked_per_respondent(example_plugin: Any) -> None:
    """20 for one respondent key followed by 17 for another is no drop."""
    scale = ak.get_scale("trust-checkin")
    seventeen = {"q1": 4, "q2": 4, "q3": 3, "q4": 3, "q5": 3}
    scale.score(FULL, context={"respondent_key": "a"})
    scale.score(seventeen, context={"respondent_key": "b"})
    assert list(example_plugin.MONITOR.alerts) == []


def test_alerts_are_logged_without_the_respondent_key(example_plugin: Any, caplog: Any) -> None:
    """A drop alert (20 → 17) is logged with the totals but not the respondent key."""
    scale = ak.get_scale("trust-checkin")
    context = {"scale": scale, "respondent_key": "r-0001"}
    seventeen = {"q1": 4, "q2": 4, "q3": 3, "q4": 3, "q5": 3}
    plugins.notify_result_scored(scale.score(FULL), context)
    with caplog.at_level(logging.WARNING, logger="alliancekit_example_plugin"):
        plugins.notify_result_scored(scale.score(seventeen), context)
    assert caplog.messages == [
        "alliancekit example alert: trust check-in total dropped by 3 (from 20 to 17)"
    ]
    assert "r-0001" not in caplog.text


def test_the_handler_ignores_other_scales(example_plugin: Any) -> None:
    """Scoring another scale raises no alert, whatever its total."""
    ak.get_scale("srs").score({"q1": 0.0, "q2": 0.0, "q3": 0.0, "q4": 0.0})
    assert list(example_plugin.MONITOR.alerts) == []


def _clean_environment() -> dict[str, str]:
    return {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("ALLIANCEKIT_", "PYTHON"))
    }


CHECK = """
import json, warnings
warnings.simplefilter("error")
import alliancekit as ak
import alliancekit_example_plugin as example
from importlib.metadata import entry_points

[ep] = [ep for ep in entry_points(group="alliancekit")]
info = next(s for s in ak.list_scales() if s.id == "trust-checkin")
scale = ak.get_scale("trust-checkin")
warnings.simplefilter("ignore")  # the example scale is provisional
result = scale.score({"q1": 2, "q2": 2, "q3": 2, "q4": 2, "q5": 3})
print(json.dumps({
    "entry_point": [ep.name, ep.value, ep.dist.name, ep.dist.version],
    "origin": info.origin,
    "module": example.__file__,
    "total": result.scores["total"].value,
    "alerts": [a.kind for a in example.MONITOR.alerts],
    "spanish_q5": ak.item_texts("trust-checkin", "es")["q5"],
}))
"""


@pytest.mark.slow
def test_the_example_installed_with_pip_is_discovered_by_its_entry_point(tmp_path: Path) -> None:
    """pip-install the example (no network: no deps, no build isolation) into a fresh venv that
    sees this environment's packages; alliancekit finds it by entry point and its scale scores
    2+2+2+2+3 = 11, which its handler flags as below the cut-off of 12."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    outer = sysconfig.get_paths()["purelib"]
    # alliancekit (editable), its dependencies, pip and hatchling come from this environment.
    Path(purelib, "_outer_environment.pth").write_text(
        f"import site; site.addsitedir({outer!r})\n", encoding="utf-8"
    )
    source = tmp_path / "example"
    shutil.copytree(EXAMPLE, source)
    env = _clean_environment()
    subprocess.run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "--no-cache-dir",
            "--disable-pip-version-check",
            str(source),
        ],
        check=True,
        env=env,
        cwd=tmp_path,
    )
    done = subprocess.run(
        [str(python), "-c", CHECK],
        check=True,
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    found = json.loads(done.stdout)
    assert found["entry_point"] == [
        "example",
        "alliancekit_example_plugin",
        "alliancekit-example-plugin",
        "0.1.0",
    ]
    assert found["origin"] == "alliancekit-example-plugin"
    assert found["module"].startswith(purelib)
    assert found["total"] == 11.0
    assert found["alerts"] == ["below-cutoff"]
    assert found["spanish_q5"] == "Confío en que lo que comparto aquí se mantiene confidencial."
    listing = subprocess.run(
        [str(python), "-m", "alliancekit", "plugins"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    assert listing.returncode == 0, listing.stderr
    assert (
        "  example  (alliancekit-example-plugin 0.1.0, entry point example = "
        "alliancekit_example_plugin)"
    ) in listing.stdout.splitlines()
