"""Published complaint statistics (being written)."""

from django.http import Http404


def statistics(request, *args, **kwargs):
    raise Http404
