"""The text of a Neo4j load's undo records: JSON, compressed when long (ids and keys repeat, so it packs well)."""

from __future__ import annotations

import base64
import json
import zlib
from typing import Any

__all__ = ["pack", "unpack"]

PACKED = "z:"
"""Marks compressed text (plain JSON starts with '[' or '{', so records written before stay readable)."""

PACK_FROM = 4_096
"""Texts shorter than this many characters are kept as plain JSON."""


def pack(value: Any) -> tuple[str, int]:
    """The stored text of a JSON value and the length of its plain JSON (what the server holds once read)."""
    text = json.dumps(value, default=str, separators=(",", ":"))
    if len(text) < PACK_FROM:
        return text, len(text)
    return PACKED + base64.b64encode(zlib.compress(text.encode("utf-8"), 1)).decode("ascii"), len(text)


def unpack(text: str) -> Any:
    """The JSON value of a stored text, packed or plain."""
    if text.startswith(PACKED):
        return json.loads(zlib.decompress(base64.b64decode(text[len(PACKED):])).decode("utf-8"))
    return json.loads(text)
