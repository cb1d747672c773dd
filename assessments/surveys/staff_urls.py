"""The staff workspace for survey rounds (login; members of the organisation only)."""

from django.urls import path  # noqa: F401

app_name = "surveys_staff"

urlpatterns: list = [
    # Rounds, posters, codes and scores (staff pages).
    # Importing responses (import pages).
]
