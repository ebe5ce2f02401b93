"""The `familygraph` command line: a thin dispatcher over the graphmodel, loaders, queries and seed layers."""

from __future__ import annotations

__all__ = ["__version__"]

__version__ = "0.2.0"
