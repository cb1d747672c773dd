"""Checking uploaded files by their content, not their name, and making previews.

A file's name and the browser's content type are whatever the sender says;
the first bytes, and for images a full decode by Pillow, are what it is.
"""

from __future__ import annotations

import io
import logging
import re
import warnings
import zipfile
import zlib
from dataclasses import dataclass
from enum import Enum

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

# Larger images are refused rather than decoded (decompression bombs); a
# 50-megapixel phone photo is well inside.
MAX_IMAGE_PIXELS = 80_000_000
# 1200 px across is 300 dpi at the 10 cm an evidence photo takes in the PDF.
PREVIEW_SIZE = 1200


class FileType(Enum):
    JPEG = ("image", "jpg", "image/jpeg")
    PNG = ("image", "png", "image/png")
    WEBP = ("image", "webp", "image/webp")
    PDF = ("pdf", "pdf", "application/pdf")
    DOCX = (
        "document",
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    XLSX = ("document", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    PPTX = (
        "document",
        "pptx",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    )
    OLE = ("document", "doc", "application/msword")  # .doc/.xls/.ppt share one container

    def __init__(self, kind: str, extension: str, content_type: str) -> None:
        self.kind = kind
        self.extension = extension
        self.content_type = content_type


IMAGES = frozenset({FileType.JPEG, FileType.PNG, FileType.WEBP})
IMAGES_AND_PDF = IMAGES | {FileType.PDF}
DOCUMENTS = IMAGES_AND_PDF | {FileType.DOCX, FileType.XLSX, FileType.PPTX, FileType.OLE}

_PIL_FORMATS = {"JPEG": FileType.JPEG, "PNG": FileType.PNG, "WEBP": FileType.WEBP}
_OOXML_FOLDERS = {"word/": FileType.DOCX, "xl/": FileType.XLSX, "ppt/": FileType.PPTX}


@dataclass(frozen=True)
class CheckedFile:
    type: FileType
    size: int
    width: int | None = None
    height: int | None = None


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f}"


def _sniff(head: bytes, upload: UploadedFile) -> FileType | None:
    if head.startswith(b"\xff\xd8\xff"):
        return FileType.JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return FileType.PNG
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return FileType.WEBP
    # Readers accept the header anywhere in the first kilobyte, which lets an
    # HTML page with a script pass as a PDF; a PDF we accept starts with it.
    if head.startswith(b"%PDF-"):
        return FileType.PDF
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return FileType.OLE
    if head.startswith(b"PK\x03\x04"):
        upload.seek(0)
        try:
            with zipfile.ZipFile(upload) as archive:
                names = archive.namelist()
        except (zipfile.BadZipFile, OSError):
            return None
        if "[Content_Types].xml" in names:
            for folder, file_type in _OOXML_FOLDERS.items():
                if any(name.startswith(folder) for name in names):
                    return file_type
    return None


def _check_image(upload: UploadedFile, expected: FileType) -> tuple[int, int]:
    invalid = ValidationError(
        _("“%(name)s” is not a readable image."), code="invalid_image", params={"name": upload.name}
    )
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                if _PIL_FORMATS.get(image.format) != expected:
                    raise invalid
                width, height = image.size
                if width * height > MAX_IMAGE_PIXELS:
                    raise ValidationError(
                        _("“%(name)s” has too many pixels (%(width)s × %(height)s)."),
                        code="image_too_large",
                        params={"name": upload.name, "width": width, "height": height},
                    )
                image.verify()
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ) as error:
        raise invalid from error
    return width, height


# -- PDFs that act on their own -----------------------------------------------------

# Keys and action types with which a PDF runs code, opens other files or sends
# data when it is opened or clicked. Evidence and signed orders need none of
# them, so such a PDF is refused rather than stored (and later served).
ACTIVE_PDF_NAMES = frozenset(
    {
        "JavaScript",
        "JS",
        "AA",
        "Launch",
        "EmbeddedFile",
        "EmbeddedFiles",
        "RichMedia",
        "SubmitForm",
        "ImportData",
    }
)
_PDF_NAME = re.compile(rb"/([^\s/<>\[\]()%{}]+)")
_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_OPEN_ACTION_DICT = re.compile(rb"/OpenAction\s*<<")
_STREAM = re.compile(rb"stream\r?\n")
# Decompressing is bounded: a small PDF can inflate to gigabytes.
MAX_PDF_INFLATE = 64 * 1024 * 1024
MAX_PDF_OBJECTS = 200_000


def _pdf_names(data: bytes) -> set[str]:
    """The PDF names in ``data``, with #xx escapes undone (/J#53 is /JS)."""
    names = set()
    for match in _PDF_NAME.finditer(data):
        raw = _NAME_ESCAPE.sub(lambda h: bytes([int(h.group(1), 16)]), match.group(1))
        names.add(raw.decode("latin-1"))
    return names


def _flate_streams(data: bytes) -> list[bytes]:
    """The Flate-compressed streams (object streams above all) other than images, inflated."""
    inflated: list[bytes] = []
    budget = MAX_PDF_INFLATE
    view = memoryview(data)  # slices without copying the rest of the file each time
    for match in _STREAM.finditer(data):
        header = data[max(0, match.start() - 1024) : match.start()]
        header = header[max(header.rfind(b"obj"), 0) :]
        if b"/Image" in header or b"Flate" not in header:
            continue
        try:
            chunk = zlib.decompressobj().decompress(view[match.end() :], budget)
        except zlib.error:
            continue
        inflated.append(chunk)
        budget -= len(chunk)
        if budget <= 0:
            break
    return inflated


