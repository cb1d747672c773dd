"""Public complaint pages: the form, the one-time code and PIN, and tracking.

Nobody logs in. A complaint is reached with its tracking code and PIN; once
they matched, the session remembers the case for a while so the visitor can
read it and reply. Form data is never logged, and no page here ever shows
the complainant's identity.
"""

from __future__ import annotations

import datetime as dt
import time
import uuid

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from assessments.models import Organisation
from ita_portal.ratelimits import (
    Limit,
    browser_cookie_set,
    browser_key,
    count,
    limits_count,
    limits_wait,
    wait_minutes,
)

from . import services
from .attachments import QuotaExceeded
from .forms import ComplaintForm, ReplyForm, TrackForm
from .models import Channel, Complaint, EventKind
from .selectors import complaint_by_submission_key

# Session keys: the code and PIN waiting to be shown once, and the case being followed.
FILED_KEY = "complaint_filed"
TRACKING_KEY = "complaint_tracking"
FORM_SHOWN_KEY = "complaint_form_shown"
# A case stays open in the session this long after the visitor's last step.
TRACKING_SECONDS = 30 * 60

# Rate-limit counters (ita_portal/ratelimits.py): filings (and robots caught) and
# failed look-ups of a code and PIN, per browser (tight) and per client address
# (loose, many citizens share one), failed look-ups also per tracking code; replies
# per address.
FILE_GROUP = "complaints.file"
FILE_ADDRESS_GROUP = "complaints.file.address"
TRACK_GROUP = "complaints.track"
TRACK_ADDRESS_GROUP = "complaints.track.address"
TRACK_CODE_GROUP = "complaints.track.code"
REPLY_GROUP = "complaints.reply"


def _file_limits() -> list[Limit]:
    return [
        Limit(FILE_GROUP, settings.COMPLAINT_FILE_RATE, browser_key),
        Limit(FILE_ADDRESS_GROUP, settings.COMPLAINT_FILE_ADDRESS_RATE),
    ]


def _code_key(group: str, request: HttpRequest) -> str:
    # The normalised code, so "abcd-efgh…" and "ABCDEFGH…" share one allowance; the
    # counter's cache key is a hash of it (django-ratelimit), never the code itself.
    return "code:" + services.tracking_code_normalise(request.POST.get("code", ""))[:40]


def _track_limits(request: HttpRequest) -> list[Limit]:
    limits = [
        Limit(TRACK_GROUP, settings.COMPLAINT_TRACK_RATE, browser_key),
        Limit(TRACK_ADDRESS_GROUP, settings.COMPLAINT_TRACK_ADDRESS_RATE),
    ]
    if services.tracking_code_normalise(request.POST.get("code", "")):
        limits.append(Limit(TRACK_CODE_GROUP, settings.COMPLAINT_TRACK_CODE_RATE, _code_key))
    return limits


def _retry_at(minutes: int | None) -> dt.datetime | None:
    """The local time after which a limited visitor may try again."""
    if minutes is None:
        return None
    return timezone.localtime(timezone.now() + dt.timedelta(minutes=minutes))


# --- Filing -----------------------------------------------------------------------


def _organisation(org: str) -> Organisation:
    return get_object_or_404(Organisation.objects.select_related("parent"), slug=org)


def _typed(data) -> dict:
    """What the visitor typed, to show again on a refused form (never the trap field)."""
    return {k: v for k, v in data.items() if k not in ("csrfmiddlewaretoken", "website")}


def _form_page(
    request: HttpRequest,
    organisation: Organisation,
    form: ComplaintForm,
    *,
    wait_minutes: int | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "organisation": organisation,
        "form": form,
        "wait_minutes": wait_minutes,
        "retry_at": _retry_at(wait_minutes),
        "acknowledge_days": services.acknowledge_days(),
        "retention_years": settings.COMPLAINT_RETENTION_YEARS,
    }
    return render(request, "complaints/public_new.html", context, status=status)


@require_http_methods(["GET", "POST"])
def complaint_new(request: HttpRequest, org: str) -> HttpResponse:
    return browser_cookie_set(request, _complaint_new(request, org))


