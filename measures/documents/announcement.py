"""The announcement of the measures (ประกาศ, reference 001 and the order in 000).

One signed paper: the agency's emblem, "ประกาศ<agency>" and "เรื่อง <title>",
the body paragraphs, the numbered measures table (measure, steps or method,
responsible, monitoring and reporting — 001's column order), then
"ประกาศ ณ วันที่ …" and the signature block, kept together on one page.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from assessments.models import Organisation

from ..models import AnnouncementKind, DocumentKind
from .base import DocumentSpec

if TYPE_CHECKING:
    from ..report import Report


def _title(organisation: Organisation, fiscal_year: int) -> str:
    # The document is Thai whatever language the visitor reads the portal in;
    # the title is also the PDF's metadata, made outside the body's override.
    with translation.override("th"):
        return pgettext(
            "announcement",
            "Measures to promote integrity and transparency within the agency, "
            "fiscal year %(year)s",
        ) % {"year": fiscal_year}


SPEC = DocumentSpec(
    kind=DocumentKind.ANNOUNCEMENT,
    template="measures/doc_announcement.html",
    default_title=_title,
    parts=[
        ("emblem", _("Emblem or logo")),
        ("body", _("Text of the announcement")),
        ("table", _("Table of the measures")),
        ("signature", _("Date and signature")),
    ],
    fields=["document_date", "body"],
)


def announcement_date(report: Report) -> dt.date | None:
    """The date printed after "ประกาศ ณ วันที่": the document's own date, else the
    date of the year's announcement (ประกาศ) of its measures — the earliest one
    linked to a measure of the year, or the earliest announcement when none is
    linked. None leaves a blank line for the date written by hand when signed."""
    if report.settings.document_date:
        return report.settings.document_date
    announcements = [a for a in report.announcements if a.kind == AnnouncementKind.ANNOUNCEMENT]
    measure_ids = {m.pk for m in report.measures}
    linked = [a for a in announcements if any(m.pk in measure_ids for m in a.measures.all())]
    chosen = (linked or announcements or [None])[0]
    return chosen.date if chosen else None
