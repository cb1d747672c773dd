"""The whole year as an office does it in the browser: plan from last year's
analysis, record two rounds with photos, publish, and read the PDF."""

from __future__ import annotations

import io

from django.urls import reverse
from pypdf import PdfReader

from assessments.models import Role
from measures.models import FollowUp, Measure
from tests.builders import PASSWORD, REFERENCE_003, make_assessment, make_user
from tests.measures.builders import image_bytes
from tests.measures.test_report import normalise
from tests.task_worker import run_worker


def test_plan_record_publish_and_download(client, org, settings):
    make_assessment(org, 2564, REFERENCE_003)
    make_user("admin", org, Role.ADMINISTRATOR)
    client.login(username="admin", password=PASSWORD)

    response = client.post(reverse("measures_staff:plan", args=[org.slug, 2565]))
    assert response.status_code == 302
    measure = Measure.objects.get(organisation=org, fiscal_year=2565)
    assert [i.number for i in measure.indicators.all()] == [9]

    for round_, summary in (
        ("6m", "ประชุมชี้แจงบุคลากรทุกกลุ่มงานแล้ว"),
        ("12m", "ปรับปรุงเว็บไซต์ครบทุกรายการ"),
    ):
        response = client.post(
            reverse("measures_staff:follow-up-add", args=[org.slug, measure.pk]),
            {
                "round": round_,
                "summary": summary,
                "outcome": "บรรลุเป้าหมาย",
                "status": "done" if round_ == "12m" else "in_progress",
                "completed_on": "30/09/2565" if round_ == "12m" else "",
            },
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        follow_up = FollowUp.objects.get(measure=measure, round=round_)
        photos = [
            io.BytesIO(image_bytes(size=(800, 600), color=(i * 60, 40 * len(round_), 120)))
            for i in range(2)
        ]
        for i, photo in enumerate(photos):
            photo.name = f"IMG_{i}.jpg"
        response = client.post(
            reverse("measures_staff:evidence-upload", args=[org.slug, follow_up.pk]),
            {"files": photos, "caption": f"ภาพกิจกรรม{summary}"},
        )
        assert response.status_code == 302
        assert follow_up.evidence.count() == 2

    pdf_url = reverse("measures:report-pdf", args=[org.slug, 2565])
    client.logout()
    assert client.get(pdf_url).status_code == 404  # not yet published
    client.login(username="admin", password=PASSWORD)
    response = client.post(
        reverse("measures_staff:report-publish", args=[org.slug, 2565]), {"published": "1"}
    )
    assert response.status_code == 302
    # Publishing queued the PDF; the worker makes it, so the public's first
    # download is the stored copy.
    run_worker()
    assert len(list((settings.MEDIA_ROOT / "pdfs").iterdir())) == 1
    client.logout()

    response = client.get(pdf_url)
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(b"".join(response.streaming_content)))
    text = normalise("".join(page.extract_text() for page in reader.pages))
    assert normalise(measure.title) in text
    assert normalise("ปรับปรุงเว็บไซต์ครบทุกรายการ") in text
    assert normalise("30 กันยายน 2565") in text
    # WeasyPrint shares one resource dictionary between pages: count distinct pictures.
    pictures = {image.data for page in reader.pages for image in page.images}
    assert len(pictures) == 4
