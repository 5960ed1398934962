"""Read .txt/.md, .docx and .pdf files into a list of blocks, refusing unsafe input.

A block is a paragraph or a table row, in document order: its cells (one for a
paragraph), its heading level where the document says so (a Word heading style, a
Markdown `#`), and its list marker. Nothing is fetched, executed or expanded: a .docx
is checked as a zip before python-docx opens it (size, zip bomb, macros, external
references), a PDF must be unencrypted (or open with an empty password) and under the
page limit.

It runs past 400 lines because each of the three formats needs its own safety checks next
to its reader, so a reviewer sees what is refused beside what is read.
"""

import html
import io
import itertools
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass, field

# Documented limits (README "Importing role profiles").
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_ZIP_BYTES = 5 * MAX_FILE_BYTES
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
MAX_ZIP_MEMBERS = 500
MAX_PDF_PAGES = 40
MAX_TEXT_CHARS = 400_000
# What a PDF's compressed streams may inflate to, each and in all, counted before pypdf or
# pdfplumber reads any of them (a 1 MB stream can inflate to 1 GB).
MAX_PDF_STREAM_BYTES = 20 * 1024 * 1024
MAX_PDF_INFLATED_BYTES = 100 * 1024 * 1024
EXTENSIONS = (".docx", ".pdf", ".txt", ".md")


class UnreadableDocument(Exception):
    """A file that cannot be imported; the message says why, for the person importing."""


@dataclass
class Block:
    cells: list[str]
    heading: int = 0
    marker: str = ""  # "bullet", a number or a letter, or ""
    indent: int = 0
    list_run: bool = False  # text of an HTML list whose items lost their separators

    @property
    def filled(self):
        return [cell for cell in self.cells if cell]

    @property
    def text(self):
        return " ".join(self.filled)


@dataclass
class Document:
    blocks: list[Block]
    text: str  # the document's text as read, for the review page and word counts
    artefacts: list[str] = field(default_factory=list)  # cleaned away, counted as structure


BULLET = re.compile(r"^\s*([·•▪●◦○■□➢➤✓\-\*–—]|o(?=\s))\s*")
NUMBERED = re.compile(r"^\s*(\(?(?:\d{1,2}|[a-zA-Z]|[ivx]{1,4})[.)])\s+")
# The patterns run over lines of up to MAX_TEXT_CHARS: none may scan a long run once per start
# position ("<a<a<a…", "[bookmark:[bookmark:…", a line of spaces), so a tag or a field stops
# at the next opening bracket and quantifiers are possessive (*+: no backtracking).
HTML_TAG = re.compile(r"<\s*+(/?)\s*+([a-zA-Z][a-zA-Z0-9]*+)\b[^<>]*+>")
LIST_TAGS = {"ul", "ol"}
BREAK_TAGS = {"p", "li", "br", "div", "ul", "ol", "tr", "td", "th", "table", "h1", "h2", "h3"}
WORD_ARTEFACT = re.compile(r"\[bookmark:[^\[\]]*+\]|\{\s*+(?:MERGEFIELD|PAGE|REF)\b[^{}]*+\}")
# In a collapsed HTML list, a new item starts at a capitalised word that follows the end
# of a sentence, a comma, a bracket or a lower-case word, and is followed by a lower-case
# word ("…notices. Intelligence led …", "…as directed Utilise range …"). It is read word by
# word, not with one pattern: a pattern `(\S+)\s+(?=…)` rescans a long word from each letter.
CAPITALISED = re.compile(r"[A-Z][a-z]+")
LOWER = re.compile(r"[a-z]+")


def split_collapsed(text):
    words = [(m.start(), m.end(), m.group()) for m in re.finditer(r"\S+", text)]
    parts, start = [], 0
    for (_, end, before), (next_start, _, word), (_, _, after) in zip(
        words, words[1:], words[2:], strict=False
    ):
        if (
            CAPITALISED.fullmatch(word)
            and LOWER.match(after)
            and (LOWER.fullmatch(before) or before.endswith((".", ",", ";", ")")))
        ):
            parts.append(text[start:end])
            start = next_start
    parts.append(text[start:])
    return [part.strip() for part in parts if part.strip()]


