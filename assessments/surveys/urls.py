"""Public, permanent short addresses of survey rounds (printed on posters as QR codes)."""

from django.urls import path  # noqa: F401

app_name = "surveys"

urlpatterns: list = [
    # The respondent's form and its pages (tokens added by the public-form work).
]
