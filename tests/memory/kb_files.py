"""Real documents of each knowledge-base format, built with the libraries that read them."""

from pathlib import Path

import docx
from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def write_pdf(path: Path, pages: list[list[str]], *, password: str | None = None) -> Path:
    """A PDF whose pages hold the given lines in Helvetica (extractable text); encrypted with
    ``password`` when given."""
    writer = PdfWriter()
    for lines in pages:
        page = writer.add_blank_page(width=612, height=792)
        font = DictionaryObject({NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
                                 NameObject("/BaseFont"): NameObject("/Helvetica")})
        page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): DictionaryObject(
            {NameObject("/F1"): writer._add_object(font)})})
        body = "BT /F1 11 Tf 72 740 Td 14 TL " + " ".join(f"({_escape(line)}) '" for line in lines) + " ET"
        stream = DecodedStreamObject()
        stream.set_data(body.encode("latin-1"))
        page[NameObject("/Contents")] = writer._add_object(stream)
    if password is not None:
        writer.encrypt(password, algorithm="AES-256")
    with path.open("wb") as handle:
        writer.write(handle)
    return path


def write_docx(path: Path, blocks: list[tuple[str, str]]) -> Path:
    """A DOCX of (kind, text) blocks: kind ``h1``/``h2`` for headings, ``p`` for paragraphs."""
    document = docx.Document()
    for kind, text in blocks:
        if kind.startswith("h"):
            document.add_heading(text, level=int(kind[1:]))
        else:
            document.add_paragraph(text)
    document.save(str(path))
    return path
