"""What the parser makes of one document: plain values, no database.

Every value is kept as the document wrote it (grades, dates, levels, methods as text);
`profiles.importing.save.save_imported` matches them against the force's and the
national vocabulary. `structure` holds the text the parser read as form furniture
(labels of known fields, headings it turned into kinds, running headers, Word
artefacts), so that the words of the source equal the words of the draft plus these.
"""

from dataclasses import dataclass, field


@dataclass
class ParsedItem:
    text: str
    subheading: str = ""
    weighting: str = ""


@dataclass
class ParsedSection:
    kind: str
    heading: str = ""
    intro: list[str] = field(default_factory=list)
    weighting: str = ""
    items: list[ParsedItem] = field(default_factory=list)


@dataclass
class ParsedCriterion:
    text: str
    requirement: str  # "essential" or "desirable"
    heading: str = ""
    methods: str = ""
    shortlisting_code: str = ""
    row: int | None = None


@dataclass
class ParsedBehaviour:
    competency: str
    level: str = ""
    methods: str = ""
    cluster: str = ""
    indicators: list[str] = field(default_factory=list)


@dataclass
class ParsedSkill:
    name: str
    level: str = ""
    category: str = ""
    description: str = ""
    for_pdr: str = ""


@dataclass
class ParsedProfile:
    # field name -> the value as written: title, reference_code, grade, reports_to, purpose …
    fields: dict[str, str] = field(default_factory=dict)
    post_details: list[tuple[str, str]] = field(default_factory=list)
    sections: list[ParsedSection] = field(default_factory=list)
    criteria: list[ParsedCriterion] = field(default_factory=list)
    behaviours: list[ParsedBehaviour] = field(default_factory=list)
    values: list[str] = field(default_factory=list)
    skills: list[ParsedSkill] = field(default_factory=list)
    nos_units: list[tuple[str, str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    structure: list[str] = field(default_factory=list)
    # text read once that applies to several records (a subheading over its items, a
    # category heading or method of assessment over a group of criteria, a cluster)
    shared: list[str] = field(default_factory=list)
    # fields found inside text that is also kept elsewhere (a vetting level named in a
    # statement): their words are counted once, where the text is kept
    derived: set[str] = field(default_factory=set)

    def content_texts(self):
        """Every piece of text the draft carries, in no particular order."""
        for name, value in self.fields.items():
            if name not in self.derived:
                yield value
        for label, value in self.post_details:
            yield label
            yield value
        for section in self.sections:
            yield section.heading
            yield section.weighting
            yield from section.intro
            for item in section.items:
                yield item.text
                yield item.weighting
        for criterion in self.criteria:
            yield criterion.text
            yield criterion.shortlisting_code
        for behaviour in self.behaviours:
            yield behaviour.competency
            yield behaviour.level
            yield from behaviour.indicators
        yield from self.values
        for skill in self.skills:
            yield from (skill.category, skill.name, skill.level, skill.description, skill.for_pdr)
        for unit in self.nos_units:
            yield from unit
        yield from self.shared
        yield from self.notes

    def draft_text(self):
        return "\n".join(text for text in self.content_texts() if text)

    def notes_text(self):
        return "\n".join(self.notes)

    def counts(self):
        return {
            "post details": len(self.post_details),
            "sections": len(self.sections),
            "items": sum(len(section.items) for section in self.sections),
            "criteria": len(self.criteria),
            "behaviours": len(self.behaviours),
        }
