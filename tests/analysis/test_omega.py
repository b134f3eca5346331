"""Specification of the one-factor minres fit behind omega (``alliancekit.analysis._omega``).

psych fits the factor with L-BFGS-B on the uniquenesses ``psi`` in ``[0.005, 1]``, objective
the squared off-diagonal residuals, "gradient" ``loading**2 + psi - 1``; its optimum is the point
where that gradient vanishes (or pushes against a bound). These tests check that our solution is
that point, and that psych's own, slightly different, omega is explained by its stopping rule.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest

from alliancekit.analysis._omega import _communalities, omega_total

np = pytest.importorskip("numpy")

PSYCH_DIR = Path(__file__).resolve().parents[1] / "data" / "psych"


def _pairwise_cor(table: Any) -> Any:
    """R's ``cor(x, use = "pairwise")`` pair by pair, the slow and obvious way."""
    k = table.shape[1]
    cor = np.eye(k)
    for i in range(k):
        for j in range(i):
            both = ~np.isnan(table[:, i]) & ~np.isnan(table[:, j])
            cor[i, j] = cor[j, i] = np.corrcoef(table[both, i], table[both, j])[0, 1]
    return cor


def _case_cor(case: dict[str, Any]) -> Any:
    with (PSYCH_DIR / case["file"]).open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    table = np.array([[float(v) if v else np.nan for v in row.values()] for row in rows])
    for item in case["reverse"]:
        j = int(item[1:]) - 1
        table[:, j] = 6 - table[:, j]
    if case["missing"] == "listwise":
        table = table[~np.isnan(table).any(axis=1)]
    return _pairwise_cor(table)


def _psych_minres(cor: Any, *, stop_early: bool) -> Any:
    """psych's ``fa(fm = "minres")`` fit replayed with SciPy's L-BFGS-B: same start (1 - SMC),
    bounds, parscale 0.01, memory 5 and, with ``stop_early``, R's default factr of 1e7."""
    optimize = pytest.importorskip("scipy.optimize")
    k = len(cor)
    lower = np.tril_indices(k, -1)
    scale = 0.01

    def residual(psi: Any) -> float:
        reduced = cor.copy()
        np.fill_diagonal(reduced, 1 - psi)
        values, vectors = np.linalg.eigh(reduced)
        loading = vectors[:, -1] * np.sqrt(values[-1])
        return float(((reduced - np.outer(loading, loading))[lower] ** 2).sum())

    def gradient(psi: Any) -> Any:
        values, vectors = np.linalg.eigh(cor - np.diag(psi))
        return vectors[:, -1] ** 2 * max(values[-1], 0) + psi - 1

    start = 1 - (1 - 1 / np.diag(np.linalg.inv(cor)))
    found = optimize.minimize(
        lambda y: residual(y * scale),
        start / scale,
        jac=lambda y: gradient(y * scale) * scale,
        method="L-BFGS-B",
        bounds=[(0.005 / scale, 1 / scale)] * k,
        options={
            "maxcor": 5,
            "ftol": 1e7 * np.finfo(float).eps if stop_early else 0.0,
            "gtol": 0.0,
            "maxiter": 100 if stop_early else 10_000,
        },
    )
    psi = found.x * scale
    values, vectors = np.linalg.eigh(cor - np.diag(psi))
    squared = vectors[:, -1] ** 2 * values[-1]
    return (cor.sum() - (1 - squared).sum()) / cor.sum()


@pytest.mark.parametrize(
    "case_id", ["complete", "small", "reversed", "missing-pairwise", "missing-listwise"]
)
def test_psych_omega_is_its_optimizer_stopping_early(
    psych_reference: dict[str, Any], case_id: str
) -> None:
    """Replaying psych's L-BFGS-B with its default tolerance reproduces psych's own omega to
    1e-12, so the up-to-6e-9 gap between it and our (and R's converged) omega is psych's stopping
    rule, not a different model."""
    case = next(c for c in psych_reference["cases"] if c["id"] == case_id)
    cor = _case_cor(case)
    assert _psych_minres(cor, stop_early=True) == pytest.approx(
        case["omega_psych_minres"], abs=1e-12
    )
    assert omega_total(cor) == pytest.approx(case["omega"], abs=1e-12)


def _heywood_cor() -> Any:
    """A one-factor correlation matrix whose first item loads .9995: a Heywood case for psych's
    bound psi >= 0.005 (communality <= 0.995)."""
    loadings = np.array([0.9995, 0.9, 0.8, 0.7, 0.6, 0.5])
    noise = np.random.default_rng(3).normal(0, 0.0005, (6, 6))
    cor = np.outer(loadings, loadings) + (noise + noise.T) / 2
    np.fill_diagonal(cor, 1.0)
    return cor


def test_heywood_case_stops_at_psych_bound() -> None:
    """At a bound the solution is psych's: the bounded item's communality is held at 0.995 while
    its fitted squared loading exceeds it, and every other item is a fixed point."""
    cor = _heywood_cor()
    squared = _communalities(cor)
    held = np.minimum(squared, 0.995)
    assert squared[0] > 0.995
    reduced = cor.copy()
    np.fill_diagonal(reduced, held)
    values, vectors = np.linalg.eigh(reduced)
    assert vectors[:, -1] ** 2 * values[-1] == pytest.approx(squared, abs=1e-14)


def test_heywood_case_agrees_with_a_fully_run_psych_optimizer() -> None:
    """psych's optimizer run without its early stop lands on our omega (to its own 1e-8)."""
    cor = _heywood_cor()
    assert omega_total(cor) == pytest.approx(_psych_minres(cor, stop_early=False), abs=1e-8)
