"""The Team Around the Family pack: one PDF for a TAF meeting, built with reportlab.

OFFICIAL-SENSITIVE at the top and bottom of every page, with the date, who produced it and "page N of M";
then the ecomap picture, members, the team with contacts, needs and how they link, duplicated work, the lead
(or the suggestion), Supporting Families status, the timeline and space for the plan's actions.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Image,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from graphmodel.dates import format_uk
from pages.ui.ecomap import build_ecomap
from pages.ui.family_view import FamilyView
from pages.ui.labels import FINDING_KINDS, need_name, role_name
from pages.ui.pack_figures import ecomap_png, timeline_png
from queries.common import snapshot_tables
from queries.supporting_families import supporting_families_from_tables
from queries.timeline import family_timeline

__all__ = ["MARKING", "build_pack"]

MARKING = "OFFICIAL-SENSITIVE"
PAGE = landscape(A4)
_STYLES = getSampleStyleSheet()
_BODY = ParagraphStyle("body", parent=_STYLES["BodyText"], fontSize=8.5, leading=10.5)
_CELL = ParagraphStyle("cell", parent=_BODY, fontSize=8, leading=9.5)
_HEAD = ParagraphStyle("head", parent=_CELL, textColor=colors.white, fontName="Helvetica-Bold")
_H1, _H2 = _STYLES["Title"], ParagraphStyle("h2", parent=_STYLES["Heading2"], spaceBefore=8, spaceAfter=4)


def _p(text: object, style: ParagraphStyle = _BODY) -> Paragraph:
    """A paragraph of plain text (escaped: a name is never markup)."""
    return Paragraph(escape(str(text)), style)


def _table(header: list[str], rows: list[list[object]], widths: list[float], row_height: float | None = None) -> Table:
    data = [[_p(h, _HEAD) for h in header]] + [[_p(c if c is not None else "", _CELL) for c in r] for r in rows]
    heights = None if row_height is None else [None] + [row_height] * len(rows)
    table = Table(data, colWidths=[w * mm for w in widths], repeatRows=1, rowHeights=heights)
    table.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#37474f")),
        ("GRID", (0, 0), (-1, -1), 0.3, colors.HexColor("#90a4ae")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f5f7f8")]),
    ]))
    return table


class _NumberedCanvas(Canvas):
    """A canvas that writes the marking, producer and 'page N of M' once the page count is known."""

    producer_line = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self._decorate(total)
            super().showPage()
        super().save()

    def _decorate(self, total: int) -> None:
        width, height = PAGE
        self.setFont("Helvetica-Bold", 11)
        self.setFillColor(colors.HexColor("#b71c1c"))
        self.drawCentredString(width / 2, height - 10 * mm, MARKING)
        self.drawCentredString(width / 2, 6 * mm, MARKING)
        self.setFont("Helvetica", 7.5)
        self.setFillColor(colors.HexColor("#37474f"))
        self.drawString(12 * mm, 10 * mm, self.producer_line)
        self.drawRightString(width - 12 * mm, 10 * mm, f"page {self._pageNumber} of {total}")


def _image(png: bytes, max_w: float, max_h: float) -> Image:
    image = Image(io.BytesIO(png))
    ratio = min(max_w / image.imageWidth, max_h / image.imageHeight)
    image.drawWidth, image.drawHeight = image.imageWidth * ratio, image.imageHeight * ratio
    return image


def _lead_section(view: FamilyView) -> list[Any]:
    team = view.team
    leads = [t for t in team.team if t.is_lead]
    profs = {p.id: p for p in view.snapshot.professionals}
    story: list[Any] = [_p("Lead professional", _H2)]
    if team.lead_ids:
        for pid in team.lead_ids:
            work = next((t for t in leads if t.professional_id == pid), None)
            prof = profs.get(pid)
            name = work.name if work else (prof.name if prof else pid)
            agency = work.agency if work else ""
            email = (work.email if work else prof.email if prof else None) or "no email recorded"
            phone = (work.phone if work else prof.phone if prof else None) or "no phone recorded"
            story.append(_p(f"{name} ({agency}) leads: {email}, {phone}."))
        if len(team.lead_ids) > 1:
            story.append(_p("More than one lead professional is recorded: agree one at this meeting."))
        return story
    suggestion = view.suggestion
    story.append(_p("No lead professional is recorded. " + suggestion.message))
    if suggestion.candidates:
        best = suggestion.candidates[0]
        story.append(_p(f"Suggested: {best.name} ({best.agency}), score {best.score:.2f}. Why: "
                        + "; ".join(f"{p.name}: {p.explanation}" for p in best.parts)))
    return story


def _sf_section(view: FamilyView) -> list[Any]:
    report = supporting_families_from_tables(snapshot_tables(view.snapshot), view.team.as_of)
    story: list[Any] = [_p("Supporting Families", _H2)]
    if not report.families:
        return [*story, _p("No open needs recorded: not eligible on this date.")]
    sf = report.families[0]
    story.append(_p(
        f"2021 rule (needs in two of six headline categories): {'eligible' if sf.eligible_2021 else 'not eligible'}"
        f" ({', '.join(c.replace('_', ' ') for c in sf.categories_2021) or 'none'}). "
        f"2022 rule (three or more of ten outcomes): {'eligible' if sf.eligible_2022 else 'not eligible'} "
        f"({', '.join(o.replace('_', ' ') for o in sf.outcomes_2022) or 'none'}). "
        f"Lead {'in place' if sf.has_lead else 'missing'}, whole-family assessment "
        f"{'done' if sf.has_assessment else 'missing'}, family plan {'in place' if sf.has_plan else 'missing'}: "
        f"{'ready to claim' if sf.claim_ready else 'not ready to claim'}."))
    return story


def build_pack(view: FamilyView, producer: str, produced_at: dt.datetime | None = None) -> bytes:
    """The TAF pack of one family on the view's date, as PDF bytes."""
    produced_at = produced_at or dt.datetime.now()
    team = view.team
    graph, summary = build_ecomap(view)
    story: list[Any] = [
        _p(f"Team Around the Family pack: {team.family_name}", _H1),
        _p(f"Family {team.family_id} · postcode {team.postcode or 'unknown'} · district {team.district or 'unknown'}"
           f" · facts as of {format_uk(team.as_of)} · produced {produced_at:%d/%m/%Y %H:%M} by {producer}"),
        Spacer(1, 3 * mm),
        _image(ecomap_png(graph), PAGE[0] - 30 * mm, PAGE[1] - 62 * mm),
        _p("Ecomap: family in the centre, members (squares; dashed: lives elsewhere) around it, professionals "
           "(★ star: lead) with the needs they work on, agencies outermost; red dashed lines: duplicated work."
           + (f" {summary.professionals_hidden} more professionals are listed in the team table only."
              if summary.professionals_hidden else "")),
        PageBreak(),
        _p("Members", _H2),
        _table(["Name", "Role", "Age", "Lives in the household", "Open needs"],
               [[m.name, role_name(m.role), m.age if m.age is not None else "", "yes" if m.resident else "no",
                 ", ".join(need_name(n) for n in m.open_needs) or "none"] for m in team.members],
               [55, 30, 15, 35, 135]),
        _p("Team around the family", _H2),
        _table(["Who", "Agency", "With whom", "Need", "Contact", "Since"],
               [[("★ " if t.is_lead else "") + t.name + (f", {t.role}" if t.role else ""), t.agency, t.with_whom,
                 ", ".join(t.addresses) or t.service or "", f"{t.email or 'no email'}\n{t.phone or 'no phone'}",
                 format_uk(t.since)] for t in team.team] or [["Nobody has open work on this date.", "", "", "", "",
                                                              ""]],
               [48, 45, 35, 60, 67, 20]),
    ]
    needs = view.needs
    story.append(_p("Needs and how they link", _H2))
    names = {m.person_id: m.name for m in team.members}
    story.append(_table(["Member", "Need"], [[names.get(pid, pid), need_name(code)]
                                             for pid, _role, code in (needs.needs if needs else ())]
                        or [["No open needs recorded.", ""]], [70, 200]))
    for link in needs.links if needs else ():
        state = "complete" if link.complete else "partly present (missing: " + ", ".join(
            need_name(m) for m in link.missing) + ")"
        story.append(_p(f"{link.name}: {state}. {link.why}"))
    story.append(_p("Duplicated work", _H2))
    story.append(_table(["Finding", "Need", "Reason"],
                        [[FINDING_KINDS.get(f.kind, f.kind), need_name(f.need_code) if f.need_code else "", f.reason]
                         for f in view.duplicates] or [["None found on this date.", "", ""]], [50, 50, 170]))
    story += _lead_section(view)
    story += _sf_section(view)
    bars = family_timeline(view.snapshot, team.as_of)
    if bars:
        story += [PageBreak(), _p("Timeline", _H2),
                  _image(timeline_png(bars, team.as_of), PAGE[0] - 30 * mm, PAGE[1] - 60 * mm)]
    plan_rows: list[list[object]] = [["", "", "", ""] for _ in range(8)]
    plan = _table(["Action agreed", "Who", "By when", "Review"], plan_rows, [140, 55, 35, 40], 11 * mm)
    story += [KeepTogether([_p("Family plan: actions", _H2), plan])]
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=PAGE, leftMargin=12 * mm, rightMargin=12 * mm, topMargin=16 * mm,
                            bottomMargin=16 * mm, title=f"TAF pack {team.family_id} ({MARKING})",
                            author=producer, subject=MARKING)
    line = (f"{MARKING} · FamilyGraph TAF pack for {team.family_name} ({team.family_id}) · "
            f"produced {produced_at:%d/%m/%Y %H:%M} by {producer}")
    doc.build(story, canvasmaker=type("PackCanvas", (_NumberedCanvas,), {"producer_line": line}))
    return buffer.getvalue()
