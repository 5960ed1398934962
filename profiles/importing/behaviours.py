"""The parser's reader of one part: behaviours, values, skills and NOS units.

A mixin of profiles.importing.parser.Parser: it reads and writes the cursor's state."""

import re

from profiles.importing.patterns import words_in
from profiles.importing.result import ParsedBehaviour, ParsedSkill
from profiles.importing.vocabulary import METHOD_LABEL, norm


class BehavioursReader:
    """Behaviours, values, skills and NOS units."""

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
