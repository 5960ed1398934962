"""The parser's reader of one part: criteria: essential and desirable, their categories, methods and codes.

A mixin of profiles.importing.parser.Parser: it reads and writes the cursor's state."""

import re

from profiles.importing.patterns import (
    CATEGORY_HEADERS,
    CODE,
    CODE_HEADERS,
    CRITERION_HEADERS,
    METHOD_HEADER,
    NUMBER_ONLY,
    PRINTED_MARK,
    REQUIREMENT_MARK,
    REQUIREMENT_WORDS,
    STAGE_HEADER,
    TICK,
    requirement_of,
    words_in,
)
from profiles.importing.result import ParsedCriterion
from profiles.importing.vocabulary import METHOD_LABEL, category_of, heading_kind, norm


class CriteriaReader:
    """Criteria: essential and desirable, their categories, methods and codes."""

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
