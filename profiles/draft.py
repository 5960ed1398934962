"""A role profile as one plain value: what the rules check and what a new profile is made from.

`ProfileDraft` holds everything on a profile: its post fields, post details, sections with
their items, criteria, behaviours, skills and NOS units, each a small dataclass, in the order
they are printed (a row's position in its list is its order). It knows nothing of forms or of
the database rows it may have come from, so the same `rules.check_profile(draft)` checks a
profile wherever it comes from, and `services.copying.create_from_draft(force, draft, ...)`
saves one as a new draft profile.

Three ways to build one:

(a) From the database: ``ProfileDraft.from_profile(profile)`` reads the profile's rows through
    its related managers, so rows the caller prefetched are reused: fetch the profile with
    ``fetch_for_draft(pk)`` (PROFILE_PREFETCH) to build it in a fixed number of queries.
    ``ProfileDraft.saved(profile)`` takes the post fields from `profile` (which may carry a
    form's changes) and the children as saved, without touching the instance's caches.

(b) From the editor's or the admin's validated forms: `profiles.editor.formsets` builds the rows of
    the part it edits with ``<Row>.from_data(form.cleaned_data)`` and puts them in a draft with
    ``dataclasses.replace(draft, criteria=[...])``.

(c) From plain Python values, e.g. a parsed Word or PDF document::

        from decimal import Decimal
        from profiles.draft import (
            BehaviourDraft, CriterionDraft, ItemDraft, PostDetailDraft, ProfileDraft, SectionDraft,
        )
        from profiles.models import Requirement, SectionKind

        draft = ProfileDraft(
            fields={
                "title": "Community Support Officer",
                "reference_code": "C3932",
                "purpose": "To provide a visible presence ...",
                "grade": gwent.grades.get(code="Scale 4"),    # model instances for references
                "vetting_level": VettingLevel.objects.get(code="RV"),
                "framework": Framework.objects.get(code="cvf-2016"),
            },
            post_details=[PostDetailDraft(label="Agile working", value="To be confirmed")],
            sections=[
                SectionDraft(
                    kind=SectionKind.RESPONSIBILITIES,
                    heading="Principal responsibilities",
                    weighting=Decimal(80),
                    items=[ItemDraft(text="Patrol the neighbourhood.", weighting=Decimal(30)), ...],
                ),
            ],
            criteria=[
                CriterionDraft(
                    requirement=Requirement.ESSENTIAL, category="experience",
                    text="Experience of working with the public.",
                    methods=[AssessmentMethod.objects.get(name="Interview")],
                    shortlisting_code="EE2",
                ),
            ],
            behaviours=[BehaviourDraft(level=competency_level)],
        )
        errors = rules.check_profile(draft)        # [] when every rule holds
        profile = copying.create_from_draft(force, draft, user=user)

Values are plain: text is `str` (plain text, never HTML; "" when absent), weightings are
`Decimal` or None, dates are `datetime.date` or None. References to reference data are model
instances: ``fields["grade"]``, ``grade_to``, ``vetting_level`` and ``framework``, a
behaviour's CompetencyLevel, a skill's SkillLevel and the AssessmentMethods of a criterion or
behaviour. `fields` takes the names of RoleProfile's content fields (PROFILE_FIELDS); any
other name raises ValueError at once.
It runs past 400 lines because the draft's dataclasses and the ways of building one (from
database rows, from plain values) must change together when a profile gains a part.
"""

from dataclasses import dataclass, field, replace
from dataclasses import fields as dataclass_fields
from decimal import Decimal

from django.db.models import DateField, Prefetch

from profiles import rules
from profiles.models import (
    Behaviour,
    Criterion,
    Item,
    NosUnit,
    PostDetail,
    RoleProfile,
    Section,
    SectionKind,
    SkillRequirement,
    Status,
)

# What is content, of a profile or of a row: not its identity, its place in the workflow or
# bookkeeping (the fields a person edits). profiles.services.copying copies the same fields.
NOT_CONTENT = {"id", "force", "slug", "status", "version", "revision", "draft_of"}


def content_fields(model, skip):
    """The model's editable concrete fields, but those named in `skip`."""
    return [
        field
        for field in model._meta.get_fields()
        if getattr(field, "concrete", False)
        # welsh_sources goes with the Welsh it vouches for (profiles.welsh)
        and (field.editable or field.name == "welsh_sources")
        and not field.auto_created
        and field.name not in skip
    ]


# The profile's content fields (Field objects) and their names.
CONTENT_FIELDS = tuple(content_fields(RoleProfile, NOT_CONTENT))
PROFILE_FIELDS = tuple(field.name for field in CONTENT_FIELDS)
# Its dates; those kept at a day's or a month's precision have a `<name>_precision` beside them.
DATE_FIELDS = tuple(field.name for field in CONTENT_FIELDS if isinstance(field, DateField))
PARTIAL_DATE_FIELDS = tuple(name for name in DATE_FIELDS if f"{name}_precision" in PROFILE_FIELDS)
# A profile's rows, by the name of their relation: what a copy, a version and a snapshot hold.
CHILDREN = {
    "post_details": PostDetail,
    "sections": Section,
    "criteria": Criterion,
    "behaviours": Behaviour,
    "skills": SkillRequirement,
    "nos_units": NosUnit,
}
REFERENCES = ("grade", "grade_to", "vetting_level", "framework", "welsh_level")

