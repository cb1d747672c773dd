"""Public, permanent addresses: agencies submit these to ITAS, so they never change."""

from django.urls import path

from . import views

app_name = "assessments"

urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:org>/", views.organisation_home, name="organisation"),
    path("<slug:org>/ita/<int:year>/", views.year_detail, name="year"),
]
