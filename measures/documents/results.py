"""The results report (reference 002): per measure one table — steps, responsible,
summary of results, outcome, completion date — with its evidence pictures.

A measure reported more than once (6 and 12 months) shows its latest report:
the results report is what the office has achieved by the time it publishes.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from assessments.models import Organisation

from ..models import DocumentKind
from .base import DocumentSpec


def _title(organisation: Organisation, fiscal_year: int) -> str:
    return pgettext(
        "results",
        "Report on the results of the measures to promote integrity and transparency "
        "within the agency, fiscal year %(year)s",
    ) % {"year": fiscal_year}


SPEC = DocumentSpec(
    kind=DocumentKind.RESULTS,
    template="measures/doc_results.html",
    default_title=_title,
    parts=[
        ("cover", _("Cover")),
        ("intro", _("Introduction")),
        ("tables", _("One table per measure")),
        ("pictures", _("Evidence pictures")),
        ("signature", _("Signature")),
    ],
    fields=["body", "document_date"],
)
