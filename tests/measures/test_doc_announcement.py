"""The announcement of the measures (reference 001) as its reader gets it: the PDF and the page."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from assessments.models import Unit
from measures.models import (
    Announcement,
    DocumentKind,
    Measure,
    MeasureStep,
    ReportSettings,
)
from measures.report import report_build, report_pdf_bytes
from tests.builders import REFERENCE_003, make_assessment

YEAR = 2567
KIND = DocumentKind.ANNOUNCEMENT
SIGNATORY = "นางสาวใจดี มีสุข"
POSITION = "รองผู้อำนวยการสำนักงาน รักษาการในตำแหน่ง\nผู้อำนวยการสำนักงาน"
LAST_MONITOR = "แจ้งผลการดำเนินการให้บุคลากรทราบทุกสิ้นปี"

# Seven measures shaped like reference 001's: a few steps, some with sub-steps.
MEASURES = [
    ("ปรับปรุงระบบสารสนเทศเพื่อการเผยแพร่ข้อมูลต่อสาธารณะ", 3),
    ("การให้ผู้มีส่วนได้ส่วนเสียมีส่วนร่วมในการบริหารจัดการ", 2),
    ("การส่งเสริมความโปร่งใสในการจัดซื้อจัดจ้าง", 3),
    ("การจัดการเรื่องร้องเรียนการทุจริต", 4),
    ("การป้องกันการรับสินบน", 3),
    ("ป้องกันการขัดกันระหว่างผลประโยชน์ส่วนตนกับผลประโยชน์ส่วนรวม", 2),
    ("การตรวจสอบการใช้ดุลยพินิจ", 5),
]


def make_steps(measure: Measure, count: int) -> None:
    """``count`` steps; in every other measure the first has sub-steps 1.1, 1.2 and 1.2.1."""
    steps, order = [], 0
    for number in range(1, count + 1):
        order += 1
        steps.append((order, 0, f"ขั้นตอนที่ {number} จัดทำแนวทางและดำเนินการตามระเบียบที่เกี่ยวข้อง"))
        if number == 1 and measure.number % 2:
            for sub, depth in ((1, 1), (2, 1), (3, 2)):
                order += 1
                steps.append((order, depth, f"ขั้นตอนย่อยที่ {sub} ประชุมชี้แจงบุคลากร"))
    MeasureStep.objects.bulk_create(
        MeasureStep(measure=measure, order=o, depth=d, text=t) for o, d, t in steps
    )


@pytest.fixture
def seven(org):
    make_assessment(org, YEAR - 1, REFERENCE_003)
    admin_unit = Unit.objects.create(organisation=org, name="กลุ่มอำนวยการ")
    for number, (title, steps) in enumerate(MEASURES, start=1):
        measure = Measure.objects.create(
            organisation=org,
            fiscal_year=YEAR,
            number=number,
            title=title,
            responsible_text="ทุกกลุ่มงาน\nหน่วยตรวจสอบภายใน",
            monitoring="สรุปและวิเคราะห์ผลเสนอต่อผู้บังคับบัญชา\n"
            + (LAST_MONITOR if number == len(MEASURES) else "รายงานผลทุกไตรมาส"),
        )
        measure.responsible_units.add(admin_unit)
        make_steps(measure, steps)
    return org


def settings_for(org, **fields) -> ReportSettings:
    fields.setdefault("signatory_name", SIGNATORY)
    fields.setdefault("signatory_position", POSITION)
    fields.setdefault("document_date", dt.date(2024, 6, 11))
    return ReportSettings.objects.create(organisation=org, fiscal_year=YEAR, kind=KIND, **fields)


def render(org) -> bytes:
    return report_pdf_bytes(
        report_build(organisation=org, fiscal_year=YEAR, kind=KIND), cached=False
    )


def pages_text(pdf: bytes, mode: str = "") -> list[str]:
    """pdftotext's text of each page: its default (reading order), "-raw" or "-layout"."""
    assert shutil.which("pdftotext"), "pdftotext is missing: install poppler-utils"
    out = subprocess.run(  # noqa: S603 - our own tool and arguments
        ["pdftotext", *([mode] if mode else []), "-", "-"],  # noqa: S607 - poppler on the PATH
        input=pdf,
        capture_output=True,
        check=True,
    ).stdout.decode()
    return out.split("\f")[: len(PdfReader(io.BytesIO(pdf)).pages)]


