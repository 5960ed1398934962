"""Print a house style not yet saved: on the force's first profile, or on a sample one.

The sample is written inside a transaction that is rolled back once its HTML is
rendered, so a preview changes nothing and queues no PDF (on_commit never runs).
"""

from decimal import Decimal

from django.db import transaction

from profiles.models import (
    Criterion,
    CriterionCategory,
    Item,
    PostDetail,
    Requirement,
    RoleProfile,
    Section,
    SectionKind,
)
from profiles.printing import pdf
from vetting.models import VettingLevel

SAMPLE_SLUG = "house-style-sample"


def _sample_profile(force):
    profile = RoleProfile.objects.create(
        force=force,
        slug=SAMPLE_SLUG,
        title="Sample Role",
        reference_code="S001",
        department="Sample Department",
        location="Headquarters",
        reports_to="Sample Manager",
        purpose="A sample profile, to show how this house style prints a role profile.",
        vetting_level=VettingLevel.objects.order_by("pk").first(),
        prepared_by="HR",
    )
    PostDetail.objects.create(profile=profile, order=1, label="Agile working", value="Yes")
    responsibilities = Section.objects.create(
        profile=profile,
        order=1,
        kind=SectionKind.RESPONSIBILITIES,
        heading="Main responsibilities",
        weighting=Decimal(80),
    )
    for order, (text, weighting) in enumerate(
        [
            ("Deal with enquiries from the public and partners.", 40),
            ("Keep accurate records on the force's systems.", 25),
            ("Support colleagues across the department.", 15),
        ],
        start=1,
    ):
        Item.objects.create(
            section=responsibilities, order=order, text=text, weighting=Decimal(weighting)
        )
    tasks = Section.objects.create(
        profile=profile, order=2, kind=SectionKind.GENERAL_TASKS, heading="General tasks"
    )
    Item.objects.create(section=tasks, order=1, subheading="Health and safety", text="Work safely.")
    Item.objects.create(section=tasks, order=2, subheading="Wellbeing", text="Look after others.")
    for order, (category, requirement, text) in enumerate(
        [
            (CriterionCategory.EXPERIENCE, Requirement.ESSENTIAL, "Experience of office work."),
            (CriterionCategory.SKILLS, Requirement.ESSENTIAL, "Good written communication."),
            (CriterionCategory.SKILLS, Requirement.DESIRABLE, "Use of Microsoft Office."),
        ],
        start=1,
    ):
        Criterion.objects.create(
            profile=profile, order=order, category=category, requirement=requirement, text=text
        )
    return profile


def preview_profile(force):
    """The profile a preview prints: the force's first by title, else None (the sample)."""
    return RoleProfile.objects.filter(force=force).order_by("title", "pk").first()


def preview_html(force, style):
    """The HTML of the force's first profile, or of a sample, printed in `style`."""
    with transaction.atomic():
        profile = preview_profile(force) or _sample_profile(force)
        html = pdf.render_html(profile, style)
        transaction.set_rollback(True)
    return html


def preview_pdf(force, style):
    return pdf.html_to_pdf(preview_html(force, style))
