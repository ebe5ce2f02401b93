"""Record linkage: which person records, within and across sources, are the same person.

Splink (DuckDB backend) scores candidate pairs; thresholds accept, reject or queue each pair for review;
a review ledger keeps every confirm, reject and undo; linked records cluster into resolved persons.
"""

from loaders.linkage.api import LinkageResult, Progress, link
from loaders.linkage.decide import Thresholds
from loaders.linkage.families import family_links
from loaders.linkage.records import PERSON_RECORD_COLUMNS, RecordsInvalid, check_records, records_from_people
from loaders.linkage.review import (
    Decision,
    LedgerStore,
    MemoryLedgerStore,
    NothingToUndo,
    ReviewLedger,
    SqliteLedgerStore,
)
from loaders.linkage.splink_model import LinkageModel

__all__ = [
    "PERSON_RECORD_COLUMNS",
    "Decision",
    "LedgerStore",
    "LinkageModel",
    "LinkageResult",
    "MemoryLedgerStore",
    "NothingToUndo",
    "Progress",
    "RecordsInvalid",
    "ReviewLedger",
    "SqliteLedgerStore",
    "Thresholds",
    "check_records",
    "family_links",
    "link",
    "records_from_people",
]