def squeeze(text: str) -> str:
    return "".join(text.split())


def page_of(pages: list[str], text: str) -> int:
    return next(i for i, page in enumerate(pages) if squeeze(text) in squeeze(page))


def test_seven_measures_on_one_to_three_pages_table_above_the_signature(seven):
    settings_for(seven)
    pages = pages_text(render(seven))
    assert 1 <= len(pages) <= 3
    signed = page_of(pages, SIGNATORY)
    dated = page_of(pages, "ประกาศ ณ วันที่ 11 มิถุนายน พ.ศ. 2567")
    assert signed == dated == len(pages) - 1
    # The whole table comes before the date: the last row is on that page or earlier,
    # and on the same page above it.
    last_row = page_of(pages, LAST_MONITOR)
    assert last_row <= dated
    if last_row == dated:
        page = squeeze(pages[dated])
        assert page.index(squeeze(LAST_MONITOR)) < page.index(squeeze("ประกาศ ณ วันที่"))
    # The heading as in 001, then the columns in 001's order.
    first = squeeze(pages[0])
    assert first.index(squeeze(f"ประกาศ{seven.name_th}")) < first.index("เรื่อง")
    header = [
        first.index(squeeze(h))
        for h in ("มาตรการ/", "ขั้นตอน/วิธีการดำเนินการ", "ผู้รับผิดชอบ", "การติดตามและ")
    ]
    assert header == sorted(header)


def test_the_table_header_repeats_and_the_first_page_has_no_number(seven):
    settings_for(seven)
    pages = pages_text(render(seven), "-layout")
    assert len(pages) >= 2
    assert all("ผู้รับผิดชอบ" in page for page in pages[: len(pages) - 1])
    assert not re.search(r"- *1 *-", pages[0])
    for number, page in enumerate(pages[1:], start=2):
        assert page.lstrip().startswith(f"- {number} -")  # at the top, as on official papers


def test_thai_digits_in_every_digit_of_every_page(seven):
    settings_for(seven, thai_digits=True)
    pdf = render(seven)
    for mode in ("", "-raw", "-layout"):
        pages = pages_text(pdf, mode)
        for number, page in enumerate(pages, start=1):
            assert not re.search("[0-9]", page), (number, re.findall(".{0,20}[0-9].{0,20}", page))
        text = squeeze("".join(pages))
        assert "๑.๑ขั้นตอนย่อยที่" in text and "๑.๒.๑ขั้นตอนย่อยที่" in text
        assert "๑.๑.๑" not in text  # never doubled: "1. 1.1"
        assert "ประกาศณวันที่๑๑มิถุนายนพ.ศ.๒๕๖๗" in text
    pages = pages_text(pdf, "-layout")
    for number, page in enumerate(pages[1:], start=2):
        assert page.lstrip().startswith("- " + "๐๑๒๓๔๕๖๗๘๙"[number] + " -")


def test_arabic_digits_when_thai_digits_are_off(seven):
    settings_for(seven)
    pdf = render(seven)
    text = squeeze("".join(pages_text(pdf)))
    assert not re.search("[๐-๙]", text)
    assert "1.1ขั้นตอนย่อยที่" in text and "1.2.1ขั้นตอนย่อยที่" in text
    assert "1.1.1" not in text
    assert pages_text(pdf, "-layout")[1].lstrip().startswith("- 2 -")


