"""check_links against a local HTTP server (never the internet), and the
oit_selfcheck command's output."""

from __future__ import annotations

import io
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import CommandError, call_command

from disclosures.selfcheck import year_selfcheck
from disclosures.selfcheck.links import check_url
from tests.builders import make_org
from tests.disclosures.selfcheck_world import YEAR, disclosure, document, link, rule_edition

pytestmark = pytest.mark.django_db


class Handler(BaseHTTPRequestHandler):
    seen: list[tuple[str, str]] = []

    def _answer(self) -> None:
        Handler.seen.append((self.command, self.path))
        if self.path == "/ok":
            self.send_response(200)
        elif self.path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/ok")
        elif self.path == "/no-head" and self.command == "HEAD":
            self.send_response(405)
        elif self.path == "/no-head":
            self.send_response(200)
        else:
            self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_HEAD = _answer
    do_GET = _answer

    def log_message(self, *args) -> None:  # quiet test output
        pass


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    Handler.seen = []
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_check_url_head_then_get_redirects_followed(server):
    assert check_url(f"{server}/ok").status == 200
    assert check_url(f"{server}/moved").status == 200
    assert Handler.seen[:3] == [("HEAD", "/ok"), ("HEAD", "/moved"), ("HEAD", "/ok")]
    assert check_url(f"{server}/no-head").status == 200
    assert ("GET", "/no-head") in Handler.seen
    assert check_url(f"{server}/gone").status == 404
    # A redirect is followed with HEAD too, and a working HEAD is enough: no GET of /ok.
    assert ("GET", "/ok") not in Handler.seen
    refused = check_url("http://127.0.0.1:9/", timeout=1)
    assert refused.status is None and refused.error
    assert check_url("ftp://example.go.th/x").error


def test_command_records_each_link_and_the_precheck_reads_it(server):
    rule_edition()
    org = make_org("office", website="https://office.go.th")
    other = make_org("other")
    good = link(disclosure(org, "R1"), "ใช้ได้", url=f"{server}/ok")
    broken = link(disclosure(org, "CON"), "เสีย", url=f"{server}/gone")
    untouched = link(disclosure(other, "R1"), "ของหน่วยงานอื่น", url=f"{server}/gone")
    out = io.StringIO()
    call_command(
        "check_links", "--org", "office", "--year", str(YEAR), "--timeout", "2", stdout=out
    )
    assert "2 links checked, 1 broken" in out.getvalue()
    for entry in (good, broken, untouched):
        entry.refresh_from_db()
    assert (good.link_status, good.link_error) == (200, "")
    assert broken.link_status == 404 and broken.link_checked_at is not None
    assert untouched.link_checked_at is None
    checks = {c.item.code: c for c in year_selfcheck(organisation=org, fiscal_year=YEAR).items}
    assert checks["R1"].ready
    assert any("404" in f for f in checks["CON"].findings)


def test_check_links_unknown_organisation():
    with pytest.raises(CommandError):
        call_command("check_links", "--org", "nobody", stdout=io.StringIO())


def test_oit_selfcheck_prints_items_findings_and_scores():
    rule_edition()
    org = make_org("office", website="https://office.go.th")
    document(disclosure(org, "R1"), "รายงาน")
    out = io.StringIO()
    call_command("oit_selfcheck", "office", str(YEAR), stdout=out)
    text = out.getvalue()
    assert "R1\tready" in text
    assert "CUR\tNOT READY\n\t- ยังไม่ได้เริ่มทำข้อนี้" in text
    # 2.1 holds R1, CUR, PREV (one ready): 33.33…; indicator 2 (33.33… + 0) / 2; indicator 3: 0.
    assert "predicted WEB: 8.33" in text
    assert "  indicator 2: 16.67\n  indicator 3: 0.00" in text
    out = io.StringIO()
    call_command("oit_selfcheck", "office", str(YEAR), "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["ready"] == 1 and data["total"] == len(data["items"]) == 11
    assert data["items"][0] == {"code": "R1", "ready": True, "findings": []}
    assert set(data["predicted_oit"]["indicators"]) == {"2", "3"}
    with pytest.raises(CommandError):
        call_command("oit_selfcheck", "office", "2600", stdout=io.StringIO())
