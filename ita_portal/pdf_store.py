"""Stored PDFs: made by the task queue, served from storage, never rendered in a request.

WeasyPrint takes seconds for a large document; a request that waited for it
would tie up a server process per visitor. So:

- each PDF has a key (what it is) and a version (what it was made from: the
  organisation's ``content_version``, the language, the stylesheet's digest),
  known without rendering: ``assessments.public_cache.content_changed`` moves
  it in the same transaction as the change;
- a request compares the stored version with the current one (one query):
  current → the file; stale → the previous file while the new one is made;
  none yet → a Thai "being prepared" page that reloads itself;
- a stale or missing PDF queues one render per version (``wanted_version``),
  in the request's transaction, on the django-tasks database queue; the
  worker (``manage.py db_worker``) renders and stores it;
- the file leaves the server as Django's FileResponse, or through the web
  server (``PDF_SENDFILE``: nginx's X-Accel-Redirect, X-Sendfile), at the
  speed of a static file.

Kinds of PDF register a builder here (``BUILDERS``): a function of the key's
parts returning the version it read and the PDF, or None when the subject no
longer exists. Builders read the version before the data, so a change made
while rendering leaves the stored copy older than current, never newer.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import StoredPdf

logger = logging.getLogger(__name__)

# kind (the key's first part) → dotted path of its builder.
BUILDERS: dict[str, str] = {
    "document": "measures.pdf_store.document_build",
    "poster": "assessments.surveys.poster.poster_build",
}

Builder = Callable[[list[str]], "tuple[str, bytes] | None"]


def static_digest(*names: str) -> str:
    """A short digest of static files (stylesheets, fonts): they change only with a release."""
    digest = hashlib.sha256()
    for name in names:
        found = finders.find(name)
        digest.update(Path(found).read_bytes() if found else name.encode())
    return digest.hexdigest()[:16]


def pdf_version(content_version: int, lang: str, digest: str) -> str:
    return f"{content_version}:{lang}:{digest}"


def _builder(key: str) -> Builder:
    return import_string(BUILDERS[key.split(":", 1)[0]])


def pdf_request(key: str, version: str) -> StoredPdf | None:
    """The stored PDF of ``key`` (None when there is none yet), queueing a render of
    ``version`` unless that version is stored or already queued."""
    from .tasks import render_stored_pdf

    stored = StoredPdf.objects.filter(key=key).first()
    if stored is not None and (stored.version == version or stored.wanted_version == version):
        return stored
    with transaction.atomic():
        if stored is None:
            try:
                with transaction.atomic():
                    stored = StoredPdf.objects.create(key=key, wanted_version=version)
                claimed = True
            except IntegrityError:  # another request made the row first
                stored = StoredPdf.objects.get(key=key)
                claimed = False
        else:
            # Conditional, so two requests at once queue one render.
            claimed = bool(
                StoredPdf.objects.filter(pk=stored.pk)
                .exclude(wanted_version=version)
                .update(wanted_version=version)
            )
        if claimed:
            render_stored_pdf.enqueue(key=key, version=version)
    return stored


def pdf_render(key: str, version: str) -> None:
    """Make and store the PDF of ``key`` (the worker's job). A failure is recorded
    on the row and raised, so the queue marks the task failed too."""
    stored = StoredPdf.objects.filter(key=key).first()
    if stored is None or (stored.version == version and stored.file):
        return
    if stored.wanted_version != version:
        return  # a newer version was asked for since: its own task makes it
    try:
        built = _builder(key)(key.split(":")[1:])
    except Exception as error:
        StoredPdf.objects.filter(pk=stored.pk).update(
            failed_version=version, error=f"{type(error).__name__}: {error}"
        )
        raise
    if built is None:
        StoredPdf.objects.filter(pk=stored.pk).delete()
        return
    made_version, pdf = built
    name = f"{key.replace(':', '-')}-{hashlib.sha256(pdf).hexdigest()[:16]}.pdf"
    old = stored.file.name if stored.file else ""
    stored.file.save(name, ContentFile(pdf), save=False)
    StoredPdf.objects.filter(pk=stored.pk).update(
        file=stored.file.name,
        version=made_version,
        rendered_at=timezone.now(),
        failed_version="",
        error="",
    )
    if old and old != stored.file.name:
        stored.file.storage.delete(old)


def pdf_queue(key: str, version: str) -> None:
    """Ask for a render ahead of the first visitor (publishing, the demo)."""
    pdf_request(key, version)


def file_response(name: str, file_name: str) -> HttpResponse:
    """The stored file ``name`` (relative to MEDIA_ROOT) as an inline PDF called ``file_name``."""
    mode = settings.PDF_SENDFILE
    if mode == "x-accel-redirect":
        response = HttpResponse(content_type="application/pdf")
        response["X-Accel-Redirect"] = settings.PDF_SENDFILE_PREFIX.rstrip("/") + "/" + name
    elif mode == "x-sendfile":
        response = HttpResponse(content_type="application/pdf")
        response["X-Sendfile"] = default_storage.path(name)
    else:
        try:
            handle = default_storage.open(name, "rb")
        except FileNotFoundError as error:
            raise Http404("stored PDF missing") from error
        response = FileResponse(handle, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{file_name}"'
    return response


def stored_pdf_response(
    request: HttpRequest,
    *,
    key: str,
    version: str,
    file_name: str,
    page_url: str = "",
    title: str = "",
) -> HttpResponse:
    """The stored PDF (current or the previous one), or the page saying it is being made."""
    stored = pdf_request(key, version)
    if stored is not None and stored.file:
        return file_response(stored.file.name, file_name)
    failed = stored is not None and stored.failed_version == version
    response = render(
        request,
        "measures/pdf_preparing.html",
        {"page_url": page_url, "title": title, "failed": failed},
    )
    response["Cache-Control"] = "no-store"
    return response
