"""Files and replies from the public: checked by content, within the complaint's
quotas, stored all or none.

Anyone holding a code and PIN can send files, so what a complaint may hold
is capped (``COMPLAINT_MAX_FILES`` files and ``COMPLAINT_MAX_BYTES`` bytes
from the public, the filing and every reply together) and so is the pace of
replies (``COMPLAINT_REPLY_RATE`` per complaint, counted on the complaint's
row, which the service locks). Every check comes before anything is written,
and a file written by a step that then fails is deleted again, so a refused
or failed step leaves neither rows nor files behind.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Count, Sum
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from ita_portal.ratelimits import rate_parse
from ita_portal.uploads import DOCUMENTS, check_uploads

from .models import Attachment, Complaint


class QuotaExceeded(ValidationError):
    """Beyond what the public may store or send on one complaint; the message says which.

    A ValidationError, so that every form that shows refused files shows this too."""


def files_check(files: Sequence) -> list:
    """Each upload with what its content turned out to be; all are refused if one is."""
    return check_uploads(files, DOCUMENTS)


def quota_check(*, complaint: Complaint | None, checked: list) -> None:
    """Refuse files that would take the complaint past its quotas (None: a new complaint)."""
    if not checked:
        return
    held = {"files": 0, "size": 0}
    if complaint is not None:
        held = complaint.attachments.filter(from_complainant=True).aggregate(
            files=Count("*"), size=Sum("size")
        )
    max_files = settings.COMPLAINT_MAX_FILES
    if (held["files"] or 0) + len(checked) > max_files:
        raise QuotaExceeded(
            _(
                "A complaint can hold at most %(max)s files from the complainant; this one "
                "already holds %(held)s and you sent %(sent)s. Send further evidence to the "
                "office by post or in person."
            )
            % {"max": max_files, "held": held["files"] or 0, "sent": len(checked)}
        )
    max_bytes = settings.COMPLAINT_MAX_BYTES
    total = (held["size"] or 0) + sum(info.size for _upload, info in checked)
    if total > max_bytes:
        raise QuotaExceeded(
            _(
                "The files of a complaint can take at most %(max)s in all, and these would "
                "bring it to %(total)s. Send fewer or smaller files, or bring further "
                "evidence to the office by post or in person."
            )
            % {"max": filesizeformat(max_bytes), "total": filesizeformat(total)}
        )


def reply_rate_take(*, complaint: Complaint, now: dt.datetime) -> None:
    """Count one reply on the complaint's window, or refuse it when the window is full.

    The caller holds the complaint's row lock and saves ``REPLY_WINDOW_FIELDS``.
    A fixed window (at most twice the rate across its edge) keeps it to two columns.
    """
    limit, seconds = rate_parse(settings.COMPLAINT_REPLY_RATE)
    start = complaint.reply_window_start
    if start is None or (now - start).total_seconds() >= seconds:
        complaint.reply_window_start, complaint.reply_window_count = now, 0
    if complaint.reply_window_count >= limit:
        left = seconds - (now - complaint.reply_window_start).total_seconds()
        raise QuotaExceeded(
            _(
                "This complaint has received the most messages it may take for now "
                "(%(count)s). Please send yours again in %(minutes)s minutes."
            )
            % {"count": limit, "minutes": max(1, math.ceil(left / 60))}
        )
    complaint.reply_window_count += 1


REPLY_WINDOW_FIELDS = ["reply_window_start", "reply_window_count"]


@contextmanager
def removed_on_failure() -> Iterator[list[Attachment]]:
    """Collects the attachments written inside; deletes their files if the block fails
    (its transaction rolled back, so the rows are gone and the files would be orphans)."""
    written: list[Attachment] = []
    try:
        yield written
    except BaseException:
        for attachment in written:
            if attachment.file.name:
                attachment.file.storage.delete(attachment.file.name)
        raise


def attach(
    complaint: Complaint, checked: list, *, from_complainant: bool, written: list[Attachment]
) -> list[Attachment]:
    """Store checked uploads on the complaint; each is added to ``written`` once on disk."""
    saved = []
    for upload, info in checked:
        attachment = Attachment(
            complaint=complaint,
            file_type=info.type.extension,
            size=info.size,
            from_complainant=from_complainant,
        )
        attachment._upload_extension = info.type.extension
        attachment.file.save("upload", upload, save=False)
        written.append(attachment)
        attachment.save()
        saved.append(attachment)
    return saved
