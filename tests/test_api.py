"""The read-only API for recruitment systems (issue 23): tokens, scope, filters, caching."""

import io
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from model_bakery import baker
from openapi_spec_validator import validate
from pypdf import PdfReader

from api.models import ApiToken, hash_key
from profiles.models import Role, RoleProfile, Status
from profiles.printing import pdf
from profiles.printing.document import document_context
from profiles.services import lifecycle
from tests.conftest import make_member

LIST = "/api/v1/profiles/"


@pytest.fixture(autouse=True)
def fresh_throttle():
    """Request counts live in the cache, keyed by a token's pk, which rolled-back tests reuse."""
    cache.clear()
    yield
    cache.clear()


def detail_url(force_slug, slug):
    return reverse("api:profile-detail", args=[force_slug, slug])


def bearer(key):
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


@pytest.fixture
def national_force(db):
    return baker.make("profiles.Force", slug="college-of-policing", name="College", national=True)


@pytest.fixture
def profiles(weighted_profile, other_force, national_force, vetting_level):
    """Gwent: one published (with its rows), one draft; Lancashire: one published; the
    national publisher: one published, one in review."""
    weighted_profile.status = Status.PUBLISHED
    weighted_profile.save()

    def make(force, slug, status, **fields):
        return baker.make(
            "profiles.RoleProfile",
            force=force,
            slug=slug,
            title=slug.title(),
            status=status,
            **fields,
        )

    return {
        "gwent": weighted_profile,
        "gwent_draft": make(weighted_profile.force, "gwent-draft", Status.DRAFT),
        "lancashire": make(other_force, "lancashire-clerk", Status.PUBLISHED),
        "national": make(
            national_force, "national-detective", Status.PUBLISHED, vetting_level=vetting_level
        ),
        "national_review": make(national_force, "national-analyst", Status.IN_REVIEW),
    }


@pytest.fixture
def gwent_key(force):
    return ApiToken.issue("Oleeo (test)", force)[1]


def slugs(response):
    assert response.status_code == 200, response.content
    return sorted(row["slug"] for row in response.json()["results"])


# Scope ------------------------------------------------------------------------------------------


def test_a_force_token_lists_only_its_published_profiles_and_the_national_ones(
    client, profiles, gwent_key
):
    response = client.get(LIST, **bearer(gwent_key))

    assert slugs(response) == ["community-support-officer", "national-detective"]
    first = response.json()["results"][0]
    assert first["force"] == {"slug": "college-of-policing", "name": "College", "national": True}
    assert first["vetting_level"] == "RV"
    assert first["url"] == "http://testserver" + detail_url(
        "college-of-policing", "national-detective"
    )
    assert response.json()["count"] == 2


def test_a_national_token_lists_only_the_national_publishers_profiles(client, profiles):
    _, key = ApiToken.issue("College integration")

    assert slugs(client.get(LIST, **bearer(key))) == ["national-detective"]


def test_the_list_filters_by_force_grade_and_vetting_level(client, profiles, gwent_key):
    gwent = profiles["gwent"]

    assert slugs(client.get(LIST, {"force": "gwent"}, **bearer(gwent_key))) == [gwent.slug]
    assert slugs(client.get(LIST, {"force": "lancashire"}, **bearer(gwent_key))) == []
    assert slugs(client.get(LIST, {"grade": "Scale 4"}, **bearer(gwent_key))) == [gwent.slug]
    assert slugs(client.get(LIST, {"vetting_level": "RV"}, **bearer(gwent_key))) == [
        gwent.slug,
        "national-detective",
    ]
    assert slugs(client.get(LIST, {"vetting_level": "MV"}, **bearer(gwent_key))) == []


def test_the_vetting_filter_counts_the_forces_default_level(client, profiles, gwent_key):
    gwent = profiles["gwent"]
    level = gwent.vetting_level
    RoleProfile.objects.filter(pk=gwent.pk).update(vetting_level=None)
    gwent.force.default_vetting_level = level
    gwent.force.save()

    response = client.get(LIST, {"vetting_level": "RV", "force": "gwent"}, **bearer(gwent_key))

    assert slugs(response) == [gwent.slug]
    assert response.json()["results"][0]["vetting_level"] == "RV"


