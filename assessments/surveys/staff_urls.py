"""The staff workspace for survey rounds (login; members of the organisation only)."""

from django.urls import path

from . import import_views, staff_views, staff_views_codes

app_name = "surveys_staff"

urlpatterns: list = [
    # Rounds, posters, codes and scores (staff pages).
    path("<slug:org>/surveys/", staff_views.surveys, name="surveys"),
    # Before the instrument's route: "schools" is not an instrument.
    path("<slug:org>/surveys/<int:year>/schools/", staff_views_codes.schools, name="schools"),
    path("<slug:org>/surveys/<int:year>/<str:instrument>/", staff_views.round_view, name="round"),
    path(
        "<slug:org>/surveys/<int:year>/<str:instrument>/edit/",
        staff_views.round_edit,
        name="round-edit",
    ),
    path(
        "<slug:org>/surveys/<int:year>/<str:instrument>/poster.pdf",
        staff_views.poster,
        name="poster",
    ),
    path(
        "<slug:org>/surveys/<int:year>/<str:instrument>/scores.<str:fmt>",
        staff_views.scores_download,
        name="scores-download",
    ),
    path(
        "<slug:org>/surveys/<int:year>/<str:instrument>/codes/",
        staff_views_codes.codes,
        name="codes",
    ),
    path(
        "<slug:org>/surveys/<int:year>/<str:instrument>/codes/slips/",
        staff_views_codes.codes_slips,
        name="codes-slips",
    ),
    path(
        "<slug:org>/surveys/<int:year>/<str:instrument>/codes/email/",
        staff_views_codes.codes_email,
        name="codes-email",
    ),
    # Importing responses (import pages).
    path(
        "<slug:org>/surveys/<int:year>/<str:instrument>/import/",
        import_views.import_view,
        name="import",
    ),
    path(
        "<slug:org>/surveys/<int:year>/<str:instrument>/import-template.xlsx",
        import_views.import_template,
        name="import-template",
    ),
]