def clean_cell(text):
    text = html.unescape(text).replace("\xa0", " ").replace("\u200b", "")
    return re.sub(r"[ \t\r\f\v]+", " ", text).strip()


def join_lines(before, after):
    """Two wrapped lines as one: a word the line break hyphenated ("low-" "level") stays whole."""
    if re.search(r"[^\W\d_]-$", before) and after[:1].isalpha():
        return before + after
    return f"{before} {after}"


def marker_of(text):
    """(marker, text without it)."""
    match = BULLET.match(text)
    if match and match.end() < len(text):
        return "bullet", text[match.end() :]
    match = NUMBERED.match(text)
    if match:
        return match.group(1).strip("().").lower(), text[match.end() :]
    return "", text


def split_html(line):
    """A line of exported HTML as [(text, in_list)] pieces; tags are dropped."""
    pieces, depth, start = [], 0, 0
    for match in HTML_TAG.finditer(line):
        closing, tag = match.group(1), match.group(2).lower()
        if tag not in BREAK_TAGS:
            continue
        pieces.append((line[start : match.start()], depth > 0))
        if tag in LIST_TAGS:
            depth = max(depth - 1, 0) if closing else depth + 1
        elif tag in ("p", "li") and not closing:
            # a paragraph or item ends the collapsed run it interrupts
            depth = 0 if tag == "p" else depth
        start = match.end()
    pieces.append((line[start:], depth > 0))
    return pieces


def text_lines(text):
    """Lines of a text export, with a table's cells gathered into rows.

    Word's text export writes each cell of a table on its own line after a tab, with a
    blank line between rows; such runs of tab-led lines become one tab-separated row.
    """
    group = []
    for raw in [*text.splitlines(), ""]:
        if re.fullmatch(r"\t[^\t]*", raw):
            group.append(raw[1:])
            continue
        if group:
            yield "\t".join(group) if len(group) > 1 else group[0]
            group = []
        yield raw


def text_blocks(text, artefacts):
    """Blocks of plain text or Markdown: one per line; tabs separate cells."""
    blocks = []
    for raw in text_lines(text):
        for found in WORD_ARTEFACT.findall(raw):
            artefacts.append(found)
        raw = WORD_ARTEFACT.sub(" ", raw)
        if not raw.strip():
            continue
        has_html = bool(HTML_TAG.search(raw))
        cells = raw.split("\t")
        if has_html:
            blocks.extend(_html_blocks(cells))
            continue
        heading = 0
        first = next((i for i, cell in enumerate(cells) if cell.strip()), 0)
        lead = cells[first]
        indent = len(lead) - len(lead.lstrip(" "))
        lead = lead.replace("**", "").replace("__", "")
        md = re.match(r"^\s*(#{1,6})\s+", lead)
        if md:
            heading, lead = len(md.group(1)), lead[md.end() :]
        marker, lead = marker_of(lead)
        cells[first] = lead
        cells = [clean_cell(cell.replace("**", "")) for cell in cells]
        if any(cells):
            blocks.append(Block(cells, heading=heading, marker=marker, indent=indent))
    return blocks


def _html_blocks(cells):
    """Cells of a line that carries stray HTML: each tag breaks the text; list runs split."""
    blocks, row = [], []
    for cell in cells:
        pieces = [(clean_cell(text), in_list) for text, in_list in split_html(cell)]
        pieces = [(text, in_list) for text, in_list in pieces if text]
        if len(pieces) == 1 and not pieces[0][1]:
            row.append(pieces[0][0])
            continue
        for text, in_list in pieces:
            if in_list:
                for part in split_collapsed(text):
                    blocks.append(Block([part], marker="bullet", list_run=True))
            else:
                blocks.append(Block([text], marker="bullet" if blocks else ""))
    if row:
        blocks.insert(0, Block(row))
    return blocks


