"""Forces, grades and role profiles with everything on them.

A role profile is stored as structured data: fields for the post details every
force prints, free label/value rows for force-specific key facts, ordered
sections of ordered items (responsibilities, tasks, contacts …), criteria,
behaviours and skills. Text is plain text; lists are items, never HTML.

Longer than 400 lines on purpose: the whole schema in one module reads top to bottom, and
it holds no behaviour beyond field declarations, query filters and natural keys (the rules
are profiles.rules, the actions profiles.services).
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import (
    MaxLengthValidator,
    MaxValueValidator,
    MinValueValidator,
    RegexValidator,
)
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from competencies.models import CompetencyLevel, Framework, SkillLevel
from profiles import rules
from profiles.dates import DatePrecision, format_partial_date, partial_date
from profiles.limits import (
    GRADE_CODE_LENGTH,
    LONG_TEXT,
    MAX_ORDER,
    MAX_ROWS,
    SHORT_TEXT,
    order_field,
    text_field,
)
from profiles.printing import styles
from vetting.models import VettingLevel

colour_validator = RegexValidator(
    r"^#[0-9a-fA-F]{6}$", "Enter a colour as # followed by six hexadecimal digits, e.g. #1d3c6e."
)
REVIEW_WARNING_DAYS = 90
weighting_validators = [MinValueValidator(0), MaxValueValidator(100)]


def welsh(field):
    """The Welsh twin of a printed text field (`title` → `title_cy`, as fixtures name it):
    the same type and limits, and it may be blank (profiles.welsh says what is missing)."""
    _, _, args, kwargs = field.deconstruct()
    for name in ("verbose_name", "help_text", "default", "blank", "null", "unique"):
        kwargs.pop(name, None)
    return type(field)(*args, blank=True, **kwargs)


def welsh_sources_field():
    # profiles.welsh: per field, the digests of the English and the Welsh when the Welsh
    # was written, so an English edit since marks the Welsh "needs translation".
    return models.JSONField(default=dict, blank=True, editable=False)


class Language(models.TextChoices):
    ENGLISH = "en", "English"
    WELSH = "cy", "Cymraeg (Welsh)"
    BILINGUAL = "bilingual", "Bilingual (Welsh first)"


class WelshCategory(models.TextChoices):
    """The four categories of the Welsh Language Standards; there is no other."""

    ESSENTIAL = "essential", _("Welsh essential")
    TO_BE_LEARNT = "to_be_learnt", _("Welsh to be learnt after appointment")
    DESIRABLE = "desirable", _("Welsh desirable")
    NOT_NECESSARY = "not_necessary", _("Welsh not necessary")


def weighting_field(help_text):
    return models.DecimalField(
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=weighting_validators,
        help_text=help_text,
    )


class Layout(models.TextChoices):
    """Named layouts: each a set of house-style options (profiles.printing.styles) a force starts from."""

    DEFAULT = "default", _("Standard: headed parts, post details table")
    SHORTLISTING_FORM = "shortlisting_form", _("Numbered profile with a shortlisting table")
    KEY_FACTS_FORM = "key_facts_form", _("Form with key facts and requirement lists")
    WEIGHTED_TABLE = "weighted_table", _("Job description with weighted responsibilities")
    CRITERIA_TABLES = "criteria_tables", _("Profile with behaviour and criteria tables")
    LETTERED_FORM = "lettered_form", _("Lettered form (A, B, C …)")


class OfficerOrStaff(models.TextChoices):
    OFFICER = "officer", _("Police officer")
    STAFF = "staff", _("Police staff")
    EITHER = "either", _("Police officer or police staff")
    VOLUNTEER = "volunteer", _("Volunteer")


class ForceManager(models.Manager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Force(models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=80, blank=True, help_text="For example BTP.")
    document_title = models.CharField(
        max_length=120, default="Role Profile", help_text="What the force calls the document."
    )
    document_title_cy = models.CharField(max_length=120, blank=True)
    layout = models.CharField(
        max_length=20,
        choices=Layout.choices,
        default=Layout.DEFAULT,
        help_text="The named layout PDFs start from; the force's house style adjusts it.",
    )
    logo = models.ImageField(upload_to="logos/", blank=True)
    primary_colour = models.CharField(
        max_length=7, default="#1d3c6e", validators=[colour_validator]
    )
    accent_colour = models.CharField(max_length=7, default="#e8eef7", validators=[colour_validator])
    welsh_language = models.BooleanField(
        default=False, help_text="Profiles of this force state a Welsh language requirement."
    )
    default_language = models.CharField(
        max_length=10,
        choices=Language.choices,
        default=Language.ENGLISH,
        help_text="The language of a profile's PDF when none is asked for.",
    )
    review_period_months = models.PositiveSmallIntegerField(
        default=24, validators=[MinValueValidator(1)], help_text="How often profiles are reviewed."
    )
    label_overrides = models.JSONField(
        default=dict,
        blank=True,
        help_text=(
            "The force's own printed labels, by field name, e.g. "
            '{"home_office_function": "HO function code", "section_name": "Unit"}.'
        ),
    )
    label_overrides_cy = models.JSONField(
        default=dict, blank=True, help_text="The same labels in Welsh, by field name."
    )
    national = models.BooleanField(
        default=False,
        help_text=(
            "A national publisher (e.g. the College of Policing), not a force: every signed-in "
            "user reads its published profiles, and forces derive their own from them."
        ),
    )
    # The force's defaults: what a profile that states none is taken to say, shown as
    # "force default" and written into the profile when it is published (rules.with_defaults).
    default_vetting_level = models.ForeignKey(
        VettingLevel,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The vetting level of a profile that names none.",
    )
    default_officer_or_staff = models.CharField(
        "default officer or staff",
        max_length=20,
        choices=OfficerOrStaff.choices,
        blank=True,
        help_text="Officer or staff, for a profile that says neither.",
    )
    default_working_arrangement = models.CharField(
        max_length=120, blank=True, help_text="The working arrangement of a profile that has none."
    )
    single_approver_reason = models.CharField(
        "reason for single-person approval",
        max_length=300,
        blank=True,
        help_text=(
            "Blank: a second HR editor approves what one writes. Filled in: the force has chosen "
            "that one HR editor may approve their own profiles, for this reason."
        ),
    )
    flagged_words = models.TextField(
        blank=True,
        max_length=20000,
        validators=[MaxLengthValidator(20000)],
        help_text=(
            "Words the force asks its writers to avoid, one a line, with why after a colon, "
            'e.g. "workforce planning: say staffing". Added to the published lists that '
            "profiles.wording checks."
        ),
    )

    objects = ForceManager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def summary(self):
        """[(what, how many)]: templates cannot call .items on a dict with an "items" key."""
        return list(self.counts.items())

    def natural_key(self):
        return (self.slug,)

    def clean(self):
        errors = {}
        for name in ("label_overrides", "label_overrides_cy"):
            try:
                rules.check_label_overrides(getattr(self, name), styles.DEFAULT_LABELS)
            except ValidationError as error:
                errors[name] = error.messages
        if errors:
            raise ValidationError(errors)


def style_option(name, verbose_name):
    return models.CharField(
        verbose_name,
        max_length=30,
        blank=True,
        choices=styles.OPTIONS[name],
        help_text=_("Blank: as the named layout."),
    )


def style_flag(name):
    return models.BooleanField(
        styles.FLAGS[name], null=True, blank=True, help_text=_("Unknown: as the named layout.")
    )


class HouseStyleManager(models.Manager):
    def get_by_natural_key(self, force_slug):
        return self.get(force__slug=force_slug)


class HouseStyle(models.Model):
    """How a force's PDFs look, as data: each option overrides the force's named layout."""

    force = models.OneToOneField(Force, on_delete=models.CASCADE, related_name="house_style")
    blocks = models.CharField(
        "parts in order",
        max_length=400,
        blank=True,
        help_text="Part names separated by commas, e.g. masthead, post_details, purpose, "
        "sections, criteria. Blank: as the named layout.",
    )
    masthead = style_option("masthead", "title block")
    headings = style_option("headings", "heading numbers")
    heading_look = style_option("heading_look", "heading look")
    colons = style_option("colons", "colons")
    post_details = style_option("post_details", "post details")
    key_facts = style_option("key_facts", "key facts")
    purpose = style_option("purpose", "purpose")
    sections = style_option("sections", "sections")
    items = style_option("items", "section items")
    responsibilities = style_option("responsibilities", "responsibilities")
    criteria = style_option("criteria", "criteria")
    behaviours = style_option("behaviours", "behaviours")
    values = style_option("values", "values")
    skills = style_option("skills", "skills")
    vetting = style_option("vetting", "vetting")
    uppercase_title = style_flag("uppercase_title")
    title_in_header = style_flag("title_in_header")
    show_empty = style_flag("show_empty")
    labels = models.JSONField(
        default=dict,
        blank=True,
        help_text="The force's words for headings and field labels; a blank label leaves "
        "that heading out.",
    )
    labels_cy = models.JSONField(
        default=dict, blank=True, help_text="The same words in Welsh, by the same names."
    )

    objects = HouseStyleManager()

    def __str__(self):
        return f"House style of {self.force}"

    def natural_key(self):
        return (self.force.slug,)

    natural_key.dependencies = ["profiles.force"]

    def clean(self):
        errors = {}
        try:
            styles.parse_blocks(self.blocks)
        except ValidationError as error:
            errors["blocks"] = error
        for name in ("labels", "labels_cy"):
            try:
                styles.check_labels(getattr(self, name))
            except ValidationError as error:
                errors[name] = error
        if errors:
            raise ValidationError(errors)


class GradeManager(models.Manager):
    def get_by_natural_key(self, force_slug, code):
        return self.get(force__slug=force_slug, code=code)


class Grade(models.Model):
    force = models.ForeignKey(Force, on_delete=models.CASCADE, related_name="grades")
    code = models.CharField(
        max_length=GRADE_CODE_LENGTH, help_text="As the force writes it: Scale 3, A3, LC4, A004."
    )
    name = models.CharField(max_length=120, blank=True)
    name_cy = welsh(name)
    order = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(MAX_ORDER)])

    objects = GradeManager()

    class Meta:
        ordering = ["force", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["force", "code"], name="unique_grade_code")]

    def __str__(self):
        return self.code

    def natural_key(self):
        return (self.force.slug, self.code)

    natural_key.dependencies = ["profiles.force"]


class StandardSectionManager(models.Manager):
    def get_by_natural_key(self, force_slug, key):
        return self.get(force__slug=force_slug, key=key)


class StandardSection(models.Model):
    """Text a force prints on every profile: equal opportunities, vetting policy …"""

    force = models.ForeignKey(Force, on_delete=models.CASCADE, related_name="standard_sections")
    key = models.SlugField(max_length=80)
    heading = models.CharField(max_length=200, blank=True)
    heading_cy = welsh(heading)
    body = text_field(LONG_TEXT, help_text="Plain text; a blank line starts a new paragraph.")
    body_cy = welsh(body)
    welsh_sources = welsh_sources_field()
    placement = models.SlugField(
        max_length=40, default="end", help_text="Where the force's layout prints it."
    )
    order = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(MAX_ORDER)])

    objects = StandardSectionManager()

    class Meta:
        ordering = ["force", "order", "key"]
        constraints = [
            models.UniqueConstraint(fields=["force", "key"], name="unique_standard_section_key")
        ]

    def __str__(self):
        return self.heading or self.key

    def natural_key(self):
        return (self.force.slug, self.key)

    natural_key.dependencies = ["profiles.force"]


class AssessmentMethodManager(models.Manager):
    def get_by_natural_key(self, name):
        return self.get(name=name)


class AssessmentMethod(models.Model):
    """How a criterion or behaviour is assessed: Application Form, Interview …"""

    name = models.CharField(max_length=120, unique=True)
    name_cy = welsh(name)
    order = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(MAX_ORDER)])

    objects = AssessmentMethodManager()

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    @property
    def summary(self):
        """[(what, how many)]: templates cannot call .items on a dict with an "items" key."""
        return list(self.counts.items())

    def natural_key(self):
        return (self.name,)


class WelshLevelManager(models.Manager):
    def get_by_natural_key(self, force_slug, level):
        return self.get(force__slug=force_slug, level=level)


class WelshLevel(models.Model):
    """A level of Welsh in the force's own definitions (e.g. 1 to 5, each described)."""

    force = models.ForeignKey(Force, on_delete=models.CASCADE, related_name="welsh_levels")
    level = models.PositiveSmallIntegerField(validators=[MaxValueValidator(MAX_ORDER)])
    description = text_field(SHORT_TEXT, help_text="What a person at this level can do.")
    description_cy = welsh(description)

    objects = WelshLevelManager()

    class Meta:
        ordering = ["force", "level"]
        constraints = [
            models.UniqueConstraint(fields=["force", "level"], name="unique_welsh_level")
        ]

    def __str__(self):
        return f"Level {self.level}"

    def natural_key(self):
        return (self.force.slug, self.level)

    natural_key.dependencies = ["profiles.force"]


