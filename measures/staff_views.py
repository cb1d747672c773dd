"""The staff workspace for measures (placeholder until built)."""

from django.http import Http404


def years(request, org):
    raise Http404


def year(request, org, year):
    raise Http404
