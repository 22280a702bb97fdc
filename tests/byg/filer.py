"""Small but real files of each kind, for the upload tests (content sniffing reads the bytes)."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.byg.fabrikker import PDF_INDHOLD

PDF = PDF_INDHOLD
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
# A Windows program: "MZ" header and the DOS stub's message.
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00This program cannot be run in DOS"
TEKST = b"Helt almindelig tekst, ingen kendt filtype.\n"


def _office(mappe: str) -> bytes:
    """A minimal Office Open XML package: the entries content sniffing looks for."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as pakke:
        pakke.writestr("[Content_Types].xml", "<Types/>")
        pakke.writestr("_rels/.rels", "<Relationships/>")
        pakke.writestr(f"{mappe}/document.xml", "<document/>")
    return buffer.getvalue()


DOCX = _office("word")
XLSX = _office("xl")


def upload(navn: str, indhold: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(navn, indhold, content_type=content_type)
