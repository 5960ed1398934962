"""One general parser from a document's blocks to a ParsedProfile.

It walks the blocks in order. Headings it knows switch what the following blocks
are read as (post details, purpose, a section of items, criteria, behaviours, values,
skills, NOS units); label/value pairs (table rows, "Label: value" lines, a label on
one line and its value on the next) fill the post fields, unknown labels become free
post-detail rows. Whatever it cannot place goes, verbatim and in order, to the notes.

It runs past 400 lines because it is one pass over the blocks: the readers of each kind of
part share the cursor and the notes, and splitting them across modules would scatter that state.
"""

import re
from collections import Counter

from profiles.importing.result import (
    ParsedBehaviour,
    ParsedCriterion,
    ParsedItem,
    ParsedProfile,
    ParsedSection,
    ParsedSkill,
)
from profiles.importing.vocabulary import (
    DATE_OF,
    METHOD_LABEL,
    category_of,
    heading_kind,
    label_field,
    norm,
    officer_or_staff_of,
)

# ("Role Description" alone is a purpose heading: seed 000)
DOCUMENT_TYPE = re.compile(
    r"^(?:(?:national|national policing|police staff|police officer|generic) )?"
    r"(?:(?:role profile|job description|job profile)(?: form| template)?|role description form)$"
)
# Column headers of a criteria table that say what each column holds.
CRITERION_HEADERS = {
    "criteria",
    "criterion",
    "requirement",
    "requirements",
    "attribute",
    "attributes",
    "description",
    "person specification",
    "selection criteria",
    "criteria description",
    "specification",
}
CATEGORY_HEADERS = {
    "area",
    "criteria area",
    "category",
    "criteria category",
    "requirement area",
    "competency area",
    "type",
    "heading",
}
CODE_HEADERS = {
    "code",
    "shortlisting code",
    "short listing code",
    "sl code",
    "criteria code",
    "criterion code",
    "ref",
    "ref no",
    "shortlisting",
    "shortlisting ref",
    "no",
    "number",
}
METHOD_HEADER = re.compile(
    r"^(?:method|assessed|how assessed|how evidenced|means of assessment|to be assessed"
    r"|when assessed|where assessed|assessment method|stage assessed|how measured)"
)
REQUIREMENT_WORDS = {"essential", "desirable", "e", "d", "or", "and", "criteria", "requirement"}
# "(E)", "(Desirable)", "– essential" after a criterion, or "Essential:" before it
REQUIREMENT_MARK = re.compile(
    r"^(?P<text>.*?\S)\s*(?:\((?P<a>e|d|essential|desirable)\)|[–—-]\s*(?P<b>essential|desirable))$"
    r"|^(?P<c>essential|desirable)\s*[:–—-]\s*(?P<rest>\S.*)$",
    re.I,
)
# Columns of a person specification that are ticked for the stage assessing each criterion.
STAGE_HEADER = re.compile(
    r"^(?:application( form)?|interview|(online |written |typing |psychometric )?tests?"
    r"|assessment( centre)?|presentation|exercise|work sample|references?)$"
)
TICK = re.compile(r"^(?:[✓✔☑√xX•]|yes|y)$", re.I)
WEIGHTING_HEADER = re.compile(
    r"^(?:%|time %|% of time|% time|weighting|time weighting|percentage)$"
)
APPENDIX = re.compile(r"^appendix [a-z0-9]{1,3}$")
PERCENT = re.compile(r"^\(?\s*(\d{1,3}(?:\.\d{1,2})?)\s*%\s*\)?$")
TRAILING_PERCENT = re.compile(r"^(.*?\S)\s*[\(\[–-]?\s*(\d{1,3}(?:\.\d{1,2})?)\s*%\s*[\)\]]?$")
# Possessive quantifiers and no optional lead-in of spaces: a long run of spaces costs one
# pass, not one pass per start position (issue 26).
TOTAL = re.compile(r"(?:\(\s*+|\b)total\s*+:?\s*+(\d{1,3}(?:\.\d{1,2})?)\s*+%\s*+\)?", re.I)
NUMBER_ONLY = re.compile(r"^\d{1,2}[.)]?$")
LETTER_CELL = re.compile(r"^[A-Z][.)]$")
CODE = re.compile(r"^[A-Z]{2}\d{1,2}$")
REFERENCE = re.compile(r"^([A-Z]{1,4}\d{3,6})\s+(.+)$")
GRADE_TOKEN = re.compile(r"^([A-Z]{1,3}\s?\d{1,2}[A-Z]?)\s+(.+)$")
PROGRESSION_STEP = re.compile(r"^([A-Z]{1,4}\s?\d{1,2}[a-z]?)\s+(.+)$")
SENTENCE_END = re.compile(r"[.!?;]$")
INTRO_HINT = re.compile(
    r"^note\b|not (intended to be )?(an? )?(exhaustive|comprehensive|complete)|illustrative", re.I
)
# The mark our own documents print after a criterion (templates/pdf/_requirement_mark.html).
PRINTED_MARK = re.compile(r"\s*\((essential|desirable)\)$", re.I)
REQUIREMENT = re.compile(
    r"^(essential|desirable|desired|additional useful|additional|useful)"
    r"( criteria| requirements| skills| qualifications| experience)?$"
)
ITEM_TABLE_HEADERS = set(
    "no number ref duty duties responsibility responsibilities task tasks activity activities "
    "key activities accountability accountabilities time weighting percentage time weighting "
    "of time description".split()
) | {"", "time", "key tasks", "key duties", "main duties", "key responsibilities", "weighting"}
ITEM_KINDS = {
    "responsibilities",
    "general_tasks",
    "specific_tasks",
    "dimensions",
    "decision_making",
    "contacts",
    "requirements",
    "additional_information",
    "progression",
    "notes",
}


