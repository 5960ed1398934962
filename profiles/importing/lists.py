"""The parser's reader of one part: sections of items: responsibilities, tasks, dimensions and the other lists.

A mixin of profiles.importing.parser.Parser: it reads and writes the cursor's state."""

from profiles.importing.patterns import (
    INTRO_HINT,
    ITEM_TABLE_HEADERS,
    NUMBER_ONLY,
    PERCENT,
    PROGRESSION_STEP,
    SENTENCE_END,
    TOTAL,
    TRAILING_PERCENT,
    title_like,
    words_in,
)
from profiles.importing.result import ParsedItem
from profiles.importing.vocabulary import norm


class ListsReader:
    """Sections of items: responsibilities, tasks, dimensions and the other lists."""

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
