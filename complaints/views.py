"""Public complaint pages (being written)."""

from django.http import Http404


def _todo(request, *args, **kwargs):
    raise Http404


complaint_new = complaint_filed = track = _todo
