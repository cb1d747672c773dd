"""Small builders for complaint test data, through the same service the pages use."""

from __future__ import annotations

from assessments.models import Organisation
from complaints.models import Category
from complaints.services import Filed, complaint_file

IDENTITY = {
    "complainant_name": "นายผู้ร้อง ทดสอบลับ",
    "complainant_address": "99 หมู่ 9 ตำบลลับมาก อำเภอเมือง",
    "complainant_phone": "0812345678",
    "complainant_email": "secret.complainant@example.com",
    "complainant_id_number": "1101700230708",
}


def make_complaint(org: Organisation, **fields) -> Filed:
    """A web complaint with the complainant's identity unless ``anonymous=True``."""
    fields.setdefault("category", Category.CORRUPTION)
    fields.setdefault("accused", "เจ้าหน้าที่กลุ่มบริหารงานการเงิน")
    fields.setdefault("facts", "เรียกรับเงินเพื่อเร่งการเบิกจ่าย")
    fields.setdefault("anonymous", False)
    if not fields["anonymous"]:
        fields.setdefault("identity", dict(IDENTITY))
    return complaint_file(organisation=org, **fields)
