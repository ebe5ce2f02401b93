"""The matcher's knowledge of given names lives in graphmodel.nicknames (shared with the front door)."""

from __future__ import annotations

from graphmodel.nicknames import REGISTERED_GIVEN, UK_NICKNAMES, nickname_related, related_names

__all__ = ["REGISTERED_GIVEN", "UK_NICKNAMES", "nickname_related", "related_names"]
