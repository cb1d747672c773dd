"""The documents an office submits about its measures, one spec per kind.

Each kind (``DocumentKind``) has its own module with a ``SPEC``: the body
template shared by its web page and its PDF, the parts an office may leave
out, and the settings its form shows. ``measures.report`` builds the data and
renders whichever kind is asked for.
"""

from __future__ import annotations

from django.http import Http404

from ..models import DocumentKind
from .base import DocumentSpec

SPECS: dict[str, DocumentSpec] = {}


def register(spec: DocumentSpec) -> DocumentSpec:
    SPECS[spec.kind] = spec
    return spec


def spec_for(kind: str) -> DocumentSpec:
    try:
        return SPECS[kind]
    except KeyError:
        raise Http404("no such document") from None


# Public addresses of the kinds other than the annual report (which keeps its own).
PAGE_KINDS = [k for k in DocumentKind.values if k != DocumentKind.ANNUAL]


from . import announcement, annual, plan, results  # noqa: E402

for _module in (annual, announcement, plan, results):
    register(_module.SPEC)
