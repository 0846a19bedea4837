"""Documents of a knowledge base into chunks: text extraction per format, then overlapping chunks.

Formats (by extension): ``.md``/``.markdown`` (``#`` headings), ``.txt``, ``.html``/``.htm``
(lxml; ``h1``-``h6`` are headings, scripts and styles dropped), ``.pdf`` (pypdf, page by page;
the heading is the page), ``.docx`` (python-docx; paragraphs styled ``Heading N`` are headings).
Other files are not documents.

Memory stays bounded whatever the size: text and Markdown are read line by line, PDFs page by
page, and :func:`chunks` is a generator, so a caller that embeds a batch at a time holds one
batch. HTML and DOCX are parsed whole, so they are refused above ``MAX_PARSED_BYTES``.
A document that cannot be read (a corrupt or encrypted PDF, a broken DOCX) raises
:class:`DocumentError` naming the problem; the caller reports it for that document only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urldefrag, urljoin

from generalbots.core.exceptions import ApplicationError
from generalbots.core.lazy import lazy_module

# The parsers load when a document of their kind is first read (pypdf, python-docx, lxml: ~45 MB
# that a worker running workflow slices never needs).
docx = lazy_module("docx")
lxml_html = lazy_module("lxml.html")
etree = lazy_module("lxml.etree")
pypdf = lazy_module("pypdf")

EXTENSIONS = (".md", ".markdown", ".txt", ".html", ".htm", ".pdf", ".docx")
MAX_PARSED_BYTES = 20_000_000
# A chunk is about CHUNK_WORDS words (a few hundred tokens) and repeats the last OVERLAP_WORDS
# words of the one before, so a sentence cut at a boundary is whole in one of them.
CHUNK_WORDS = 120
OVERLAP_WORDS = 25
_HEADING_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_BLOCK_TAGS = _HEADING_TAGS | {"p", "li", "pre", "blockquote", "td", "th", "dt", "dd", "caption", "figcaption"}
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")


class DocumentError(ApplicationError):
    code = "memory.document_unreadable"


@dataclass(frozen=True)
class Chunk:
    position: int  # 0, 1, ... within the document
    heading: str
    text: str

    @property
    def embedded(self) -> str:
        """What the models embed for this chunk: its heading over its text."""
        return f"{self.heading}\n{self.text}" if self.heading else self.text


def is_document(path: Path) -> bool:
    return path.suffix.lower() in EXTENSIONS


def sections(path: Path) -> Iterator[tuple[str, str]]:
    """(heading, text) blocks of the document in reading order; DocumentError (raised while
    iterating) when it cannot be read."""
    suffix = path.suffix.lower()
    if suffix in (".md", ".markdown"):
        yield from _markdown(path)
    elif suffix == ".txt":
        yield from _plain(path)
    elif suffix in (".html", ".htm"):
        yield from html_sections(_read_bounded(path))
    elif suffix == ".pdf":
        yield from _pdf(path)
    elif suffix == ".docx":
        yield from _docx(path)
    else:
        raise DocumentError(f"{path.name}: not a supported format ({', '.join(EXTENSIONS)})")


def _lines(path: Path) -> Iterator[str]:
    with path.open(encoding="utf-8", errors="replace") as handle:
        yield from handle


def _markdown(path: Path) -> Iterator[tuple[str, str]]:
    heading = ""
    for line in _lines(path):
        match = _MD_HEADING.match(line)
        if match:
            heading = match.group(1)
            yield heading, heading
        elif line.strip():
            yield heading, line.strip()


def _plain(path: Path) -> Iterator[tuple[str, str]]:
    for line in _lines(path):
        if line.strip():
            yield "", line.strip()


def _read_bounded(path: Path) -> bytes:
    size = path.stat().st_size
    if size > MAX_PARSED_BYTES:
        raise DocumentError(f"{path.name}: {size} bytes, more than the {MAX_PARSED_BYTES} this format may have")
    return path.read_bytes()


def html_sections(content: bytes) -> Iterator[tuple[str, str]]:
    """(heading, text) blocks of an HTML page (also ``USE WEBSITE``'s pages)."""
    try:
        root = lxml_html.fromstring(content)
    except (etree.ParserError, ValueError) as exc:
        raise DocumentError(f"the HTML cannot be parsed ({exc})") from None
    for bad in root.xpath("//script|//style|//noscript|//template"):
        bad.drop_tree()
    heading = ""
    for element in root.iter(*_BLOCK_TAGS):
        if any(a.tag in _BLOCK_TAGS for a in element.iterancestors()):
            continue  # its text is part of the enclosing block's
        text = " ".join(element.text_content().split())
        if not text:
            continue
        if element.tag in _HEADING_TAGS:
            heading = text
        yield heading, text


def html_links(content: bytes, base_url: str) -> list[str]:
    """The http(s) addresses the page links to (``<a href>``), absolute, without fragments, in order."""
    try:
        root = lxml_html.fromstring(content)
    except (etree.ParserError, ValueError):
        return []
    links: list[str] = []
    for href in root.xpath("//a/@href"):
        url = urldefrag(urljoin(base_url, str(href).strip())).url
        if url.startswith(("http://", "https://")) and url not in links:
            links.append(url)
    return links


def _pdf(path: Path) -> Iterator[tuple[str, str]]:
    try:
        reader = pypdf.PdfReader(path)
        if reader.is_encrypted and not reader.decrypt(""):
            raise DocumentError(f"{path.name}: the PDF is encrypted (a password is needed to read it)")
        pages = reader.pages
        count = len(pages)
    except DocumentError:
        raise
    except Exception as exc:  # pypdf raises many kinds for a broken file; each one is this document's problem
        raise DocumentError(f"{path.name}: the PDF cannot be read ({_pdf_reason(exc)})") from None
    for number in range(count):
        try:
            text = pages[number].extract_text() or ""
        except Exception as exc:
            raise DocumentError(f"{path.name}: page {number + 1} of the PDF cannot be read ({_pdf_reason(exc)})") from None
        for line in text.splitlines():
            if line.strip():
                yield f"page {number + 1}", line.strip()


def _pdf_reason(exc: Exception) -> str:
    if isinstance(exc, pypdf.errors.PdfReadError):
        return str(exc)
    if type(exc).__name__ == "DependencyError":  # AES encryption without the crypto library
        return "encrypted"
    return f"{type(exc).__name__}: {exc}"


def _docx(path: Path) -> Iterator[tuple[str, str]]:
    _read_bounded(path)  # the size check only: python-docx opens the file itself
    try:
        document = docx.Document(str(path))
    except Exception as exc:  # a zip that is not a DOCX, a broken part: this document's problem
        raise DocumentError(f"{path.name}: the DOCX cannot be read ({type(exc).__name__}: {exc})") from None
    heading = ""
    for paragraph in document.paragraphs:
        text = paragraph.text.strip()
        if not text:
            continue
        style = (paragraph.style.name if paragraph.style is not None else "") or ""
        if style.lower().startswith(("heading", "title")):
            heading = text
        yield heading, text
    for table in document.tables:
        for row in table.rows:
            text = " | ".join(cell.text.strip() for cell in row.cells if cell.text.strip())
            if text:
                yield heading, text


def chunks(blocks: Iterable[tuple[str, str]], *, size: int = CHUNK_WORDS,
           overlap: int = OVERLAP_WORDS) -> Iterator[Chunk]:
    """Overlapping chunks of about ``size`` words; a new heading starts a new chunk, so every
    chunk carries the one heading it sits under."""
    words: list[str] = []
    heading = ""
    position = 0
    fresh = True  # no word of ``words`` was emitted yet
    for block_heading, text in blocks:
        if block_heading != heading:
            if words and fresh:
                yield Chunk(position, heading, " ".join(words))
                position += 1
            words, heading, fresh = [], block_heading, True
        words += text.split()
        fresh = True
        while len(words) >= size:
            yield Chunk(position, heading, " ".join(words[:size]))
            position += 1
            words = words[size - overlap:]
            fresh = len(words) > overlap
    if words and fresh:
        yield Chunk(position, heading, " ".join(words))
