"""Builders for framework editions of any shape, for tests that must not
assume the 2564–2565 one (three instruments, ten indicators, AA–F)."""

from __future__ import annotations

from assessments.framework import edition_load
from assessments.models import Edition

# The levels from 2566 on: a level can ask every instrument for a minimum too.
NEW_LEVELS = [
    {
        "code": "excellent",
        "label_th": "ผ่านดีเยี่ยม",
        "label_en": "Excellent pass",
        "min_total": "95",
        "min_instrument": "95",
        "passed": True,
    },
    {
        "code": "good",
        "label_th": "ผ่านดี",
        "label_en": "Good pass",
        "min_total": "85",
        "min_instrument": "85",
        "passed": True,
    },
    {"code": "pass", "label_th": "ผ่าน", "label_en": "Pass", "min_total": "85", "passed": True},
    {
        "code": "improve",
        "label_th": "ต้องปรับปรุง",
        "label_en": "Needs improvement",
        "min_total": "70",
        "passed": False,
    },
    {
        "code": "urgent",
        "label_th": "ต้องปรับปรุงโดยด่วน",
        "label_en": "Urgent improvement",
        "min_total": "0",
        "passed": False,
    },
]


def edition_spec(
    *,
    code: str,
    first_year: int,
    last_year: int | None = None,
    instruments: list[tuple[str, str, list[int]]],
    items: dict[int, list[str]] | None = None,
    levels: list[dict] | None = None,
    scheme: str = "nacc",
) -> dict:
    """Edition data as a file would hold it.

    ``instruments`` is ``[(code, weight, [indicator numbers])]``; ``items`` maps
    an indicator number to the item codes of its one sub-indicator.
    """
    data: dict = {
        "edition": {
            "code": code,
            "scheme": scheme,
            "name_th": f"กรอบการประเมิน {code}",
            "first_year": first_year,
            "last_year": last_year or first_year,
        },
        "instruments": [],
        "indicators": [],
        "sub_indicators": [],
        "items": [],
        "levels": levels or NEW_LEVELS,
    }
    for ins_code, weight, numbers in instruments:
        data["instruments"].append(
            {"code": ins_code, "name_th": f"เครื่องมือ {ins_code}", "weight": weight}
        )
        for number in numbers:
            data["indicators"].append(
                {"number": number, "instrument": ins_code, "name_th": f"ตัวชี้วัดที่ {number}"}
            )
    for number, codes in (items or {}).items():
        sub = f"{number}.1"
        data["sub_indicators"].append(
            {"code": sub, "indicator": number, "name_th": f"ตัวชี้วัดย่อย {sub}"}
        )
        for item_code in codes:
            data["items"].append(
                {"code": item_code, "sub_indicator": sub, "title_th": f"ข้อ {item_code}"}
            )
    return data


def make_edition(**kwargs) -> Edition:
    return edition_load(data=edition_spec(**kwargs)).edition


def two_instrument_edition(first_year: int = 2590) -> Edition:
    """A made-up edition: two instruments, four indicators, the new levels."""
    return make_edition(
        code=f"test-two-{first_year}",
        first_year=first_year,
        instruments=[("SURV", "45", [1, 2]), ("WEB", "55", [3, 4])],
        items={3: ["W1", "W2", "W3"], 4: ["W4", "W5"]},
    )