def read_text(data):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    if "\x00" in text:
        raise UnreadableDocument("this is not a text file (it holds binary data)")
    _check_length(text)  # before any pattern runs over it
    return _document(text_blocks(text, artefacts := []), text, artefacts)


def _check_length(text):
    if len(text) > MAX_TEXT_CHARS:
        raise UnreadableDocument(f"the text is longer than {MAX_TEXT_CHARS:,} characters")


def _document(blocks, text, artefacts):
    _check_length(text)
    if not blocks:
        raise UnreadableDocument("the document has no text")
    return Document(blocks, text, artefacts)


def check_zip(archive, what):
    """Refuse a zip bomb: too many members, too large unpacked, or compressed too well."""
    members = archive.infolist()
    if len(members) > MAX_ZIP_MEMBERS:
        raise UnreadableDocument(f"the {what} holds more than {MAX_ZIP_MEMBERS} files")
    total = 0
    for member in members:
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > 1_000_000 and ratio > MAX_COMPRESSION_RATIO:
            raise UnreadableDocument(
                f"the {what} looks like a zip bomb ({member.filename} unpacks {ratio:.0f} times larger)"
            )
    if total > MAX_UNPACKED_BYTES:
        raise UnreadableDocument(
            f"the {what} unpacks to more than {MAX_UNPACKED_BYTES // 1024 // 1024} MB"
        )


# Reading a zip member: inflated here in chunks, so the bytes that actually come out are
# counted (a member may declare 1,000 bytes and inflate to 2 GB; zipfile's read() would
# inflate all of it before cutting it to the declared size).
CHUNK = 1024 * 1024
LOCAL_HEADER = struct.Struct("<4s22xHH")


class Budget:
    """Bytes a set of zip members may inflate to, in all; `what` names it in the refusal."""

    def __init__(self, limit, what):
        self.left, self.limit, self.what = limit, limit, what

    def take(self, size):
        self.left -= size
        if self.left < 0:
            raise UnreadableDocument(
                f"the {self.what} unpacks to more than {self.limit // 1024 // 1024} MB"
            )


def read_member(archive, member, budget, limit=MAX_FILE_BYTES):
    """A member's bytes, inflated at most `limit` (and the budget) far: a member whose data
    is larger, or not the size and checksum the zip declares, is refused."""
    name = display_name(member.filename)
    if member.flag_bits & 0x1:
        raise UnreadableDocument(f"{name} in the zip is encrypted")
    if member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise UnreadableDocument(f"{name} in the zip is compressed in a way that cannot be read")
    damaged = UnreadableDocument(f"the zip file is damaged ({name} cannot be read)")
    archive.fp.seek(member.header_offset)
    header = archive.fp.read(LOCAL_HEADER.size)
    if len(header) < LOCAL_HEADER.size or header[:4] != b"PK\x03\x04":
        raise damaged
    _, name_length, extra_length = LOCAL_HEADER.unpack(header)
    archive.fp.seek(member.header_offset + LOCAL_HEADER.size + name_length + extra_length)
    raw = archive.fp.read(member.compress_size)
    inflater = zlib.decompressobj(-15) if member.compress_type == zipfile.ZIP_DEFLATED else None
    chunks, size, crc = [], 0, 0
    while raw:
        if inflater is None:
            chunk, raw = raw[:CHUNK], raw[CHUNK:]
        else:
            try:
                chunk = inflater.decompress(raw, CHUNK)
            except zlib.error as error:
                raise damaged from error
            raw = inflater.unconsumed_tail
            if not chunk and not raw:
                break
        size += len(chunk)
        if size > limit:
            raise UnreadableDocument(
                f"{name} in the zip is larger than {limit // 1024 // 1024} MB unpacked"
            )
        budget.take(len(chunk))
        crc = zlib.crc32(chunk, crc)
        chunks.append(chunk)
        if inflater is not None and inflater.eof:
            break
    if (inflater is not None and not inflater.eof) or size != member.file_size or crc != member.CRC:
        raise damaged
    return b"".join(chunks)


