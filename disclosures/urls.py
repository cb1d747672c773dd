"""Public, permanent addresses of the OIT pages: agencies submit them to ITAS.

/<org>/oit/<year>/          the year's items, by indicator
/<org>/oit/<year>/<code>/   one item's page (the address an agency submits)
/<org>/oit/<year>.json      the year's published items as open data
"""

from django.urls import path

from . import views
from .review import public as review_public

app_name = "disclosures"

urlpatterns = [
    path("<slug:org>/oit/", views.years, name="years"),
    path("<slug:org>/oit/<int:year>/", views.year, name="year"),
    path("<slug:org>/oit/<int:year>.json", views.year_json, name="year-json"),
    # The published summary of a self-assessment (a 404 unless published); before
    # the item route, which would take "self-assessment" for an item code.
    path(
        "<slug:org>/oit/<int:year>/self-assessment/",
        review_public.summary,
        name="self-assessment-summary",
    ),
    path("<slug:org>/oit/<int:year>/<str:code>/", views.item, name="item"),
    path("<slug:org>/files/oit/<uuid:key>/", views.entry_file, name="entry-file"),
]