def test_changed_since_after_an_approval_returns_that_profile_alone(
    client, profiles, gwent_key, hr_user
):
    long_ago = timezone.now() - timedelta(days=30)
    RoleProfile.objects.update(updated_at=long_ago)
    before = timezone.now()
    reviewer = make_member(profiles["gwent"].force, Role.HR_EDITOR, "reviewer-gwent")
    draft = lifecycle.start_working_draft(profiles["gwent"], hr_user)
    lifecycle.submit(draft, hr_user)
    lifecycle.approve(draft, reviewer)

    response = client.get(LIST, {"changed_since": before.isoformat()}, **bearer(gwent_key))

    assert slugs(response) == ["community-support-officer"]
    assert response.json()["results"][0]["version"] == 2
    # A date alone is its midnight, in the site's time zone.
    since_yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    assert slugs(client.get(LIST, {"changed_since": since_yesterday}, **bearer(gwent_key))) == [
        "community-support-officer"
    ]


@pytest.mark.parametrize("value", ["yesterday", "2026-13-01T00:00:00", "2026-02-30"])
def test_a_bad_changed_since_is_refused_with_a_message(client, profiles, gwent_key, value):
    response = client.get(LIST, {"changed_since": value}, **bearer(gwent_key))

    assert response.status_code == 400
    assert "ISO 8601" in response.json()["changed_since"][0]


def test_the_list_is_paginated(client, profiles, gwent_key):
    response = client.get(LIST, {"page_size": 1}, **bearer(gwent_key))

    body = response.json()
    assert body["count"] == 2
    assert len(body["results"]) == 1
    assert body["next"].endswith("page=2&page_size=1")


# Tokens -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "header",
    [None, "Bearer not-a-token", "Bearer", "Bearer two parts", "Token something", "Basic abc"],
)
def test_a_request_without_a_valid_token_is_refused_with_401(client, profiles, header):
    extra = {"HTTP_AUTHORIZATION": header} if header else {}

    response = client.get(LIST, **extra)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert "results" not in response.json()


def test_a_revoked_token_is_refused(client, profiles, force):
    token, key = ApiToken.issue("Old integration", force)
    assert client.get(LIST, **bearer(key)).status_code == 200
    token.revoked = True
    token.save()

    response = client.get(LIST, **bearer(key))

    assert response.status_code == 401
    assert "revoked" in response.json()["detail"]


def test_a_token_is_stored_hashed_and_records_its_last_use(client, profiles, force):
    token, key = ApiToken.issue("Oleeo", force)
    assert token.key_hash == hash_key(key) != key
    assert key.startswith(token.prefix) and len(token.prefix) == 8
    assert token.last_used is None

    client.get(LIST, **bearer(key))

    token.refresh_from_db()
    assert token.last_used is not None


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "options"])
def test_the_api_is_read_only(client, profiles, gwent_key, method):
    for url in (LIST, detail_url("gwent", "community-support-officer")):
        response = getattr(client, method)(
            url, {}, content_type="application/json", **bearer(gwent_key)
        )
        assert response.status_code == 405


def test_create_api_token_prints_the_key_once_and_stores_its_hash(client, profiles, force):
    out, err = io.StringIO(), io.StringIO()

    call_command("create_api_token", "--force", "gwent", "Oleeo (live)", stdout=out, stderr=err)

    key = out.getvalue().strip()
    token = ApiToken.objects.get(name="Oleeo (live)")
    assert token.force == force
    assert token.key_hash == hash_key(key)
    assert not ApiToken.objects.filter(key_hash=key).exists()
    assert "cannot be shown again" in err.getvalue()
    assert token.prefix in err.getvalue() and key not in err.getvalue()
    assert slugs(client.get(LIST, **bearer(key))) == [
        "community-support-officer",
        "national-detective",
    ]


def test_create_api_token_names_an_unknown_force_and_issues_nothing(db):
    with pytest.raises(CommandError, match="No force with the slug 'nowhere'"):
        call_command("create_api_token", "--force", "nowhere", "Oleeo", stdout=io.StringIO())

    assert not ApiToken.objects.exists()


def test_create_api_token_issues_a_national_token(db):
    out = io.StringIO()
    call_command("create_api_token", "--national", "College", stdout=out, stderr=io.StringIO())

    token = ApiToken.objects.get()
    assert token.force is None and token.scope == "National"


