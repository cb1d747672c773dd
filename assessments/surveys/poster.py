"""QR codes, the A4 poster of a round and the printable slips of one-time codes.

The QR codes are made with segno as SVG data URIs: the staff page shows them as
images (the site's content policy allows ``data:`` images, not inline styles)
and WeasyPrint draws them as vectors, sharp at any print size. Both PDFs are
rendered by ``ita_portal.pdf`` with the vendored Thai font, read from disk: the
PDF never goes to the network.
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

from assessments.models import Instrument, SampleRule, SurveyRound
from ita_portal.pdf import html_to_pdf

from .selectors import code_address, round_address

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


def slips_pdf(survey_round: SurveyRound, instrument: Instrument | None, codes: list[str]) -> bytes:
    """A4 pages of ``SLIPS_PER_PAGE`` slips, each with its own link's QR code and code."""
    address = round_address(survey_round)
    slips = [
        {"code": code, "qr": qr_data_uri(code_address(survey_round, code), scale=3)}
        for code in codes
    ]
    pages = [slips[i : i + SLIPS_PER_PAGE] for i in range(0, len(slips), SLIPS_PER_PAGE)]
    return _pdf(
        "assessments/surveys/slips.html",
        {
            "round": survey_round,
            "organisation": survey_round.organisation,
            "survey_name": instrument.name_th if instrument else survey_round.instrument_code,
            "address_text": address.split("://", 1)[-1],
            "pages": pages,
        },
    )