def test_the_signature_never_goes_alone_to_a_page(org):
    """However long the text above, the date and signature share a page with the last row."""
    settings_for(org)
    for number in (1, 2):
        measure = Measure.objects.create(
            organisation=org,
            fiscal_year=YEAR,
            number=number,
            title=f"มาตรการที่ {number}",
            monitoring=LAST_MONITOR if number == 2 else "รายงานผลทุกไตรมาส",
        )
        make_steps(measure, 3)
    page_counts = set()
    for paragraphs in range(1, 36):
        body = "\n\n".join(["ย่อหน้าทดสอบการจัดหน้ากระดาษ"] * paragraphs)
        ReportSettings.objects.filter(organisation=org).update(body=body)
        pages = pages_text(render(org))
        page_counts.add(len(pages))
        signed = page_of(pages, SIGNATORY)
        assert signed == page_of(pages, "ประกาศ ณ วันที่") == page_of(pages, LAST_MONITOR), paragraphs
    assert len(page_counts) >= 2  # the text did push the end over a page break


def body_html(org, **fields) -> str:
    from measures.report import report_body_html

    if fields:
        ReportSettings.objects.update_or_create(
            organisation=org, fiscal_year=YEAR, kind=KIND, defaults=fields
        )
    return report_body_html(report_build(organisation=org, fiscal_year=YEAR, kind=KIND))


def test_parts_switched_off_are_absent(seven):
    from tests.measures.builders import image_bytes, upload

    seven.logo.save("logo.png", upload("logo.png", image_bytes("PNG")))
    html = body_html(seven, hidden_parts=[])
    for part in (
        'class="ann-emblem"',
        'class="ann-body"',
        'class="ann-table"',
        'class="ann-closing"',
    ):
        assert part in html
    html = body_html(seven, hidden_parts=["emblem", "body", "table", "signature"])
    for part in (
        'class="ann-emblem"',
        'class="ann-body"',
        'class="ann-table"',
        'class="ann-closing"',
    ):
        assert part not in html
    assert "ประกาศ" + seven.name_th in html  # the heading stays
    text = squeeze("".join(pages_text(render(seven))))
    assert squeeze(MEASURES[0][0]) not in text and squeeze(SIGNATORY) not in text


def test_the_emblem_is_the_logo_or_nothing(seven):
    html = body_html(seven, hidden_parts=[])
    assert "<img" not in html  # no logo: no emblem (the Garuda is not shipped)
    from tests.measures.builders import image_bytes, upload

    seven.logo.save("logo.png", upload("logo.png", image_bytes("PNG")))
    html = body_html(seven)
    assert html.count("<img") == 1 and 'class="ann-emblem"' in html
    reader = PdfReader(io.BytesIO(render(seven)))
    assert reader.pages[0]["/Resources"].get("/XObject")  # the logo drawn on page 1


def test_default_text_from_the_data_until_the_office_writes_its_own(seven):
    html = body_html(seven)
    assert "ประจำปีงบประมาณ พ.ศ. 2566" in html and "91.50" in html  # last year's result
    assert f"{seven.name_th} จึงกำหนดมาตรการ" in html
    html = body_html(seven, body="ย่อหน้าแรกของสำนักงาน\r\n\r\nย่อหน้าที่สอง")
    assert "<p>ย่อหน้าแรกของสำนักงาน</p>" in html and "<p>ย่อหน้าที่สอง</p>" in html
    assert "จึงกำหนดมาตรการ" not in html


def test_the_date_is_the_documents_then_the_years_announcement_then_blank(seven):
    html = body_html(seven, document_date=dt.date(2024, 6, 11))
    assert "ประกาศ ณ วันที่ 11 มิถุนายน พ.ศ. 2567" in html
    announcement = Announcement.objects.create(
        organisation=seven,
        fiscal_year=YEAR,
        title="มาตรการ",
        body="ข้อความ",
        date=dt.date(2023, 11, 2),
        signatory_name=SIGNATORY,
        signatory_position="ผู้อำนวยการ",
    )
    announcement.measures.add(Measure.objects.get(organisation=seven, number=1))
    Announcement.objects.create(
        organisation=seven,
        fiscal_year=YEAR,
        title="มาตรการอื่น",
        body="ข้อความ",
        date=dt.date(2023, 10, 5),
        signatory_name=SIGNATORY,
        signatory_position="ผู้อำนวยการ",
    )
    html = body_html(seven, document_date=None)
    assert "ประกาศ ณ วันที่ 2 พฤศจิกายน พ.ศ. 2566" in html  # the one announcing the measures
    Announcement.objects.all().delete()
    html = body_html(seven)
    assert "ประกาศ ณ วันที่ ........ เดือน" in html  # written by hand when signed


