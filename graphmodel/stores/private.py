"""Store files readable by their owner only: a folder we create is 0700, the database and its journals 0600."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

__all__ = ["create_private_file", "make_private_files", "make_private_folder"]

_SIDE_FILES = ("", "-wal", "-shm", "-journal")


def make_private_folder(folder: Path) -> None:
    """Create the folder and any missing parents as 0700 (an existing folder is left as its owner set it)."""
    missing = []
    current = folder
    while not current.exists():
        missing.append(current)
        current = current.parent
    for path in reversed(missing):
        with contextlib.suppress(FileExistsError):
            path.mkdir(mode=0o700)
        path.chmod(0o700)  # mkdir's mode is reduced by the umask


def create_private_file(path: Path) -> None:
    """Create an empty file as 0600 unless it exists (SQLite then gives its side files the same mode)."""
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def make_private_files(database: Path) -> None:
    """Set the database file and SQLite's side files (WAL, shared memory, journal) to 0600."""
    for suffix in _SIDE_FILES:
        path = Path(str(database) + suffix)
        with contextlib.suppress(FileNotFoundError, PermissionError):
            path.chmod(0o600)