def _pdf_structure_is_active(data: bytes) -> bool:
    """Walk the parsed PDF from its trailer (object streams of any filter included)."""
    pdf_logger = logging.getLogger("pypdf")
    level = pdf_logger.level
    pdf_logger.setLevel(logging.ERROR)  # a damaged but harmless PDF is not worth a warning
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        stack: list[object] = [reader.trailer]
        seen: set[tuple[int, int]] = set()
        while stack and len(seen) < MAX_PDF_OBJECTS:
            item = stack.pop()
            if isinstance(item, IndirectObject):
                if (item.idnum, item.generation) in seen:
                    continue
                seen.add((item.idnum, item.generation))
                item = item.get_object()
            if isinstance(item, NameObject) and item[1:] in ACTIVE_PDF_NAMES:
                return True
            if isinstance(item, DictionaryObject):
                for key, value in item.items():
                    if key[1:] in ACTIVE_PDF_NAMES:
                        return True
                    if key == "/OpenAction" and isinstance(value.get_object(), DictionaryObject):
                        return True
                    stack.append(value)
            elif isinstance(item, ArrayObject):
                stack.extend(item)
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError, OSError):
        # Unparseable here; the byte scans above have looked at it already.
        return False
    finally:
        pdf_logger.setLevel(level)
    return False


def pdf_is_active(data: bytes) -> bool:
    """Whether a PDF has JavaScript, automatic actions, launchers or embedded files.

    Looked for three ways: in the raw bytes, in its inflated streams (where
    object streams hide dictionaries) and in its parsed structure.
    """
    for chunk in (data, *_flate_streams(data)):
        if _pdf_names(chunk) & ACTIVE_PDF_NAMES or _OPEN_ACTION_DICT.search(chunk):
            return True
    return _pdf_structure_is_active(data)


def _check_pdf(upload: UploadedFile) -> None:
    upload.seek(0)
    if pdf_is_active(upload.read()):
        raise ValidationError(
            _(
                "“%(name)s” is a PDF with scripts, automatic actions or embedded files; "
                "such PDFs are not accepted. Save it again as a plain PDF (print to PDF) "
                "and upload that."
            ),
            code="active_pdf",
            params={"name": upload.name},
        )


def check_upload(upload: UploadedFile, allowed: frozenset[FileType]) -> CheckedFile:
    """What ``upload`` really is, or a ValidationError with a message for the user."""
    limit = settings.MAX_UPLOAD_SIZE
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("“%(name)s” is %(size)s MB; files may be at most %(limit)s MB."),
            code="file_too_large",
            params={
                "name": upload.name,
                "size": f"{upload.size / (1024 * 1024):.1f}",
                "limit": _megabytes(limit),
            },
        )
    if not upload.size:
        raise ValidationError(_("“%(name)s” is empty."), code="empty", params={"name": upload.name})
    upload.seek(0)
    head = upload.read(2048)
    file_type = _sniff(head, upload)
    upload.seek(0)
    if file_type is None or file_type not in allowed:
        kinds = ", ".join(sorted({t.extension.upper() for t in allowed}))
        raise ValidationError(
            _("“%(name)s” is not an accepted kind of file. Accepted: %(kinds)s."),
            code="file_type",
            params={"name": upload.name, "kinds": kinds},
        )
    if file_type is FileType.PDF:
        _check_pdf(upload)
        upload.seek(0)
    width = height = None
    if file_type in IMAGES:
        width, height = _check_image(upload, file_type)
        upload.seek(0)
    return CheckedFile(type=file_type, size=upload.size, width=width, height=height)


def check_uploads(files, allowed: frozenset[FileType]) -> list[tuple[UploadedFile, CheckedFile]]:
    """Each upload with what it really is; a ValidationError naming every refused file
    when any is refused, so a step saves all of them or none."""
    checked, errors = [], []
    for upload in files:
        try:
            checked.append((upload, check_upload(upload, allowed)))
        except ValidationError as error:
            errors.extend(error.messages)
    if errors:
        raise ValidationError(errors)
    return checked


def image_preview(upload, *, size: int = PREVIEW_SIZE) -> ContentFile:
    """A JPEG no larger than ``size`` pixels on its long side, turned upright.

    Phone photos arrive at 12+ megapixels and several megabytes with the
    rotation in EXIF; pages and the PDF need neither.
    """
    upload.seek(0)
    with Image.open(upload) as image:
        if image.format == "JPEG":
            image.draft("RGB", (size, size))  # decode at a reduced scale: much faster
        image = ImageOps.exif_transpose(image)
        if image.mode in ("RGBA", "LA", "P"):
            image = image.convert("RGBA")
            background = Image.new("RGB", image.size, "white")
            background.paste(image, mask=image.getchannel("A"))
            image = background
        elif image.mode != "RGB":
            image = image.convert("RGB")
        image.thumbnail((size, size), Image.Resampling.LANCZOS)
        buffer = io.BytesIO()
        image.save(buffer, format="JPEG", quality=80, optimize=True, progressive=True)
    upload.seek(0)
    return ContentFile(buffer.getvalue(), name="preview.jpg")
