"""`python -m familygraph ...`: the same as the `familygraph` command."""

from __future__ import annotations

import sys

from familygraph.cli import main

sys.exit(main())