class Role(models.TextChoices):
    HR_EDITOR = "hr_editor", _("HR editor")
    HIRING_MANAGER = "hiring_manager", _("Hiring manager")
    # Reads published profiles, as a hiring manager does, and the force's vetting register.
    VETTING_UNIT = "vetting_unit", _("Vetting unit")
    # Given by identity-provider groups (accounts). Reads like a hiring manager, and reads,
    # approves and returns the force's profiles in review (profiles.access); changes nothing.
    APPROVER = "approver", _("Approver")


class Membership(models.Model):
    """The force a user works for and what they may do there."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership"
    )
    force = models.ForeignKey(Force, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)

    def __str__(self):
        return f"{self.user} – {self.get_role_display()}, {self.force}"


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


def _review_due_passed(today):
    """A review due on a day is overdue the day after; one due in a month, after that month."""
    return models.Q(review_due_precision=DatePrecision.DAY, review_due__lt=today) | models.Q(
        review_due_precision=DatePrecision.MONTH,
        review_due__lt=partial_date(today.year, today.month)[0],
    )


class RoleProfileQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Status.PUBLISHED)

    def originals(self):
        """Profiles without their working drafts (see profiles.services.lifecycle)."""
        return self.filter(draft_of__isnull=True)

    def overdue(self, today=None):
        """Published profiles whose review date has passed."""
        today = today or timezone.localdate()
        return self.published().filter(_review_due_passed(today))

    def due_within(self, days, today=None):
        """Published profiles due for review from today up to `days` days ahead."""
        today = today or timezone.localdate()
        return (
            self.published()
            .filter(review_due__lte=today + timedelta(days=days))
            .exclude(_review_due_passed(today))
        )

    def review_state(self, state, today=None):
        """Filter by ?review=overdue|due (due within 90 days); anything else: unfiltered."""
        if state == "overdue":
            return self.overdue(today)
        if state == "due":
            return self.due_within(REVIEW_WARNING_DAYS, today)
        return self


class RoleProfileManager(models.Manager.from_queryset(RoleProfileQuerySet)):
    def get_by_natural_key(self, force_slug, slug):
        return self.get(force__slug=force_slug, slug=slug)


class RoleProfile(models.Model):
    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="profiles")
    slug = models.SlugField(max_length=120)
    title = models.CharField(max_length=200)
    reference_code = models.CharField(max_length=40, blank=True, help_text="For example C3932.")
    job_evaluation_ref = models.CharField(
        "job evaluation reference", max_length=40, blank=True, help_text="For example JE 1537."
    )
    post_number = models.CharField(max_length=40, blank=True)
    grade = models.ForeignKey(
        Grade, on_delete=models.PROTECT, null=True, blank=True, related_name="profiles"
    )
    grade_to = models.ForeignKey(
        Grade,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="profiles_topping_out",
        help_text="Top of the grade range when the post progresses, e.g. LC5.",
    )
    grade_note = models.CharField(
        max_length=120, blank=True, help_text="Printed after the grade, e.g. (non supervisory)."
    )
    job_family = models.CharField(max_length=120, blank=True)
    service_area = models.CharField(max_length=120, blank=True)
    business_area = models.CharField(max_length=120, blank=True)
    department = models.CharField(max_length=120, blank=True)
    location = models.CharField(max_length=200, blank=True)
    reports_to = models.CharField(max_length=200, blank=True)
    people_responsibility = models.CharField(
        max_length=200, blank=True, help_text="Supervisory or staff responsibility, e.g. None."
    )
    number_of_posts = models.PositiveIntegerField(null=True, blank=True)
    working_arrangement = models.CharField(
        max_length=120, blank=True, help_text="Fixed, flexible or field."
    )
    officer_or_staff = models.CharField(
        "officer or staff",
        max_length=20,
        choices=OfficerOrStaff.choices,
        blank=True,
        help_text="Whether the post is for a police officer, police staff or either.",
    )
    home_office_function = models.CharField(
        "Home Office function code", max_length=80, blank=True, help_text="For example 43."
    )
    limited_duties_category = models.CharField(
        max_length=120, blank=True, help_text="For example Category B, or To be confirmed."
    )
    section_name = models.CharField(
        "section", max_length=120, blank=True, help_text="The unit or section the post sits in."
    )
    internal_contacts = text_field(
        LONG_TEXT, blank=True, help_text="Who the post holder deals with inside the force."
    )
    external_contacts = text_field(
        LONG_TEXT, blank=True, help_text="Who the post holder deals with outside the force."
    )
    purpose = text_field(LONG_TEXT, blank=True, help_text="Why the post exists.")
    # The Welsh of the printed texts above, as fixtures name it (profiles.welsh).
    title_cy = welsh(title)
    grade_note_cy = welsh(grade_note)
    job_family_cy = welsh(job_family)
    service_area_cy = welsh(service_area)
    business_area_cy = welsh(business_area)
    department_cy = welsh(department)
    location_cy = welsh(location)
    reports_to_cy = welsh(reports_to)
    people_responsibility_cy = welsh(people_responsibility)
    working_arrangement_cy = welsh(working_arrangement)
    limited_duties_category_cy = welsh(limited_duties_category)
    section_name_cy = welsh(section_name)
    internal_contacts_cy = welsh(internal_contacts)
    external_contacts_cy = welsh(external_contacts)
    purpose_cy = welsh(purpose)
    welsh_sources = welsh_sources_field()
    # The Welsh Language Standards: each post's need for Welsh, assessed and recorded.
    welsh_category = models.CharField(
        "Welsh language category",
        max_length=20,
        choices=WelshCategory.choices,
        blank=True,
        help_text="Required to publish a profile of a Welsh force.",
    )
    welsh_level = models.ForeignKey(
        WelshLevel,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="profiles",
        verbose_name="Welsh language level",
        help_text="In the force's own level definitions.",
    )
    vetting_level = models.ForeignKey(
        VettingLevel, on_delete=models.PROTECT, null=True, blank=True, related_name="profiles"
    )
    framework = models.ForeignKey(
        Framework,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="profiles",
        help_text="The competency framework the behaviours come from.",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField(default=1)
    # The working copy of a published profile, edited while the published row stays what
    # hiring managers read; profiles.services.lifecycle explains the design.
    draft_of = models.OneToOneField(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        editable=False,
        related_name="working_draft",
        help_text="The published profile this is the working draft of.",
    )
    # A review date is kept at the precision it was given (profiles.dates): a month is
    # stored as its first day.
    date_reviewed = models.DateField(null=True, blank=True)
    date_reviewed_precision = models.CharField(
        max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    review_due = models.DateField(null=True, blank=True)
    review_due_precision = models.CharField(
        max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    # A profile derived from a national one remembers it and the version it last took in,
    # so that a newer national version can be shown as differences to review.
    derived_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="derived_profiles",
        help_text="The national profile this one was derived from.",
    )
    derived_from_version = models.PositiveIntegerField(null=True, blank=True, editable=False)
    prepared_by = models.CharField(max_length=200, blank=True)
    prepared_on = models.DateField(null=True, blank=True)
    approved_by = models.CharField(max_length=200, blank=True)
    approved_on = models.DateField(null=True, blank=True)
    evaluation_panel = models.CharField(max_length=200, blank=True)
    evaluation_panel_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    revision = models.PositiveIntegerField(
        default=0, editable=False, help_text="Raised on every save; a stale save is refused."
    )
    # The words a search looks in (title, reference, purpose, items, criteria), kept by
    # profiles.search after every save; on PostgreSQL also as a weighted tsvector with a
    # GIN index, so a search at 50,000 profiles reads neither the children nor the text.
    search_text = models.TextField(blank=True, editable=False)
    search_vector = SearchVectorField(null=True, editable=False)

    objects = RoleProfileManager()

    class Meta:
        ordering = ["force__name", "title"]
        constraints = [
            models.UniqueConstraint(fields=["force", "slug"], name="unique_profile_slug")
        ]
        # The list's orders (by title; by force, or within one force, then title): its
        # pages are found by index-only scans.
        # Lists show originals only (draft_of IS NULL): partial indexes keep a deep page
        # an index-only scan.
        indexes = [
            models.Index(
                fields=["title", "id"],
                name="profile_title_idx",
                condition=models.Q(draft_of__isnull=True),
            ),
            models.Index(
                fields=["force", "title", "id"],
                name="profile_force_title_idx",
                condition=models.Q(draft_of__isnull=True),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("profiles:detail", args=[self.force.slug, self.slug])

    def natural_key(self):
        return (self.force.slug, self.slug)

    natural_key.dependencies = ["profiles.force", "profiles.grade", "profiles.welshlevel"]

    def date_reviewed_text(self):
        return format_partial_date(self.date_reviewed, self.date_reviewed_precision)

    def review_due_text(self):
        return format_partial_date(self.review_due, self.review_due_precision)

    def responsibility_count(self):
        return self._draft().responsibility_count()

    # profiles.draft is built from these models, so they do not import it: ProfilesConfig.ready
    # hands in the function that makes a profile's draft (profiles.draft.draft_of).
    make_draft = None

    def _draft(self, children=True):
        """This profile as a ProfileDraft: its fields as in memory, its rows as saved."""
        return RoleProfile.make_draft(self, children=children)

    def clean(self):
        # The rules on the profile's own fields. Its rows are checked where they are edited
        # (profiles.editor.formsets) and as a whole by the services and load_force; only the rules
        # of a published profile need them here.
        draft = self._draft(children=self.status == Status.PUBLISHED)
        errors = {}
        for error in rules.check_profile(draft):
            if len(error.location) == 1:
                errors.setdefault(error.location[0], []).append(
                    ValidationError(error.message, code=error.code)
                )
        if errors:
            raise ValidationError(errors)


class ProfileChildManager(models.Manager):
    def get_by_natural_key(self, force_slug, profile_slug, order):
        return self.get(profile__force__slug=force_slug, profile__slug=profile_slug, order=order)


class ProfileChild(models.Model):
    """Something listed on a profile in a fixed order."""

    profile = models.ForeignKey(RoleProfile, on_delete=models.CASCADE, related_name="+")
    order = order_field()

    objects = ProfileChildManager()

    class Meta:
        abstract = True
        ordering = ["profile", "order"]

    def natural_key(self):
        return (*self.profile.natural_key(), self.order)

    natural_key.dependencies = ["profiles.roleprofile"]


class PostDetail(ProfileChild):
    """A force-specific key fact, such as Agile working: To be confirmed."""

    profile = models.ForeignKey(RoleProfile, on_delete=models.CASCADE, related_name="post_details")
    label = models.CharField(max_length=200)
    value = text_field(SHORT_TEXT, blank=True)
    label_cy = welsh(label)
    value_cy = welsh(value)
    welsh_sources = welsh_sources_field()

    class Meta:
        ordering = ["profile", "order"]
        constraints = [
            models.UniqueConstraint(fields=["profile", "order"], name="unique_post_detail_order")
        ]

    def __str__(self):
        return f"{self.label}: {self.value}"


class SectionKind(models.TextChoices):
    RESPONSIBILITIES = "responsibilities", _("Responsibilities")
    GENERAL_TASKS = "general_tasks", _("General tasks")
    SPECIFIC_TASKS = "specific_tasks", _("Other specific tasks")
    DIMENSIONS = "dimensions", _("Dimensions")
    DECISION_MAKING = "decision_making", _("Decision making")
    CONTACTS = "contacts", _("Contacts")
    REQUIREMENTS = "requirements", _("Requirements")
    ADDITIONAL_INFORMATION = "additional_information", _("Additional information")
    BEHAVIOURS = "behaviours", _("Behaviours notes")
    VALUES = "values", _("Values notes")
    PROGRESSION = "progression", _("Progression arrangements")
    NOTES = "notes", _("Notes")


class Section(ProfileChild):
    """An ordered block of a profile: a heading, an introduction and its items."""

    profile = models.ForeignKey(RoleProfile, on_delete=models.CASCADE, related_name="sections")
    kind = models.CharField(max_length=30, choices=SectionKind.choices)
    heading = models.CharField(max_length=200, blank=True)
    intro = text_field(LONG_TEXT, blank=True, help_text="Plain text printed before the items.")
    weighting = weighting_field("Share of the post holder's time, in per cent.")
    heading_cy = welsh(heading)
    intro_cy = welsh(intro)
    welsh_sources = welsh_sources_field()

    class Meta:
        ordering = ["profile", "order"]
        constraints = [
            models.UniqueConstraint(fields=["profile", "order"], name="unique_section_order")
        ]

    def __str__(self):
        return self.heading or self.get_kind_display()


class ItemManager(models.Manager):
    def get_by_natural_key(self, force_slug, profile_slug, section_order, order):
        return self.get(
            section__profile__force__slug=force_slug,
            section__profile__slug=profile_slug,
            section__order=section_order,
            order=order,
        )


class Item(models.Model):
    """One entry of a section: a responsibility, a task, a contact, a requirement."""

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="items")
    subheading = models.CharField(
        max_length=200, blank=True, help_text="Groups consecutive items, e.g. Finance."
    )
    text = text_field(SHORT_TEXT, blank=True)
    weighting = weighting_field("Share of the post holder's time, in per cent.")
    order = order_field()
    subheading_cy = welsh(subheading)
    text_cy = welsh(text)
    welsh_sources = welsh_sources_field()

    objects = ItemManager()

    class Meta:
        ordering = ["section", "order"]
        constraints = [
            models.UniqueConstraint(fields=["section", "order"], name="unique_item_order")
        ]

    def __str__(self):
        return self.text[:80] or self.subheading

    def natural_key(self):
        return (*self.section.natural_key(), self.order)

    natural_key.dependencies = ["profiles.section"]


class Requirement(models.TextChoices):
    ESSENTIAL = "essential", _("Essential")
    DESIRABLE = "desirable", _("Desirable")


class CriterionCategory(models.TextChoices):
    QUALIFICATIONS = "qualifications", _("Qualifications")
    EDUCATION = "education", _("Education and experience")
    EXPERIENCE = "experience", _("Experience")
    SKILLS = "skills", _("Skills")
    KNOWLEDGE = "knowledge", _("Knowledge")
    KNOWLEDGE_SKILLS = "knowledge_skills", _("Knowledge and skills")
    KNOWLEDGE_EXPERIENCE = "knowledge_experience", _("Knowledge and experience")
    ENTRY = "entry", _("Entry requirements")
    OTHER = "other", _("Other")


class Criterion(ProfileChild):
    """An essential or desirable criterion, with how it is assessed."""

    profile = models.ForeignKey(RoleProfile, on_delete=models.CASCADE, related_name="criteria")
    # Most sources do not group their criteria: without a category a criterion is printed
    # under Essential / Desirable alone.
    category = models.CharField(
        max_length=30, choices=CriterionCategory.choices, blank=True, default=""
    )
    heading = models.CharField(
        max_length=200,
        blank=True,
        help_text="The force's own name for the category, if it differs.",
    )
    requirement = models.CharField(max_length=20, choices=Requirement.choices)
    text = text_field(SHORT_TEXT)
    methods = models.ManyToManyField(AssessmentMethod, blank=True, related_name="criteria")
    method_note = models.CharField(
        max_length=300, blank=True, help_text="How it is assessed, where no listed method fits."
    )
    shortlisting_code = models.CharField(max_length=10, blank=True, help_text="For example EE2.")
    row = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_ROWS)],
        help_text="Criteria sharing a row are printed side by side.",
    )
    # Disability Confident: an applicant with a disability who meets the minimum criteria
    # is offered an interview. Unset means the default (profiles.printing.shortlisting.is_minimum).
    minimum = models.BooleanField(
        "minimum criterion",
        null=True,
        blank=True,
        help_text="A minimum criterion for the Disability Confident guaranteed interview. "
        "Unknown: every essential criterion assessed at application is one.",
    )
    heading_cy = welsh(heading)
    text_cy = welsh(text)
    method_note_cy = welsh(method_note)
    welsh_sources = welsh_sources_field()

    class Meta:
        ordering = ["profile", "order"]
        verbose_name_plural = "criteria"
        constraints = [
            models.UniqueConstraint(fields=["profile", "order"], name="unique_criterion_order")
        ]

    def __str__(self):
        return self.text[:80]


class Behaviour(ProfileChild):
    """A CVF competency at the level the post requires."""

    profile = models.ForeignKey(RoleProfile, on_delete=models.CASCADE, related_name="behaviours")
    level = models.ForeignKey(CompetencyLevel, on_delete=models.PROTECT, related_name="behaviours")
    methods = models.ManyToManyField(AssessmentMethod, blank=True, related_name="behaviours")
    method_note = models.CharField(max_length=300, blank=True)
    for_pdr = models.BooleanField("for PDR", default=False)
    method_note_cy = welsh(method_note)
    welsh_sources = welsh_sources_field()

    class Meta:
        ordering = ["profile", "order"]
        constraints = [
            models.UniqueConstraint(fields=["profile", "order"], name="unique_behaviour_order")
        ]
        # The list's competency filter (EXISTS a behaviour at one of the competency's
        # levels): the profiles at a level from the index alone, without the table.
        indexes = [models.Index(fields=["level", "profile"], name="behaviour_level_profile_idx")]

    def __str__(self):
        return str(self.level)


class SkillRequirement(ProfileChild):
    """A Policing Professional Framework skill at a level."""

    profile = models.ForeignKey(RoleProfile, on_delete=models.CASCADE, related_name="skills")
    level = models.ForeignKey(SkillLevel, on_delete=models.PROTECT, related_name="requirements")
    for_pdr = models.BooleanField("for PDR", default=False)

    class Meta:
        ordering = ["profile", "order"]
        constraints = [
            models.UniqueConstraint(fields=["profile", "order"], name="unique_skill_order")
        ]

    def __str__(self):
        return str(self.level)


class NosUnit(ProfileChild):
    """A National Occupational Standards unit the post maps to."""

    profile = models.ForeignKey(RoleProfile, on_delete=models.CASCADE, related_name="nos_units")
    code = models.CharField("unit", max_length=40)
    name = models.CharField(max_length=200, blank=True)
    description = text_field(LONG_TEXT, blank=True)
    name_cy = welsh(name)
    description_cy = welsh(description)
    welsh_sources = welsh_sources_field()

    class Meta:
        ordering = ["profile", "order"]
        verbose_name = "NOS unit"
        constraints = [
            models.UniqueConstraint(fields=["profile", "order"], name="unique_nos_unit_order")
        ]

    def __str__(self):
        return self.code


class AuditAction(models.TextChoices):
    CREATE = "create", _("Created")
    EDIT = "edit", _("Edited")
    SUBMIT = "submit", _("Submitted for review")
    PUBLISH = "publish", _("Approved and published")
    RETURN = "return", _("Returned to draft")
    ARCHIVE = "archive", _("Archived")
    RESTORE = "restore", _("Restored an earlier version")
    DISCARD = "discard", _("Discarded the working draft")


class AuditEntry(models.Model):
    """Who did what to a profile, and when."""

    profile = models.ForeignKey(RoleProfile, on_delete=models.CASCADE, related_name="audit")
    subject_id = models.PositiveIntegerField(
        help_text="The row that changed: the profile or its working draft."
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=20, choices=AuditAction.choices)
    version = models.PositiveIntegerField()
    comment = text_field(SHORT_TEXT, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name_plural = "audit entries"

    def __str__(self):
        return f"{self.get_action_display()} by {self.user or 'the system'}"


class FormerSlug(models.Model):
    """A slug a profile had until its title was corrected before it was ever published:
    its old address redirects to the new one (profiles.access.get_profile_for_user)."""

    force = models.ForeignKey(Force, on_delete=models.CASCADE, related_name="+")
    slug = models.SlugField(max_length=120)
    profile = models.ForeignKey(RoleProfile, on_delete=models.CASCADE, related_name="former_slugs")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["force", "slug"], name="unique_former_slug")]

    def __str__(self):
        return self.slug


class ImportedDocument(models.Model):
    """The source of an imported draft: its file name and text, for the review page."""

    profile = models.OneToOneField(
        RoleProfile, on_delete=models.CASCADE, related_name="imported_from"
    )
    file_name = models.CharField(max_length=255)
    source_text = models.TextField()
    unplaced_words = models.PositiveIntegerField(default=0)
    # what the importer could not match (a grade, a vetting level …), shown on the review page
    warnings = models.JSONField(default=list, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    imported_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.file_name


class ImportBatch(models.Model):
    """A browser upload of documents that the task worker imports as drafts, one at a time.

    Its progress is the JobStatus row `job_key` (as a force zip's is); each document is an
    ImportBatchFile, which remembers whether it has been imported.
    """

    force = models.ForeignKey(Force, on_delete=models.CASCADE, related_name="import_batches")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # an administrator's upload may create a grade the force lacks; an HR editor's may not
    create_grades = models.BooleanField(default=False)

    class Meta:
        verbose_name_plural = "import batches"

    def __str__(self):
        return f"Import {self.pk} into {self.force_id}"

    @property
    def job_key(self):
        return f"import:batch-{self.pk}"


class ImportBatchFile(models.Model):
    """One document of an import batch: where its bytes wait, and what importing it made."""

    class State(models.TextChoices):
        WAITING = "waiting"
        IMPORTED = "imported"
        FAILED = "failed"

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="files")
    order = models.PositiveIntegerField()
    name = models.CharField(max_length=255)
    # the document's name in the shared storage while it waits ("" once imported or refused)
    stored_as = models.CharField(max_length=255, blank=True)
    state = models.CharField(max_length=16, choices=State.choices, default=State.WAITING)
    profile = models.ForeignKey(
        RoleProfile, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    counts = models.JSONField(default=dict, blank=True)
    unplaced_words = models.PositiveIntegerField(default=0)
    warnings = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["batch", "order"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "order"], name="import_file_order_unique")
        ]

    def __str__(self):
        return self.name

    @property
    def summary(self):
        """[(what, how many)]: templates cannot call .items on a dict with an "items" key."""
        return list(self.counts.items())


class BulkChange(models.Model):
    """One change made to many of a force's profiles at once (profiles.services.bulk): a text
    replaced everywhere it is carried, or a move to a newer framework. Each profile it changed
    gets a working draft in review, approved together or one by one."""

    class Kind(models.TextChoices):
        TEXT = "text", "Text replaced"
        FRAMEWORK = "framework", "Framework moved"

    force = models.ForeignKey(Force, on_delete=models.CASCADE, related_name="bulk_changes")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    old_text = models.TextField(blank=True)
    new_text = models.TextField(blank=True)
    # The published (or never published) profiles it changed; their working drafts hold it.
    profiles = models.ManyToManyField(RoleProfile, blank=True, related_name="bulk_changes")
    # What it could not do, profile by profile: [{"profile": slug, "title": …, "message": …}].
    notes = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.description

    @property
    def description(self):
        if self.kind == self.Kind.FRAMEWORK:
            return f"Moved from {self.old_text} to {self.new_text}"
        return f"Replaced “{self.old_text[:60]}” with “{self.new_text[:60]}”"
