"""`familygraph pack FAMILY_ID --out pack.pdf`: the Team Around the Family pack as a PDF."""

from __future__ import annotations

import argparse
import getpass
import os
from pathlib import Path

from familygraph.edge import CliError, open_configured_store, user_date
from graphmodel.audit import AuditAction
from graphmodel.dates import default_as_of
from queries.access import record
from queries.roles import cli_user

__all__ = ["register"]


def cmd_pack(args: argparse.Namespace) -> int:
    """Write the family's TAF pack (OFFICIAL-SENSITIVE on every page) to a PDF file."""
    from pages.ui.family_view import family_view
    from pages.ui.pack import build_pack

    out = Path(args.out)
    if out.parent and not out.parent.exists():
        raise CliError(f"the folder {out.parent} does not exist")
    producer = args.who or os.environ.get("FAMILYGRAPH_USER") or getpass.getuser()
    store = open_configured_store()
    try:
        as_of = str(args.as_of) if args.as_of else default_as_of(s.extracted_at for s in store.sources())
        view = family_view(store, args.family, as_of)
        if view is None:
            raise CliError(f"there is no family with id {args.family!r}")
        pdf = build_pack(view, producer)
        record(store, cli_user(), AuditAction.EXPORT, args.family, f"TAF pack as of {as_of} to {out.name}")
    finally:
        store.close()
    tmp = out.with_name(out.name + ".part")
    tmp.write_bytes(pdf)
    tmp.replace(out)  # never a half-written pack
    print(f"{out}: TAF pack for {view.team.family_name} ({view.team.family_id}) as of {as_of}, "
          f"{pdf.count(b'/Type /Page') - pdf.count(b'/Type /Pages')} pages, produced by {producer}")
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add pack."""
    pack = sub.add_parser("pack", help="the Team Around the Family pack of one family as a PDF")
    pack.add_argument("family", help="family id")
    pack.add_argument("--out", required=True, help="the PDF file to write")
    pack.add_argument("--as-of", type=user_date, default=None,
                      help="date of the facts (default: the newest data extract's date)")
    pack.add_argument("--who", default=None, help="who produces it (default $FAMILYGRAPH_USER or login)")
    pack.set_defaults(func=cmd_pack)
