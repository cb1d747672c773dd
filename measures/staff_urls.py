from django.urls import path

from . import staff_views

app_name = "measures_staff"

urlpatterns = [
    path("<slug:org>/measures/", staff_views.years, name="years"),
    path("<slug:org>/measures/<int:year>/", staff_views.year, name="year"),
]
