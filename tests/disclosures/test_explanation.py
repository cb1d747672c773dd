"""The agency's explanation: plain paragraphs, or HTML cleaned with nh3."""

from __future__ import annotations

import pytest

from disclosures.services import explanation_clean

from .builders import make_disclosure


def test_plain_text_becomes_paragraphs():
    text = "ย่อหน้าแรก\nบรรทัดที่สอง\n\nย่อหน้าที่สอง <ข้อความ>"
    assert explanation_clean(text) == (
        "<p>ย่อหน้าแรก<br>บรรทัดที่สอง</p><p>ย่อหน้าที่สอง &lt;ข้อความ&gt;</p>"
    )


@pytest.mark.parametrize(
    ("dirty", "clean"),
    [
        ("<p>ok<script>alert(1)</script></p>", "<p>ok</p>"),
        ('<p onclick="x()">ok</p>', "<p>ok</p>"),
        (
            '<p><a href="javascript:alert(1)">x</a></p>',
            '<p><a rel="noopener noreferrer nofollow">x</a></p>',
        ),
        (
            '<p><a href="https://www.example.go.th/" target="_blank">x</a></p>',
            '<p><a href="https://www.example.go.th/" rel="noopener noreferrer nofollow">x</a></p>',
        ),
        ("<ul><li>หนึ่ง</li></ul><iframe src=x></iframe>", "<ul><li>หนึ่ง</li></ul>"),
        ('<p style="color:red"><img src=x onerror=y>ข้อความ</p>', "<p>ข้อความ</p>"),
        ("", ""),
    ],
)
def test_html_keeps_only_harmless_markup(dirty, clean):
    assert explanation_clean(dirty) == clean


@pytest.mark.django_db
def test_explanation_is_stored_clean_and_shown_as_html(client, org):
    make_disclosure(org, "O6", explanation="<p>กฎหมาย<script>alert(1)</script></p>", published=True)
    html = client.get("/office/oit/2565/O6/").content.decode()
    assert "<p>กฎหมาย</p>" in html and "alert(1)" not in html
