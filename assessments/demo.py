"""Demo data for a first look at the portal: a fictional office and one of its schools.

The names are invented; the figures are realistic for education offices.
Loading is idempotent, so ``make run`` can run it every time.
"""

from __future__ import annotations

import secrets
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from .models import (
    Assessment,
    Instrument,
    InstrumentScore,
    Item,
    ItemResult,
    Membership,
    Organisation,
    OrganisationKind,
    ResultLevel,
    Role,
    Unit,
)
from .public_cache import content_changed
from .services import assessment_get_or_create, assessment_update

DEMO_UNITS = [
    "กลุ่มอำนวยการ",
    "กลุ่มบริหารงานบุคคล",
    "กลุ่มนโยบายและแผน",
    "กลุ่มส่งเสริมการจัดการศึกษา",
    "กลุ่มบริหารงานการเงินและสินทรัพย์",
    "กลุ่มนิเทศ ติดตามและประเมินผลการจัดการศึกษา",
    "กลุ่มพัฒนาครูและบุคลากรทางการศึกษา",
    "กลุ่มส่งเสริมการศึกษาทางไกล เทคโนโลยีสารสนเทศและการสื่อสาร",
    "กลุ่มกฎหมายและคดี",
    "หน่วยตรวจสอบภายใน",
]
SCHOOL_UNITS = ["ฝ่ายบริหารวิชาการ", "ฝ่ายบริหารงบประมาณ", "ฝ่ายบริหารงานบุคคล", "ฝ่ายบริหารทั่วไป"]

# Years before the 2564 edition: only the published total is kept.
DEMO_TOTALS = {2559: "78.42", 2560: "74.10", 2561: "69.85", 2562: "86.21", 2563: "88.04"}
DEMO_SCORES = {
    2564: [
        "99.13",
        "90.34",
        "95.28",
        "95.00",
        "93.17",
        "97.93",
        "97.65",
        "96.33",
        "75.92",
        "93.75",
    ],
    2565: [
        "98.08",
        "98.85",
        "100.00",
        "99.46",
        "99.04",
        "100.00",
        "99.91",
        "100.00",
        "92.78",
        "100.00",
    ],
    # From 2566 the NACC gives levels, and a level can need every instrument's own score:
    # 2567's EIT (84.43) holds a total of 92.78 back to ผ่าน; 2569's indicators 2 and 9 are
    # below the office's threshold and drive the measures of 2570.
    2566: [
        "96.10",
        "93.40",
        "95.80",
        "96.20",
        "94.50",
        "95.30",
        "94.10",
        "93.80",
        "88.75",
        "91.25",
    ],
    2567: [
        "97.00",
        "95.50",
        "96.80",
        "97.20",
        "96.00",
        "86.20",
        "83.10",
        "84.00",
        "95.00",
        "97.50",
    ],
    2568: [
        "97.80",
        "96.40",
        "97.10",
        "98.00",
        "96.90",
        "96.20",
        "95.60",
        "97.10",
        "95.38",
        "97.50",
    ],
    2569: [
        "98.50",
        "84.10",
        "98.10",
        "98.60",
        "97.80",
        "96.10",
        "95.40",
        "96.80",
        "84.62",
        "100.00",
    ],
}
DEMO_RANKS = {
    2564: (38, 245),
    2565: (12, 245),
    2566: (41, 245),
    2567: (58, 245),
    2568: (9, 245),
    2569: (27, 245),
}
DEMO_OFFICIAL = {
    2564: "91.50",
    2565: "98.28",
    2566: "92.88",
    2567: "92.78",
    2568: "96.64",
    2569: "94.38",
}
# The school's later years as offices often have them: only the instrument scores
# (IIT, EIT, OIT) from the ESA's sheet, or only the published total and level.
SCHOOL_INSTRUMENTS = {
    2566: {"IIT": "92.50", "EIT": "90.12", "OIT": "62.50"},
    2568: {"IIT": "93.40", "EIT": "91.75", "OIT": "80.77"},
    2569: {"IIT": "95.10", "EIT": "93.60", "OIT": "88.46"},
}
SCHOOL_PUBLISHED = {2567: ("86.40", "pass")}
SCHOOL_SCORES = {
    2564: [
        "92.40",
        "88.15",
        "90.02",
        "91.37",
        "86.50",
        "94.10",
        "89.76",
        "90.88",
        "62.27",
        "56.25",
    ],
    2565: [
        "95.12",
        "91.08",
        "93.55",
        "94.20",
        "90.64",
        "96.35",
        "93.12",
        "94.40",
        "81.82",
        "87.50",
    ],
}
# OIT items the assessors marked as not passed in the demo office's 2564 result.
DEMO_FAILED_ITEMS = {
    "O1": "ปรับปรุงแผนผังโครงสร้างให้เป็นปัจจุบัน แสดงตำแหน่งที่สำคัญให้ครบ",
    "O11": "เผยแพร่รายงานรอบ 6 เดือนให้มีความก้าวหน้าของแต่ละโครงการและงบประมาณที่ใช้",
    "O14": "จัดทำคู่มือการให้บริการที่มีแผนผังขั้นตอนและระยะเวลาที่ใช้",
    "O23": "เผยแพร่สรุปผลการจัดซื้อจัดจ้างรายเดือนให้ครบทุกเดือน",
    "O24": "จำแนกข้อมูลการจัดซื้อจัดจ้างตามวิธีการและวิเคราะห์ผลเพื่อนำไปปรับปรุง",
    "O26": "แสดงแผนหรือกิจกรรมที่ดำเนินการตามนโยบายการบริหารทรัพยากรบุคคล",
    "O27": "เผยแพร่หลักเกณฑ์การบริหารและพัฒนาทรัพยากรบุคคลให้ครบทุกด้าน",
    "O30": "จัดช่องทางแจ้งเรื่องร้องเรียนที่เข้าถึงได้จากหน้าแรกของเว็บไซต์",
}

