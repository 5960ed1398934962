"""The national and seed-force fixtures load from empty and carry every word of the seeds."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command

from competencies.models import Competency, Framework, Indicator, SkillLevel, Value
from profiles.models import (
    AssessmentMethod,
    Force,
    Item,
    Layout,
    NosUnit,
    RoleProfile,
    SectionKind,
    Status,
)
from tests.conftest import FIXTURES, FORCE_FIXTURES, NATIONAL_FIXTURES
from tests.fidelity import coverage, missing, visible_text, words
from vetting.models import VettingLevel

# Copies of the five source documents (shared/seeds/), kept with the tests that measure them.
SEEDS = Path(__file__).resolve().parent / "seeds"

AVON_HEADER = "Role Profile C3932 SC3 Citizens in Policing Administrator"

# seed file, force slug, profile slug, passages of the seed not expected in the export (why).
SEED_DOCUMENTS = [
    (
        "000_94024340a64cd7f0.txt",
        "avon-and-somerset",
        "citizens-in-policing-administrator",
        # The running header is repeated at the top of each of the original's five pages;
        # the export prints it once.
        [AVON_HEADER] * 4,
    ),
    (
        "001_0d0a989b81e28e52.txt",
        "county-constabulary",
        "police-community-support-officer",
        # The running header "ROLE PROFILE" repeats on each of the original's three pages.
        ["Role Profile"] * 2,
    ),
    (
        "002_b3dea0175c6ba269.txt",
        "gwent",
        "community-support-officer",
        [
            # A Word bookmark the export left in the text, not part of the document.
            "bookmark _Hlk81910634",
            # A typo in the original heading ("STRUCUTRE"), stored corrected as Structure.
            "strucutre",
        ],
    ),
    ("003_71239bd9c7f6cf67.txt", "lancashire", "cse-administration-assistant", []),
    ("004_c136dcd95c8f927e.txt", "british-transport-police", "governance-process-assistant", []),
]


def test_it_counts_words_as_a_case_folded_multiset_without_markup():
    assert words('<ul style="list-style-type: none"> Achieve 80% &amp; <p>more</p> achieve') == {
        "achieve": 2,
        "80": 1,
        "more": 1,
    }


def test_it_measures_the_share_of_the_seed_words_found():
    assert coverage("one two two three", "two one three") == 0.75
    assert coverage("one two", "one", excluded=["two"]) == 1.0


def test_it_loads_national_data_and_all_five_forces_from_empty(seed_forces):
    assert set(Force.objects.values_list("slug", flat=True)) == {
        "avon-and-somerset",
        "county-constabulary",
        "gwent",
        "lancashire",
        "british-transport-police",
    }
    assert RoleProfile.objects.count() == 5
    assert set(Framework.objects.values_list("code", flat=True)) == {"cvf-2016", "cvf-2024", "ppf"}
    assert set(VettingLevel.objects.values_list("code", flat=True)) == {
        "RV",
        "MV",
        "NPPV 1",
        "NPPV 2 (abbreviated)",
        "NPPV 2 (full)",
        "NPPV 3",
        "CTC",
        "SC",
        "eSC",
        "DV",
    }


def test_plain_loaddata_loads_the_same_files(db):
    call_command("loaddata", *NATIONAL_FIXTURES, verbosity=0)
    call_command("loaddata", *FORCE_FIXTURES, verbosity=0)
    assert RoleProfile.objects.count() == 5
    assert Item.objects.filter(section__profile__force__slug="gwent").count() == 13 + 21 + 3


def test_the_national_cvf_carries_the_seed_indicators_and_leaves_unknown_text_empty(
    national_data,
):
    cvf = Framework.objects.get(code="cvf-2016")
    assert list(cvf.clusters.values_list("name", flat=True)) == [
        "Resolute, compassionate and committed",
        "Inclusive, enabling and visionary leadership",
        "Intelligent, creative and informed policing",
    ]
    assert cvf.competencies.count() == 6
    assert list(Value.objects.filter(framework=cvf).values_list("name", flat=True)) == [
        "Integrity",
        "Impartiality",
        "Public service",
        "Transparency",
    ]
    owner = Indicator.objects.filter(
        level__competency__name="We take ownership", level__number=1
    ).order_by("order")
    assert owner.count() == 9
    assert owner.last().text == (
        "I understand my own strengths and areas for development and take responsibility "
        "for my own learning to address gaps."
    )
    assert not Indicator.objects.filter(level__number__gt=1).exists()
    cvf24 = Framework.objects.get(code="cvf-2024")
    assert {"We collaborate", "We support and inspire"} <= set(
        Competency.objects.filter(framework=cvf24).values_list("name", flat=True)
    )
    assert list(Value.objects.filter(framework=cvf24).values_list("name", flat=True)) == [
        "Courage",
        "Respect and empathy",
        "Public service",
    ]
    assert not Competency.objects.filter(framework=cvf24).exclude(description="").exists()
    decision = SkillLevel.objects.get(skill__name="Decision Making", name="Practitioner")
    assert decision.description.startswith("Gathers, verifies and assesses")
    assert decision.skill.category == "Policing Professional Framework"


def test_assessment_methods_sort_in_the_order_the_seeds_print_them(national_data):
    names = list(AssessmentMethod.objects.values_list("name", flat=True))
    assert names.index("Online Tests") < names.index("Application Form") < names.index("Interview")
    assert names.index("Application Form") < names.index("Typing Test")


def test_profiles_without_a_vetting_level_load_as_drafts_and_the_rest_as_published(seed_forces):
    statuses = dict(RoleProfile.objects.values_list("force__slug", "status"))
    assert statuses == {
        "avon-and-somerset": Status.PUBLISHED,
        "county-constabulary": Status.DRAFT,
        "gwent": Status.PUBLISHED,
        "lancashire": Status.DRAFT,
        "british-transport-police": Status.PUBLISHED,
    }
    assert not RoleProfile.objects.filter(status=Status.DRAFT).exclude(vetting_level=None)


def test_gwent_keeps_its_weightings_welsh_flag_and_month_date(seed_forces):
    profile = RoleProfile.objects.get(force__slug="gwent")
    assert profile.force.welsh_language and profile.force.layout == Layout.WEIGHTED_TABLE
    responsibilities, general = profile.sections.order_by("order")[:2]
    assert responsibilities.weighting == Decimal(80) and general.weighting == Decimal(20)
    assert general.kind == SectionKind.GENERAL_TASKS
    assert [int(item.weighting) for item in responsibilities.items.order_by("order")] == [
        30, 15, 10, 2, 5, 5, 3, 2, 1, 3, 2, 1, 1
    ]  # fmt: skip
    assert profile.date_reviewed == date(2020, 12, 1)


def test_blank_values_stay_blank(seed_forces):
    btp = RoleProfile.objects.get(force__slug="british-transport-police")
    assert btp.post_number == "" and btp.approved_by == "" and btp.approved_on is None
    assert btp.evaluation_panel == "" and btp.evaluation_panel_on is None
    avon = RoleProfile.objects.get(force__slug="avon-and-somerset")
    assert not NosUnit.objects.filter(profile=avon).exists()


def test_seed_001_is_stored_as_clean_text(seed_forces):
    county = RoleProfile.objects.get(force__slug="county-constabulary")
    texts = list(Item.objects.filter(section__profile=county).values_list("text", flat=True))
    assert len(texts) == 10 + 2 + 5 + 10 + 2
    assert not [text for text in texts if "<" in text or ">" in text]


@pytest.mark.parametrize(("seed", "force", "slug", "excluded"), SEED_DOCUMENTS)
def test_the_html_export_carries_at_least_98_percent_of_the_seed_words(
    national_data, tmp_path, seed, force, slug, excluded
):
    call_command("load_force", str(FIXTURES / "forces" / f"{force}.json"), verbosity=0)
    call_command("export_profiles", format="html", output=str(tmp_path), verbosity=0)
    seed_text = (SEEDS / seed).read_text(encoding="utf-8")
    rendered = visible_text((tmp_path / f"{force}--{slug}.html").read_text(encoding="utf-8"))
    share = coverage(seed_text, rendered, excluded)
    lacking = dict(missing(seed_text, rendered, excluded))
    print(f"{seed}: {share:.2%} of the seed's words found; missing {lacking}")
    assert share >= 0.98