def _complaint_new(request: HttpRequest, org: str) -> HttpResponse:
    organisation = _organisation(org)
    if request.method == "GET":
        # A session from the start, so that both sendings of a double click carry
        # it and the second finds the code and PIN the first one kept there.
        request.session[FORM_SHOWN_KEY] = True
        return _form_page(
            request, organisation, ComplaintForm(initial={"submission_key": uuid.uuid4()})
        )

    if complaint_by_submission_key(request.POST.get("submission_key")) is not None:
        # Sent already (and counted): show the code and PIN the first sending kept.
        return redirect("complaints:filed", organisation.slug)
    limits = _file_limits()
    wait = limits_wait(request, limits)
    if wait is not None:
        # Keep what was typed so it is not lost; only the files must be chosen again.
        form = ComplaintForm(initial=_typed(request.POST))
        return _form_page(request, organisation, form, wait_minutes=wait, status=429)

    form = ComplaintForm(request.POST, request.FILES)
    if form.caught_in_honeypot:
        # Answer as if it worked: a robot learns nothing, and nothing is saved.
        limits_count(request, limits)
        return redirect("complaints:filed", organisation.slug)
    if form.is_valid():
        try:
            filed = services.complaint_file(
                organisation=organisation, channel=Channel.WEB, **form.complaint_fields()
            )
        except ValidationError as error:  # refused files, QuotaExceeded among them
            form.add_error("files", error)
        except services.DuplicateSubmission:
            # The same form sent at the same moment: the other request files it.
            return redirect("complaints:filed", organisation.slug)
        else:
            limits_count(request, limits)
            request.session[FILED_KEY] = {
                "org": organisation.slug,
                "code": filed.code_display,
                "pin": filed.pin,
                "date": timezone.localdate(filed.complaint.received_at).isoformat(),
            }
            return redirect("complaints:filed", organisation.slug)
    return _form_page(request, organisation, form)


@never_cache
@require_http_methods(["GET"])
def complaint_filed(request: HttpRequest, org: str) -> HttpResponse:
    """The receipt with the tracking code and PIN, shown once: a reload finds them gone.

    The PIN waits in the session only between the POST and this page, which
    removes it and is never cached (``never_cache``: Cache-Control no-store).
    """
    organisation = _organisation(org)
    filed = request.session.get(FILED_KEY)
    if isinstance(filed, dict) and filed.get("org") == organisation.slug:
        del request.session[FILED_KEY]
    else:
        filed = None
    context = {
        "organisation": organisation,
        "filed": filed,
        "acknowledge_days": services.acknowledge_days(),
        "track_url": services.track_url(),
    }
    return render(request, "complaints/public_filed.html", context)


# --- Tracking ---------------------------------------------------------------------


def _tracked(request: HttpRequest) -> tuple[Complaint | None, bool]:
    """The case this session opened with a code and PIN, and whether it just expired."""
    opened = request.session.get(TRACKING_KEY)
    if not isinstance(opened, dict):
        return None, False
    now = time.time()
    if now - float(opened.get("at", 0)) > TRACKING_SECONDS:
        del request.session[TRACKING_KEY]
        return None, True
    complaint = Complaint.objects.select_related("organisation").filter(pk=opened.get("id")).first()
    if complaint is None:
        del request.session[TRACKING_KEY]
        return None, False
    request.session[TRACKING_KEY] = {"id": complaint.pk, "at": now}
    return complaint, False


def _lookup_page(
    request: HttpRequest,
    *,
    failed: bool = False,
    wait_minutes: int | None = None,
    status: int = 200,
) -> HttpResponse:
    # Always an empty form: what was typed is not echoed, so a wrong code and a
    # wrong PIN give the same page.
    context = {
        "form": TrackForm(),
        "failed": failed,
        "wait_minutes": wait_minutes,
        "retry_at": _retry_at(wait_minutes),
    }
    return render(request, "complaints/public_track.html", context, status=status)


