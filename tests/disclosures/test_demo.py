"""The demo data `make run` loads for disclosures and complaints."""

from __future__ import annotations

from django.core.management import call_command

from complaints.models import Complaint
from disclosures.models import Disclosure, DisclosureStatus
from disclosures.selectors import year_board


def test_setup_demo_loads_oit_years_and_complaints_once(db, client, capsys, monkeypatch, tmp_path):
    # The demo keeps its password in a file beside manage.py: not from a test.
    monkeypatch.setattr(
        "ita_portal.management.commands.setup_demo.PASSWORD_FILE", tmp_path / ".demo-password"
    )
    call_command("setup_demo")
    # Each step says what it loads and how long it took (no minute of silence).
    printed = capsys.readouterr().out
    assert "[1/8] the framework editions" in printed and "[8/8] complaints" in printed
    assert printed.index("[8/8]") < printed.index("Demo ready")
    call_command("setup_demo")
    counts = (Disclosure.objects.count(), Complaint.objects.count())
    call_command("setup_demo")
    assert (Disclosure.objects.count(), Complaint.objects.count()) == counts
    from assessments.models import Edition, Organisation

    office = Organisation.objects.get(slug="demo")
    last, current = (year_board(organisation=office, fiscal_year=y) for y in (2569, 2570))
    assert last.overall.complete == last.overall.total == 26
    assert (
        Disclosure.objects.filter(fiscal_year=2569, status=DisclosureStatus.PUBLISHED).count() == 26
    )
    # 2570 has no NACC framework yet: the demo works on a provisional copy of 2569's,
    # with the half-year items not started and the monthly and signed ones in draft.
    assert Edition.objects.get(provisional=True).first_year == 2570
    assert 20 <= current.overall.complete < 26
    assert client.get("/demo/oit/2570/O1/").status_code == 200
    assert client.get("/demo/oit/2570/O10/").status_code == 404  # first half: not started
    assert client.get("/demo/oit/2570/O11/").status_code == 404  # monthly: still a draft
    assert "ชั่วคราว" in client.get("/demo/oit/2570/").content.decode()
    # The pre-check: last year passes every rule (monthly summaries, the signed
    # declaration, confirmed contents; the self-built statistics page needs no tick);
    # the current year is in progress.
    from disclosures.selfcheck import year_selfcheck

    done, doing = (year_selfcheck(organisation=office, fiscal_year=y) for y in (2569, 2570))
    assert done.ready_count == done.total == 26, [c.findings for c in done.items if not c.ready]
    assert 15 <= doing.ready_count < 26
    html = client.get("/demo/complaints/statistics/2569/").content.decode()
    assert 'id="stat-received">7<' in html
    assert "ผู้ร้องเรียนตัวอย่าง" not in html
    out = capsys.readouterr().out
    assert "officer" in out and "Subject:" not in out  # no e-mail printed while loading


def test_setup_demo_prints_the_address_make_run_serves_on(db, capsys, monkeypatch, tmp_path):
    monkeypatch.setattr(
        "ita_portal.management.commands.setup_demo.PASSWORD_FILE", tmp_path / ".demo-password"
    )
    call_command("setup_demo", address="127.0.0.1:8031")
    out = capsys.readouterr().out
    # The published documents are queued for the worker make run starts, not made here.
    from ita_portal.models import StoredPdf
    from measures.models import ReportSettings

    published = ReportSettings.objects.filter(published=True).count()
    assert published >= 1
    assert StoredPdf.objects.exclude(wanted_version="").filter(file="").count() == published
    assert f"{published} published PDF(s) queued" in out
    assert "Staff login: http://127.0.0.1:8031/staff/login/" in out
    assert ":8000" not in out
