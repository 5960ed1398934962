"""The parser's cursor: where it is in the document's blocks, what it has read so far,
and the helpers every part writes through (profiles.importing.parser)."""

from collections import Counter

from profiles.importing.patterns import ITEM_KINDS
from profiles.importing.result import ParsedProfile, ParsedSection
from profiles.importing.vocabulary import DATE_OF, norm, officer_or_staff_of


class Cursor:
    """The cursor over a document's blocks, and what every part writes through."""

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

    def next_block(self):
        return self.blocks[self.index + 1] if self.index + 1 < len(self.blocks) else None
