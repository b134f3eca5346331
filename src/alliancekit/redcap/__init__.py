"""REDCap bridge: a scale as one REDCap instrument (a data dictionary whose ``calc`` fields
score it) and a draft scale document from someone else's instrument.

Everything here builds and reads plain CSV text. See ``docs/interop.md``.
"""

from __future__ import annotations

from alliancekit.redcap._calc import CalcSyntaxError
from alliancekit.redcap._export import HEADER, field_names, to_data_dictionary
from alliancekit.redcap._import import from_data_dictionary

__all__ = [
    "HEADER",
    "CalcSyntaxError",
    "field_names",
    "from_data_dictionary",
    "to_data_dictionary",
]
