"""The approval workflow: draft → in review → published → archived, and who may do each step."""

import io
from datetime import date

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from model_bakery import baker
from pypdf import PdfReader
from reversion.models import Revision, Version

from profiles import access
from profiles.dates import DatePrecision
from profiles.models import AuditAction, AuditEntry, Role, RoleProfile, Status
from profiles.services import copying, editing, lifecycle
from tests.conftest import make_member
from tests.html_forms import form_data, parse_form


@pytest.fixture
def reviewer(force):
    return make_member(force, Role.HR_EDITOR, "reviewer-gwent")


@pytest.fixture
def stranger(other_force):
    return make_member(other_force, Role.HR_EDITOR, "hr-lancashire")


def url(name, profile):
    return reverse(f"profiles:{name}", args=[profile.force.slug, profile.slug])


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def in_review(profile, author):
    return lifecycle.submit(profile, author)


def test_an_hr_editor_submits_a_draft_for_review(client, weighted_profile, hr_user):
    client.force_login(hr_user)
    response = client.post(url("submit", weighted_profile))
    assert response.status_code == 302
    assert response.url == weighted_profile.get_absolute_url()
    weighted_profile.refresh_from_db()
    assert weighted_profile.status == Status.IN_REVIEW
    assert messages_of(response) == ["“Community Support Officer” is now in review."]
    entry = AuditEntry.objects.get()
    assert (entry.user, entry.action, entry.profile) == (
        hr_user,
        AuditAction.SUBMIT,
        weighted_profile,
    )


def test_submitting_an_incomplete_profile_is_refused_with_the_reason(client, profile, hr_user):
    client.force_login(hr_user)
    response = client.post(url("submit", profile))
    profile.refresh_from_db()
    assert profile.status == Status.DRAFT
    assert messages_of(response) == ["A published profile needs at least one responsibility."]


def test_the_author_may_not_approve_their_own_submission(client, weighted_profile, hr_user):
    in_review(weighted_profile, hr_user)
    client.force_login(hr_user)
    response = client.post(url("approve", weighted_profile))
    assert response.status_code == 403
    weighted_profile.refresh_from_db()
    assert weighted_profile.status == Status.IN_REVIEW


def test_the_last_editor_may_not_approve_what_another_submitted(
    weighted_profile, hr_user, reviewer
):
    editing.record(weighted_profile, reviewer, AuditAction.EDIT)
    in_review(weighted_profile, hr_user)
    with pytest.raises(PermissionDenied):
        lifecycle.approve(weighted_profile, reviewer)


def test_another_hr_editor_approves_and_publishes_keeping_the_documents_own_dates(
    client, weighted_profile, hr_user, reviewer
):
    weighted_profile.date_reviewed = date(2023, 2, 1)
    weighted_profile.date_reviewed_precision = DatePrecision.MONTH
    weighted_profile.review_due = None
    weighted_profile.save()
    reviewer.first_name, reviewer.last_name = "Rhian", "Evans"
    reviewer.save()
    in_review(weighted_profile, hr_user)
    client.force_login(reviewer)
    response = client.post(url("approve", weighted_profile))
    assert response.status_code == 302
    weighted_profile.refresh_from_db()
    today = date.today()
    assert weighted_profile.status == Status.PUBLISHED
    # Approval sets the approval fields only: the document's own dates stay as it states them.
    assert weighted_profile.date_reviewed_text() == "February 2023"
    assert weighted_profile.review_due is None
    assert weighted_profile.approved_by == "Rhian Evans, HR editor"
    assert weighted_profile.approved_on == today
    assert weighted_profile.version == 1
    assert messages_of(response) == ["“Community Support Officer” is published as version 1."]
    assert list(AuditEntry.objects.values_list("action", flat=True)) == [
        AuditAction.PUBLISH,
        AuditAction.SUBMIT,
    ]


def test_an_administrator_approves_even_their_own_submission(weighted_profile, admin_user):
    in_review(weighted_profile, admin_user)
    lifecycle.approve(weighted_profile, admin_user)
    weighted_profile.refresh_from_db()
    assert weighted_profile.status == Status.PUBLISHED