def test_the_admin_issues_a_token_showing_its_key_once_and_revokes_it(client, admin_user, force):
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:api_apitoken_add"), {"name": "TalentLink", "force": force.pk}
    )

    assert response.status_code == 200
    token = ApiToken.objects.get(name="TalentLink")
    key = response.context["key"]
    assert token.key_hash == hash_key(key)
    assert key in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    # The change page shows the prefix, never the key.
    page = client.get(reverse("admin:api_apitoken_change", args=[token.pk])).content.decode()
    assert token.prefix in page and key not in page

    client.post(
        reverse("admin:api_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [token.pk]},
    )

    token.refresh_from_db()
    assert token.revoked


# The detail -------------------------------------------------------------------------------------


def test_another_forces_profile_a_draft_and_an_unknown_one_are_404(client, profiles, gwent_key):
    for force_slug, slug in [
        ("lancashire", "lancashire-clerk"),
        ("gwent", "gwent-draft"),
        ("college-of-policing", "national-analyst"),
        ("gwent", "no-such-profile"),
    ]:
        response = client.get(detail_url(force_slug, slug), **bearer(gwent_key))
        assert response.status_code == 404, (force_slug, slug)
        assert response.json() == {"detail": "No such published profile."}


def test_a_working_draft_is_never_served_only_its_published_profile(
    client, profiles, gwent_key, hr_user
):
    draft = lifecycle.start_working_draft(profiles["gwent"], hr_user)
    draft.title = "Renamed in the draft"
    draft.save()

    assert client.get(detail_url("gwent", draft.slug), **bearer(gwent_key)).status_code == 404
    response = client.get(detail_url("gwent", "community-support-officer"), **bearer(gwent_key))
    assert response.json()["title"] == "Community Support Officer"


def test_the_detail_has_the_whole_structure(client, full_profile, gwent_key):
    full_profile.status = Status.PUBLISHED
    full_profile.save()

    response = client.get(detail_url("gwent", full_profile.slug), **bearer(gwent_key))

    body = response.json()
    assert body["title"] == "Community Support Officer"
    responsibilities = body["sections"][0]
    assert responsibilities["weighting"] == "80.00"
    assert [item["weighting"] for item in responsibilities["groups"][0]["items"]][:3] == [
        "30.00",
        "15.00",
        "10.00",
    ]
    assert body["criteria"][0]["criteria"][0] == {
        "text": "Good written communication.",
        "shortlisting_code": "EE1",
        "methods": ["Interview"],
        "method_note": "",
        "minimum": False,
    }
    assert body["behaviours"][0]["competency"] == "We take ownership"
    assert body["behaviours"][0]["indicators"] == ["I take ownership."]
    assert body["key_facts"] == [{"label": "Welsh", "value": "Desirable"}]
    assert body["vetting"]["code"] == "RV"
    section_parts = [part for part in body["parts"] if part["block"] == "section"]
    assert [part["section"] for part in section_parts] == [0, 1]


def test_the_detail_prints_the_fields_and_labels_of_the_forces_pdf(client, seed_forces):
    """Gwent's house style: its own labels and headings, as its PDF prints them."""
    gwent = RoleProfile.objects.get(force__slug="gwent", status=Status.PUBLISHED)
    _, key = ApiToken.issue("Gwent", gwent.force)

    body = client.get(detail_url("gwent", gwent.slug), **bearer(key)).json()

    context = document_context(gwent)
    assert body["labels"] == context["labels"]
    assert body["document_title"] == "Job Description"
    assert [(row["label"], row["value"]) for row in body["details"]] == [
        (row["label"], row["value"]) for row in context["grid"] if row["name"] != "welsh_language"
    ]
    printed = " ".join(
        " ".join(page.extract_text().split())
        for page in PdfReader(io.BytesIO(pdf.html_to_pdf(pdf.render_html(gwent)))).pages
    )
    headings = [part["heading"] for part in body["parts"] if part["heading"]]
    assert headings
    for heading in headings:
        # Headings print in capitals where the house style says so.
        assert " ".join(heading.split()).casefold() in printed.casefold(), heading
    for row in body["details"]:
        assert row["label"].casefold() in printed.casefold(), row["label"]
    weighted = [
        item
        for section in body["sections"]
        for group in section["groups"]
        for item in group["items"]
        if item["weighting"] is not None
    ]
    # Thirteen principal responsibilities worth 80 %, general tasks 20 % as a section.
    assert sum(float(item["weighting"]) for item in weighted) == pytest.approx(80)
    assert sum(float(s["weighting"] or 0) for s in body["sections"]) == pytest.approx(100)
    assert body["welsh_language"]["label"]


# Caching and limits -----------------------------------------------------------------------------


def test_a_matching_if_none_match_gets_304_and_a_change_a_new_etag(client, profiles, gwent_key):
    url = detail_url("gwent", "community-support-officer")
    first = client.get(url, **bearer(gwent_key))
    etag = first["ETag"]
    assert first["Cache-Control"] == "private, no-cache"
    assert "Authorization" in first["Vary"]

    again = client.get(url, HTTP_IF_NONE_MATCH=etag, **bearer(gwent_key))

    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    listed = client.get(LIST, **bearer(gwent_key))
    assert (
        client.get(LIST, HTTP_IF_NONE_MATCH=listed["ETag"], **bearer(gwent_key)).status_code == 304
    )

    profile = profiles["gwent"]
    profile.purpose = "A changed purpose."
    profile.save()
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag, **bearer(gwent_key))
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_requests_over_the_rate_are_throttled_per_token(client, profiles, force, settings):
    settings.API_THROTTLE_RATE = "2/minute"
    _, key = ApiToken.issue("Busy", force)
    _, other = ApiToken.issue("Quiet", force)

    statuses = [client.get(LIST, **bearer(key)).status_code for _ in range(3)]

    assert statuses == [200, 200, 429]
    assert int(client.get(LIST, **bearer(key))["Retry-After"]) > 0
    assert client.get(LIST, **bearer(other)).status_code == 200


