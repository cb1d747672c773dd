"""What distinguishes one kind of measures document from another."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from assessments.models import Organisation

from ..models import DocumentKind

# Settings every kind offers in its form.
COMMON_FIELDS = ["title", "thai_digits", "signatory_name", "signatory_position", "hidden_parts"]


@dataclass(frozen=True)
class DocumentSpec:
    kind: DocumentKind
    template: str  # the body partial, shared by the web page and the PDF
    default_title: Callable[[Organisation, int], str]
    # The parts an office may leave out: (key, label shown in the settings form).
    parts: list[tuple[str, str]] = field(default_factory=list)
    # Settings the kind uses beyond COMMON_FIELDS (ReportSettings field names).
    fields: list[str] = field(default_factory=list)

    @property
    def form_fields(self) -> list[str]:
        return [*COMMON_FIELDS, *[f for f in self.fields if f not in COMMON_FIELDS]]
