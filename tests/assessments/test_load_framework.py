"""load_framework end to end: the shipped files load, an operator's edit is not
overwritten without --force, and a rerun on an unchanged database writes nothing."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from assessments.edition_io import edition_import, edition_import_preview
from assessments.framework import EDITIONS_DIR, read_edition_file
from assessments.models import Edition, Indicator, Instrument, Item, ResultLevel, SubIndicator
from tests.assessments.test_edition_xlsx import edited

FRAMEWORK_MODELS = (Edition, Instrument, Indicator, SubIndicator, Item, ResultLevel)


def _history_entries() -> int:
    return sum(model.history.count() for model in FRAMEWORK_MODELS)


def _file_title(code: str) -> str:
    return read_edition_file(EDITIONS_DIR / "nacc-2569.toml")["items"][code]["title_th"]


def _load(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("load_framework", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_rerunning_on_an_unchanged_database_adds_no_history(db):
    before = _history_entries()
    out, _err = _load()
    assert out.count(": unchanged") == 5
    assert _history_entries() == before


def test_an_edit_imported_from_xlsx_is_not_overwritten_without_force(db):
    edition = Edition.objects.get(code="nacc-2569")
    preview = edition_import_preview(edited(edition, [("items", "O5", "title_th", "แก้ในพอร์ทัล")]))
    edition_import(data=preview.data, base=preview.base)

    err = io.StringIO()
    with pytest.raises(CommandError, match="nacc-2569"):
        call_command("load_framework", stdout=io.StringIO(), stderr=err)
    assert f"items O5 title_th: 'แก้ในพอร์ทัล' → {_file_title('O5')!r}" in err.getvalue()
    assert Item.objects.get(edition=edition, code="O5").title_th == "แก้ในพอร์ทัล"

    out, _err = _load("--force")
    assert "forced" in out
    assert Item.objects.get(edition=edition, code="O5").title_th == _file_title("O5")
    # Loaded again: the next plain run agrees with the file.
    out, _err = _load()
    assert "nacc-2569 (2569): unchanged" in out


def test_an_edit_in_the_admin_is_not_overwritten_without_force(admin_client):
    item = Item.objects.get(edition__code="nacc-2569", code="O3")
    url = reverse("admin:assessments_item_change", args=[item.pk])
    form = {
        "edition": item.edition_id,
        "sub_indicator": item.sub_indicator_id,
        "code": item.code,
        "number": item.number,
        "title_th": "ชื่อที่ผู้ดูแลแก้",
        "title_en": item.title_en,
        "heading": item.heading,
        "requirement": item.requirement,
        "period": item.period,
        "contents": item.contents,
        "role": item.role,
        "continues": item.continues,
    }
    form.update({name: "on" for name in ("verify", "signed_by_head") if getattr(item, name)})
    response = admin_client.post(url, form)
    assert response.status_code == 302, response.context["adminform"].form.errors
    item.refresh_from_db()
    assert item.title_th == "ชื่อที่ผู้ดูแลแก้"

    err = io.StringIO()
    with pytest.raises(CommandError, match="1 edition"):
        call_command("load_framework", stdout=io.StringIO(), stderr=err)
    assert "items O3 title_th: 'ชื่อที่ผู้ดูแลแก้'" in err.getvalue()
    item.refresh_from_db()
    assert item.title_th == "ชื่อที่ผู้ดูแลแก้"

    _load("--force")
    item.refresh_from_db()
    assert item.title_th == _file_title("O3")


def test_an_edition_made_in_the_portal_is_not_overwritten_by_a_file_of_the_same_code(db, tmp_path):
    edition = Edition.objects.get(code="nacc-2569")
    content = edited(
        edition,
        [
            ("edition", "code", "value", "nacc-2591"),
            ("edition", "first_year", "value", 2591),
            ("edition", "last_year", "value", 2591),
        ],
    )
    preview = edition_import_preview(content)
    edition_import(data=preview.data, base=preview.base)
    # A file for the same code arrives later, with other titles.
    text = (EDITIONS_DIR / "nacc-2569.toml").read_text(encoding="utf-8")
    text = text.replace('code = "nacc-2569"', 'code = "nacc-2591"', 1)
    text = text.replace("first_year = 2569", "first_year = 2591", 1)
    text = text.replace("last_year = 2569", "last_year = 2591", 1)
    text = text.replace("name_th =", 'name_th = "ชื่อจากไฟล์" #', 1)
    path = tmp_path / "nacc-2591.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError, match="nacc-2591"):
        call_command("load_framework", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    assert Edition.objects.get(code="nacc-2591").name_th == edition.name_th