def test_a_reviewer_returns_a_profile_to_draft_with_a_comment(
    client, weighted_profile, hr_user, reviewer
):
    in_review(weighted_profile, hr_user)
    client.force_login(reviewer)
    response = client.post(url("return", weighted_profile), {"comment": "Purpose is vague."})
    weighted_profile.refresh_from_db()
    assert weighted_profile.status == Status.DRAFT
    assert messages_of(response) == ["“Community Support Officer” is back in draft."]
    assert AuditEntry.objects.first().comment == "Purpose is vague."


def test_returning_without_a_comment_is_refused(client, weighted_profile, hr_user, reviewer):
    in_review(weighted_profile, hr_user)
    client.force_login(reviewer)
    response = client.post(url("return", weighted_profile), {"comment": "  "})
    weighted_profile.refresh_from_db()
    assert weighted_profile.status == Status.IN_REVIEW
    assert messages_of(response) == ["Say why the profile goes back to draft."]


def test_a_draft_cannot_be_approved_before_it_is_submitted(client, weighted_profile, reviewer):
    client.force_login(reviewer)
    response = client.post(url("approve", weighted_profile))
    weighted_profile.refresh_from_db()
    assert weighted_profile.status == Status.DRAFT
    assert messages_of(response) == [
        "“Community Support Officer” is a draft, so it cannot be approved now. "
        "Only a profile in review can be approved."
    ]


def test_an_hr_editor_archives_a_published_profile(client, weighted_profile, hr_user, reviewer):
    in_review(weighted_profile, hr_user)
    lifecycle.approve(weighted_profile, reviewer)
    client.force_login(hr_user)
    client.post(url("archive", weighted_profile), {"comment": "Post deleted."})
    weighted_profile.refresh_from_db()
    assert weighted_profile.status == Status.ARCHIVED


def test_every_step_raises_the_revision(weighted_profile, hr_user, reviewer):
    seen = weighted_profile.revision
    in_review(weighted_profile, hr_user)
    lifecycle.approve(weighted_profile, reviewer)
    weighted_profile.refresh_from_db()
    assert weighted_profile.revision == seen + 2


@pytest.mark.parametrize("step", ["submit", "approve", "return", "archive", "discard"])
def test_a_hiring_manager_may_not_take_a_step(client, weighted_profile, manager_user, step):
    weighted_profile.status = Status.PUBLISHED
    weighted_profile.save()
    client.force_login(manager_user)
    assert client.post(url(step, weighted_profile)).status_code == 403


@pytest.mark.parametrize("step", ["submit", "approve", "return", "archive", "discard"])
def test_a_hiring_manager_does_not_see_a_draft(client, weighted_profile, manager_user, step):
    client.force_login(manager_user)
    assert client.post(url(step, weighted_profile)).status_code == 404


@pytest.mark.parametrize("step", ["submit", "approve", "return", "archive", "discard"])
def test_another_force_gets_not_found(client, weighted_profile, stranger, step):
    client.force_login(stranger)
    assert client.post(url(step, weighted_profile)).status_code == 404


@pytest.mark.parametrize("step", ["submit", "approve", "return", "archive", "discard"])
def test_anonymous_users_are_sent_to_log_in(client, weighted_profile, step):
    response = client.post(url(step, weighted_profile))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("step", ["submit", "approve", "return", "archive", "discard"])
def test_steps_refuse_a_get(client, weighted_profile, hr_user, step):
    client.force_login(hr_user)
    assert client.get(url(step, weighted_profile)).status_code == 405


# The working draft of a published profile ----------------------------------------------------


@pytest.fixture
def published(weighted_profile, hr_user, reviewer):
    in_review(weighted_profile, hr_user)
    return lifecycle.approve(weighted_profile, reviewer)


def test_starting_a_working_draft_copies_the_published_profile(published, hr_user):
    draft = lifecycle.start_working_draft(published, hr_user)
    assert draft.pk != published.pk
    assert (draft.draft_of, draft.status, draft.version) == (published, Status.DRAFT, 2)
    assert draft.slug == "community-support-officer--draft"
    assert [s.heading for s in draft.sections.all()] == [
        s.heading for s in published.sections.all()
    ]
    assert draft.sections.get(order=1).items.count() == 13
    assert lifecycle.object_to_edit(published, hr_user) == draft
    assert RoleProfile.objects.count() == 2


def test_the_row_to_edit_of_a_published_profile_without_a_draft_is_none(published, hr_user):
    assert lifecycle.object_to_edit(published, hr_user) is None
    assert RoleProfile.objects.count() == 1