# …and in 2569 (O1–O26 numbering): indicator 9 scored 84.62, 11 of 13 items passed.
DEMO_FAILED_ITEMS_2569 = {
    "O6": "แสดงความก้าวหน้าการดำเนินงานและการใช้จ่ายงบประมาณ รอบ 6 เดือน ให้ครบทุกโครงการ",
    "O11": "เผยแพร่สรุปผลการจัดซื้อจัดจ้างรายเดือนให้ครบทุกเดือนของปีงบประมาณ",
}


def _scores(values: list[str]) -> dict[int, Decimal]:
    return {number: Decimal(value) for number, value in enumerate(values, start=1)}


@transaction.atomic
def demo_load() -> Organisation:
    office, _ = Organisation.objects.update_or_create(
        slug="demo",
        defaults={
            "name_th": "สำนักงานเขตพื้นที่การศึกษามัธยมศึกษาตัวอย่าง",
            "name_en": "Example Secondary Educational Service Area Office",
            "kind": OrganisationKind.SECONDARY_ESA,
            "address": "99 ถนนศรีจันทร์ ตำบลในเมือง อำเภอเมือง จังหวัดตัวอย่าง 40000",
            "phone": "0 4300 0000",
            "email": "saraban@example.go.th",
            "head_name": "นายสมชาย ใจดี",
            "head_position": "ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษามัธยมศึกษาตัวอย่าง",
            "develop_threshold": Decimal("85.00"),
            "affiliation": "สำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน\nกระทรวงศึกษาธิการ",
        },
    )
    school, _ = Organisation.objects.update_or_create(
        slug="demo-school",
        defaults={
            "name_th": "โรงเรียนตัวอย่างวิทยาคม",
            "name_en": "Tua Yang Wittayakhom School",
            "kind": OrganisationKind.SCHOOL,
            "parent": office,
            "address": "1 หมู่ 2 ตำบลบ้านเหล่า อำเภอเมือง จังหวัดตัวอย่าง 40000",
            "phone": "0 4300 1111",
            "head_name": "นางสาวมาลี ศรีสุข",
            "head_position": "ผู้อำนวยการโรงเรียนตัวอย่างวิทยาคม",
        },
    )
    for order, name in enumerate(DEMO_UNITS, start=1):
        Unit.objects.update_or_create(organisation=office, name=name, defaults={"order": order})
    for order, name in enumerate(SCHOOL_UNITS, start=1):
        Unit.objects.update_or_create(organisation=school, name=name, defaults={"order": order})

    for year, total in DEMO_TOTALS.items():
        assessment = assessment_get_or_create(organisation=office, fiscal_year=year)
        if assessment.official_total is None:
            assessment.official_total = Decimal(total)
            assessment.save()
    for org, table in ((office, DEMO_SCORES), (school, SCHOOL_SCORES)):
        for year, values in table.items():
            assessment = assessment_get_or_create(organisation=org, fiscal_year=year)
            rank = DEMO_RANKS.get(year) if org == office else None
            assessment_update(
                assessment=assessment,
                scores=_scores(values),
                official_total=(
                    Decimal(DEMO_OFFICIAL[year])
                    if org == office and assessment.official_total is None
                    else assessment.official_total
                ),
                rank=rank[0] if rank else assessment.rank,
                ranked_out_of=rank[1] if rank else assessment.ranked_out_of,
                notes=assessment.notes,
            )
    for year, values in SCHOOL_INSTRUMENTS.items():
        assessment = assessment_get_or_create(organisation=school, fiscal_year=year)
        for instrument in Instrument.objects.filter(edition=assessment.edition, code__in=values):
            InstrumentScore.objects.update_or_create(
                assessment=assessment,
                instrument=instrument,
                defaults={"score": Decimal(values[instrument.code])},
            )
    for year, (total, level_code) in SCHOOL_PUBLISHED.items():
        assessment = assessment_get_or_create(organisation=school, fiscal_year=year)
        Assessment.objects.filter(pk=assessment.pk).update(
            official_total=Decimal(total),
            official_level=ResultLevel.objects.get(edition=assessment.edition, code=level_code),
        )
    _demo_item_results(
        Assessment.objects.get(organisation=office, fiscal_year=2564), DEMO_FAILED_ITEMS
    )
    _demo_item_results(
        Assessment.objects.get(organisation=office, fiscal_year=2569), DEMO_FAILED_ITEMS_2569
    )
    # Last: update_or_create above saved the organisations with the version they read.
    content_changed(office, school)
    return office


