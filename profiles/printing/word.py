"""Role profiles as Word documents: the PDF's own HTML, laid out again with python-docx.

The .docx is built from the same house-style HTML the PDF prints (profiles.printing.pdf.render_html),
so it has the same parts, order, labels and numbering without a second copy of the layout
rules. HTML headings become Word headings, tables real tables (their `thead` rows repeat
as header rows), lists Word lists; the force's colours, logo, the document's title and
language go into the file, and the running header and footer into Word's own.
"""

import base64
import io
import re

import docx
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from lxml import html as lxml_html

from profiles.printing import pdf

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
BLOCK_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table", "div", "section"}
BLOCK_TAGS |= {"header", "footer", "caption", "img"}
LIST_STYLES = {"ul": "List Bullet", "ol": "List Number"}
SPACE = re.compile(r"\s+")


def filename(profile):
    return pdf.filename(profile).removesuffix(".pdf") + ".docx"


def _rgb(colour):
    return RGBColor.from_string(colour.lstrip("#").upper())


def _set_language(document, language):
    """Document language on the default run properties and the core properties."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), language)
    document.core_properties.language = language


def _shade(cell, colour):
    properties = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), colour.lstrip("#").upper())
    properties.append(shading)


def _repeat_header(row):
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _text(element):
    return SPACE.sub(" ", element.text_content()).strip()


class _Writer:
    """Writes an HTML element tree into a python-docx container (the body or a table cell)."""

    def __init__(self, document, style):
        self.document = document
        self.primary = style["primary"]
        self.accent = style["accent"]
        self.numbered_lists = 0

    # Inline content -----------------------------------------------------------------------

    def _runs(self, paragraph, element, bold=False, italic=False):
        """The inline content of `element` as runs of `paragraph`, stopping at block children."""
        if element.text:
            self._run(paragraph, element.text, bold, italic)
        for child in element:
            if not isinstance(child.tag, str):
                pass
            elif child.tag == "br":
                paragraph.add_run().add_break(WD_BREAK.LINE)
            elif child.tag not in BLOCK_TAGS and child.tag != "li":
                self._runs(
                    paragraph,
                    child,
                    bold or child.tag in ("strong", "b", "th"),
                    italic or child.tag in ("em", "i"),
                )
            if child.tail:
                self._run(paragraph, child.tail, bold, italic)

    def _run(self, paragraph, text, bold, italic):
        text = SPACE.sub(" ", text)
        if not paragraph.runs:
            text = text.lstrip()
        if not text:
            return
        run = paragraph.add_run(text)
        run.bold = bold or None
        run.italic = italic or None

    def _finish(self, paragraph):
        if paragraph.runs:
            paragraph.runs[-1].text = paragraph.runs[-1].text.rstrip()
        if not paragraph.text.strip():
            paragraph._p.getparent().remove(paragraph._p)

    def _inline_paragraph(self, container, element, style=None, bold=False):
        paragraph = container.add_paragraph(style=style)
        self._runs(paragraph, element, bold=bold)
        self._finish(paragraph)
        return paragraph

    # Blocks -------------------------------------------------------------------------------

    def blocks(self, container, element, list_level=0):
        """Every block in `element`; loose inline text between blocks becomes a paragraph."""
        loose = []

        def flush():
            if any(isinstance(x, str) and x.strip() or not isinstance(x, str) for x in loose):
                paragraph = container.add_paragraph()
                for piece in loose:
                    if isinstance(piece, str):
                        self._run(paragraph, piece, False, False)
                    elif piece.tag == "br":
                        paragraph.add_run().add_break(WD_BREAK.LINE)
                    else:
                        self._runs(paragraph, piece, piece.tag in ("strong", "b"))
                        if piece.tail:
                            self._run(paragraph, piece.tail, False, False)
                self._finish(paragraph)
            loose.clear()

        if element.text:
            loose.append(element.text)
        for child in element:
            if not isinstance(child.tag, str):
                if child.tail:
                    loose.append(child.tail)
                continue
            if child.tag in BLOCK_TAGS:
                flush()
                self.block(container, child, list_level)
                if child.tail:
                    loose.append(child.tail)
            else:
                loose.append(child)
        flush()

    def block(self, container, element, list_level=0):
        tag = element.tag
        if element.get("aria-hidden") == "true" or tag in ("style", "script", "img"):
            return
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            paragraph = container.add_paragraph(style=f"Heading {min(int(tag[1]), 4)}")
            self._runs(paragraph, element)
            self._finish(paragraph)
            for run in paragraph.runs:
                run.font.color.rgb = _rgb(self.primary)
        elif tag == "p":
            self._inline_paragraph(container, element)
        elif tag == "caption":
            self._inline_paragraph(container, element, bold=True)
        elif tag in LIST_STYLES:
            self.list(container, element, list_level)
        elif tag == "table":
            self.table(container, element)
        else:
            self.blocks(container, element, list_level)

    def list(self, container, element, level):
        style = LIST_STYLES[element.tag] + (f" {level + 1}" if level else "")
        if element.getparent().tag == "th":
            # A list in a row header (the methods of assessment beside a group of criteria)
            # is one line, as the forces write it: "· Online Tests / Application Form".
            items = [_text(item) for item in element.iterchildren("li")]
            container.add_paragraph(" / ".join(items), style=style)
            return
        restart = element.tag == "ol" and level == 0
        for item in element.iterchildren("li"):
            paragraph = container.add_paragraph(style=style)
            self._runs(paragraph, item)
            self._finish(paragraph)
            if restart and paragraph._p.getparent() is not None:
                self._restart_numbering(paragraph)
                restart = False
            for child in item:
                if isinstance(child.tag, str) and child.tag in LIST_STYLES:
                    self.list(container, child, min(level + 1, 2))
                elif isinstance(child.tag, str) and child.tag in BLOCK_TAGS:
                    self.block(container, child, level + 1)

    def _restart_numbering(self, paragraph):
        """A numbered list starts again at 1 (Word numbers every 'List Number' as one list)."""
        numbering = self.document.part.numbering_part.element
        style = self.document.styles["List Number"]
        num_id = style.element.pPr.numPr.numId.val
        abstract = numbering.num_having_numId(num_id).abstractNumId.val
        num = numbering.add_num(abstract)
        override = num.add_lvlOverride(ilvl=0)
        override.add_startOverride(1)
        properties = paragraph._p.get_or_add_pPr()
        num_pr = properties.get_or_add_numPr()
        num_pr.get_or_add_ilvl().val = 0
        num_pr.get_or_add_numId().val = num.numId

    def table(self, container, element):
        for caption in element.iterchildren("caption"):
            self.block(container, caption)
        rows = []
        for row in element.iter("tr"):
            header = row.getparent().tag == "thead"
            rows.append((row, header))
        if not rows:
            return
        placed = _place_cells([row for row, _ in rows])
        width = max((column + colspan for _, column, _, colspan, _ in placed), default=1)
        table = container.add_table(rows=len(rows), cols=width)
        table.style = self.document.styles["Table Grid"]
        for index, (_, header) in enumerate(rows):
            if header:
                _repeat_header(table.rows[index])
        for index, column, rowspan, colspan, cell in placed:
            word_cell = table.cell(index, column)
            if rowspan > 1 or colspan > 1:
                word_cell = word_cell.merge(table.cell(index + rowspan - 1, column + colspan - 1))
            self._cell(word_cell, cell)

    def _cell(self, word_cell, cell):
        first = word_cell.paragraphs[0]
        has_blocks = any(isinstance(c.tag, str) and c.tag in BLOCK_TAGS for c in cell)
        if not has_blocks:
            self._runs(first, cell, bold=cell.tag == "th")
            if first.runs:
                first.runs[-1].text = first.runs[-1].text.rstrip()
        else:
            self.blocks(word_cell, cell)
            if len(word_cell.paragraphs) > 1 and not first.text:
                first._p.getparent().remove(first._p)
            if cell.tag == "th":
                for paragraph in word_cell.paragraphs:
                    for run in paragraph.runs:
                        run.bold = True
        if cell.tag == "th":
            _shade(word_cell, self.accent)


def _span(cell, name):
    try:
        return max(1, int(cell.get(name, 1)))
    except ValueError:
        return 1


def _place_cells(rows):
    """[(row, column, rowspan, colspan, cell)] of an HTML table's cells on its grid: a cell
    spanning rows (Avon's category heading beside its criteria) keeps its column in the rows
    below, whose own cells start after it, as a browser lays them out."""
    taken, placed = set(), []
    for index, row in enumerate(rows):
        column = 0
        for cell in row.iterchildren("th", "td"):
            while (index, column) in taken:
                column += 1
            rowspan = min(_span(cell, "rowspan"), len(rows) - index)
            colspan = _span(cell, "colspan")
            taken |= {
                (index + down, column + across)
                for down in range(rowspan)
                for across in range(colspan)
            }
            placed.append((index, column, rowspan, colspan, cell))
            column += colspan
    return placed


def _logo(force):
    """The logo as bytes for python-docx, or None (the PDF's data: URI, decoded)."""
    uri = pdf.logo_data_uri(force)
    if not uri:
        return None
    return base64.b64decode(uri.split(",", 1)[1])


def _header_and_footer(document, tree, force, alt):
    section = document.sections[0]
    running = tree.find_class("running")
    texts = {}
    if running:
        for span in running[0].iter("span"):
            texts[span.get("class", "")] = _text(span)
    paragraph = section.header.paragraphs[0]
    logo = _logo(force)
    if logo is not None:
        run = paragraph.add_run()
        picture = run.add_picture(io.BytesIO(logo), height=Mm(14))
        picture._inline.docPr.set("descr", alt)
        run.add_text("  ")
    paragraph.add_run(
        " · ".join(t for t in (texts.get("running-force"), texts.get("running-header")) if t)
    )
    footer = section.footer.paragraphs[0]
    footer.add_run(texts.get("running-footer", ""))
    footer.add_run("\tPage ")
    _field(footer, "PAGE")
    footer.add_run(" of ")
    _field(footer, "NUMPAGES")


def _field(paragraph, code):
    """A Word field (page number, page count) that Word fills in as it lays the pages out."""
    for kind, text in (("begin", None), ("instr", f" {code} "), ("separate", None), ("end", None)):
        run = paragraph.add_run()
        if kind == "instr":
            instruction = OxmlElement("w:instrText")
            instruction.set(qn("xml:space"), "preserve")
            instruction.text = text
            run._r.append(instruction)
        else:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        if kind == "separate":
            run.add_text("1")


def render(profile):
    """The profile as .docx bytes in its force's house style."""
    source = pdf.render_html(profile)
    tree = lxml_html.document_fromstring(source)
    force = profile.force
    document = docx.Document()
    primary = pdf.safe_colour(force.primary_colour, "#1d3c6e")
    accent = pdf.safe_colour(force.accent_colour, "#e8eef7")
    base = document.styles["Normal"]
    base.font.name = "Arial"
    base.font.size = Pt(10)
    for level in range(1, 5):
        document.styles[f"Heading {level}"].font.color.rgb = _rgb(primary)
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(16)
    _set_language(document, tree.get("lang") or "en-GB")
    title = tree.find(".//title")
    document.core_properties.title = _text(title) if title is not None else profile.title
    document.core_properties.author = force.name
    document.core_properties.subject = profile.title
    _header_and_footer(document, tree, force, force.name)
    _Writer(document, {"primary": primary, "accent": accent}).blocks(document, tree.body)
    # A new document starts with one empty paragraph; the body is filled after it.
    first = document.paragraphs[0]
    if not first.text.strip() and first.style.name == "Normal":
        first._p.getparent().remove(first._p)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
