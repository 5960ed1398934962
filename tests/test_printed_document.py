"""The printed document reads right in every named layout (issue 19, "The printed document").

Each named layout is printed with and without weightings, methods and categories, and once
after a house-style change; the PDF's text is read back and checked for what the HR officer
found: no empty "Method of assessment:", essential criteria marked as well as desirable,
no empty Weighting column, the job title as the page heading, "Approved by" with the
person's name and role, one date format, no "Grade Grade D", no half-empty criteria rows.
"""

import io
import re
from datetime import date
from decimal import Decimal

import pytest
from model_bakery import baker
from pypdf import PdfReader

from profiles.dates import DatePrecision
from profiles.models import HouseStyle, Requirement, SectionKind
from profiles.printing import pdf, styles

pytestmark = pytest.mark.django_db

# A day written as "05 Dec 2026": the second format the officer found beside "5 December 2026".
SHORT_DATE = re.compile(r"\b\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}\b")


@pytest.fixture
def printed(force, vetting_level):
    """A profile of the force in review with an approval, a day's date reviewed, a grade whose
    code repeats its label, responsibilities and one essential and one desirable criterion."""
    grade = baker.make("profiles.Grade", force=force, code="Grade D")
    profile = baker.make(
        "profiles.RoleProfile",
        force=force,
        slug="investigator",
        title="Police Staff Investigator",
        grade=grade,
        vetting_level=vetting_level,
        purpose="To investigate crime.",
        date_reviewed=date(2026, 12, 5),
        date_reviewed_precision=DatePrecision.DAY,
        approved_by="Rhian Evans, HR editor",
        approved_on=date(2026, 12, 5),
        prepared_by="Sam Jones",
        prepared_on=date(2026, 11, 2),
    )
    section = baker.make(
        "profiles.Section",
        profile=profile,
        order=1,
        kind=SectionKind.RESPONSIBILITIES,
        heading="Key responsibilities",
    )
    for order, text in enumerate(["Interview witnesses.", "Prepare case files."], 1):
        baker.make("profiles.Item", section=section, order=order, text=text)
    for order, requirement, text in [
        (1, Requirement.ESSENTIAL, "Experience of interviewing witnesses"),
        (2, Requirement.DESIRABLE, "PIP level 1 accreditation"),
    ]:
        baker.make(
            "profiles.Criterion", profile=profile, order=order, requirement=requirement, text=text
        )
    return profile


def with_weightings_methods_and_categories(profile):
    section = profile.sections.get()
    section.weighting = Decimal(100)
    section.save()
    for item, weighting in zip(section.items.order_by("order"), (60, 40), strict=True):
        item.weighting = Decimal(weighting)
        item.save()
    method = baker.make("profiles.AssessmentMethod", name="Interview")
    for criterion in profile.criteria.all():
        criterion.category = "experience"
        criterion.save()
        criterion.methods.add(method)


def print_of(profile, style):
    html = pdf.render_html(profile, style)
    reader = PdfReader(io.BytesIO(pdf.html_to_pdf(html)))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    return re.sub(r">\s+<", "><", html), text


def criteria_html(html):
    start = html.index('<section class="part part-criteria')
    return html[start : html.index("</section>", start)]


CASES = [(layout, full) for layout in styles.LAYOUTS for full in (False, True)] + [
    # A house-style change: the weighted layout with the title block and the criteria table.
    ("weighted_table+house_style", False),
    ("weighted_table+house_style", True),
]


@pytest.mark.parametrize(("layout", "full"), CASES)
def test_every_named_layout_prints_the_document_right(printed, layout, full):
    if full:
        with_weightings_methods_and_categories(printed)
    layout, _plus, changed = layout.partition("+")
    house_style = HouseStyle(masthead="title", criteria="table") if changed else None
    style = styles.resolve(layout, house_style, {"approved_by": "Signed off by"})

    html, text = print_of(printed, style)

    # The page heading is the job title, not the document's title and the force.
    assert "<h1>Police Staff Investigator</h1>" in html
    assert "<h1>Role Profile</h1>" not in html and "<h1>ROLE PROFILE</h1>" not in html
    # Approved by the person, with their role, under the force's own label.
    assert re.search("Signed off by:? Rhian Evans, HR editor", text)
    # One date format on a page.
    assert "5 December 2026" in text and "2 November 2026" in text
    assert not SHORT_DATE.search(text), SHORT_DATE.search(text)
    assert "Grade Grade" not in text
    assert "Grade D" in text or "Grade: D" in text or "Grade D" in html
    # Essential criteria are marked as well as desirable ones.
    lowered = text.lower()
    assert "essential" in lowered and "desirable" in lowered
    criteria = criteria_html(html)
    assert "<td></td>" not in criteria and "<td><p></p></td>" not in criteria
    if full:
        assert "Method of assessment" in text and "Interview" in text
        assert "60%" in text and "40%" in text
    else:
        # No "Method of assessment:" with nothing after it; no empty Weighting column.
        assert "Method of assessment" not in text
        assert "Weighting" not in text and "%" not in text


def test_the_assessed_criteria_mark_each_criterion_essential_or_desirable(printed):
    html, text = print_of(printed, styles.resolve("weighted_table"))

    assert "Experience of interviewing witnesses (essential)" in text
    assert "PIP level 1 accreditation (desirable)" in text


def test_a_criteria_table_without_pairs_prints_one_criterion_a_row_marked(printed):
    html, text = print_of(printed, styles.resolve("criteria_tables"))

    assert "Experience of interviewing witnesses Essential" in text
    assert "PIP level 1 accreditation Desirable" in text
