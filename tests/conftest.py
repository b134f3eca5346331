"""Hypothesis profiles for the whole suite.

CI (``CI`` set, as ``.ci/run`` runs) uses the ``ci`` profile: derandomized, so a run is the same
every time; no example database, so nothing found on one machine replays on another; and
``print_blob``, so a failure prints what reproduces it. Local runs keep exploring with random
examples (``HYPOTHESIS_PROFILE=ci`` reproduces CI's runs locally).
"""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
settings.register_profile("dev", print_blob=True)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")
)
