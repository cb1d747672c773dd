"""O42 and O43 are built from the measures, always current; which code plays
that role is framework data."""

from __future__ import annotations

import pytest

from assessments.models import Item, ItemRole
from measures.models import MeasureStatus, Round
from measures.services import report_publish
from tests.measures.builders import make_follow_up, make_measure

from .builders import make_disclosure

pytestmark = pytest.mark.django_db


def test_measures_item_lists_the_years_measures_as_they_are_now(client, org):
    make_disclosure(org, "O42", explanation="มาตรการของสำนักงาน", published=True)
    measure = make_measure(org, 2565, title="มาตรการป้องกันการรับสินบน", indicators=())
    html = client.get("/office/oit/2565/O42/").content.decode()
    assert "มาตรการป้องกันการรับสินบน" in html
    assert "ขั้นที่หนึ่ง" in html  # its steps

    measure.title = "มาตรการป้องกันการรับสินบนและผลประโยชน์ทับซ้อน"
    measure.save()
    make_measure(org, 2565, title="มาตรการเปิดเผยข้อมูลการจัดซื้อจัดจ้าง")
    html = client.get("/office/oit/2565/O42/").content.decode()
    assert "มาตรการป้องกันการรับสินบนและผลประโยชน์ทับซ้อน" in html
    assert "มาตรการเปิดเผยข้อมูลการจัดซื้อจัดจ้าง" in html
    # Another year's measures are not this year's.
    make_measure(org, 2564, title="มาตรการของปีก่อน")
    assert "มาตรการของปีก่อน" not in client.get("/office/oit/2565/O42/").content.decode()


def test_results_item_shows_follow_ups_and_links_the_published_report(client, org):
    make_disclosure(org, "O43", published=True)
    measure = make_measure(org, 2565, title="มาตรการส่งเสริมการมีส่วนร่วม")
    make_follow_up(
        measure,
        Round.SIX_MONTHS,
        summary="จัดประชุมรับฟังความคิดเห็นสองครั้ง",
        status=MeasureStatus.IN_PROGRESS,
        completed_on=None,
    )
    html = client.get("/office/oit/2565/O43/").content.decode()
    assert "จัดประชุมรับฟังความคิดเห็นสองครั้ง" in html
    assert "/office/reports/2565/" not in html  # the report is not published yet

    make_follow_up(measure, Round.TWELVE_MONTHS, summary="สรุปผลและเสนอผู้บริหารแล้ว")
    report_publish(organisation=org, fiscal_year=2565, user=None, published=True)
    html = client.get("/office/oit/2565/O43/").content.decode()
    assert "สรุปผลและเสนอผู้บริหารแล้ว" in html
    assert "30 กันยายน 2565" in html
    assert 'href="/office/reports/2565/"' in html and 'href="/office/reports/2565.pdf"' in html
    # The six-month round comes before the twelve-month one.
    assert html.index("จัดประชุมรับฟังความคิดเห็นสองครั้ง") < html.index("สรุปผลและเสนอผู้บริหารแล้ว")


def test_generated_item_keeps_its_own_entries(client, org):
    make_disclosure(org, "O42", links=1, published=True)
    make_measure(org, 2565, title="มาตรการตัวอย่าง")
    html = client.get("/office/oit/2565/O42/").content.decode()
    assert "มาตรการตัวอย่าง" in html and "ลิงก์ O42 รายการที่ 1" in html


def test_generated_item_is_published_like_any_other(client, org):
    make_disclosure(org, "O42")
    make_measure(org, 2565, title="มาตรการที่ยังไม่เผยแพร่")
    response = client.get("/office/oit/2565/O42/")
    assert response.status_code == 404
    assert "มาตรการที่ยังไม่เผยแพร่" not in response.content.decode()


def test_the_role_is_data_not_a_code(client, org):
    # A later edition numbers the items differently: move the role to another code.
    Item.objects.filter(edition__code="ita-2564-2565", code="O42").update(role="")
    Item.objects.filter(edition__code="ita-2564-2565", code="O10").update(role=ItemRole.MEASURES)
    make_disclosure(org, "O10", published=True)
    make_disclosure(org, "O42", published=True)
    make_measure(org, 2565, title="มาตรการตามบทบาทในข้อมูล")
    assert "มาตรการตามบทบาทในข้อมูล" in client.get("/office/oit/2565/O10/").content.decode()
    assert "มาตรการตามบทบาทในข้อมูล" not in client.get("/office/oit/2565/O42/").content.decode()


def test_complaint_statistics_item_shows_the_years_statistics_as_they_are_now(client, org):
    import datetime as dt

    from django.utils import timezone

    from complaints.models import Category
    from complaints.services import complaint_file

    item = Item.objects.get(edition__code="ita-2564-2565", code="O31")
    assert item.role == ItemRole.COMPLAINT_STATISTICS
    make_disclosure(org, "O31", explanation="สถิติเรื่องร้องเรียน", links=1, published=True)

    def count() -> str:
        html = client.get("/office/oit/2565/O31/").content.decode()
        assert "สถิติเรื่องร้องเรียน" in html and "ลิงก์ O31 รายการที่ 1" in html
        assert 'href="/office/complaints/statistics/2565/"' in html
        return html.split('id="stat-received">', 1)[1].split("<", 1)[0]

    assert count() == "0"
    received = timezone.make_aware(dt.datetime(2022, 3, 1, 10, 0))
    complaint_file(
        organisation=org,
        category=Category.DELAY,
        accused="งานการเงิน",
        facts="ข้อเท็จจริงที่เป็นความลับ",
        anonymous=False,
        identity={"complainant_name": "นายผู้ร้อง ลับมาก"},
        received_at=received,
    )
    assert count() == "1"
    html = client.get("/office/oit/2565/O31/").content.decode()
    # Aggregates only: nothing of the case itself.
    assert "ข้อเท็จจริงที่เป็นความลับ" not in html and "ลับมาก" not in html and "งานการเงิน" not in html


def test_generated_pages_make_a_bounded_number_of_queries(
    client, org, django_assert_max_num_queries
):
    make_disclosure(org, "O43", published=True)
    for n in range(12):
        measure = make_measure(org, 2565, title=f"มาตรการที่ {n}")
        make_follow_up(measure, images=1 if n < 2 else 0)
    with django_assert_max_num_queries(14):
        assert client.get("/office/oit/2565/O43/").status_code == 200
