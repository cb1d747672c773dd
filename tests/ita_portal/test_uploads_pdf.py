"""A PDF is a file that starts with %PDF- and carries no scripts or automatic actions.

Refused, not stored: evidence and signed orders need none of these, and a
stored file is served to the public later.
"""

from __future__ import annotations

import io
import zlib

import pytest
from django.core.exceptions import ValidationError
from pypdf import PdfWriter
from pypdf.actions import JavaScript
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from ita_portal.uploads import DOCUMENTS, IMAGES_AND_PDF, FileType, check_upload
from tests.measures.builders import upload


def _pdf(build=None) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    if build:
        build(writer)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _refused(content: bytes, code: str = "active_pdf") -> str:
    with pytest.raises(ValidationError) as error:
        check_upload(upload("order.pdf", content), IMAGES_AND_PDF)
    assert error.value.code == code
    return error.value.messages[0]


def test_html_with_a_pdf_header_inside_its_first_kilobyte_is_not_a_pdf():
    html = b"<html><script>alert(document.cookie)</script><!-- %PDF-1.4 --></html>"
    message = _refused(html, code="file_type")
    assert "order.pdf" in message and "ไม่ใช่" in message


def test_a_plain_pdf_is_accepted():
    content = _pdf(lambda w: setattr(w, "open_destination", w.pages[0]))
    assert b"/OpenAction" in content  # opening at a page is not an action
    assert check_upload(upload("scan.pdf", content), DOCUMENTS).type == FileType.PDF


def test_a_pdf_that_runs_javascript_when_opened_is_refused_in_thai():
    message = _refused(_pdf(lambda w: w.add_open_action(JavaScript("app.alert(1);"))))
    assert "order.pdf" in message and "สคริปต์" in message


def test_an_open_action_dictionary_is_refused():
    def launch(writer):
        action = DictionaryObject(
            {NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("x")}
        )
        writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)

    _refused(_pdf(launch))


def test_an_embedded_file_is_refused():
    _refused(_pdf(lambda w: w.add_attachment("payload.exe", b"MZ")))


def test_a_name_written_with_hex_escapes_is_recognised():
    content = _pdf().replace(b"/Type /Catalog", b"/Type /Catalog /A#41 << /S /J#61vaScript >>")
    _refused(content)


def _pdf_with_object_stream(action: bytes) -> bytes:
    """A PDF 1.5 whose only action sits compressed in an object stream."""
    body = b"5 0 " + action
    stream = zlib.compress(body)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction 5 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
        b"<< /Type /ObjStm /N 1 /First %d /Filter /FlateDecode /Length %d >>\nstream\n"
        % (len(b"5 0 "), len(stream))
        + stream
        + b"\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.5\n")
    for number, obj in enumerate(objects, start=1):
        out.write(b"%d 0 obj\n" % number + obj + b"\nendobj\n")
    out.write(b"trailer\n<< /Root 1 0 R /Size 6 >>\n%%EOF\n")
    return out.getvalue()


def test_javascript_hidden_in_a_compressed_object_stream_is_refused():
    content = _pdf_with_object_stream(b"<< /S /JavaScript /JS (app.alert(1)) >>")
    assert b"/JS" not in content and b"JavaScript" not in content
    _refused(content)


def test_a_compressed_object_stream_without_actions_is_accepted():
    content = _pdf_with_object_stream(b"<< /Producer (scanner) >>")
    assert check_upload(upload("scan.pdf", content), DOCUMENTS).type == FileType.PDF