def open_zip(data, damaged):
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as error:
        raise UnreadableDocument(damaged) from error


def check_docx(data):
    """The Word file's parts, read safely: {name: bytes}. Each XML part is parsed with a parser
    that refuses document type declarations (defusedxml), whatever its encoding, and a
    relationship to an external target (other than a hyperlink) is refused."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    archive = open_zip(data, "the Word file is damaged (it is not a valid .docx)")
    with archive:
        check_zip(archive, "Word file")
        budget = Budget(MAX_UNPACKED_BYTES, "Word file")
        try:
            parts = {
                m.filename: read_member(archive, m, budget, MAX_UNPACKED_BYTES)
                for m in archive.infolist()
                if not m.is_dir()
            }
        except UnreadableDocument as error:
            raise UnreadableDocument(
                str(error).replace("the zip file is damaged", "the Word file is damaged")
            ) from error
    if "word/document.xml" not in parts:
        raise UnreadableDocument("the Word file is damaged (it has no document part)")
    if any(name.lower().endswith("vbaproject.bin") for name in parts) or (
        b"macroEnabled" in parts.get("[Content_Types].xml", b"")
    ):
        raise UnreadableDocument("the Word file contains macros; save it as a plain .docx")
    for name, part in parts.items():
        if not name.lower().endswith((".xml", ".rels")):
            continue
        try:
            root = fromstring(part, forbid_dtd=True, forbid_entities=True, forbid_external=True)
        except DefusedXmlException as error:
            raise UnreadableDocument(
                "the Word file contains a document type declaration"
            ) from error
        except Exception as error:  # expat's ParseError and encoding errors
            raise UnreadableDocument(
                f"the Word file is damaged ({display_name(name)} is not valid XML)"
            ) from error
        if name.lower().endswith(".rels"):
            for rel in root.iter():
                external = (rel.get("TargetMode") or "").strip().lower() == "external"
                kind = (rel.get("Type") or "").strip()
                if external and not kind.endswith("/hyperlink"):
                    raise UnreadableDocument(
                        "the Word file refers to external content (a linked template, "
                        "image or object); save it without external links"
                    )
    return parts


def _repacked(parts):
    """A zip of the checked parts, for python-docx: it reads nothing the checks did not."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        for name, part in parts.items():
            archive.writestr(name, part)
    return io.BytesIO(out.getvalue())


def read_docx(data):
    parts = check_docx(data)
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(_repacked(parts))
    except Exception as error:  # python-docx raises many kinds on a damaged package
        raise UnreadableDocument("the Word file is damaged and cannot be opened") from error
    blocks, lines, artefacts = [], [], []

    def paragraph_block(paragraph):
        text = paragraph.text
        for found in WORD_ARTEFACT.findall(text):
            artefacts.append(found)
        text = clean_cell(WORD_ARTEFACT.sub(" ", text))
        if not text:
            return None
        style = (paragraph.style.name if paragraph.style is not None else "") or ""
        heading = 0
        level = re.match(r"(?:Heading|heading)\s*(\d)", style)
        if level:
            heading = int(level.group(1))
            # Heading 3 and below are subheadings within a part (our own .docx prints
            # "Finance" under "General Tasks" so): the parser judges them as plain lines.
            heading = heading if heading <= 2 else 0
        elif style == "Title":
            heading = 1
        marker, body = marker_of(text)
        props = paragraph._p.pPr
        indent = 0
        if props is not None and props.numPr is not None:
            marker = marker or ("bullet" if "Number" not in style else "#")
            ilvl = props.numPr.ilvl
            indent = int(ilvl.val) * 2 if ilvl is not None else 0
            body = body if marker != "#" else text
        elif "List" in style:
            marker = marker or ("#" if "Number" in style else "bullet")
        return Block([body], heading=heading, marker=marker, indent=indent)

    def walk(container):
        for element in container.iter_inner_content():
            if isinstance(element, Paragraph):
                block = paragraph_block(element)
                if block:
                    blocks.append(block)
                    # the text as written, with its typed marker ("A.", "2)")
                    lines.append(clean_cell(WORD_ARTEFACT.sub(" ", element.text)))
            elif isinstance(element, Table):
                for row in element.rows:
                    seen, cells = set(), []
                    for cell in row.cells:
                        if id(cell._tc) in seen:
                            continue
                        seen.add(id(cell._tc))
                        cells.append(cell)
                    contents = [
                        [b for b in map(paragraph_block, cell.paragraphs) if b] for cell in cells
                    ]
                    nested = any(cell.tables for cell in cells)
                    if not nested and all(len(content) <= 1 for content in contents):
                        row_cells = [content[0].text if content else "" for content in contents]
                        markers = [content[0].marker for content in contents if content]
                        block = Block(row_cells)
                        if len([c for c in row_cells if c]) == 1 and markers:
                            block.marker = markers[0]
                        if any(row_cells):
                            blocks.append(block)
                            lines.append("\t".join(row_cells))
                    else:
                        for cell in cells:
                            walk(cell)

    walk(document)
    return _document(blocks, "\n".join(lines), artefacts)


