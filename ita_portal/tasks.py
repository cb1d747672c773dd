"""Background work on the task queue (django-tasks, database backend; ``manage.py db_worker``)."""

from __future__ import annotations

from django_tasks import task

from .pdf_store import pdf_render


@task()
def render_stored_pdf(*, key: str, version: str) -> None:
    """Render one stored PDF (``ita_portal.pdf_store``)."""
    pdf_render(key, version)


@task()
def send_due_digest() -> None:
    """The weekly e-mail of what is due (``ita_portal.digest``); idempotent per week."""
    from .digest import digest_send

    digest_send()