def words_in(text):
    return len(text.split())


def title_like(text):
    """A short line written like a heading: no sentence end, long words capitalised."""
    if SENTENCE_END.search(text) or words_in(text) > 7:
        return False
    long_words = [w for w in re.findall(r"[A-Za-z][A-Za-z'’-]*", text) if len(w) > 3]
    return bool(long_words) and all(w[0].isupper() for w in long_words)


def label_like(text):
    """A short phrase that starts with a capital and is no sentence: a form's label."""
    text = text.strip()
    return 0 < words_in(text) <= 5 and text[:1].isupper() and not SENTENCE_END.search(text)


def requirement_of(text):
    key = norm(text)
    match = REQUIREMENT.match(key)
    if not match:
        return None
    return "essential" if match.group(1) == "essential" else "desirable"


class Parser:
    def __init__(self, document, vocabulary):
        self.blocks = document.blocks
        self.vocabulary = vocabulary
        self.result = ParsedProfile()
        self.result.structure.extend(document.artefacts)
        self.notes = []  # (block index, text)
        self.title_candidates = []  # (block index, text)
        self.heading_titles = []  # (block index, text) of Heading 1 / Title paragraphs
        self.context = "details"
        self.section = None
        self.pending_heading = ""
        self.last_label = None
        self.index = 0
        self.repeated = self._running_headers()
        self.seen_headers = set()
        self.reset_criteria()
        self.behaviour = None
        self.cluster = ""
        self.skill_columns = None
        self.stages = {}
        self.item_state()

    # -- set-up ---------------------------------------------------------------------------

    def _running_headers(self):
        """Lines printed at the top of every page (a page header exported with the text)."""
        counts = Counter(norm(b.text) for b in self.blocks if len(b.filled) == 1 and not b.marker)
        early = {norm(b.text) for b in self.blocks[:8]}
        return {
            key
            for key, n in counts.items()
            if n >= 2 and key in early and 0 < len(key.split()) <= 12
        }

    def reset_criteria(self):
        self.requirement = None
        self.category = ("", "")
        self.group_methods = ""
        self.columns = None
        self.row = 0
        self.expect_methods = False
        self.pending_code_text = None
        self.table_done = False
        self.column_categories = {}

    def item_state(self):
        self.subheading = ""
        self.pending_number = False
        self.pending_headers = []
        self.started_items = False

    # -- output helpers -------------------------------------------------------------------

    def structure(self, text):
        if text:
            self.result.structure.append(text)

    def note(self, text):
        if text:
            self.notes.append((self.index, text))

    def shared(self, text):
        if text:
            self.result.shared.append(text)

    def set_field(self, name, value, label):
        fields = self.result.fields
        if name == "officer_or_staff" and officer_or_staff_of(value) is None:
            name = None  # "Status: Permanent" says nothing of officer or staff: a free row
        if name == "date":
            name = DATE_OF.get(self.last_label)
            if name is None:
                self.result.post_details.append((label, value))
                return
        if name is None or (name in fields and fields[name]) or not value:
            self.last_label = name
            # a second value for a field, or a field the document leaves blank: kept as a row
            self.result.post_details.append((label.rstrip().rstrip(":").strip(), value))
            if label.rstrip().endswith(":"):
                self.structure(":")
            return
        fields[name] = value
        self.structure(label)
        self.last_label = name

    def open_section(self, kind, heading="", intro=""):
        self.section = ParsedSection(kind=kind, heading=heading)
        if intro:
            self.section.intro.append(intro)
        self.result.sections.append(self.section)
        self.item_state()
        return self.section

    def ensure_section(self, kind):
        """The section text of the current heading goes to (made on first use)."""
        if self.section is None or self.section.kind != kind:
            self.open_section(kind, self.pending_heading)
            self.pending_heading = ""
        return self.section

    def switch(self, context, heading="", intro=""):
        self.flush_heading()
        self.context = context
        self.section = None
        self.behaviour = None
        self.pending_heading = ""
        if context in ITEM_KINDS:
            self.open_section(context, heading, intro)
        elif context in ("criteria", "shortlisting"):
            if context == "criteria":
                self.reset_criteria()
            self.pending_heading = heading
            if intro:
                self.ensure_section(
                    "requirements" if context == "criteria" else "additional_information"
                ).intro.append(intro)
        elif context in ("behaviours", "values"):
            self.pending_heading = heading
            if intro:
                self.ensure_section(context).intro.append(intro)
        else:
            self.structure(heading)
            self.structure(intro)

    def flush_heading(self):
        self.structure(self.pending_heading)
        self.pending_heading = ""

    # -- the walk -------------------------------------------------------------------------

    def parse(self):
        while self.index < len(self.blocks):
            block = self.blocks[self.index]
            if block.marker not in ("", "bullet", "#"):
                self.structure(block.marker)
            if not self.global_block(block):
                getattr(self, f"read_{self.handler()}")(block)
            self.index += 1
        self.flush_heading()
        self.finish()
        return self.result

    def handler(self):
        if self.context in ITEM_KINDS:
            return "items"
        return self.context

    def next_block(self):
        return self.blocks[self.index + 1] if self.index + 1 < len(self.blocks) else None

    def global_block(self, block):
        """Blocks read the same way whatever the current heading: return True if read."""
        key = norm(block.text)
        if key in self.repeated and len(block.filled) == 1:
            if key in self.seen_headers or DOCUMENT_TYPE.match(key):
                self.seen_headers.add(key)
                self.structure(block.text)
                return True
            self.seen_headers.add(key)
        if block.filled and all(
            DOCUMENT_TYPE.match(norm(c)) or APPENDIX.match(norm(c)) for c in block.filled
        ):
            for cell in block.filled:
                # "Appendix C" says where the form sits in another document: kept as a note
                (self.note if APPENDIX.match(norm(cell)) else self.structure)(cell)
            return True
        if re.fullmatch(r"[-=_\s|]+", block.text.replace("\t", "")):
            self.structure(block.text)
            return True
        if self.criteria_table(block):
            return True
        if self.heading(block):
            return True
        if self.skills_header(block):
            return True
        if self.context not in ("criteria", "shortlisting") and self.category_heading(block):
            return True
        if self.context not in ("behaviours",) and self.competency_row(block, switch=True):
            return True
        if self.context in ("criteria", "shortlisting"):
            if self.columns:
                return False
            if self.criteria_header(block):
                return True  # read before the labels: "Area" is also a label
        if self.label_values(block):
            return True
        if self.vetting_statement(block):
            return True
        return False

    # -- headings -------------------------------------------------------------------------

    def heading(self, block):
        cells = list(block.filled)
        letter = ""
        if len(cells) >= 2 and LETTER_CELL.match(cells[0]):
            letter = cells.pop(0)
        if not cells:
            return False
        if len(cells) >= 3:
            return False  # a table row, never a heading
        first = cells[0]
        rest = cells[1:]
        if len(rest) == 1 and label_field(first.rstrip(":")) and words_in(rest[0]) <= 12:
            if not WEIGHTING_HEADER.match(norm(rest[0]) or rest[0].strip()):
                return False  # "Vetting | Recruitment Vetting (RV)": a label and its value
        if rest and all(WEIGHTING_HEADER.match(c.strip().lower()) for c in rest):
            self.structure(" ".join(rest))
            rest = []
        heading, intro, total = first, "", ""
        found = TOTAL.search(heading)
        if found:
            total, heading = (
                found.group(1),
                (heading[: found.start()] + heading[found.end() :]).strip(),
            )
        kind = heading_kind(heading)
        if block.marker and not block.heading:
            if kind is None or words_in(heading) > 6:
                return False
        elif ":" in heading and not rest:
            head, _, tail = heading.partition(":")
            if label_field(head) and tail.strip() and words_in(tail) <= 12:
                return False  # "Vetting: RV" is a label and its value
            if DOCUMENT_TYPE.match(norm(head)) and tail.strip():
                # "Job Description: Custody Officer": the document type, then the title
                self.structure(head + ":")
                self.title_candidates.append((self.index, tail.strip()))
                return True
        if kind is None and ":" in heading and not (block.marker and not block.heading):
            head, _, tail = heading.partition(":")
            if heading_kind(head):
                heading, intro, kind = head, tail.strip(), heading_kind(head)
        if kind is None:
            caps = re.match(
                r"^((?:[A-Z][A-Z'’/&-]*\s+)*[A-Z][A-Z'’/&-]+)\s+([A-Z][a-z].*)$", heading
            )
            if caps and heading_kind(caps.group(1)):
                heading, intro, kind = caps.group(1), caps.group(2), heading_kind(caps.group(1))
        requirement = requirement_of(heading.rstrip(":"))
        if (
            kind is None
            and requirement
            and not rest
            and self.context not in ("criteria", "shortlisting")
        ):
            # "Essential Criteria" outside any criteria heading starts them
            self.switch("criteria")
            self.requirement = requirement
            self.structure(block.text)
            return True
        if kind is None and not rest and not letter and self.vocabulary.is_force(heading):
            self.structure(block.text)  # a force's name is the document's owner, never a title
            return True
        if (
            kind is None
            and block.heading == 1
            and not rest
            and not letter
            and self.context == "details"
            and not self.result.sections
            and not self.heading_titles
            and not self.result.fields.get("title")
        ):
            # a Heading 1 or Title paragraph over the post details: the job's title
            self.heading_titles.append((self.index, heading))
            return True
        if kind is None and (block.heading or self.unknown_heading(block, heading, rest)):
            if self.context == "details" and not rest and not self.result.sections:
                # a line over the post details ("NORTHSHIRE POLICE"): noted, and the
                # labels below it are still read as post details
                self.note(block.text)
                return True
            kind = "notes"
        if kind is None:
            return False
        if self.context in ("criteria", "shortlisting") and self.criteria_marker(heading):
            return False
        if kind == self.context and kind in ("behaviours", "values", "criteria", "skills"):
            self.structure(letter)
            self.structure(block.text if not letter else " ".join(cells))
            return True
        if kind == "skills" and self.context in ("criteria",):
            return False
        if rest and kind not in ("purpose",) and len(rest) == 1 and PERCENT.match(rest[0]):
            total, rest = PERCENT.match(rest[0]).group(1), []
        if rest and kind != "purpose":
            # a heading cell beside its content: the content is read as a block of its own
            intro = " ".join(filter(None, [intro, *rest]))
        self.structure(letter)
        heading = heading.strip().rstrip(":").strip()
        if total:
            self.structure("total")
        if kind == "purpose":
            self.switch("purpose")
            self.structure(heading)
            # a form's prompt after the heading ("Why the post exists …") has no field
            self.note(intro if not rest else "")
            if rest and intro:
                self.note(intro)
            for cell in rest:
                self.add_purpose(cell)
            return True
        self.switch(kind, heading, intro)
        if total and self.section is not None:
            self.section.weighting = total
        return True

    def category_heading(self, block):
        """A criteria category ("Qualifications", "Knowledge / Experience") outside criteria."""
        text = block.text
        category = category_of(text)
        if block.marker or len(block.filled) != 1 or category in (None, "other"):
            return False
        if words_in(text) > 4 or text.endswith("."):
            return False
        self.switch("criteria")
        self.category = (category, text.strip().rstrip(":").strip())
        self.shared(text)
        return True

    def unknown_heading(self, block, text, rest):
        """An ALL-CAPS short line that no vocabulary knows: a heading all the same."""
        if rest or block.marker or len(text) < 4:
            return False
        letters = re.sub(r"[^A-Za-z]", "", text)
        return (
            letters.isupper()
            and len(letters) >= 4
            and words_in(text) <= 8
            and not CODE.match(text)
            and label_field(text) is None
            and self.vocabulary.competency(text) is None
        )

    def criteria_marker(self, text):
        return requirement_of(text) or category_of(text)

    # -- labels ---------------------------------------------------------------------------

    def label_values(self, block):
        if block.marker and self.context != "details":
            return False
        cells = block.filled
        if len(cells) >= 2:
            return self.label_row(cells)
        text = cells[0]
        name = label_field(text.rstrip(":").strip())
        if name is not None:
            following = self.next_block()
            if following is not None and self.value_block(following):
                self.set_field(name, following.text, text)
                self.index += 1
            else:
                self.set_field(name, "", text)
            return True
        head, colon, tail = text.partition(":")
        if colon and tail.strip() and label_field(head) is not None:
            self.set_field(label_field(head), tail.strip(), head + ":")
            return True
        if self.context == "details" and colon and not tail.strip() and words_in(head) <= 6:
            following = self.next_block()
            if following is not None and self.value_block(following):
                self.result.post_details.append((head.strip(), following.text))
                self.structure(":")
                self.index += 1
                return True
        if (
            self.context == "details"
            and colon
            and tail.strip()
            and words_in(head) <= 5
            and head.strip()[:1].isupper()
            and not SENTENCE_END.search(head.strip())
        ):
            self.result.post_details.append((head.strip(), tail.strip()))
            return True
        return False

    def value_block(self, block):
        text = block.text
        return (
            len(block.filled) == 1
            and not block.marker
            and words_in(text) <= 15
            and label_field(text.rstrip(":")) is None
            and heading_kind(text.rstrip(":")) is None
            and not (text.endswith(":") and words_in(text) <= 6)
        )

    def label_row(self, cells):
        """A table row of label/value cells; True if it was one."""
        is_label = [
            label_field(cell.rstrip(":").strip()) is not None
            or (cell.rstrip().endswith(":") and words_in(cell) <= 6)
            for cell in cells
        ]
        two_cell_fact = (
            len(cells) == 2
            and self.context not in ("criteria", "shortlisting", "behaviours", "skills", "nos")
            and (title_like(cells[0]) or (self.context == "details" and label_like(cells[0])))
            and words_in(cells[0]) <= 5
            and words_in(cells[1]) <= 12
            and not PERCENT.match(cells[1])
            and not TOTAL.search(cells[1])
        )
        if not is_label[0] and not two_cell_fact:
            return False
        pairs, i = [], 0
        while i < len(cells):
            if i + 1 < len(cells) and not is_label[i + 1]:
                pairs.append((cells[i], cells[i + 1]))
                i += 2
            else:
                pairs.append((cells[i], ""))
                i += 1
        for label, value in pairs:
            name = label_field(label.rstrip(":").strip())
            if name is None:
                self.result.post_details.append((label.rstrip().rstrip(":").strip(), value))
                if label.rstrip().endswith(":"):
                    self.structure(":")
            elif name == "purpose":
                self.add_purpose(value)
            else:
                self.set_field(name, value, label)
        return True

    def vetting_statement(self, block):
        text = block.text
        if block.marker or words_in(text) < 8 or "vetting" not in text.lower():
            return False
        code = self.vocabulary.vetting_in(text)
        if code is None:
            return False
        if not self.result.fields.get("vetting_level"):
            self.result.fields["vetting_level"] = code
            self.result.derived.add("vetting_level")
        if self.context in ITEM_KINDS and self.section is not None:
            self.section.items.append(ParsedItem(text))
        else:
            section = ParsedSection("additional_information")
            section.items.append(ParsedItem(text))
            self.result.sections.append(section)
        return True

    # -- contexts -------------------------------------------------------------------------

    def read_details(self, block):
        if len(block.filled) == 1 and self.vocabulary.is_force(block.text):
            self.structure(block.text)
        elif len(block.filled) == 1 and not self.result.fields.get("title"):
            self.title_candidates.append((self.index, block.text))
        else:
            self.note(block.text)

    def add_purpose(self, text):
        if not text:
            return
        current = self.result.fields.get("purpose", "")
        self.result.fields["purpose"] = f"{current}\n\n{text}" if current else text

    def read_purpose(self, block):
        self.add_purpose(block.text)

    def read_items(self, block):
        section = self.section
        text = block.text
        cells = block.filled
        if self.pending_headers and len(cells) == 1:
            section.items.append(ParsedItem(text, subheading=self.pending_headers.pop(0)))
            return
        total = TOTAL.fullmatch(text.strip())
        if total:
            if section.weighting:
                self.structure(text)
            else:
                section.weighting = total.group(1)
                self.structure("total")
            return
        percent = PERCENT.match(text)
        if percent:
            if section.items and not section.items[-1].weighting:
                section.items[-1].weighting = percent.group(1)
            else:
                self.note(text)
            return
        if NUMBER_ONLY.match(text) and not block.marker:
            self.pending_number = True
            self.structure(text)
            return
        if len(cells) >= 2:
            self.item_row(block)
            return
        if self.pending_number:
            self.pending_number = False
            self.add_item(text)
            return
        head, colon, tail = text.partition(":")
        if (
            colon
            and tail.strip()
            and section.kind in ("contacts", "dimensions", "decision_making")
            and words_in(head) <= 4
        ):
            # "Internal: Duty Inspector, response teams"
            self.shared(head + colon)
            section.items.append(ParsedItem(tail.strip(), subheading=head.strip()))
            return
        if not block.marker and not self.started_items and section.kind == "responsibilities":
            if text.endswith(":") or INTRO_HINT.search(text):
                section.intro.append(text)
                return
        following = self.next_block()
        if self.is_subheading(block, following):
            self.subheading = text.rstrip(":;").strip()
            self.shared(text)
            return
        if section.kind == "progression":
            step = PROGRESSION_STEP.match(text)
            if step and not block.marker:
                self.subheading = step.group(1)
                self.shared(step.group(1))
                self.add_item(step.group(2))
                return
            if not self.started_items and not block.marker:
                section.intro.append(text)
                return
        if not block.marker and not self.started_items:
            if text.endswith(":") or INTRO_HINT.search(text):
                section.intro.append(text)
                return
        self.add_item(text)

    def is_subheading(self, block, following):
        text = block.text
        if following is None or len(following.filled) != 1 or words_in(text) > 8:
            return False
        if following.indent > block.indent and following.marker:
            return True
        if text.endswith((":", ";")) and following.marker and not block.marker:
            return True
        if text.endswith((":", ";")) and following.indent > block.indent:
            return True
        if SENTENCE_END.search(text) or PERCENT.match(following.text):
            return False
        if NUMBER_ONLY.match(following.text):
            return title_like(text)
        if self.section.kind in (
            "dimensions",
            "contacts",
            "decision_making",
            "additional_information",
        ):
            return (
                not block.marker
                and words_in(text) <= 6
                and (title_like(text) or words_in(following.text) > words_in(text))
            )
        return title_like(text) and (following.marker == block.marker or not block.marker)

    def add_item(self, text):
        self.started_items = True
        weighting = ""
        match = TRAILING_PERCENT.match(text)
        if match and self.section.kind in ("responsibilities", "general_tasks", "specific_tasks"):
            text, weighting = match.group(1).rstrip(" -–:("), match.group(2)
        self.section.items.append(ParsedItem(text, subheading=self.subheading, weighting=weighting))

    def item_row(self, block):
        cells = block.filled
        section = self.section
        percents = [PERCENT.match(c) for c in cells]
        if any(percents) and len(cells) <= 3:
            texts = [c for c, p in zip(cells, percents, strict=True) if not p]
            weighting = next(p.group(1) for p in percents if p)
            texts = [t for t in texts if not NUMBER_ONLY.match(t) or self.structure(t)]
            if texts:
                self.started_items = True
                section.items.append(
                    ParsedItem(" ".join(texts), subheading=self.subheading, weighting=weighting)
                )
            elif section.items:
                section.items[-1].weighting = weighting
            return
        totals = [TOTAL.fullmatch(c) for c in cells]
        if any(totals):
            for cell, found in zip(cells, totals, strict=True):
                if found and section.weighting:
                    self.structure(cell)
                elif found:
                    section.weighting = found.group(1)
                    self.structure("total")
                else:
                    self.subheading = cell
                    self.shared(cell)
            return
        if all(norm(c) in ITEM_TABLE_HEADERS for c in cells):
            self.structure(block.text)
            return
        if len(cells) >= 2 and NUMBER_ONLY.match(cells[0]):
            self.structure(cells[0])
            self.add_item(" ".join(cells[1:]))
            return
        following = self.next_block()
        if (
            all(words_in(c) <= 8 and not SENTENCE_END.search(c) for c in cells)
            and following is not None
            and not self.pending_headers
        ):
            # a header row over the values below it (Financial | Non-financial)
            if norm(cells[0]).startswith(("financial", "budget")) and section.kind != "dimensions":
                self.switch("dimensions")
            self.pending_headers = list(cells)
            self.shared(block.text)
            return
        if len(cells) == 2 and words_in(cells[0]) <= 8:
            self.shared(cells[0])
            section.items.append(ParsedItem(cells[1], subheading=cells[0]))
            return
        self.add_item(" ".join(cells))

    # -- criteria -------------------------------------------------------------------------

    def criteria_section(self):
        return self.ensure_section("requirements")

    def read_criteria(self, block):
        text = block.text
        cells = block.filled
        if self.criteria_header(block):
            return
        if self.columns and len(cells) >= 1 and len(block.cells) > 1 and len(cells) >= 2:
            self.criteria_row(block)
            return
        if self.columns and len(cells) == 1:
            if self.row_continuation(text):
                return
        if self.expect_methods:
            self.expect_methods = False
            self.group_methods = text
            self.shared(text)
            return
        head, colon, tail = text.partition(":")
        if METHOD_LABEL.match(norm(head)) and not block.marker:
            self.structure(head + colon)
            if tail.strip():
                self.group_methods = tail.strip()
                self.shared(tail.strip())
            else:
                self.expect_methods = True
            return
        requirement = requirement_of(text)
        if requirement and words_in(text) <= 4:
            self.requirement = requirement
            self.structure(text)
            self.group_methods = ""
            return
        category = category_of(text)
        if category and words_in(text) <= 7:
            self.category = (category, text.strip().rstrip(":").strip())
            self.shared(text)
            self.group_methods = ""
            return
        if self.columns and words_in(text) > 12:
            self.table_done = True
            self.columns = None
        if self.table_done or (
            not block.marker
            and (text.endswith(":") or (self.requirement is None and self.category == ("", "")))
        ):
            self.criteria_section().intro.append(text)
            return
        self.add_criterion(text, self.requirement_for(text))

    def requirement_for(self, text):
        if self.requirement:
            return self.requirement
        if re.search(r"\bis desirable\.?$|^desirable\b", text, re.I):
            return "desirable"
        return "essential"

    def add_criterion(self, text, requirement, methods=None, code="", row=None):
        category, heading = self.category
        # The mark our own documents print after a criterion: "… (essential)".
        mark = PRINTED_MARK.search(text)
        if mark:
            text, requirement = text[: mark.start()], mark.group(1).lower()
        self.result.criteria.append(
            ParsedCriterion(
                text=text,
                requirement=requirement,
                heading=heading,
                methods=self.group_methods if methods is None else methods,
                shortlisting_code=code,
                row=row,
            )
        )
        self.result.criteria[-1].category = category or "other"

    def column_role(self, key):
        """What a criteria table's column holds, from its header; None if no criteria column."""
        words = set(key.split())
        if words <= REQUIREMENT_WORDS and (
            {"e", "d"} <= words or {"essential", "desirable"} <= words
        ):
            return "ed"
        if words <= REQUIREMENT_WORDS | {"requirements"} and words & {"essential", "e"}:
            return "essential"
        if words <= REQUIREMENT_WORDS | {"requirements", "desired"} and words & {
            "desirable",
            "desired",
            "d",
        }:
            return "desirable"
        if METHOD_LABEL.match(key) or METHOD_HEADER.match(key):
            return "method"
        if key in CODE_HEADERS:
            return "code"
        if key in CRITERION_HEADERS:
            return "text"
        if key in CATEGORY_HEADERS:
            return "category"
        if category_of(key) not in (None, "other"):
            return "categorised"  # a column per category: its cells are criteria of that kind
        if heading_kind(key) == "criteria":
            return "text"
        if STAGE_HEADER.match(key) or self.vocabulary.is_method(key):
            return "tick"  # a column ticked for each criterion its stage assesses
        return None

    def criteria_columns(self, block):
        """{column: role} of a criteria table's header row, or None if it is not one."""
        roles = {}
        for i, cell in enumerate(block.cells):
            key = norm(cell)
            if not key:
                continue
            role = self.column_role(key)
            if role is None:
                return None
            roles[i] = role
        values = list(roles.values())
        kinds = set(values)
        if (
            {"essential", "desirable"} <= kinds
            or "ed" in kinds
            or (kinds & {"text", "categorised"} and kinds & {"method", "tick", "code", "category"})
            or (values.count("categorised") >= 2 and self.context == "criteria")
        ):
            return roles
        return None

    def criteria_table(self, block):
        """A criteria table's header row wherever it stands: its columns are read from here."""
        if self.columns and self.context in ("criteria", "shortlisting"):
            return False
        roles = self.criteria_columns(block) if len(block.filled) >= 2 else None
        if roles is None:
            return False
        if self.context != "criteria":
            self.switch("criteria")
        return self.criteria_header(block, roles)

    def criteria_header(self, block, roles=None):
        roles = roles or self.criteria_columns(block)
        if roles is None:
            return False
        self.columns = roles
        self.stages = {i: block.cells[i].strip() for i, role in roles.items() if role == "tick"}
        self.column_categories = {
            i: block.cells[i].strip() for i, role in roles.items() if role == "categorised"
        }
        self.table_done = False
        if self.column_categories:
            # each category's name is shared by the criteria of its column
            for i, cell in enumerate(block.cells):
                (self.shared if i in self.column_categories else self.structure)(cell)
        else:
            self.structure(block.text)
        return True

    def criteria_row(self, block):
        row_roles = self.columns
        self.row += 1
        methods = ""
        found = []
        requirement = None
        code = ""
        ticked = []
        for i, cell in enumerate(block.cells):
            role = row_roles.get(i)
            if not cell:
                continue
            if role == "tick" and TICK.match(cell.strip()):
                ticked.append(self.stages[i])  # the header's words are counted once, there
                self.structure(cell)
            elif role == "method":
                methods = cell
            elif role == "ed":
                requirement = "desirable" if cell.strip().upper().startswith("D") else "essential"
                self.structure(cell)
            elif role == "code" and NUMBER_ONLY.match(cell.strip()):
                self.structure(cell)
            elif role == "code":
                code = cell
            elif role == "category":
                self.category = (category_of(cell) or "other", cell)
                self.shared(cell)
            elif role in ("essential", "desirable") and TICK.match(cell.strip()):
                requirement = role  # a tick in the E or D column
                self.structure(cell)
            elif role in ("essential", "desirable"):
                found.append((cell, role, None))
            elif role == "categorised":
                heading = self.column_categories[i]
                found.append((cell, None, (category_of(heading) or "other", heading)))
            else:
                found.append((cell, None, None))
        self.shared(methods)
        if ticked and not methods:
            methods = " / ".join(ticked)
        if requirement is None and re.match(r"^[ED]\d", code.strip()):
            requirement = "essential" if code.strip()[0] == "E" else "desirable"
        for text, role, category in found:
            text, marked = self.requirement_mark(text)
            if category:
                self.category = category
            self.add_criterion(
                text,
                role or marked or requirement or self.requirement_for(text),
                methods,
                code,
                self.row,
            )

    def requirement_mark(self, text):
        """(text, requirement) of a criterion that says its requirement ("… (E)")."""
        match = REQUIREMENT_MARK.match(text.strip()) if len(text) < 2000 else None
        if match is None:
            return text, None
        word = match.group("a") or match.group("b") or match.group("c")
        self.structure(word)
        rest = match.group("text") or match.group("rest")
        return rest, "desirable" if word.lower().startswith("d") else "essential"

    def row_continuation(self, text):
        """A line that finishes the last row's method cell ("Application Form /" + "Interview")."""
        criteria = self.result.criteria
        if not criteria or not criteria[-1].methods:
            return False
        last = criteria[-1].methods
        if last.rstrip().endswith(("/", ",", "&", "and", "or")) and words_in(text) <= 4:
            for criterion in criteria:
                if criterion.row == criteria[-1].row:
                    criterion.methods = f"{last} {text}"
            self.shared(text)
            return True
        return False

    def read_shortlisting(self, block):
        text = block.text
        if CODE.match(text):
            self.assign_code(text)
            return
        following = self.next_block()
        if following is not None and CODE.match(following.text):
            self.pending_code_text = text
            return
        section = self.ensure_section("additional_information")
        section.intro.append(text)

    def assign_code(self, code):
        text = self.pending_code_text
        self.pending_code_text = None
        if text is None:
            self.note(code)
            return
        key = norm(text)
        for criterion in self.result.criteria:
            if norm(criterion.text) == key and not criterion.shortlisting_code:
                criterion.shortlisting_code = code
                self.structure(text)
                return
        requirement = "essential" if code[1] == "E" else "desirable"
        self.add_criterion(text, requirement, code=code)

    # -- behaviours, values, skills, NOS ---------------------------------------------------

    def competency_row(self, block, switch=False):
        cells = block.filled
        name = self.vocabulary.competency(cells[0]) if cells else None
        if name is None or words_in(cells[0]) > 9:
            return False
        if switch:
            if self.section is not None and not self.section.items and not self.section.intro:
                # an empty heading just before the behaviours is their heading
                self.result.sections.remove(self.section)
                self.pending_heading = self.section.heading
                self.context, self.section = "behaviours", None
            else:
                self.switch("behaviours")
        name_text, level = cells[0], ""
        stated = re.search(r"[\s–—:,-]*\blevel\s*\d\b", name_text, re.I)
        if stated:
            name_text, level = name_text[: stated.start()], stated.group(0).strip(" –—:,-")
        self.behaviour = ParsedBehaviour(competency=name_text, level=level, cluster=self.cluster)
        self.result.behaviours.append(self.behaviour)
        self.behaviour_cells(cells[1:])
        return True

    def behaviour_cells(self, cells):
        for cell in cells:
            level = re.fullmatch(r"(?:level\s*)?(\d)", cell.strip(), re.I)
            if level and not self.behaviour.level:
                self.behaviour.level = cell
            elif self.vocabulary.is_method(cell) or not self.behaviour.methods:
                self.behaviour.methods = cell
                self.shared(cell)
            else:
                self.note(cell)

    def read_behaviours(self, block):
        text = block.text
        cells = block.filled
        if self.competency_row(block):
            return
        cluster = self.vocabulary.cluster(text)
        if cluster:
            self.cluster = text
            self.shared(text)
            return
        behaviour = self.behaviour
        head, colon, tail = text.partition(":")
        if METHOD_LABEL.match(norm(head)):
            self.structure(head + colon)
            if behaviour and tail.strip():
                behaviour.methods = tail.strip()
                self.shared(tail.strip())
            elif behaviour:
                self.expect_methods = True
            return
        if behaviour is not None and getattr(self, "expect_methods", False):
            self.expect_methods = False
            behaviour.methods = text
            self.shared(text)
            return
        if behaviour is not None and all(
            re.fullmatch(r"(?:level\s*)?\d", c, re.I) or self.vocabulary.is_method(c) for c in cells
        ):
            self.behaviour_cells(cells)
            return
        if all(
            norm(c) in ("behaviour", "behaviours", "competency", "level")
            or METHOD_LABEL.match(norm(c))
            for c in cells
        ):
            self.structure(text)
            return
        if behaviour is not None and (re.match(r"^I\b", text) or block.marker):
            behaviour.indicators.append(text)
            return
        self.ensure_section("behaviours").intro.append(text)

    def read_values(self, block):
        rest = []
        for cell in block.filled:
            if self.vocabulary.value(cell):
                self.result.values.append(cell)
            else:
                rest.append(cell)
        if rest:
            self.ensure_section("values").intro.append(" ".join(rest))

    def skills_header(self, block):
        keys = [norm(c) for c in block.cells]
        if sum(1 for k in keys if k.startswith("skill")) < 2:
            return False
        self.switch("skills")
        columns = {}
        for i, key in enumerate(keys):
            if "category" in key:
                columns[i] = "category"
            elif "name" in key or key == "skill":
                columns[i] = "name"
            elif "level" in key:
                columns[i] = "level"
            elif "description" in key:
                columns[i] = "description"
            elif "pdr" in key:
                columns[i] = "for_pdr"
        self.skill_columns = columns
        self.structure(block.text)
        return True

    def read_skills(self, block):
        if not self.skill_columns or len(block.filled) < 2:
            self.note(block.text)
            return
        skill = ParsedSkill(name="")
        for i, cell in enumerate(block.cells):
            role = self.skill_columns.get(i)
            if role and cell:
                setattr(skill, role, cell)
            elif cell:
                skill.description = f"{skill.description} {cell}".strip()
        self.result.skills.append(skill)

    def read_nos(self, block):
        keys = [norm(c) for c in block.filled]
        if keys and all(k.startswith(("nos", "unit")) for k in keys):
            self.structure(block.text)
            return
        cells = block.filled + ["", ""]
        if len(block.filled) >= 2:
            self.result.nos_units.append((cells[0], cells[1], " ".join(cells[2:]).strip()))
        else:
            self.note(block.text)

    # -- the end --------------------------------------------------------------------------

    def finish(self):
        fields = self.result.fields
        candidates = self.heading_titles + self.title_candidates
        if not fields.get("title") and candidates:
            index, line = candidates.pop(0)
            reference = REFERENCE.match(line)
            if reference and not fields.get("reference_code"):
                fields["reference_code"], line = reference.group(1), reference.group(2)
            grade = GRADE_TOKEN.match(line)
            if grade and self.grade_known(grade.group(1)):
                if fields.get("grade"):
                    self.structure(grade.group(1))
                else:
                    fields["grade"] = grade.group(1)
                line = grade.group(2)
            fields["title"] = line
        self.notes.extend(candidates)
        self.notes.sort(key=lambda pair: pair[0])
        self.result.notes = [text for _, text in self.notes]

    def grade_known(self, token):
        key = norm(token).replace(" ", "")
        return any(
            key in (norm(code).replace(" ", ""), norm(name).replace(" ", ""))
            for code, name in self.vocabulary.grades
        ) or bool(re.fullmatch(r"[a-z]{1,3}\d{1,2}", key))


def parse(document, vocabulary):
    """The ParsedProfile of a readers.Document."""
    return Parser(document, vocabulary).parse()