def read_pdf(data):
    """A PDF's text, laid out from the position of each word (pdfplumber).

    pypdf checks the file first (damaged, encrypted, too many pages). pdfplumber gives
    each word's exact position, so the wrapped lines of a table cell start exactly in the
    cell's column, and a table's rules say where one row ends and the next begins.
    """
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    check_pdf_streams(data)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnreadableDocument("the PDF is encrypted; remove its password and try again")
        if len(reader.pages) > MAX_PDF_PAGES:
            raise UnreadableDocument(f"the PDF has more than {MAX_PDF_PAGES} pages")
        texts = pdf_texts(data)
    except UnreadableDocument:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as error:
        raise UnreadableDocument("the PDF is damaged and cannot be read") from error
    except Exception as error:  # pypdf and pdfminer raise many kinds on hostile files
        if "crypt" in str(error).lower():
            raise UnreadableDocument(
                "the PDF is encrypted; remove its password and try again"
            ) from error
        raise UnreadableDocument("the PDF is damaged and cannot be read") from error
    text = "\n\n".join(texts)
    if not re.search(r"\w", text):
        raise UnreadableDocument(
            "the PDF has no text (a scanned image?); export it from Word as a PDF with text"
        )
    artefacts = []
    body = f"\n{PAGE_BREAK}\n".join(without_page_furniture(texts, artefacts))
    return _document(pdf_blocks(body, artefacts), text, artefacts)


def check_pdf_streams(data):
    """Refuse a PDF whose compressed streams inflate past the limits (a stream bomb).

    Each stream is inflated here in chunks that are counted and dropped, so the check itself
    holds one chunk at a time; a stream that is not zlib data (a JPEG) is not counted. A
    stream whose inflated data is zlib data again (/Filter [/FlateDecode /FlateDecode]) is
    inflated layer by layer, up to MAX_PDF_FILTER_LAYERS deep, and every layer is counted.
    """
    total, position = 0, 0

    def count(size):
        nonlocal stream, total
        stream += size
        total += size
        if stream > MAX_PDF_STREAM_BYTES or total > MAX_PDF_INFLATED_BYTES:
            raise UnreadableDocument(
                "the PDF holds compressed content that unpacks to more than "
                f"{MAX_PDF_STREAM_BYTES // 1024 // 1024} MB in one stream or "
                f"{MAX_PDF_INFLATED_BYTES // 1024 // 1024} MB in all (a stream bomb?)"
            )

    while (found := data.find(b"stream", position)) >= 0:
        position = found + 6
        if data[found - 3 : found] == b"end":
            continue
        start = position + (2 if data[position : position + 2] == b"\r\n" else 1)
        if data[position : position + 1] not in (b"\r", b"\n"):
            continue
        end = data.find(b"endstream", start)
        end = len(data) if end < 0 else end
        stream = 0
        _drain_layers(data[start:end], count)
        position = end


