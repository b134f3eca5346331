"""The built wheel carries every built-in scale and the meta-schema, and works on its own."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wheel built from this checkout (no build isolation: hatchling is a test dependency)."""
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("alliancekit-*.whl")
    return built


def test_wheel_contains_every_scale_and_the_meta_schema(wheel: Path) -> None:
    """Every file in scales/ and both meta-schemas (v1 and v2) are inside the wheel, plus
    py.typed."""
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {f"alliancekit/scales/{p.name}" for p in (ROOT / "scales").glob("*.json")}
    assert expected
    assert expected <= names, expected - names
    assert "alliancekit/schemas/scale-1.json" in names
    assert "alliancekit/schemas/scale-2.json" in names
    assert "alliancekit/py.typed" in names


def test_installed_wheel_lists_the_catalogue(wheel: Path, tmp_path: Path) -> None:
    """Installed on its own (not from this checkout), the wheel loads its packaged scales."""
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    env = {**os.environ, "PYTHONPATH": str(target), "ALLIANCEKIT_DISABLE_PLUGIN_AUTOLOAD": "1"}
    probe = (
        "import alliancekit, sys; "
        f"assert alliancekit.__file__.startswith({str(target)!r}), alliancekit.__file__; "
        "sys.exit(alliancekit.cli.main(['list']))"
    )
    done = subprocess.run(
        [sys.executable, "-c", "import alliancekit.cli; " + probe],
        env=env,
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    for scale_id in ("wai-sr", "srs", "ors"):
        assert scale_id in done.stdout
