"""Shared fixtures: small, real objects made with model-bakery."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from model_bakery import baker

from profiles import access
from profiles.models import Role, RoleProfile, SectionKind, Status
from profiles.services import lifecycle
from tests.oidc import OTHER_APP, OpenIDProvider, client_metadata


@pytest.fixture(autouse=True)
def own_pdf_cache(settings, tmp_path_factory):
    """Each test starts with an empty PDF cache: cached files are named by profile pk, and
    a rolled-back test database hands the same pks to the next test."""
    settings.PDF_CACHE_DIR = str(tmp_path_factory.mktemp("pdf-cache"))


def pytest_report_header(config):
    """Say which database this run uses, so a log of `make test` shows both runs."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    vendor = database["ENGINE"].rsplit(".", 1)[-1]
    if vendor == "sqlite3":
        where = database["TEST"].get("NAME") or "in memory"
    else:
        where = f"test_{database['NAME']} on {database['HOST'] or 'localhost'}"
    return f"database: {vendor} ({where})"


@pytest.fixture
def force(db):
    return baker.make("profiles.Force", slug="gwent", name="Gwent Police")


@pytest.fixture
def other_force(db):
    return baker.make("profiles.Force", slug="lancashire", name="Lancashire Constabulary")


@pytest.fixture
def grade(force):
    return baker.make("profiles.Grade", force=force, code="Scale 4")


@pytest.fixture
def vetting_level(db):
    return baker.make("vetting.VettingLevel", code="RV", name="Recruitment Vetting")


@pytest.fixture
def framework(db):
    return baker.make("competencies.Framework", code="cvf-2016", name="CVF 2016")


@pytest.fixture
def competency_level(framework):
    competency = baker.make(
        "competencies.Competency", framework=framework, name="We take ownership"
    )
    return baker.make("competencies.CompetencyLevel", competency=competency, number=1)


@pytest.fixture
def foreign_level(db):
    """A level of another framework than the profile's."""
    framework = baker.make("competencies.Framework", code="cvf-2024", name="CVF 2024")
    competency = baker.make(
        "competencies.Competency", framework=framework, name="We are emotionally aware"
    )
    return baker.make("competencies.CompetencyLevel", competency=competency, number=2)


@pytest.fixture
def profile(force, grade, vetting_level, framework):
    return baker.make(
        "profiles.RoleProfile",
        force=force,
        slug="community-support-officer",
        title="Community Support Officer",
        grade=grade,
        vetting_level=vetting_level,
        framework=framework,
    )


GWENT_WEIGHTINGS = [30, 15, 10, 2, 5, 5, 3, 2, 1, 3, 2, 1, 1]


@pytest.fixture
def weighted_profile(profile):
    """Gwent's CSO: 13 responsibilities worth 80 % and general tasks worth 20 %."""
    responsibilities = baker.make(
        "profiles.Section",
        profile=profile,
        order=1,
        kind=SectionKind.RESPONSIBILITIES,
        heading="Principal responsibilities",
        weighting=Decimal(80),
    )
    for order, weighting in enumerate(GWENT_WEIGHTINGS, start=1):
        baker.make(
            "profiles.Item",
            section=responsibilities,
            order=order,
            text=f"Responsibility {order}",
            weighting=Decimal(weighting),
        )
    general = baker.make(
        "profiles.Section",
        profile=profile,
        order=2,
        kind=SectionKind.GENERAL_TASKS,
        heading="General tasks – staff level",
        weighting=Decimal(20),
    )
    baker.make(
        "profiles.Item", section=general, order=1, subheading="Finance", text="Be cost effective."
    )
    return profile


def make_member(force, role, username):
    user = baker.make("auth.User", username=username)
    baker.make("profiles.Membership", user=user, force=force, role=role)
    return user


@pytest.fixture
def hr_user(force):
    return make_member(force, Role.HR_EDITOR, "hr-gwent")


@pytest.fixture
def manager_user(force):
    return make_member(force, Role.HIRING_MANAGER, "manager-gwent")


@pytest.fixture
def admin_user(db):
    return baker.make("auth.User", username="admin", is_staff=True, is_superuser=True)


@pytest.fixture
def other_hr_user(other_force):
    return make_member(other_force, Role.HR_EDITOR, "hr-lancashire")


