"""Public, permanent addresses of the annual measures report and its files."""

from django.urls import path

from . import (
    converters,  # noqa: F401  (registers <doc:…>)
    views,
)

app_name = "measures"

urlpatterns = [
    path("<slug:org>/reports/<int:year>/", views.report, name="report"),
    path("<slug:org>/reports/<int:year>.pdf", views.report_pdf, name="report-pdf"),
    path("<slug:org>/reports/<int:year>/<doc:kind>/", views.document, name="document"),
    path("<slug:org>/reports/<int:year>/<doc:kind>.pdf", views.document_pdf, name="document-pdf"),
    path("<slug:org>/files/evidence/<uuid:key>/", views.evidence_file, name="evidence-file"),
    path(
        "<slug:org>/files/evidence/<uuid:key>/preview/",
        views.evidence_preview,
        name="evidence-preview",
    ),
    path(
        "<slug:org>/files/announcements/<uuid:key>/",
        views.announcement_file,
        name="announcement-file",
    ),
]
