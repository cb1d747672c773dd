"""Demo measures, follow-ups with pictures, announcements and a published report.

The wording is the portal's own (written for the demo), following the
structure of the reference documents, not their text.
"""

from __future__ import annotations

import datetime as dt
import io

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from PIL import Image, ImageDraw, ImageFont

from assessments.models import Indicator, Organisation, Unit
from assessments.public_cache import content_changed
from assessments.scoring import organisation_results

from .models import (
    Announcement,
    AnnouncementKind,
    FollowUp,
    Measure,
    MeasureStatus,
    ReportSettings,
    Round,
)
from .services import evidence_add_files, measure_steps_set, measures_edition

DEMO_YEAR = 2565

# (indicator numbers, title, approach, steps, units, free text, monitoring)
DEMO_MEASURES = [
    (
        [9],
        "มาตรการเผยแพร่ข้อมูลต่อสาธารณะ",
        "ทุกกลุ่มงานนำข้อมูลที่อยู่ในความรับผิดชอบขึ้นเผยแพร่บนเว็บไซต์ของสำนักงานให้ครบถ้วน "
        "เป็นปัจจุบัน และตรวจสอบความถูกต้องทุกไตรมาส",
        [
            "แต่งตั้งผู้รับผิดชอบข้อมูลแต่ละรายการ O1–O43",
            "จัดทำปฏิทินการปรับปรุงข้อมูลรายเดือน",
            "ตรวจสอบความครบถ้วนของข้อมูลบนเว็บไซต์ทุกไตรมาส",
            "รายงานผลการตรวจสอบต่อผู้อำนวยการ",
        ],
        ["กลุ่มส่งเสริมการศึกษาทางไกล เทคโนโลยีสารสนเทศและการสื่อสาร"],
        "ทุกกลุ่มงาน",
        "รายงานความครบถ้วนของข้อมูลทุกไตรมาส",
    ),
    (
        [6, 8],
        "มาตรการส่งเสริมการมีส่วนร่วมของผู้มีส่วนได้ส่วนเสีย",
        "เปิดโอกาสให้ผู้รับบริการและผู้มีส่วนได้ส่วนเสียแสดงความคิดเห็นต่อการดำเนินงาน "
        "และนำข้อเสนอแนะไปปรับปรุงการให้บริการ",
        [
            "จัดช่องทางรับฟังความคิดเห็นทางเว็บไซต์และแบบสอบถาม",
            "สรุปผลความพึงพอใจของผู้รับบริการทุกหกเดือน",
            "นำข้อเสนอแนะเข้าที่ประชุมผู้บริหารเพื่อปรับปรุงงาน",
        ],
        ["กลุ่มนโยบายและแผน"],
        "",
        "สรุปผลความพึงพอใจและการปรับปรุงในรายงานรอบ 6 และ 12 เดือน",
    ),
    (
        [2],
        "มาตรการส่งเสริมความโปร่งใสในการจัดซื้อจัดจ้าง",
        "เผยแพร่แผนการจัดซื้อจัดจ้างและผลการจัดซื้อจัดจ้างรายเดือน พร้อมให้ผู้มีส่วนได้ส่วนเสียตรวจสอบได้",
        [
            "ประกาศแผนการจัดซื้อจัดจ้างประจำปีภายในเดือนตุลาคม",
            "รายงานผลการจัดซื้อจัดจ้างทุกเดือน",
            "วิเคราะห์ผลการจัดซื้อจัดจ้างเมื่อสิ้นปีงบประมาณ",
        ],
        ["กลุ่มบริหารงานการเงินและสินทรัพย์"],
        "",
        "รายงานผลรายเดือนและสรุปผลประจำปี",
    ),
    (
        [5],
        "มาตรการจัดการเรื่องร้องเรียนการทุจริต",
        "กำหนดช่องทางและขั้นตอนการรับเรื่องร้องเรียน คุ้มครองผู้ร้องเรียน และแจ้งผลการดำเนินการภายในกำหนดเวลา",
        [
            "ประกาศช่องทางการร้องเรียนอย่างน้อยห้าช่องทาง",
            "ลงทะเบียนรับเรื่องและแจ้งผู้ร้องภายใน 15 วัน",
            "รายงานสถิติเรื่องร้องเรียนทุกหกเดือน",
        ],
        ["กลุ่มกฎหมายและคดี"],
        "",
        "รายงานสถิติเรื่องร้องเรียนรอบ 6 และ 12 เดือน",
    ),
    (
        [],
        "มาตรการป้องกันการรับสินบน (No Gift Policy)",
        "บุคลากรทุกคนไม่รับของขวัญหรือประโยชน์อื่นใดจากการปฏิบัติหน้าที่ "
        "เว้นแต่เป็นไปตามที่กฎหมายกำหนด และรายงานเมื่อมีผู้มอบให้",
        [
            "ประกาศเจตนารมณ์ไม่รับของขวัญและของกำนัลทุกชนิด",
            "จัดกิจกรรมสร้างจิตสำนึกให้บุคลากร",
            "จัดทำแบบรายงานการรับของขวัญ",
        ],
        [],
        "ทุกกลุ่มงานและหน่วย",
        "สรุปรายงานการรับของขวัญเมื่อสิ้นปีงบประมาณ",
    ),
    (
        [3, 4],
        "มาตรการป้องกันผลประโยชน์ทับซ้อนและการใช้ทรัพย์สินของราชการ",
        "ควบคุมการยืมและการใช้ทรัพย์สินของราชการให้เป็นไปตามระเบียบ และให้ความรู้เรื่องผลประโยชน์ทับซ้อนแก่บุคลากร",
        [
            "จัดทำขั้นตอนการยืมทรัพย์สินของราชการ",
            "อบรมความรู้เรื่องผลประโยชน์ทับซ้อน",
            "ตรวจสอบทะเบียนการยืมทรัพย์สินทุกไตรมาส",
        ],
        ["กลุ่มอำนวยการ", "หน่วยตรวจสอบภายใน"],
        "",
        "รายงานผลการตรวจสอบทะเบียนทุกไตรมาส",
    ),
    (
        [1, 7],
        "มาตรการทบทวนการใช้ดุลพินิจและคู่มือการปฏิบัติงาน",
        "ทุกกลุ่มงานจัดทำและทบทวนคู่มือการปฏิบัติงานและการให้บริการ เพื่อลดการใช้ดุลพินิจและให้บริการเป็นมาตรฐานเดียวกัน",
        [
            "ทบทวนคู่มือการปฏิบัติงานของทุกกลุ่มงาน",
            "เผยแพร่คู่มือการให้บริการบนเว็บไซต์",
            "ประเมินการใช้คู่มือเมื่อสิ้นปีงบประมาณ",
        ],
        [],
        "ทุกกลุ่มงาน",
        "รายงานผลการทบทวนคู่มือในรอบ 12 เดือน",
    ),
]


