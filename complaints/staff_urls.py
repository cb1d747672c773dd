"""The complaint officers' workspace (being written)."""

from django.http import Http404
from django.urls import path

app_name = "complaints_staff"


def _todo(request, *args, **kwargs):
    raise Http404


urlpatterns = [
    path("<slug:org>/complaints/", _todo, name="queue"),
    path("<slug:org>/complaints/<int:pk>/", _todo, name="case"),
]