def _timeline(complaint: Complaint) -> tuple[list, list]:
    """The events the complainant may see, and the files they sent with the complaint.

    Uploads are stored under random names, so files are numbered in the order
    they arrived ("file 1 (PDF, 120 KB)").
    """
    events = list(services.tracking_events(complaint))
    attachments = list(complaint.attachments.filter(from_complainant=True))
    for number, attachment in enumerate(attachments, start=1):
        attachment.number = number
    numbered = {a.pk: a for a in attachments}
    later = set()
    for event in events:
        if event.kind == EventKind.FILE_IN and event.attachment_id in numbered:
            event.attachment = numbered[event.attachment_id]
            later.add(event.attachment_id)
    with_complaint = [a for a in attachments if a.pk not in later]
    return events, with_complaint


def _case_page(
    request: HttpRequest, complaint: Complaint, reply_form: ReplyForm, *, status: int = 200
) -> HttpResponse:
    events, first_files = _timeline(complaint)
    context = {
        "complaint": complaint,
        "code_display": services.tracking_code_display(complaint.tracking_code),
        "events": events,
        "first_files": first_files,
        "reply_form": reply_form,
        "expires_minutes": TRACKING_SECONDS // 60,
    }
    return render(request, "complaints/public_track_case.html", context, status=status)


def _track_lookup(request: HttpRequest) -> HttpResponse:
    limits = _track_limits(request)
    wait = limits_wait(request, limits)
    if wait is not None:
        # Refused even when the code and PIN are right: guessing must not pay.
        return _lookup_page(request, wait_minutes=wait, status=429)
    form = TrackForm(request.POST)
    complaint = None
    if form.is_valid():
        complaint = services.complaint_for_tracking(
            code=form.cleaned_data["code"], pin=form.cleaned_data["pin"]
        )
    if complaint is None:
        limits_count(request, limits)
        return _lookup_page(request, failed=True)
    # A new session key for the opened case, so an earlier key cannot reach it.
    request.session.cycle_key()
    request.session[TRACKING_KEY] = {"id": complaint.pk, "at": time.time()}
    return redirect("complaints:track")


def _track_reply(request: HttpRequest, complaint: Complaint) -> HttpResponse:
    form = ReplyForm(request.POST, request.FILES)
    rate = settings.COMPLAINT_REPLY_ADDRESS_RATE
    wait = wait_minutes(request, group=REPLY_GROUP, rate=rate)
    if wait is not None:
        form.is_valid()  # keeps what was typed on the page; nothing is stored
        form.add_error(
            None,
            ngettext(
                "Too many messages were sent from your connection. Please try again in about %(minutes)s minute.",
                "Too many messages were sent from your connection. Please try again in about %(minutes)s minutes.",
                wait,
            )
            % {"minutes": wait},
        )
        return _case_page(request, complaint, form, status=429)
    if form.is_valid():
        try:
            services.complainant_reply(
                complaint=complaint,
                text=form.cleaned_data["text"],
                files=form.cleaned_data["files"],
            )
        except QuotaExceeded as error:
            form.add_error(None, error)
        except ValidationError as error:
            form.add_error("files", error)
        except services.ComplaintError as error:
            form.add_error(None, str(error))
        else:
            count(request, group=REPLY_GROUP, rate=rate)
            messages.success(request, _("Your message has been sent to the office."))
            return redirect("complaints:track")
    return _case_page(request, complaint, form)


@never_cache
@require_http_methods(["GET", "POST"])
def track(request: HttpRequest) -> HttpResponse:
    return browser_cookie_set(request, _track(request))


def _track(request: HttpRequest) -> HttpResponse:
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if action == "finish":
        request.session.pop(TRACKING_KEY, None)
        messages.success(request, _("You have closed the case on this device."))
        return redirect("complaints:track")

    complaint, expired = _tracked(request)
    if expired:
        messages.info(
            request,
            _(
                "The case was closed on this device after a while without use. Enter the code and PIN again."
            ),
        )
    if action == "reply":
        if complaint is None:
            return redirect("complaints:track")
        return _track_reply(request, complaint)
    if request.method == "POST":
        return _track_lookup(request)
    if complaint is None:
        return _lookup_page(request)
    return _case_page(request, complaint, ReplyForm())