def test_hr_editors_see_the_working_draft_and_managers_the_published_profile(
    published, hr_user, manager_user
):
    draft = lifecycle.start_working_draft(published, hr_user)
    published = RoleProfile.objects.get(pk=published.pk)
    assert access.shown_to(hr_user, published) == draft
    assert access.shown_to(manager_user, published) == published


def test_the_list_of_originals_leaves_working_drafts_out(published, hr_user):
    lifecycle.start_working_draft(published, hr_user)
    assert list(RoleProfile.objects.originals()) == [published]


def test_publishing_a_working_draft_replaces_the_published_content(published, hr_user, reviewer):
    draft = lifecycle.start_working_draft(published, hr_user)
    draft.title = "Police Community Support Officer"
    draft.save()
    draft.sections.get(order=1).items.filter(order=13).update(text="Patrol on foot.")
    lifecycle.submit(draft, hr_user)
    result = lifecycle.approve(draft, reviewer)
    assert result.pk == published.pk
    published.refresh_from_db()
    assert (published.title, published.version, published.status) == (
        "Police Community Support Officer",
        2,
        Status.PUBLISHED,
    )
    assert published.sections.get(order=1).items.get(order=13).text == "Patrol on foot."
    assert not RoleProfile.objects.filter(pk=draft.pk).exists()
    assert RoleProfile.objects.count() == 1


def test_the_published_profile_stays_unchanged_while_its_draft_is_edited(published, hr_user):
    draft = lifecycle.start_working_draft(published, hr_user)
    draft.sections.get(order=1).items.all().delete()
    published.refresh_from_db()
    assert published.sections.get(order=1).items.count() == 13


def test_a_working_draft_can_be_discarded(client, published, hr_user):
    draft = lifecycle.start_working_draft(published, hr_user)
    client.force_login(hr_user)
    response = client.post(url("discard", published))
    assert response.url == published.get_absolute_url()
    assert not RoleProfile.objects.filter(pk=draft.pk).exists()
    assert RoleProfile.objects.get().status == Status.PUBLISHED


def test_archiving_is_refused_while_a_working_draft_exists(published, hr_user):
    lifecycle.start_working_draft(published, hr_user)
    with pytest.raises(lifecycle.TransitionError):
        lifecycle.archive(published, hr_user)


def test_a_profile_in_review_cannot_be_edited(weighted_profile, hr_user):
    in_review(weighted_profile, hr_user)
    with pytest.raises(lifecycle.TransitionError):
        lifecycle.object_to_edit(weighted_profile, hr_user)


def test_the_lifecycle_context_offers_the_reviewer_approval(published, hr_user, reviewer):
    draft = lifecycle.start_working_draft(published, hr_user)
    lifecycle.submit(draft, hr_user)
    assert access.allowed_steps(hr_user, draft)["can_approve"] is False
    assert access.allowed_steps(reviewer, draft)["can_approve"] is True
    manager = baker.make("auth.User")
    assert access.allowed_steps(manager, draft) == {"can_edit": False}


# What the pages show ----------------------------------------------------------------------


def test_the_read_page_shows_hr_the_working_draft_and_managers_the_published_version(
    client, published, hr_user, manager_user
):
    draft = lifecycle.start_working_draft(published, hr_user)
    RoleProfile.objects.filter(pk=draft.pk).update(purpose="The draft purpose.")
    RoleProfile.objects.filter(pk=published.pk).update(purpose="The published purpose.")
    client.force_login(hr_user)
    page = client.get(published.get_absolute_url()).content.decode()
    assert "The draft purpose." in page and "The published purpose." not in page
    assert '<span class="badge text-bg-warning lifecycle-draft-mark">DRAFT</span>' in page
    assert "Version 2 – working draft; hiring managers still see version 1" in page
    assert url("history", published) in page
    assert url("submit", published) in page
    client.force_login(manager_user)
    page = client.get(published.get_absolute_url()).content.decode()
    assert "The published purpose." in page and "The draft purpose." not in page
    assert '<span class="badge text-bg-success">Published</span>' in page
    assert "Version 1" in page
    assert url("history", published) not in page
    assert url("submit", published) not in page


def test_the_read_page_offers_the_reviewer_approval_and_the_author_a_wait(
    client, weighted_profile, hr_user, reviewer
):
    in_review(weighted_profile, hr_user)
    client.force_login(hr_user)
    page = client.get(weighted_profile.get_absolute_url()).content.decode()
    assert "Waiting for another HR editor to review it." in page
    assert url("approve", weighted_profile) not in page
    client.force_login(reviewer)
    page = client.get(weighted_profile.get_absolute_url()).content.decode()
    assert url("approve", weighted_profile) in page
    assert url("return", weighted_profile) in page


