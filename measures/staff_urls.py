from django.urls import path

from . import converters  # noqa: F401  (registers <doc:…>)
from .staff_views import analysis, announcements, documents, follow_ups, years
from .staff_views import measures as measure_views

app_name = "measures_staff"

urlpatterns = [
    path("<slug:org>/measures/", years.years, name="years"),
    path("<slug:org>/measures/<int:year>/", years.year_measures, name="year"),
    path("<slug:org>/measures/<int:year>/add/", measure_views.measure_add, name="measure-add"),
    path("<slug:org>/measures/<int:year>/plan/", years.plan, name="plan"),
    path("<slug:org>/measures/<int:year>/copy/", years.copy_to_next_year, name="copy"),
    # The annual report keeps its addresses; the other documents sit beside it.
    path(
        "<slug:org>/measures/<int:year>/report/",
        documents.document_settings,
        name="report-settings",
    ),
    path(
        "<slug:org>/measures/<int:year>/report/publish/",
        documents.document_publish,
        name="report-publish",
    ),
    path(
        "<slug:org>/measures/<int:year>/documents/",
        documents.documents,
        name="documents",
    ),
    path(
        "<slug:org>/measures/<int:year>/documents/<doc:kind>/",
        documents.document_settings,
        name="document-settings",
    ),
    path(
        "<slug:org>/measures/<int:year>/documents/<doc:kind>/publish/",
        documents.document_publish,
        name="document-publish",
    ),
    path(
        "<slug:org>/measures/<int:year>/analysis/",
        analysis.analysis_texts,
        name="analysis-texts",
    ),
    path(
        "<slug:org>/measures/<int:year>/announcements/",
        announcements.announcements,
        name="announcements",
    ),
    path(
        "<slug:org>/measures/<int:year>/announcements/add/",
        announcements.announcement_add,
        name="announcement-add",
    ),
    path("<slug:org>/measures/measure/<int:pk>/", measure_views.measure_edit, name="measure"),
    path(
        "<slug:org>/measures/measure/<int:pk>/delete/",
        measure_views.measure_delete,
        name="measure-delete",
    ),
    path(
        "<slug:org>/measures/measure/<int:pk>/move/",
        measure_views.measure_move,
        name="measure-move",
    ),
    path(
        "<slug:org>/measures/measure/<int:pk>/follow-ups/",
        follow_ups.follow_ups,
        name="follow-ups",
    ),
    path(
        "<slug:org>/measures/measure/<int:pk>/follow-ups/add/",
        follow_ups.follow_up_add,
        name="follow-up-add",
    ),
    path("<slug:org>/measures/follow-up/<int:pk>/", follow_ups.follow_up_edit, name="follow-up"),
    path(
        "<slug:org>/measures/follow-up/<int:pk>/files/",
        follow_ups.evidence_upload,
        name="evidence-upload",
    ),
    path(
        "<slug:org>/measures/follow-up/<int:pk>/link/",
        follow_ups.evidence_link,
        name="evidence-link",
    ),
    path(
        "<slug:org>/measures/follow-up/<int:pk>/evidence/",
        follow_ups.evidence_update,
        name="evidence-update",
    ),
    path(
        "<slug:org>/measures/evidence/<int:pk>/delete/",
        follow_ups.evidence_delete,
        name="evidence-delete",
    ),
    path(
        "<slug:org>/measures/announcement/<int:pk>/",
        announcements.announcement_edit,
        name="announcement",
    ),
    path(
        "<slug:org>/measures/announcement/<int:pk>/preview/",
        announcements.announcement_preview,
        name="announcement-preview",
    ),
    path(
        "<slug:org>/measures/announcement/<int:pk>/delete/",
        announcements.announcement_delete,
        name="announcement-delete",
    ),
]
