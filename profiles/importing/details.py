"""The parser's reader of one part: post details and purpose: label/value pairs, the vetting statement.

A mixin of profiles.importing.parser.Parser: it reads and writes the cursor's state."""

from profiles.importing.patterns import (
    ITEM_KINDS,
    PERCENT,
    SENTENCE_END,
    TOTAL,
    label_like,
    title_like,
    words_in,
)
from profiles.importing.result import ParsedItem, ParsedSection
from profiles.importing.vocabulary import heading_kind, label_field


class DetailsReader:
    """Post details and purpose: label/value pairs, the vetting statement."""

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