def form_data(*forms_and_formsets):
    """POST data for forms and formsets, as the page renders their current values."""
    from django.forms import BaseFormSet, MultiWidget

    data = {}
    for item in forms_and_formsets:
        if isinstance(item, BaseFormSet):
            forms = [item.management_form, *item.forms]
        else:
            forms = [item]
        for form in forms:
            for name, field in form.fields.items():
                value = form[name].value()
                key = form.add_prefix(name)
                if isinstance(field.widget, MultiWidget):
                    # One input per part (day, month, year), named <key>_<part>.
                    parts = value if isinstance(value, list) else field.widget.decompress(value)
                    for suffix, part in zip(field.widget.widgets_names, parts, strict=True):
                        data[f"{key}{suffix}"] = "" if part is None else str(part)
                elif getattr(field.widget, "allow_multiple_selected", False):
                    # A browser sends one value per ticked box, and nothing for none.
                    data[key] = [str(getattr(v, "pk", v)) for v in value or []]
                elif isinstance(value, bool):
                    if value:
                        data[key] = "on"
                elif isinstance(value, list | tuple):
                    data[key] = [str(getattr(v, "pk", v)) for v in value]
                elif value is None:
                    data[key] = ""
                elif hasattr(value, "isoformat"):
                    data[key] = value.isoformat()
                else:
                    data[key] = str(getattr(value, "pk", value))
    return data


def editor_data(profile):
    """Everything the editor page posts for `profile` when saved unchanged."""
    from profiles.editor.forms import ProfileEditor, fetch_for_editor

    if profile.status == Status.PUBLISHED and profile.draft_of_id is None:
        # As the editor page does: a published profile is edited through its working draft.
        profile = access.working_draft(profile) or lifecycle.start_working_draft(
            profile, baker.make("auth.User", is_staff=True)
        )
    editor = ProfileEditor(fetch_for_editor(profile))
    data = form_data(editor.form, *editor.formsets.values(), *editor.item_formsets.values())
    # The revision the page was rendered from (profiles.workflow refuses a stale save).
    data["seen_revision"] = str(RoleProfile.objects.get(pk=profile.pk).revision)
    return data


@pytest.fixture
def full_profile(weighted_profile, competency_level):
    """The weighted profile with one of every other part: detail, criterion, behaviour, skill."""
    method = baker.make("profiles.AssessmentMethod", name="Interview")
    baker.make(
        "profiles.PostDetail", profile=weighted_profile, order=1, label="Welsh", value="Desirable"
    )
    criterion = baker.make(
        "profiles.Criterion",
        profile=weighted_profile,
        order=1,
        category="skills",
        requirement="essential",
        text="Good written communication.",
        shortlisting_code="EE1",
    )
    criterion.methods.add(method)
    behaviour = baker.make(
        "profiles.Behaviour", profile=weighted_profile, order=1, level=competency_level
    )
    behaviour.methods.add(method)
    baker.make("competencies.Indicator", level=competency_level, order=1, text="I take ownership.")
    skill_level = baker.make("competencies.SkillLevel", name="Practitioner")
    baker.make("profiles.SkillRequirement", profile=weighted_profile, order=1, level=skill_level)
    return weighted_profile


FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
NATIONAL_FIXTURES = sorted(str(path) for path in (FIXTURES / "national").glob("*.json"))
FORCE_FIXTURES = sorted(str(path) for path in (FIXTURES / "forces").glob("*.json"))


@pytest.fixture
def national_data(db):
    """The national reference data: frameworks, vetting levels, assessment methods."""
    call_command("loaddata", *NATIONAL_FIXTURES, verbosity=0)


@pytest.fixture
def seed_forces(national_data):
    """The five seed forces, loaded as an administrator loads them."""
    call_command("load_force", *FORCE_FIXTURES, verbosity=0)


@pytest.fixture(scope="session")
def provider():
    """The real OpenID provider (tests/oidc_provider), one process for the whole run."""
    provider = OpenIDProvider([client_metadata("http://testserver"), OTHER_APP])
    yield provider
    provider.stop()


@pytest.fixture
def oidc(settings, provider):
    settings.OIDC_PROVIDERS = [provider.settings_entry()]
    return provider
