"""A Scale pickles by its canonical document and sha256, so engines that ship functions to
workers (Spark, Dask, multiprocessing) can carry it; unpickling re-checks the sha256."""

from __future__ import annotations

import pickle
from typing import Any

import pytest

import alliancekit as ak
from alliancekit.plugins import get_plugin_manager

SESSION = {"q1": 8.7, "q2": 9.1, "q3": 9.5, "q4": 8.7}


@pytest.mark.parametrize("scale_id", [info.id for info in ak.list_scales()])
def test_every_catalogue_scale_round_trips(scale_id: str) -> None:
    """Unpickled, a scale is equal to the original, with the same sha256 and document."""
    scale = ak.get_scale(scale_id)
    again = pickle.loads(pickle.dumps(scale))
    assert again == scale
    assert (again.sha256, again.to_dict()) == (scale.sha256, scale.to_dict())


def test_an_unpickled_scale_scores() -> None:
    """The unpickled SRS scores 8.7 + 9.1 + 9.5 + 8.7 as exactly 36."""
    again = pickle.loads(pickle.dumps(ak.get_scale("srs")))
    assert again.score(SESSION, notify=False).values() == {"total": 36.0}


def test_a_changed_document_is_refused() -> None:
    """A pickle whose document no longer has its recorded sha256 does not unpickle."""
    data = pickle.dumps(ak.get_scale("srs"))
    tampered = data.replace(b'"title":"Session', b'"title":"Xession', 1)
    assert tampered != data
    with pytest.raises(ak.ScaleDefinitionError) as error:
        pickle.loads(tampered)
    assert [issue.code for issue in error.value.errors] == ["sha256-mismatch"]


class Halving:
    """A plugin with a scoring method: half the sum."""

    @ak.hookimpl
    def alliancekit_register_scoring_methods(self, register: Any) -> None:
        """Register ``half_sum``."""
        register("half_sum", lambda values, score: sum(values) / 2)


def test_a_scale_with_a_plugin_method_round_trips() -> None:
    """A scale naming a plugin's method unpickles where the plugin is registered."""
    manager = get_plugin_manager()
    plugin = Halving()
    manager.register(plugin, name="halving")
    try:
        document = ak.get_scale("srs").to_dict()
        document.pop("interpretation")
        document["id"] = "halved"
        document["scores"] = [
            {
                "id": "half",
                "items": "all",
                "method": "half_sum",
                "status": "provisional",
                "missing": {"status": "provisional"},
            }
        ]
        scale = ak.load_scale(document)
        again = pickle.loads(pickle.dumps(scale))
        assert again.score({"q1": 2, "q2": 2, "q3": 2, "q4": 2}, notify=False).values() == {
            "half": 4.0
        }
    finally:
        manager.unregister(plugin)