def _demo_item_results(assessment: Assessment, failed: dict[str, str]) -> None:
    for item in Item.objects.filter(edition=assessment.edition):
        improvement = failed.get(item.code, "")
        ItemResult.objects.get_or_create(
            assessment=assessment,
            item=item,
            defaults={"passed": not improvement, "improvement": improvement},
        )


def demo_users(*, password: str | None = None) -> tuple[str, list[tuple[str, str]]]:
    """Create the demo accounts once; returns the password and (username, role) pairs.

    The password is only set when an account is created, so a password the
    user changed is never reset by a later ``make run``.
    """
    password = password or secrets.token_urlsafe(9)
    office = Organisation.objects.get(slug="demo")
    school = Organisation.objects.get(slug="demo-school")
    User = get_user_model()
    accounts = [
        ("admin", Role.ADMINISTRATOR, "ผู้ดูแลระบบ", True),
        ("editor", Role.EDITOR, "เจ้าหน้าที่กลุ่มนโยบายและแผน", False),
        ("viewer", Role.VIEWER, "ผู้บริหาร", False),
        ("officer", Role.COMPLAINT_OFFICER, "เจ้าหน้าที่กลุ่มกฎหมายและคดี", False),
    ]
    created = []
    for username, role, first_name, superuser in accounts:
        user, was_created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first_name, "is_staff": superuser, "is_superuser": superuser},
        )
        if was_created:
            user.set_password(password)
            user.save()
        for org in (office, school):
            Membership.objects.get_or_create(user=user, organisation=org, defaults={"role": role})
        created.append((username, role.label))
    return password, created
