"""The measures plan (reference 003): cover, preface, contents, the background,
the analysis of last year's result in the office's words, then the measures
with their approach and nested steps.

Chapters are numbered among the parts shown, so leaving out the background
makes the analysis chapter 1, as an office numbering its own plan would.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from assessments.models import Organisation

from ..models import DocumentKind
from .base import DocumentSpec

if TYPE_CHECKING:
    from ..report import Report

# The parts that are chapters, in their order in the document.
CHAPTERS = ("background", "analysis", "measures")


def _title(organisation: Organisation, fiscal_year: int) -> str:
    # Rendered under Thai with the document (report_body_html), like its other words.
    return pgettext(
        "plan",
        "Measures to promote integrity and transparency within the agency, fiscal year %(year)s",
    ) % {"year": fiscal_year}


SPEC = DocumentSpec(
    kind=DocumentKind.PLAN,
    template="measures/doc_plan.html",
    default_title=_title,
    parts=[
        ("cover", _("Cover")),
        ("preface", _("Preface")),
        ("toc", _("Contents")),
        ("background", _("Background")),
        ("analysis", _("Analysis of last year's result")),
        ("measures", _("The measures")),
    ],
    fields=["chapter_word", "preface", "background", "strengths_threshold"],
)


def chapter_numbers(report: Report) -> dict[str, int]:
    """Each chapter shown, numbered 1, 2, 3 in order; the hidden ones have none."""
    shown = [key for key in CHAPTERS if report.settings.shows(key)]
    return {key: number for number, key in enumerate(shown, start=1)}
