"""URL converters of the measures documents."""

from __future__ import annotations

from django.urls import register_converter


class DocumentKindConverter:
    """The kinds with their own address (the annual report keeps /<org>/reports/<year>/)."""

    regex = "announcement|plan|results"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return str(value)


# Registered once, here: both the public and the staff addresses use <doc:kind>.
register_converter(DocumentKindConverter, "doc")
