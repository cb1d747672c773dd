"""The annual report on the measures (reference 000): every chapter, empty ones left out."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from assessments.models import Organisation

from ..models import DocumentKind
from .base import DocumentSpec


def _title(organisation: Organisation, fiscal_year: int) -> str:
    return (
        "รายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน"
        f" ประจำปีงบประมาณ พ.ศ. {fiscal_year}"
    )


SPEC = DocumentSpec(
    kind=DocumentKind.ANNUAL,
    template="measures/_report_body.html",
    default_title=_title,
    parts=[
        ("cover", _("Cover")),
        ("preface", _("Preface")),
        ("toc", _("Contents")),
        ("background", _("Background")),
        ("analysis", _("Analysis of last year's result")),
        ("plan", _("The measures")),
        ("results", _("Results of the measures")),
        ("announcements", _("Announcements and orders")),
    ],
    fields=["chapter_word", "preface", "background", "strengths_threshold"],
)