def pdf_text(response):
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


def test_the_pdf_of_hr_is_the_working_draft_and_of_managers_the_published_version(
    client, published, hr_user, manager_user
):
    lifecycle.start_working_draft(published, hr_user)
    client.force_login(hr_user)
    text = pdf_text(client.get(url("pdf", published)))
    assert "DRAFT" in text and "Version 2" in text
    client.force_login(manager_user)
    text = pdf_text(client.get(url("pdf", published)))
    assert "DRAFT" not in text and "Draft" not in text
    assert "Version 1" in text and "Version 2" not in text


def test_editing_a_published_profile_in_the_browser_leaves_it_published(client, published, hr_user):
    client.force_login(hr_user)
    page = client.get(url("edit", published)).content.decode()
    start = parse_form(page, "start-draft")
    response = client.post(start.action, start.data())
    page = client.get(response.url).content.decode()
    data = form_data(page, "editor")
    data["profile-purpose"] = ["Reworded in a working draft."]
    response = client.post(url("edit", access.working_draft(published)), data)
    assert response.url == published.get_absolute_url()
    published.refresh_from_db()
    assert published.purpose != "Reworded in a working draft."
    assert published.working_draft.purpose == "Reworded in a working draft."
    assert published.status == Status.PUBLISHED


# Opening the editor of a published profile writes nothing -------------------------------------


def stored_rows():
    """What a write would add: profiles, audit entries, reversion versions and revisions."""
    return (
        RoleProfile.objects.count(),
        AuditEntry.objects.count(),
        Version.objects.count(),
        Revision.objects.count(),
    )


def test_opening_the_editor_of_a_published_profile_only_offers_a_working_draft(
    client, published, hr_user, django_assert_num_queries
):
    client.force_login(hr_user)
    before = stored_rows()
    # 1 session, 2 user with membership and force, 3 the profile as the user may see it,
    # 4 its working draft (none).
    with django_assert_num_queries(4):
        response = client.get(url("edit", published))
    assert response.status_code == 200
    assert stored_rows() == before
    assert not RoleProfile.objects.filter(draft_of=published).exists()
    page = response.content.decode()
    assert '<h2 id="start-draft-heading" class="h4">This profile is published</h2>' in page
    assert "hiring managers do not see it, and keep seeing version 1" in page
    start = parse_form(page, "start-draft")
    assert (start.method, start.action) == ("post", url("start_draft", published))
    assert "csrfmiddlewaretoken" in start.data()
    assert f'<a class="btn btn-link" href="{published.get_absolute_url()}">Cancel</a>' in page
    assert 'id="editor"' not in page


def test_an_editor_post_without_a_working_draft_saves_nothing_and_offers_one(
    client, published, hr_user
):
    client.force_login(hr_user)
    data = {"profile-title": "Changed title", "seen_revision": str(published.revision)}
    before = stored_rows()
    response = client.post(url("edit", published), data)
    assert response.status_code == 200
    assert parse_form(response.content.decode(), "start-draft").action == url(
        "start_draft", published
    )
    assert stored_rows() == before
    assert not RoleProfile.objects.filter(title="Changed title").exists()


def test_the_read_pages_edit_link_leads_to_the_offer(client, published, hr_user):
    client.force_login(hr_user)
    page = client.get(published.get_absolute_url()).content.decode()
    assert f'href="{url("edit", published)}">Edit</a>' in page
    assert "Start a working draft" in client.get(url("edit", published)).content.decode()


def test_starting_a_working_draft_opens_its_editor_and_a_second_start_opens_the_same(
    client, published, hr_user
):
    client.force_login(hr_user)
    profiles, entries, versions, revisions = stored_rows()
    response = client.post(url("start_draft", published))
    draft = RoleProfile.objects.get(draft_of=published)
    assert response.status_code == 302
    assert response.url == url("edit", draft)
    assert draft.slug == "community-support-officer--draft"
    assert messages_of(response) == [
        "Started a working draft of “Community Support Officer”. Hiring managers keep seeing "
        "version 1 until it is approved."
    ]
    entry = AuditEntry.objects.latest("pk")
    assert (entry.subject_id, entry.action, entry.user) == (draft.pk, AuditAction.CREATE, hr_user)
    assert stored_rows()[:2] == (profiles + 1, entries + 1)
    assert stored_rows()[3] == revisions + 1
    assert stored_rows()[2] > versions

    after_first = stored_rows()
    response = client.post(url("start_draft", published))
    assert response.url == url("edit", draft)
    assert stored_rows() == after_first
    assert RoleProfile.objects.filter(draft_of=published).count() == 1


