"""What every command shares: argument types checked at the edge, the store, progress bars, printing."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from graphmodel.config import StoreConfig, open_store
from graphmodel.contract import GraphStore, ProgressFn
from graphmodel.dates import parse_user_date
from graphmodel.errors import FamilyGraphError, UserInputError

__all__ = ["DEMO_FOLDER", "CliError", "fraction", "open_configured_store", "port_number", "positive_int",
           "progress_bar", "user_date", "whole_number"]

def _demo_folder() -> Path:
    """The demo county shipped as package data of `seed` (works from a checkout and from a wheel)."""
    import seed

    return Path(seed.__file__).resolve().parent / "demo"


DEMO_FOLDER = _demo_folder()


class CliError(FamilyGraphError):
    """A command-line failure to report as one line on stderr."""


def open_configured_store() -> GraphStore:
    """The store named by the environment (FAMILYGRAPH_STORE, NEO4J_*)."""
    return open_store(StoreConfig.from_env())


def _argument_type(name: str, check: Callable[[str], object]) -> Callable[[str], object]:
    """An argparse type that turns UserInputError into argparse's one-line usage error."""

    def convert(text: str) -> object:
        try:
            return check(text)
        except UserInputError as error:
            raise argparse.ArgumentTypeError(str(error)) from None

    convert.__name__ = name
    return convert


def _whole(text: str, low: int, high: int, what: str) -> int:
    try:
        value = int(text.strip())
    except ValueError:
        raise UserInputError(f"{text!r} is not a whole number ({what}: {low} to {high})") from None
    if not low <= value <= high:
        raise UserInputError(f"{value} is out of range ({what}: {low} to {high})")
    return value


def _fraction(text: str) -> float:
    try:
        value = float(text.strip())
    except ValueError:
        raise UserInputError(f"{text!r} is not a number (a probability from 0 to 1)") from None
    if not 0.0 <= value <= 1.0:
        raise UserInputError(f"{value} is out of range (a probability from 0 to 1)")
    return value


user_date = _argument_type("date", lambda text: parse_user_date(text, "date"))
positive_int = _argument_type("count", lambda text: _whole(text, 1, 10_000_000, "a count"))
whole_number = _argument_type("number", lambda text: _whole(text, 0, 2**31 - 1, "a whole number"))
port_number = _argument_type("port", lambda text: _whole(text, 1, 65535, "a TCP port"))
fraction = _argument_type("probability", _fraction)


def progress_bar(description: str, unit: str) -> tuple[ProgressFn, Callable[[], None]]:
    """A tqdm progress callback (done, total) on stderr and a function that closes the bar."""
    from tqdm import tqdm

    bar = tqdm(desc=description, unit=unit, unit_scale=True, file=sys.stderr, disable=None)

    def update(done: int, total: int) -> None:
        bar.total = total
        bar.n = done
        bar.refresh()

    return update, bar.close