def demo_photo(caption: str, *, size: tuple[int, int] = (1200, 800), seed: int = 0) -> bytes:
    """A made-up 'photo' with a caption drawn in the vendored Thai face."""
    width, height = size
    image = Image.new("RGB", size)
    draw = ImageDraw.Draw(image)
    top = ((40 + seed * 37) % 200, (90 + seed * 53) % 200, 160)
    for y in range(height):
        shade = y / height
        draw.line(
            [(0, y), (width, y)],
            fill=tuple(int(c * (1 - shade) + 235 * shade) for c in top),
        )
    draw.rectangle([width * 0.1, height * 0.55, width * 0.9, height * 0.9], fill=(250, 250, 245))
    font_path = settings.BASE_DIR / "static" / "fonts" / "Laksaman.ttf"
    font = ImageFont.truetype(str(font_path), size=max(24, height // 14))
    draw.text((width * 0.13, height * 0.62), caption, fill=(30, 30, 30), font=font)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


def _follow_up(
    measure: Measure, round: str, status: str, summary: str, outcome: str, completed: dt.date | None
) -> FollowUp:
    follow_up, _ = FollowUp.objects.update_or_create(
        measure=measure,
        round=round,
        defaults={
            "summary": summary,
            "outcome": outcome,
            "status": status,
            "completed_on": completed,
        },
    )
    return follow_up


@transaction.atomic
def demo_measures_load(organisation: Organisation, fiscal_year: int = DEMO_YEAR) -> None:
    """Load the demo year once; an office that already has measures that year is left alone."""
    if Measure.objects.filter(organisation=organisation, fiscal_year=fiscal_year).exists():
        return
    ReportSettings.objects.update_or_create(
        organisation=organisation,
        fiscal_year=fiscal_year,
        defaults={
            "preface": (
                f"รายงานฉบับนี้รวบรวมมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน "
                f"ประจำปีงบประมาณ พ.ศ. {fiscal_year} ของ{organisation.name_th} "
                f"ซึ่งจัดทำจากการวิเคราะห์ผลการประเมิน ITA ปีงบประมาณ พ.ศ. {fiscal_year - 1} "
                "และผลการดำเนินการตามมาตรการในรอบ 6 เดือนและ 12 เดือน\n\n"
                "หวังเป็นอย่างยิ่งว่ารายงานนี้จะเป็นประโยชน์ต่อการพัฒนาการดำเนินงานให้โปร่งใส "
                "และตรวจสอบได้ต่อไป"
            ),
            "background": (
                "การประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ (ITA) "
                "เป็นเครื่องมือที่ช่วยให้หน่วยงานทราบสถานะของตนเอง และนำผลไปปรับปรุงการดำเนินงาน\n\n"
                "สำนักงานจึงแต่งตั้งคณะทำงาน วิเคราะห์ผลการประเมินของปีที่ผ่านมา "
                "กำหนดมาตรการ ติดตาม และรายงานผลต่อสาธารณะ"
            ),
            "thai_digits": False,
            "signatory_name": organisation.head_name,
            "signatory_position": organisation.head_position,
            "published": True,
        },
    )
    edition = measures_edition(fiscal_year, organisation)
    indicators = {i.number: i for i in Indicator.objects.filter(edition=edition)} if edition else {}
    units = {u.name: u for u in Unit.objects.filter(organisation=organisation)}
    end = dt.date(fiscal_year - 543, 9, 30)
    for number, (numbers, title, approach, steps, unit_names, free, monitoring) in enumerate(
        DEMO_MEASURES, start=1
    ):
        measure = Measure.objects.create(
            organisation=organisation,
            fiscal_year=fiscal_year,
            number=number,
            title=title,
            approach=approach,
            responsible_text=free,
            monitoring=monitoring,
            due_date=end,
        )
        measure.indicators.set([indicators[n] for n in numbers if n in indicators])
        measure.responsible_units.set([units[n] for n in unit_names if n in units])
        measure_steps_set(measure=measure, steps=steps)
        _follow_up(
            measure,
            Round.SIX_MONTHS,
            MeasureStatus.IN_PROGRESS,
            f"ดำเนินการตามขั้นตอนที่ 1 และ 2 ของ{title}แล้ว อยู่ระหว่างดำเนินการขั้นตอนที่เหลือ",
            "บุคลากรรับทราบแนวปฏิบัติและเริ่มดำเนินการตามแผน",
            None,
        )
        last_status = MeasureStatus.DONE if number != 3 else MeasureStatus.DELAYED
        last = _follow_up(
            measure,
            Round.TWELVE_MONTHS,
            last_status,
            f"ดำเนินการ{title}ครบทุกขั้นตอนตามแผน และรายงานผลต่อผู้อำนวยการแล้ว"
            if last_status == MeasureStatus.DONE
            else "การรายงานผลรายเดือนล่าช้าในไตรมาสที่ 3 อยู่ระหว่างเร่งรัดให้ครบถ้วน",
            "ผลการดำเนินงานบรรลุเป้าหมายที่กำหนด" if last_status == MeasureStatus.DONE else "",
            end if last_status == MeasureStatus.DONE else None,
        )
        if number <= 4:
            photos = [
                SimpleUploadedFile(
                    "photo.jpg", demo_photo(f"มาตรการที่ {number} ภาพที่ {i}", seed=number * 3 + i)
                )
                for i in (1, 2)
            ]
            evidence_add_files(
                follow_up=last,
                files=photos,
                captions=[f"ภาพกิจกรรม{title} ({i})" for i in (1, 2)],
            )
    anti_bribery = Measure.objects.get(organisation=organisation, fiscal_year=fiscal_year, number=5)
    announcement, _ = Announcement.objects.update_or_create(
        organisation=organisation,
        fiscal_year=fiscal_year,
        title="เจตนารมณ์ไม่รับของขวัญและของกำนัลทุกชนิดจากการปฏิบัติหน้าที่ (No Gift Policy)",
        defaults={
            "kind": AnnouncementKind.ANNOUNCEMENT,
            "body": (
                f"เพื่อให้การปฏิบัติราชการของ{organisation.name_th}เป็นไปด้วยความซื่อสัตย์สุจริต "
                "โปร่งใส และตรวจสอบได้ จึงประกาศเจตนารมณ์ ดังนี้\n\n"
                "1. บุคลากรทุกคนจะไม่รับของขวัญ ของกำนัล หรือประโยชน์อื่นใดจากการปฏิบัติหน้าที่\n\n"
                "2. ผู้บังคับบัญชาทุกระดับเป็นแบบอย่างที่ดีและกำกับดูแลให้ปฏิบัติตามประกาศนี้\n\n"
                "ทั้งนี้ ตั้งแต่บัดนี้เป็นต้นไป"
            ),
            "date": dt.date(fiscal_year - 544, 11, 1),
            "signatory_name": organisation.head_name,
            "signatory_position": organisation.head_position,
        },
    )
    announcement.measures.set([anti_bribery])
    # Written past the services (the demo sets what staff would type).
    content_changed(organisation)


# The current year's measures, planned from the analysis of the year before:
# one per indicator to develop (keyed by its number), plus a stand-alone one.
PLANNED = {
    9: (
        "มาตรการเผยแพร่ข้อมูลสาธารณะให้ครบถ้วนและเป็นปัจจุบัน",
        "ทุกกลุ่มงานตรวจสอบข้อมูลที่ต้องเผยแพร่ตามรายการ O ของปีนี้ ให้อยู่ในช่วงเวลาที่กำหนด "
        "และลงนามโดยผู้บริหารในรายการที่ต้องลงนาม",
        [
            "มอบหมายผู้รับผิดชอบข้อมูลแต่ละรายการ",
            "ตรวจความครบถ้วนของข้อมูลบนหน้า OIT ทุกเดือน",
            "สรุปผลการจัดซื้อจัดจ้างรายเดือนให้ครบทุกเดือน",
        ],
        ["กลุ่มส่งเสริมการศึกษาทางไกล เทคโนโลยีสารสนเทศและการสื่อสาร"],
    ),
    2: (
        "มาตรการส่งเสริมความโปร่งใสในการใช้งบประมาณ",
        "เปิดเผยแผนและความก้าวหน้าการใช้จ่ายงบประมาณรายไตรมาส และให้บุคลากรมีส่วนร่วมตรวจสอบการใช้งบประมาณ",
        [
            "เผยแพร่แผนการใช้จ่ายงบประมาณประจำปีภายในเดือนพฤศจิกายน",
            "รายงานความก้าวหน้าการใช้จ่ายงบประมาณทุกไตรมาส",
            "เปิดช่องทางให้บุคลากรสอบถามและให้ข้อเสนอแนะ",
        ],
        ["กลุ่มบริหารงานการเงินและสินทรัพย์", "กลุ่มนโยบายและแผน"],
    ),
}
STAND_ALONE = (
    "มาตรการป้องกันการรับสินบน (No Gift Policy)",
    "ผู้บริหารประกาศเจตนารมณ์ไม่รับของขวัญและของกำนัล และสร้างการรับรู้แก่บุคลากรทุกระดับ",
    ["ประกาศเจตนารมณ์โดยผู้อำนวยการ", "ประชาสัมพันธ์แนวปฏิบัติแก่บุคลากร"],
    ["กลุ่มกฎหมายและคดี"],
)


@transaction.atomic
def demo_planned_year_load(organisation: Organisation, fiscal_year: int) -> None:
    """Measures for the current year from last year's analysis, with a first
    (dated) progress report; loaded once."""
    if Measure.objects.filter(organisation=organisation, fiscal_year=fiscal_year).exists():
        return
    analysed = next(
        (
            r
            for r in organisation_results(organisation=organisation)
            if r.fiscal_year == fiscal_year - 1
        ),
        None,
    )
    to_develop = [r.indicator for r in analysed.to_develop] if analysed else []
    units = {u.name: u for u in Unit.objects.filter(organisation=organisation)}
    plans = [
        ([indicator], *PLANNED[indicator.number])
        for indicator in to_develop
        if indicator.number in PLANNED
    ]
    plans.append(([], *STAND_ALONE))
    end = dt.date(fiscal_year - 543, 9, 30)
    first_report = dt.date(fiscal_year - 544, 11, 20)
    for number, (indicators, title, approach, steps, unit_names) in enumerate(plans, start=1):
        measure = Measure.objects.create(
            organisation=organisation,
            fiscal_year=fiscal_year,
            number=number,
            title=title,
            approach=approach,
            monitoring="รายงานความก้าวหน้าต่อผู้อำนวยการทุกไตรมาส และรายงานรอบ 6 และ 12 เดือน",
            due_date=end,
        )
        measure.indicators.set(indicators)
        measure.responsible_units.set([units[n] for n in unit_names if n in units])
        measure_steps_set(measure=measure, steps=steps)
        FollowUp.objects.update_or_create(
            measure=measure,
            round=Round.DATED,
            report_date=first_report,
            defaults={
                "summary": f"ดำเนินการขั้นตอนแรกของ{title}แล้ว: {steps[0]}",
                "status": MeasureStatus.IN_PROGRESS,
            },
        )
    ReportSettings.objects.get_or_create(
        organisation=organisation,
        fiscal_year=fiscal_year,
        defaults={
            "signatory_name": organisation.head_name,
            "signatory_position": organisation.head_position,
        },
    )
    content_changed(organisation)
