"""Reads of the complaint channel that more than one page needs."""

from __future__ import annotations

import uuid

from assessments.models import Organisation

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


def complaint_id_by_code(*, organisation: Organisation, code: str) -> int | None:
    """The id of the organisation's complaint with this (normalised) tracking code, if any.

    Another organisation's code is not found, exactly like a code that does not exist.
    """
    return (
        Complaint.objects.filter(organisation=organisation, tracking_code=code)
        .values_list("pk", flat=True)
        .first()
    )
