"""``python -m alliancekit`` runs the command line."""

import sys

from alliancekit.cli import main

sys.exit(main())
