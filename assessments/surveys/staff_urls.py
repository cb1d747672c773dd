"""The staff workspace for survey rounds (login; members of the organisation only)."""

from django.urls import path

from . import import_views

app_name = "surveys_staff"

urlpatterns: list = [
    # Rounds, posters, codes and scores (staff pages).
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
