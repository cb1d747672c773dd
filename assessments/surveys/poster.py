"""QR codes, the A4 poster of a round and the printable slips of one-time codes.

The QR codes are made with segno as SVG data URIs: the staff page shows them as
images (the site's content policy allows ``data:`` images, not inline styles)
and WeasyPrint draws them as vectors, sharp at any print size. The poster is a
stored PDF made by the task queue (``ita_portal.pdf_store``), rendered by
``ita_portal.pdf`` with the vendored Thai font, read from disk: the PDF never
goes to the network. The slips are an HTML page the browser prints.
"""

from __future__ import annotations

import base64
import mimetypes
from pathlib import Path
from urllib.parse import unquote, unquote_to_bytes, urlsplit

import segno
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation

from assessments.models import Instrument, Organisation, SampleRule, SurveyRound
from ita_portal.pdf import html_to_pdf
from ita_portal.pdf_store import pdf_version, static_digest

from .sampling import rule_for
from .selectors import code_address, instrument_of, round_address

# Resources are asked for under this made-up origin and answered from disk.
PDF_BASE_URL = "https://poster.invalid/"
SLIPS_PER_PAGE = 10


def qr_data_uri(text: str, *, scale: int = 4) -> str:
    """A QR code of ``text`` as an SVG data URI (error correction M: a poster survives
    a fold or a smudge)."""
    return segno.make(text, error="m", micro=False).svg_data_uri(scale=scale, border=2)


def _static_fetcher(url: str, *args, **kwargs):
    from weasyprint.urls import URLFetcherResponse

    parts = urlsplit(url)
    if parts.scheme == "data":
        # Our own QR codes: "data:<type>[;charset=…][;base64],<data>".
        header, _comma, data = url[5:].partition(",")
        content_type = header.split(";", 1)[0]
        body = base64.b64decode(data) if header.endswith(";base64") else unquote_to_bytes(data)
        return URLFetcherResponse(url, body=body, headers={"Content-Type": content_type})
    static_url = "/" + settings.STATIC_URL.lstrip("/")
    path = unquote(parts.path)
    found = None
    if f"{parts.scheme}://{parts.netloc}/" == PDF_BASE_URL and path.startswith(static_url):
        relative = path[len(static_url) :]
        if ".." not in relative.split("/"):
            found = finders.find(relative)
    if not found:
        raise ValueError(f"not a poster resource: {url}")
    file = Path(found)
    content_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
    return URLFetcherResponse(url, body=file.read_bytes(), headers={"Content-Type": content_type})


def _pdf(template: str, context: dict) -> bytes:
    # Posters and slips are for Thai readers whatever the staff member's interface language.
    with translation.override("th"):
        html = render_to_string(template, context)
    return html_to_pdf(html, base_url=PDF_BASE_URL, url_fetcher=_static_fetcher)


def poster_context(
    survey_round: SurveyRound, instrument: Instrument | None, rule: SampleRule | None
) -> dict:
    address = round_address(survey_round)
    return {
        "round": survey_round,
        "organisation": survey_round.organisation,
        "instrument": instrument,
        "survey_name": instrument.name_th if instrument else survey_round.instrument_code,
        "who": rule.population_note if rule else "",
        "address": address,
        "address_text": address.split("://", 1)[-1],
        "qr": qr_data_uri(address, scale=10),
    }


def poster_pdf(
    survey_round: SurveyRound, instrument: Instrument | None, rule: SampleRule | None
) -> bytes:
    return _pdf("assessments/surveys/poster.html", poster_context(survey_round, instrument, rule))


# The poster is for Thai readers whatever the staff member's language.
POSTER_LANG = "th"


def poster_key(survey_round: SurveyRound) -> str:
    return f"poster:{survey_round.pk}:{POSTER_LANG}"


def poster_version(organisation: Organisation) -> str:
    """A round changes with its organisation's content version (``rounds`` services)."""
    digest = static_digest("fonts/Laksaman.ttf", "fonts/Laksaman-Bold.ttf")
    return pdf_version(organisation.content_version, POSTER_LANG, digest)


def poster_build(parts: list[str]) -> tuple[str, bytes] | None:
    """The task queue's builder for ``poster:<round>:<lang>`` (``ita_portal.pdf_store``)."""
    survey_round = (
        SurveyRound.objects.select_related("organisation").filter(pk=int(parts[0])).first()
    )
    if survey_round is None:
        return None
    version = poster_version(survey_round.organisation)  # read before the data
    pdf = poster_pdf(
        survey_round,
        instrument_of(survey_round),
        rule_for(survey_round.organisation, survey_round.instrument_code),
    )
    return version, pdf


def slips_context(
    survey_round: SurveyRound, instrument: Instrument | None, codes: list[str]
) -> dict:
    """Pages of ``SLIPS_PER_PAGE`` slips, each with its own link's QR code and code.

    An HTML page the staff member prints (or saves as PDF from the browser): the
    codes are secrets, so no copy of them is ever stored on the server.
    """
    address = round_address(survey_round)
    slips = [
        {"code": code, "qr": qr_data_uri(code_address(survey_round, code), scale=3)}
        for code in codes
    ]
    return {
        "round": survey_round,
        "organisation": survey_round.organisation,
        "survey_name": instrument.name_th if instrument else survey_round.instrument_code,
        "address_text": address.split("://", 1)[-1],
        "pages": [slips[i : i + SLIPS_PER_PAGE] for i in range(0, len(slips), SLIPS_PER_PAGE)],
    }