def test_signatory_falls_back_to_the_head_of_the_agency(seven):
    seven.head_name = "นายหัวหน้า ส่วนราชการ"
    seven.head_position = "ผู้อำนวยการสำนักงาน"
    seven.save()
    html = body_html(seven, signatory_name="", signatory_position="")
    assert "(นายหัวหน้า ส่วนราชการ)" in html and "ผู้อำนวยการสำนักงาน" in html
    html = body_html(seven, signatory_name=SIGNATORY, signatory_position=POSITION)
    assert f"({SIGNATORY})" in html and "นายหัวหน้า" not in html
    # Each line of the position on its own line, as signed.
    assert '<p class="ann-position">ผู้อำนวยการสำนักงาน</p>' in html


def test_steps_typed_with_their_own_numbers_are_numbered_once(org):
    measure = Measure.objects.create(organisation=org, fiscal_year=YEAR, number=1, title="ม")
    MeasureStep.objects.bulk_create(
        [
            MeasureStep(measure=measure, order=1, depth=0, text="1. แต่งตั้งคณะทำงาน"),
            MeasureStep(measure=measure, order=2, depth=1, text="1.1 ประชุมคณะทำงาน"),
            MeasureStep(measure=measure, order=3, depth=0, text="เผยแพร่บนเว็บไซต์"),
        ]
    )
    html = body_html(org)
    labels = re.findall(r'<span class="ann-step-no">([^<]*)</span> ([^<]*)</li>', html)
    assert labels == [("1.", "แต่งตั้งคณะทำงาน"), ("1.1", "ประชุมคณะทำงาน"), ("2.", "เผยแพร่บนเว็บไซต์")]


ADDRESS = "/{org}/reports/2567/announcement/"


def test_the_page_is_a_404_until_published_and_visible_to_staff(client, seven):
    from assessments.models import Role
    from measures.services import report_publish
    from tests.builders import make_user

    settings_for(seven)
    url = ADDRESS.format(org=seven.slug)
    assert client.get(url).status_code == 404
    assert client.get(url.rstrip("/") + ".pdf").status_code == 404
    staff = make_user("viewer", seven, Role.VIEWER)
    client.force_login(staff)
    response = client.get(url)
    assert response.status_code == 200
    assert MEASURES[0][0] in response.content.decode()
    client.logout()
    report_publish(organisation=seven, fiscal_year=YEAR, user=None, published=True, kind=KIND)
    response = client.get(url)
    assert response.status_code == 200 and 'class="ann-table"' in response.content.decode()
    from tests.task_worker import run_worker

    assert client.get(url.rstrip("/") + ".pdf").status_code == 200  # "being prepared"
    run_worker()
    pdf = client.get(url.rstrip("/") + ".pdf")
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")
    # Publishing the announcement publishes nothing else.
    assert client.get(f"/{seven.slug}/reports/2567/").status_code == 404


def test_another_organisations_staff_get_a_404(client, seven):
    from assessments.models import Role
    from tests.builders import make_org, make_user

    settings_for(seven)
    client.force_login(make_user("stranger", make_org("other"), Role.ADMINISTRATOR))
    assert client.get(ADDRESS.format(org=seven.slug)).status_code == 404


def test_the_pdf_is_titled_in_thai_whatever_the_visitors_language(seven):
    from django.utils import translation

    settings_for(seven)
    with translation.override("en"):
        reader = PdfReader(io.BytesIO(render(seven)))
    assert reader.metadata.title == (
        "มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน ประจำปีงบประมาณ พ.ศ. 2567"
    )
