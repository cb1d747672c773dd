"""Running the task queue's real worker (django-tasks' database backend) inside a test."""

from __future__ import annotations

from unittest import mock

from django.core.management import call_command
from django_tasks_db.management.commands import db_worker


def run_worker() -> None:
    """Run every queued task with ``manage.py db_worker --batch``, in this process.

    The worker closes "old" connections between tasks, as Django does between
    requests; inside a test's transaction that would close the test's own
    connection, so (as Django's test client does for requests) it is skipped.
    """
    with mock.patch.object(db_worker, "close_old_connections", lambda: None):
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