# Filters a stream may chain that are each inflated and counted; deeper ones are refused.
MAX_PDF_FILTER_LAYERS = 4


def _looks_like_zlib(chunk):
    return len(chunk) >= 2 and chunk[0] & 0x0F == 8 and (chunk[0] << 8 | chunk[1]) % 31 == 0


def _inflated(chunks):
    """The zlib data arriving in `chunks`, inflated CHUNK bytes at a time; it stops at the
    end of the data, or where it is not zlib data (or damaged: pypdf says so if it matters)."""
    inflater = zlib.decompressobj()
    for raw in chunks:
        while raw:
            try:
                chunk = inflater.decompress(raw, CHUNK)
            except zlib.error:
                return
            raw = inflater.unconsumed_tail
            if chunk:
                yield chunk
            if inflater.eof:
                return


def _counted(chunks, count):
    for chunk in chunks:
        count(len(chunk))
        yield chunk


def _drain_layers(raw, count):
    """Inflate `raw` and, while its output is zlib data again, that output too; count every
    chunk of every layer, hold none."""
    outer_layers = []
    layer = _inflated([raw])
    for depth in range(1, MAX_PDF_FILTER_LAYERS + 1):
        first = next(layer, None)
        if first is None:
            break
        count(len(first))
        rest = _counted(layer, count)
        outer_layers.append(rest)
        if not _looks_like_zlib(first):
            break
        if depth == MAX_PDF_FILTER_LAYERS:
            raise UnreadableDocument(
                f"the PDF has a stream compressed more than {MAX_PDF_FILTER_LAYERS} times over"
            )
        layer = _inflated(itertools.chain([first], rest))
    # What a layer holds past the end of the zlib data inside it is counted too.
    for rest in reversed(outer_layers):
        for _ in rest:
            pass


# Points of page width per character column of the layout lines made from a PDF's words.
POINTS_PER_COLUMN = 4
# Words closer than this (in ems of their font size) belong to one run of text; farther
# apart, they are in different columns (a word space is about a third of an em).
WORD_GAP_EMS = 0.55


def pdf_texts(data):
    """Each page's layout text: runs of words at their columns, a blank line between
    paragraphs and between table rows. Rotated text (a "DRAFT" watermark) is left out."""
    import pdfplumber

    texts = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            words = page.filter(_upright).extract_words(
                x_tolerance=1.5, y_tolerance=2, extra_attrs=["size"]
            )
            rules = sorted(
                edge["top"]
                for edge in page.edges
                if edge["orientation"] == "h" and edge["x1"] - edge["x0"] > 20
            )
            texts.append("\n".join(_layout_lines(words, rules)))
            page.flush_cache()
    return texts


def _upright(obj):
    """Whether a PDF object is anything but a rotated character."""
    matrix = obj.get("matrix")
    return (
        obj.get("object_type") != "char"
        or not matrix
        or (abs(matrix[1]) < 0.01 and abs(matrix[2]) < 0.01)
    )


def _layout_lines(words, rules):
    """The lines of a page: words on one baseline, each run of text at its column.

    A blank line marks a gap of more than half a line, as between paragraphs, and a
    horizontal rule between two lines, as between the rows of a ruled table.
    """
    rows = []
    for word in sorted(words, key=lambda w: (round(w["top"]), w["x0"])):
        if rows and abs(rows[-1][0]["top"] - word["top"]) <= 2:
            rows[-1].append(word)
        else:
            rows.append([word])
    lines, previous = [], None
    for row in rows:
        row.sort(key=lambda w: w["x0"])
        top = min(w["top"] for w in row)
        size = max(w["size"] for w in row)
        if previous is not None and (
            top - previous[0] > 1.5 * size or any(previous[1] <= rule <= top for rule in rules)
        ):
            lines.append("")
        line, last = "", None
        for word in row:
            near = last is not None and word["x0"] - last["x1"] <= WORD_GAP_EMS * word["size"]
            # a list marker and its text are one run, however far the marker hangs out
            if near or (last is not None and marker_of(last["text"] + " x")[0]):
                line += " " + word["text"]
            else:
                column = int(word["x0"] / POINTS_PER_COLUMN)
                line += " " * max(column - len(line), 3 if line else 0) + word["text"]
            last = word
        lines.append(line)
        previous = (top, max(w["bottom"] for w in row))
    return lines