# What from_profile reads, for fetch_for_draft and for callers that prefetch themselves.
DRAFT_RELATED = ("force", *REFERENCES)
# A whole profile's rows, in order, with the reference data each row shows: the one prefetch
# list for a draft, a snapshot (services.copying) and the printed document (which adds the
# behaviours' indicators); the editor shows every part but the NOS units.
EDITOR_PREFETCH = (
    Prefetch("post_details", queryset=PostDetail.objects.order_by("order")),
    Prefetch("sections", queryset=Section.objects.order_by("order")),
    Prefetch("sections__items", queryset=Item.objects.order_by("order")),
    Prefetch("criteria", queryset=Criterion.objects.order_by("order")),
    "criteria__methods",
    Prefetch(
        "behaviours",
        queryset=Behaviour.objects.select_related("level__competency__cluster").order_by("order"),
    ),
    "behaviours__methods",
    # The skills' levels come with them: the draft holds each level.
    Prefetch(
        "skills", queryset=SkillRequirement.objects.select_related("level__skill").order_by("order")
    ),
)
PROFILE_PREFETCH = (
    *EDITOR_PREFETCH,
    Prefetch("nos_units", queryset=NosUnit.objects.order_by("order")),
)


def fetch_for_draft(pk):
    """The profile with every row ProfileDraft.from_profile reads (a fixed number of queries)."""
    return (
        RoleProfile.objects.select_related(*DRAFT_RELATED)
        .prefetch_related(*PROFILE_PREFETCH)
        .get(pk=pk)
    )


class Row:
    """A row of a profile part, built from a model row or from a form's cleaned data."""

    @classmethod
    def names(cls):
        return [f.name for f in dataclass_fields(cls) if f.name not in ("items", "pk")]

    @classmethod
    def from_data(cls, data, **extra):
        """From a mapping such as a form's cleaned_data; missing keys keep their defaults."""
        values = {name: data[name] for name in cls.names() if name in data}
        if "methods" in values and values["methods"] is None:
            values["methods"] = []
        return cls(**values, **extra)

    @classmethod
    def from_model(cls, row, **extra):
        values = {}
        for name in cls.names():
            value = getattr(row, name)
            values[name] = list(value.all()) if name == "methods" else value
        return cls(**values, pk=row.pk, **extra)


@dataclass
class PostDetailDraft(Row):
    label: str
    value: str = ""
    label_cy: str = ""
    value_cy: str = ""
    welsh_sources: dict = field(default_factory=dict, compare=False, repr=False)
    pk: int | None = field(default=None, compare=False, repr=False)


@dataclass
class ItemDraft(Row):
    text: str = ""
    subheading: str = ""
    weighting: Decimal | None = None
    text_cy: str = ""
    subheading_cy: str = ""
    welsh_sources: dict = field(default_factory=dict, compare=False, repr=False)
    pk: int | None = field(default=None, compare=False, repr=False)


@dataclass
class SectionDraft(Row):
    kind: str
    heading: str = ""
    intro: str = ""
    weighting: Decimal | None = None
    heading_cy: str = ""
    intro_cy: str = ""
    welsh_sources: dict = field(default_factory=dict, compare=False, repr=False)
    items: list[ItemDraft] = field(default_factory=list)
    pk: int | None = field(default=None, compare=False, repr=False)

    def label(self):
        """How messages name the section: its heading, else its kind."""
        return self.heading or str(dict(SectionKind.choices).get(self.kind, self.kind))


@dataclass
class CriterionDraft(Row):
    requirement: str
    category: str
    text: str
    heading: str = ""
    methods: list = field(default_factory=list)  # AssessmentMethods (a list or a queryset)
    method_note: str = ""
    shortlisting_code: str = ""
    row: int | None = None
    # A Disability Confident minimum criterion: True, False, or None for the default rule
    # (profiles.rules.is_minimum).
    minimum: bool | None = None
    heading_cy: str = ""
    text_cy: str = ""
    method_note_cy: str = ""
    welsh_sources: dict = field(default_factory=dict, compare=False, repr=False)
    pk: int | None = field(default=None, compare=False, repr=False)


@dataclass
class BehaviourDraft(Row):
    level: object  # competencies.models.CompetencyLevel
    methods: list = field(default_factory=list)
    method_note: str = ""
    for_pdr: bool = False
    method_note_cy: str = ""
    welsh_sources: dict = field(default_factory=dict, compare=False, repr=False)
    pk: int | None = field(default=None, compare=False, repr=False)


@dataclass
class SkillDraft(Row):
    level: object  # competencies.models.SkillLevel
    for_pdr: bool = False
    pk: int | None = field(default=None, compare=False, repr=False)


