"""Uploads are checked by what they contain, not by their names."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from ita_portal.uploads import (
    DOCUMENTS,
    IMAGES,
    IMAGES_AND_PDF,
    FileType,
    check_upload,
    image_preview,
)
from tests.measures.builders import PDF_BYTES, image_bytes, upload


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [("JPEG", FileType.JPEG), ("PNG", FileType.PNG), ("WEBP", FileType.WEBP)],
)
def test_images_are_recognised_whatever_their_name(fmt, expected):
    checked = check_upload(upload("document.pdf", image_bytes(fmt)), IMAGES_AND_PDF)
    assert checked.type == expected
    assert (checked.width, checked.height) == (64, 48)


def test_pdf_is_recognised():
    assert check_upload(upload("scan.jpg", PDF_BYTES), IMAGES_AND_PDF).type == FileType.PDF


def test_a_renamed_executable_is_refused_with_a_thai_message():
    exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200
    with pytest.raises(ValidationError) as error:
        check_upload(upload("photo.jpg", exe), IMAGES_AND_PDF)
    message = error.value.messages[0]
    assert "photo.jpg" in message
    assert "ไม่ใช่" in message  # Thai: "is not an accepted kind of file"


def test_a_truncated_image_with_a_jpeg_header_is_refused():
    broken = image_bytes("PNG")[:40]
    with pytest.raises(ValidationError):
        check_upload(upload("x.png", broken), IMAGES)


def test_pdf_is_refused_where_only_images_are_accepted():
    with pytest.raises(ValidationError):
        check_upload(upload("a.pdf", PDF_BYTES), IMAGES)


def test_oversized_file_is_refused_with_the_limit_in_thai(settings):
    settings.MAX_UPLOAD_SIZE = 1024 * 1024
    big = image_bytes("PNG", size=(1200, 1200), color=(1, 2, 3)) + b"\0" * (1024 * 1024)
    with pytest.raises(ValidationError) as error:
        check_upload(upload("big.png", big), IMAGES)
    message = error.value.messages[0]
    assert "big.png" in message and "1 MB" in message
    assert "ไฟล์" in message


def test_empty_file_is_refused():
    with pytest.raises(ValidationError):
        check_upload(upload("empty.jpg", b""), IMAGES)


def test_office_documents_are_recognised_by_their_parts():
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    assert check_upload(upload("report.bin", buffer.getvalue()), DOCUMENTS).type == FileType.DOCX
    plain_zip = io.BytesIO()
    with zipfile.ZipFile(plain_zip, "w") as archive:
        archive.writestr("virus.exe", "MZ")
    with pytest.raises(ValidationError):
        check_upload(upload("report.docx", plain_zip.getvalue()), DOCUMENTS)


def test_preview_is_downscaled_turned_upright_and_flattened():
    # A 3000 x 1000 photo whose EXIF says "rotate 90°": the preview is upright (portrait).
    image = Image.new("RGB", (3000, 1000), (10, 120, 200))
    exif = image.getexif()
    exif[0x0112] = 6  # orientation: rotate 90° clockwise to display
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    preview = Image.open(io.BytesIO(image_preview(upload("p.jpg", buffer.getvalue())).read()))
    assert preview.format == "JPEG"
    assert max(preview.size) == 1200
    assert preview.size[1] > preview.size[0]

    transparent = image_preview(upload("t.png", image_bytes("PNG", color=(0, 0, 0, 0))))
    flattened = Image.open(io.BytesIO(transparent.read()))
    assert flattened.mode == "RGB"
    assert flattened.getpixel((5, 5))[0] > 240  # white, not black, behind transparency