# A line of its own between two pages' text (a private-use character: no line boundary).
PAGE_BREAK = "\ue000"
PAGE_NUMBER = re.compile(r"^\s*page \d+( of \d+)?\s*$", re.I)


def without_page_furniture(texts, artefacts):
    """Page texts without running headers and footers: page numbers, and lines printed at
    the top or foot of every page (kept as artefacts, so no word goes uncounted)."""
    edges = []
    for text in texts:
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        edges.append(set(lines[:3] + lines[-3:]))
    repeated = set.intersection(*edges) if len(edges) >= 2 else set()
    pages = []
    for text in texts:
        kept = []
        for line in text.splitlines():
            bare = line.strip()
            if bare and (bare in repeated or PAGE_NUMBER.match(bare)):
                artefacts.append(bare)
                continue
            kept.append(line)
        pages.append("\n".join(kept))
    return pages


SEGMENT = re.compile(r"\S+(?: {1,2}\S+)*")


def segments(line):
    """[(column, text)] of a layout line: runs of text three or more spaces apart."""
    return [(match.start(), match.group()) for match in SEGMENT.finditer(line)]


class _TableRow:
    """Lines of a multi-column table row as the PDF wraps them, gathered per column."""

    def __init__(self, parts):
        # a column's text may start after a list marker; wrapped lines start there too
        self.columns = [[self.starts(start, text), [text]] for start, text in parts]

    @staticmethod
    def starts(start, text):
        _, body = marker_of(text)
        return {start, start + len(text) - len(body)}

    def column_at(self, start):
        for column in self.columns:
            if any(abs(known - start) <= 2 for known in column[0]):
                return column
        return None

    def take(self, parts):
        """Add a line if each of its runs starts in one of the row's columns."""
        found = [self.column_at(start) for start, _ in parts]
        if not all(found):
            return False
        for column, (_, text) in zip(found, parts, strict=True):
            column[1].append(text)
        return True

    def blocks(self):
        cells = []
        for _, lines in self.columns:
            paragraphs = []
            for line in lines:
                marker, body = marker_of(line)
                if marker or not paragraphs:
                    paragraphs.append([marker, clean_cell(body)])
                else:
                    paragraphs[-1][1] = join_lines(paragraphs[-1][1], clean_cell(line))
            cells.append(paragraphs)
        if all(len(paragraphs) == 1 and not paragraphs[0][0] for paragraphs in cells):
            return [Block([paragraphs[0][1] for paragraphs in cells])]
        # a cell holding a list: its paragraphs are read one by one, like a Word cell
        return [Block([text], marker=marker) for paragraphs in cells for marker, text in paragraphs]