def test_the_list_costs_a_fixed_number_of_queries(
    client, profiles, gwent_key, django_assert_num_queries
):
    client.get(LIST, **bearer(gwent_key))  # records the token's last use
    for n in range(5):
        baker.make(
            "profiles.RoleProfile",
            force=profiles["gwent"].force,
            slug=f"more-{n}",
            status=Status.PUBLISHED,
            grade=profiles["gwent"].grade,
        )

    # 1 the token, 2 the count, 3 the page with force, default level, grade and level joined.
    with django_assert_num_queries(3):
        response = client.get(LIST, **bearer(gwent_key))
    assert response.json()["count"] == 7


def test_the_detail_costs_a_fixed_number_of_queries(
    client, full_profile, gwent_key, django_assert_num_queries
):
    full_profile.status = Status.PUBLISHED
    full_profile.save()
    url = detail_url("gwent", full_profile.slug)
    client.get(url, **bearer(gwent_key))  # records the token's last use

    # 1 the token; 2 the profile, through what the token reads; then document_context:
    # 3 the profile with force, house style, grades, levels and framework; 4 post details;
    # 5 sections; 6 items; 7 criteria; 8 their methods; 9 behaviours with levels and
    # competencies; 10 their methods; 11 indicators; 12 skills with levels; 13 NOS units;
    # 14 the force's standard sections; 15 the framework's values.
    with django_assert_num_queries(15):
        client.get(url, **bearer(gwent_key))


# The OpenAPI document and its page -------------------------------------------------------------


def test_the_schema_validates_and_describes_the_bearer_token(client, db):
    response = client.get("/api/v1/schema/", {"format": "json"})

    assert response.status_code == 200
    schema = response.json()
    validate(schema)
    assert schema["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
    }
    assert set(schema["paths"]) == {
        "/api/v1/profiles/",
        "/api/v1/profiles/{force_slug}/{slug}/",
    }
    parameters = {p["name"] for p in schema["paths"]["/api/v1/profiles/"]["get"]["parameters"]}
    assert {"force", "grade", "vetting_level", "changed_since", "page"} <= parameters


def test_the_schema_generates_without_warnings(db):
    out = io.StringIO()
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--format", "openapi-json", stdout=out
    )

    assert '"bearerAuth"' in out.getvalue()


def test_the_docs_page_loads_its_files_from_this_site_with_no_inline_code(client, db):
    page = client.get("/api/v1/docs/")

    html = page.content.decode()
    assert page.status_code == 200
    assert "<style" not in html and "<script>" not in html
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "'unsafe-inline'" not in page["Content-Security-Policy"]
    script = client.get("/api/v1/docs/", {"script": ""})
    assert script["Content-Type"].startswith("application/javascript")
    assert "/api/v1/schema/" in script.content.decode()
    bundle = client.get("/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")
    assert bundle.status_code == 200
    bundle.close()
