"""The portal's URLs plus a minimal view, the baseline of ``bench/public.py``.

Bench only: the product's URLconf does not have it.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path

from ita_portal.urls import handler404, handler500  # noqa: F401 - the root URLconf's handlers
from ita_portal.urls import urlpatterns as portal_urlpatterns


def minimal(request: HttpRequest) -> HttpResponse:
    """The whole middleware stack and a response, no database, no template."""
    return HttpResponse(b"ok\n", content_type="text/plain")


urlpatterns = [path("bench/minimal/", minimal), *portal_urlpatterns]
