"""Psychometric analysis of samples of answers: internal-consistency reliability.

Needs NumPy (``pip install 'alliancekit[fast]'``); importing this package does not.
"""

from alliancekit.analysis._reliability import Reliability, reliability

__all__ = ["Reliability", "reliability"]
