"""Reads of the complaint channel that more than one page needs."""

from __future__ import annotations

import uuid

from .models import Complaint


def complaint_by_submission_key(key: str | uuid.UUID | None) -> Complaint | None:
    """The complaint an earlier sending of the same web form made, if any."""
    if not key:
        return None
    try:
        key = uuid.UUID(str(key))
    except ValueError:
        return None
    return Complaint.objects.filter(submission_key=key).first()
