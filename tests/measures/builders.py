"""Builders for measures test data: real files, made with Pillow."""

from __future__ import annotations

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from assessments.models import Indicator, Organisation
from assessments.public_cache import content_changed
from measures.models import FollowUp, Measure, MeasureStatus, Round
from measures.services import evidence_add_files, measure_steps_set


def image_bytes(
    fmt: str = "JPEG", size: tuple[int, int] = (64, 48), color=(200, 30, 30), **save
) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGBA" if fmt == "PNG" else "RGB", size, color).save(buffer, format=fmt, **save)
    return buffer.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def make_measure(
    org: Organisation,
    year: int = 2565,
    number: int | None = None,
    *,
    title: str = "มาตรการเผยแพร่ข้อมูลต่อสาธารณะ",
    indicators=(9,),
    steps=("ขั้นที่หนึ่ง", "ขั้นที่สอง"),
    **fields,
) -> Measure:
    from measures.services import measure_next_number

    measure = Measure.objects.create(
        organisation=org,
        fiscal_year=year,
        number=number or measure_next_number(organisation=org, fiscal_year=year),
        title=title,
        **fields,
    )
    measure.indicators.set(
        Indicator.objects.filter(edition__code="ita-2564-2565", number__in=indicators)
    )
    measure_steps_set(measure=measure, steps=list(steps))
    return measure


def make_follow_up(
    measure: Measure,
    round: str = Round.TWELVE_MONTHS,
    *,
    summary: str = "ดำเนินการครบทุกขั้นตอน",
    status: str = MeasureStatus.DONE,
    images: int = 0,
    **fields,
) -> FollowUp:
    follow_up = FollowUp.objects.create(
        measure=measure,
        round=round,
        summary=summary,
        status=status,
        completed_on=fields.pop("completed_on", dt.date(2022, 9, 30)),
        **fields,
    )
    # Written with the ORM, past the services: move the version as they would,
    # or a public page already cached would not show it.
    content_changed(measure.organisation_id)
    if images:
        evidence_add_files(
            follow_up=follow_up,
            files=[
                upload(f"p{i}.jpg", image_bytes(color=(i * 40, 90, 160))) for i in range(images)
            ],
            captions=[f"ภาพกิจกรรมที่ {i + 1}" for i in range(images)],
        )
    return follow_up
