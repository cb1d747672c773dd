"""Public addresses of the complaint channel (permanent: they are published as O30)."""

from django.urls import path

from . import statistics_views, views

app_name = "complaints"

urlpatterns = [
    path("<slug:org>/complaints/new/", views.complaint_new, name="new"),
    path("<slug:org>/complaints/filed/", views.complaint_filed, name="filed"),
    path("complaints/track/", views.track, name="track"),
    path(
        "<slug:org>/complaints/statistics/<int:year>/",
        statistics_views.statistics,
        name="statistics",
    ),
]
