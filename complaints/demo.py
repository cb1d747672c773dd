"""Demo complaints: a handled year (2569) for the statistics and the complaint-statistics item, and a few
open cases in the current year for the officers' queue.

Every name and fact is made up for the demo.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.test.utils import override_settings
from django.utils import timezone

from assessments.models import Organisation
from assessments.public_cache import content_changed

from .models import Category, Channel, Complaint
from .services import (
    complaint_accept,
    complaint_conclude,
    complaint_file,
    complaint_forward,
    complaint_investigate,
    complaint_message,
    complaint_reject,
)

# (received, channel, category, what happens, days until screened)
HANDLED = [
    (dt.date(2025, 10, 14), Channel.WEB, Category.DELAY, "conclude", 5),
    (dt.date(2025, 11, 3), Channel.PHONE, Category.NEGLECT, "conclude", 9),
    (dt.date(2025, 12, 20), Channel.POST, Category.CORRUPTION, "forward", 12),
    (dt.date(2026, 1, 11), Channel.WEB, Category.BEYOND_AUTHORITY, "reject", 4),
    (dt.date(2026, 3, 2), Channel.BOX, Category.POSITION_OFFENCE, "conclude", 20),
    (dt.date(2026, 5, 17), Channel.EMAIL, Category.OTHER, "reject", 7),
    (dt.date(2026, 7, 8), Channel.WALK_IN, Category.DELAY, "conclude", 3),
]


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour, 0))


def demo_complaints_load(office: Organisation) -> None:
    """Load once; an office that already has complaints is left alone."""
    if Complaint.objects.filter(organisation=office).exists():
        return
    officer = get_user_model().objects.filter(username="officer").first()
    # The demo should not print e-mails to the console while it loads.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        for number, (day, channel, category, outcome, days) in enumerate(HANDLED, start=1):
            filed = complaint_file(
                organisation=office,
                channel=channel,
                category=category,
                accused="เจ้าหน้าที่กลุ่มบริหารงานการเงินและสินทรัพย์",
                facts=f"ข้อเท็จจริงของเรื่องตัวอย่างที่ {number} (ข้อมูลสมมุติสำหรับการสาธิต)",
                request="ขอให้ตรวจสอบข้อเท็จจริงและแจ้งผล",
                witnesses="เอกสารการเบิกจ่ายที่เกี่ยวข้อง",
                anonymous=number == 4,
                identity={
                    "complainant_name": f"ผู้ร้องเรียนตัวอย่าง {number}",
                    "complainant_phone": "08 0000 0000",
                },
                recorded_by=officer if channel != Channel.WEB else None,
                received_at=_at(day),
            )
            complaint = filed.complaint
            screened = _at(day + dt.timedelta(days=days), 14)
            if outcome == "reject":
                complaint_reject(complaint=complaint, user=officer, reason="no_evidence")
            elif outcome == "forward":
                complaint_forward(
                    complaint=complaint, user=officer, agency="สำนักงาน ป.ป.ช. ประจำจังหวัด"
                )
            else:
                complaint_accept(complaint=complaint, user=officer)
                complaint_investigate(complaint=complaint, user=officer)
                complaint_message(
                    complaint=complaint,
                    user=officer,
                    text="สำนักงานได้แต่งตั้งคณะกรรมการตรวจสอบข้อเท็จจริงแล้ว",
                )
                complaint_conclude(
                    complaint=complaint,
                    user=officer,
                    outcome="ตรวจสอบแล้ว ได้กำชับให้ปฏิบัติงานตามระเบียบ และปรับปรุงขั้นตอนการให้บริการ",
                )
            # The demo's dates should look like that year's, not like the day it was loaded.
            Complaint.objects.filter(pk=complaint.pk).update(
                acknowledged_at=screened, closed_at=screened + dt.timedelta(days=30)
            )
            complaint.events.update(created_at=screened)
            complaint.events.filter(kind="received").update(created_at=_at(day))
        # Open cases now: one new, one past its acknowledgement date.
        today = timezone.localdate()
        for ago, category in ((2, Category.DELAY), (25, Category.CORRUPTION)):
            complaint_file(
                organisation=office,
                category=category,
                accused="งานพัสดุ",
                facts="ข้อเท็จจริงของเรื่องตัวอย่างที่ยังไม่ได้พิจารณา (ข้อมูลสมมุติ)",
                request="ขอให้ตรวจสอบ",
                witnesses="ใบสั่งซื้อและภาพถ่าย",
                anonymous=False,
                identity={
                    "complainant_name": "ผู้ร้องเรียนตัวอย่าง",
                    "complainant_email": "someone@example.com",
                },
                received_at=_at(today - dt.timedelta(days=ago)),
            )
    # The dates were moved after the services ran: the statistics changed again.
    content_changed(office)