@dataclass
class NosUnitDraft(Row):
    code: str
    name: str = ""
    description: str = ""
    name_cy: str = ""
    description_cy: str = ""
    welsh_sources: dict = field(default_factory=dict, compare=False, repr=False)
    pk: int | None = field(default=None, compare=False, repr=False)


# The parts of a profile: draft attribute → (row class, RoleProfile's related name).
PARTS = {
    "post_details": (PostDetailDraft, "post_details"),
    "sections": (SectionDraft, "sections"),
    "criteria": (CriterionDraft, "criteria"),
    "behaviours": (BehaviourDraft, "behaviours"),
    "skills": (SkillDraft, "skills"),
    "nos_units": (NosUnitDraft, "nos_units"),
}


@dataclass
class ProfileDraft:
    """Everything on a role profile, as plain values (see the module's docstring)."""

    fields: dict = field(default_factory=dict)
    post_details: list[PostDetailDraft] = field(default_factory=list)
    sections: list[SectionDraft] = field(default_factory=list)
    criteria: list[CriterionDraft] = field(default_factory=list)
    behaviours: list[BehaviourDraft] = field(default_factory=list)
    skills: list[SkillDraft] = field(default_factory=list)
    nos_units: list[NosUnitDraft] = field(default_factory=list)
    status: str = Status.DRAFT
    # The force the profile belongs to (its grades must be the force's); None: not known yet.
    force_id: int | None = None
    # The force's defaults (rules.force_defaults) for fields the profile leaves empty.
    defaults: dict = field(default_factory=dict)
    # Whether that force is bound by the Welsh Language Standards (Force.welsh_language).
    welsh: bool = False

    def __post_init__(self):
        unknown = set(self.fields) - set(PROFILE_FIELDS)
        if unknown:
            raise ValueError(f"ProfileDraft fields has no {', '.join(sorted(unknown))}.")

    # The post fields the rules read.
    @property
    def title(self):
        return self.fields.get("title", "")

    @property
    def grade(self):
        return self.fields.get("grade")

    @property
    def grade_to(self):
        return self.fields.get("grade_to")

    @property
    def vetting_level(self):
        return self.fields.get("vetting_level")

    @property
    def framework(self):
        return self.fields.get("framework")

    def responsibility_count(self):
        return sum(
            len(section.items)
            for section in self.sections
            if section.kind == SectionKind.RESPONSIBILITIES
        )

    @classmethod
    def from_profile(cls, profile, children=True, defaults=True):
        """The profile as a draft; rows are read through its related managers (see fetch_for_draft).

        With `children` False (or an unsaved profile) only the post fields are read; with
        `defaults` its force's defaults (a query unless the force and its default vetting
        level were fetched with it).
        """
        draft = cls(
            fields={name: getattr(profile, name) for name in PROFILE_FIELDS},
            status=profile.status,
            force_id=profile.force_id,
            defaults=rules.force_defaults(profile.force) if defaults and profile.force_id else {},
            welsh=bool(profile.force_id) and profile.force.welsh_language,
        )
        if not children or profile.pk is None:
            return draft
        parts = {}
        for name, (row_class, related) in PARTS.items():
            rows = getattr(profile, related).all()
            if row_class is SectionDraft:
                parts[name] = [
                    SectionDraft.from_model(
                        section, items=[ItemDraft.from_model(i) for i in section.items.all()]
                    )
                    for section in rows
                ]
            else:
                parts[name] = [row_class.from_model(row) for row in rows]
        return replace(draft, **parts)

    @classmethod
    def saved(cls, profile):
        """The post fields of `profile` as it stands in memory, its rows as saved."""
        draft = cls.from_profile(profile, children=False)
        if profile.pk is None:
            return draft
        stored = cls.from_profile(fetch_for_draft(profile.pk), defaults=False)
        return replace(
            stored,
            fields=draft.fields,
            status=draft.status,
            force_id=draft.force_id,
            defaults=draft.defaults,
            welsh=draft.welsh,
        )

    def to_snapshot(self):
        """The draft in the plain form profiles.services.copying applies (ids for references)."""
        fields = {}
        for name, value in self.fields.items():
            if name in REFERENCES:
                fields[f"{name}_id"] = value.pk if value is not None else None
            else:
                fields[name] = value
        snapshot = {"fields": fields}
        for name in PARTS:
            snapshot[name] = [
                _row_snapshot(row, order) for order, row in enumerate(getattr(self, name), 1)
            ]
        return snapshot


def _row_snapshot(row, order):
    values = {"order": order}
    for name in row.names():
        value = getattr(row, name)
        if name == "methods":
            values["methods"] = sorted(method.pk for method in value)
        elif name == "level":
            values["level_id"] = value.pk
        else:
            values[name] = value
    if isinstance(row, SectionDraft):
        values["items"] = [_row_snapshot(item, n) for n, item in enumerate(row.items, 1)]
    return values


def draft_of(profile, children=True):
    """The profile as a draft: its fields as in memory, with `children` its rows as saved
    (RoleProfile.clean and responsibility_count use it; see ProfilesConfig.ready)."""
    if children:
        return ProfileDraft.saved(profile)
    return ProfileDraft.from_profile(profile, children=False)