def test_with_a_working_draft_the_editor_opens_it_and_writes_nothing(client, published, hr_user):
    draft = lifecycle.start_working_draft(published, hr_user)
    client.force_login(hr_user)
    before = stored_rows()
    response = client.get(url("edit", published))
    assert response.status_code == 200
    assert response.context["profile"] == draft
    assert parse_form(response.content.decode(), "editor").action == url("edit", draft)
    assert stored_rows() == before


def test_starting_a_draft_of_a_draft_opens_its_editor_without_a_copy(
    client, weighted_profile, hr_user
):
    client.force_login(hr_user)
    before = stored_rows()
    response = client.post(url("start_draft", weighted_profile))
    assert response.url == url("edit", weighted_profile)
    assert stored_rows() == before


def test_a_profile_in_review_gets_no_working_draft(client, weighted_profile, hr_user):
    in_review(weighted_profile, hr_user)
    client.force_login(hr_user)
    before = stored_rows()
    response = client.post(url("start_draft", weighted_profile))
    assert response.url == weighted_profile.get_absolute_url()
    assert messages_of(response) == [
        "“Community Support Officer” is in review, so it cannot be edited now. "
        "Only a draft can be edited."
    ]
    assert stored_rows() == before


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("name", ["edit", "start_draft"])
@pytest.mark.parametrize(
    ("who", "expected"), [("manager", 403), ("stranger", 404), ("anonymous", 0)]
)
def test_only_the_forces_editors_reach_the_offer_or_start_a_draft(
    client, published, manager_user, stranger, method, name, who, expected
):
    if name == "start_draft" and method == "get":
        expected = 405 if expected else 0
    user = {"manager": manager_user, "stranger": stranger, "anonymous": None}[who]
    if user:
        client.force_login(user)
    before = stored_rows()
    response = getattr(client, method)(url(name, published))
    if expected:
        assert response.status_code == expected
    else:
        assert response.status_code == 302
        assert response.url.startswith(reverse("login") + "?next=")
    assert stored_rows() == before


def test_the_list_shows_one_row_per_profile_and_filters_by_review(client, published, hr_user):
    lifecycle.start_working_draft(published, hr_user)
    RoleProfile.objects.filter(pk=published.pk).update(review_due=date(2000, 1, 1))
    client.force_login(hr_user)
    response = client.get(reverse("profiles:list"))
    assert [p.pk for p in response.context["profiles"]] == [published.pk]
    response = client.get(reverse("profiles:list"), {"review": "overdue"})
    assert [p.pk for p in response.context["profiles"]] == [published.pk]
    response = client.get(reverse("profiles:list"), {"review": "due"})
    assert list(response.context["profiles"]) == []


def test_creating_a_profile_in_the_browser_records_a_version_and_an_audit_entry(
    client, weighted_profile, hr_user
):
    client.force_login(hr_user)
    page = client.get(reverse("profiles:new"), {"copy_from": weighted_profile.pk})
    form = parse_form(page.content.decode(), "editor")
    form["profile-title"] = "Custody Officer"
    response = form.post(client, reverse("profiles:new"))
    assert response.status_code == 302
    created = RoleProfile.objects.get(title="Custody Officer")
    entry = AuditEntry.objects.get(profile=created)
    assert (entry.action, entry.user, entry.comment) == (
        AuditAction.CREATE,
        hr_user,
        "Copied from “Community Support Officer”.",
    )
    (version,) = Version.objects.get_for_object(created)
    assert version.revision.user == hr_user
    assert len(copying.snapshot_from_version(version)["sections"][0]["items"]) == 13


def test_the_navigation_offers_reviews_to_hr_editors_only(client, force, hr_user, manager_user):
    client.force_login(hr_user)
    assert reverse("profiles:review") in client.get(reverse("profiles:list")).content.decode()
    client.force_login(manager_user)
    assert reverse("profiles:review") not in client.get(reverse("profiles:list")).content.decode()
