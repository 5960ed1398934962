"""One general parser from a document's blocks to a ParsedProfile.

It walks the blocks in order. Headings it knows switch what the following blocks
are read as (post details, purpose, a section of items, criteria, behaviours, values,
skills, NOS units); label/value pairs (table rows, "Label: value" lines, a label on
one line and its value on the next) fill the post fields, unknown labels become free
post-detail rows. Whatever it cannot place goes, verbatim and in order, to the notes.

One pass over the blocks around one cursor (profiles.importing.cursor: the position, the
notes, the section being filled), with a reader per part, each its own module: post details
(details), lists of items (lists), criteria (criteria), behaviours, values, skills and NOS
units (behaviours). What the parts recognise is in profiles.importing.patterns. This module
holds the walk: which blocks are read the same way everywhere, the headings, and the end.
"""

import re

from profiles.importing.behaviours import BehavioursReader
from profiles.importing.criteria import CriteriaReader
from profiles.importing.cursor import Cursor
from profiles.importing.details import DetailsReader
from profiles.importing.lists import ListsReader
from profiles.importing.patterns import (
    APPENDIX,
    CODE,
    DOCUMENT_TYPE,
    GRADE_TOKEN,
    ITEM_KINDS,
    LETTER_CELL,
    PERCENT,
    REFERENCE,
    TOTAL,
    WEIGHTING_HEADER,
    requirement_of,
    words_in,
)
from profiles.importing.vocabulary import category_of, heading_kind, label_field, norm


class Parser(Cursor, DetailsReader, ListsReader, CriteriaReader, BehavioursReader):
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