def pdf_blocks(text, artefacts):
    """Blocks of a PDF's layout text: columns three spaces apart are cells; wrapped lines join.

    A line continues the paragraph above when no blank line separates them, it has no
    list marker and its text starts in the same column as the paragraph's text. Lines of
    two or more columns are a table row; the lines below it whose text starts in its
    columns are the rest of its cells, wrapped, and so, across a page break, are the first
    lines of the next page when they start in its columns with a small letter.
    """
    blocks, previous_start, previous_end, row = [], None, 0, None
    page_break = False
    lines = text.splitlines()
    # a wrapped line reaches (nearly) the right margin; a short line ends its paragraph.
    # The margin is that of running text: a table may reach wider.
    width = max(
        (len(line.rstrip()) for line in lines if len(segments(line)) == 1),
        default=0,
    )

    def close_row():
        nonlocal row
        if row is not None:
            blocks.extend(row.blocks())
            row = None

    for raw in lines:
        for found in WORD_ARTEFACT.findall(raw):
            artefacts.append(found)
        raw = WORD_ARTEFACT.sub(" ", raw).rstrip()
        if raw == PAGE_BREAK:
            # a paragraph may run on over the page: previous_start is kept
            page_break = True
            continue
        if not raw.strip():
            previous_start = None
            close_row()
            continue
        parts = segments(raw)
        if page_break:
            page_break = False
            if not parts[0][1][:1].islower():
                close_row()
        if row is not None and row.take(parts):
            continue
        close_row()
        if len(parts) >= 2:
            row = _TableRow(parts)
            previous_start = None
            continue
        start = len(raw) - len(raw.lstrip(" "))
        marker, first = marker_of(parts[0][1])
        body_start = start + (len(parts[0][1]) - len(first)) if marker else start
        if (
            blocks
            and previous_start is not None
            and not marker
            and len(blocks[-1].cells) == 1
            and abs(start - previous_start) <= 1
            and (previous_end >= 0.75 * width or first[:1].islower())
            and not re.match(r"^\d{1,3}\s*%$", first)
            and not blocks[-1].text.endswith((":", ".", "!", "?"))
        ):
            blocks[-1].cells[0] = join_lines(blocks[-1].cells[0], clean_cell(first))
            previous_end = len(raw)
            continue
        blocks.append(Block([clean_cell(first)], marker=marker, indent=start))
        previous_start, previous_end = body_start, len(raw)
    close_row()
    return blocks


def read_document(name, data):
    """The Document in a file, by its extension; UnreadableDocument says why not."""
    if len(data) > MAX_FILE_BYTES:
        raise UnreadableDocument(f"the file is larger than {MAX_FILE_BYTES // 1024 // 1024} MB")
    if not data.strip():
        raise UnreadableDocument("the file is empty")
    lower = name.lower()
    if lower.endswith(".docx"):
        return read_docx(data)
    if lower.endswith(".pdf"):
        return read_pdf(data)
    if lower.endswith((".txt", ".md")):
        return read_text(data)
    if lower.endswith((".doc", ".docm", ".dotm")):
        raise UnreadableDocument("only .docx Word files can be read; save it as .docx")
    raise UnreadableDocument(f"files of this type cannot be imported (use {', '.join(EXTENSIONS)})")


def display_name(name):
    """A file or member name safe to show: control, bidirectional and other format
    characters (terminal escapes, right-to-left overrides) replaced, and a name over 255
    characters shortened in its middle so its extension still shows."""
    import unicodedata

    safe = "".join(
        "\ufffd" if unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp") else char
        for char in name
    )
    return safe if len(safe) <= 255 else f"{safe[:150]}…{safe[-100:]}"


def unpack(name, data, budget=None):
    """(name, bytes) of the documents in a file, one at a time: a zip's members, inflated
    within `budget` (one Budget for a whole upload), or the file itself."""
    if not name.lower().endswith(".zip"):
        yield name, data
        return
    if len(data) > MAX_ZIP_BYTES:
        raise UnreadableDocument(f"the zip is larger than {MAX_ZIP_BYTES // 1024 // 1024} MB")
    budget = budget or Budget(MAX_UNPACKED_BYTES, "zip")
    archive = open_zip(data, "the zip file is damaged")
    with archive:
        check_zip(archive, "zip")
        found = False
        for member in archive.infolist():
            base = member.filename.rsplit("/", 1)[-1]
            if member.is_dir() or base.startswith((".", "~$")) or "__MACOSX" in member.filename:
                continue
            if member.file_size > MAX_FILE_BYTES:
                raise UnreadableDocument(
                    f"{display_name(member.filename)} in the zip is larger than "
                    f"{MAX_FILE_BYTES // 1024 // 1024} MB"
                )
            found = True
            yield display_name(member.filename), read_member(archive, member, budget)
    if not found:
        raise UnreadableDocument("the zip holds no documents")
