"""Pages for finding, reading, creating and editing role profiles.

Every profile a request touches is fetched through `access.get_profile_for_user`, so a
user reaches only what their force and role allow: 404 for what they may not see, 403 for
what they may see but not change.

It runs past 400 lines because the list, read, editor (open, save, rows, checklist) and new
profile pages share the editor's context and the access checks; imports, the library,
lifecycle, PDFs and house styles have their own view modules.
"""

import html
from typing import NamedTuple
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from competencies.models import Competency
from profiles import access, search
from profiles.checklist import draft_checklist, publication_checklist
from profiles.editor import page as editor_page
from profiles.editor import rows as editor_rows
from profiles.editor.forms import (
    PARTS,
    Choices,
    ItemFormSet,
    ProfileEditor,
    blank_row,
    fetch_for_editor,
    item_prefix,
    row_kwargs,
)
from profiles.editor.new_profile import (
    NewProfileEditor,
    source_choices,
    source_snapshot,
    unsaved_profile,
)
from profiles.limits import TamperedPost
from profiles.models import Behaviour, Force, Grade, RoleProfile, Section, Status, WelshCategory
from profiles.printing import pdf
from profiles.printing.document import document_context
from profiles.services import editing
from profiles.views.editable import row_to_edit
from vetting.models import VettingLevel

PAGE_SIZE = 25
SORTS = {
    "title": (gettext_lazy("Title"), ["title", "pk"]),
    "force": (gettext_lazy("Force"), ["force__name", "title", "pk"]),
    "grade": (gettext_lazy("Grade"), ["grade__code", "title", "pk"]),
    "updated": (gettext_lazy("Recently changed"), ["-updated_at", "pk"]),
    "reference": (gettext_lazy("Reference"), ["reference_code", "pk"]),
}


class ListRow(NamedTuple):
    """One row of the list page: its columns as values, not models (a page of 25 rows made
    100 model instances, a force, a grade and a vetting level for each)."""

    pk: int
    slug: str
    title: str
    reference_code: str
    status_label: str
    force_name: str
    grade: str
    vetting: str
    url: str


LIST_COLUMNS = [
    "pk",
    "slug",
    "title",
    "reference_code",
    "status",
    "force__slug",
    "force__name",
    "grade__code",
    "vetting_level__code",
]


def list_rows(pks):
    """The rows of these profiles, in the order of `pks`, in one query."""
    # reverse() costs ~20 µs a call, 25 a page: the detail URL is reversed once and filled in
    # per row (a slug needs no quoting, so the result is what reverse() would give).
    url = reverse("profiles:detail", args=["force-slug-of-row", "slug-of-row"])
    url = url.replace("force-slug-of-row", "{0}").replace("slug-of-row", "{1}")
    # Each status's label once: get_status_display() builds the choices anew for every row.
    labels = {value: str(label) for value, label in Status.choices}
    found = {}
    for pk, slug, title, ref, status, force_slug, force_name, grade, vetting in (
        RoleProfile.objects.filter(pk__in=pks).order_by().values_list(*LIST_COLUMNS)
    ):
        found[pk] = ListRow(
            pk,
            slug,
            title,
            ref,
            labels.get(status, status),
            force_name,
            grade or "",
            vetting or "",
            url.format(force_slug, slug),
        )
    return [found[pk] for pk in pks]


def options(choices, selected, value_attr=None, label_attr=None):
    """<option> elements, escaped, built in Python: filters list hundreds of choices.

    The standard library's html.escape is what Django's escape() calls; called directly it
    skips the lazy-string checks around it (format_html_join spent ~1 ms a page in them)."""
    if value_attr:
        choices = [(getattr(obj, value_attr), getattr(obj, label_attr)) for obj in choices]
    if selected is not None and hasattr(selected, "pk"):
        selected = getattr(selected, value_attr) if value_attr else selected.pk
    selected = str(selected)
    return mark_safe(
        "".join(
            f'<option value="{html.escape(str(value))}"'
            f"{' selected' if str(value) == selected else ''}>{html.escape(str(label))}</option>"
            for value, label in choices
        )
    )


def _choice(queryset, value):
    """The object `value` names in `queryset`, or None for a missing or foreign value."""
    if not value or not str(value).isdigit():
        return None
    return next((obj for obj in queryset if str(obj.pk) == str(value)), None)


@login_required
@require_GET
def profile_list(request):
    user = request.user
    visible = access.readable(RoleProfile.objects.all(), user)
    # The filters offer only what the user's profiles can match.
    forces = list(
        access.readable_forces(
            Force.objects.only("pk", "slug", "name", "national", "welsh_language"), user
        )
    )
    # Forces name their grades alike (Scale 4), so the grade filter is by code.
    grades = list(
        Grade.objects.filter(force__in=[force.pk for force in forces])
        .order_by("code")
        .values_list("code", flat=True)
        .distinct()
    )
    vetting_levels = list(VettingLevel.objects.only("pk", "code", "name"))
    competencies = list(Competency.objects.select_related("framework"))

    params = request.GET
    q = params.get("q", "").strip()[:200]
    force = next((f for f in forces if f.slug == params.get("force")), None)
    grade = params.get("grade") if params.get("grade") in grades else ""
    vetting = _choice(vetting_levels, params.get("vetting"))
    competency = _choice(competencies, params.get("competency"))
    # Only the statuses this user can see: a hiring manager reads published profiles alone,
    # an approver those in review too.
    statuses = (
        Status.choices
        if access.can_create(user)
        else [(status, Status(status).label) for status in access.readable_statuses(user)]
    )
    status = params.get("status") if params.get("status") in dict(statuses) else ""
    # The Welsh Language Standards' categories, where a Welsh force's profiles are listed.
    welsh_forces = any(f.welsh_language for f in forces)
    welsh = params.get("welsh") if params.get("welsh") in WelshCategory.values else ""
    sort = params.get("sort") if params.get("sort") in SORTS else ""
    if not sort:
        sort = "relevance" if q else "title"

    if not access.is_administrator(user) and (force is None or force.national):
        # Every signed-in user reads a national publisher's published profiles, in "All
        # forces" too; by the publishers' ids, which keeps the list on its force index.
        national_ids = [f.pk for f in forces if f.national]
        visible = visible | access.readable_national(
            RoleProfile.objects.filter(force_id__in=national_ids)
        )
    profiles = visible.originals().review_state(params.get("review"))
    if force:
        profiles = profiles.filter(force=force)
    if grade:
        profiles = profiles.filter(grade__code=grade)
    if vetting:
        profiles = profiles.filter(vetting_level=vetting)
    if status == Status.IN_REVIEW:
        # A published profile whose working draft awaits review is in review too: that is
        # what reviewers (a second HR editor, an approver) look for.
        profiles = profiles.filter(Q(status=status) | Q(working_draft__status=Status.IN_REVIEW))
    elif status:
        profiles = profiles.filter(status=status)
    if welsh:
        profiles = profiles.filter(welsh_category=welsh)
    if competency:
        profiles = profiles.filter(
            Exists(
                Behaviour.objects.filter(profile=OuterRef("pk"), level__competency_id=competency.pk)
            )
        )
    profiles = search.search(profiles, q)
    if sort == "relevance" and "rank" in profiles.query.annotations:
        ordering = ["-rank", "title", "pk"]
    else:
        # Without ranking (SQLite) relevance falls back to the title.
        ordering = SORTS.get(sort, SORTS["title"])[1]
    sorts = [("relevance", _("Relevance"))] * bool(q) + [
        (key, label) for key, (label, _order) in SORTS.items()
    ]
    # The page is found by primary key alone (an index-only scan on (title, id) for the
    # default order, even pages deep; on (force, title, id) by force), then only its rows
    # are read with their joins.
    if sort == "force":
        keys = search.ByForceName(profiles, forces)
    elif q:
        # A search reads every match to rank (or match) it: the count comes with the page.
        keys = search.CountedPage(profiles.order_by(*ordering), PAGE_SIZE, params.get("page"))
    else:
        keys = profiles.order_by(*ordering).values_list("pk", flat=True)
    page = Paginator(keys, PAGE_SIZE)
    page = page.get_page(params.get("page"))
    page.object_list = list_rows(list(page.object_list))
    query = params.copy()
    query.pop("page", None)
    welsh_filter = []
    if welsh_forces:
        welsh_filter = [
            (
                "welsh",
                _("Welsh language"),
                _("Any Welsh requirement"),
                options(WelshCategory.choices, welsh),
            )
        ]
    return render(
        request,
        "profiles/list.html",
        {
            "page": page,
            "profiles": page.object_list,
            "q": q,
            "filters": [
                ("force", _("Force"), _("All forces"), options(forces, force, "slug", "name")),
                ("status", _("Status"), _("Any status"), options(statuses, status)),
                ("grade", _("Grade"), _("Any grade"), options([(g, g) for g in grades], grade)),
                (
                    "vetting",
                    _("Vetting level"),
                    _("Any vetting level"),
                    options([(v.pk, f"{v.code} – {v.name}") for v in vetting_levels], vetting),
                ),
                (
                    "competency",
                    _("Competency"),
                    _("Any competency"),
                    options(
                        [
                            (c.pk, f"{c.name} ({c.framework.short_name or c.framework.name})")
                            for c in competencies
                        ],
                        competency,
                    ),
                ),
                *welsh_filter,
                ("sort", _("Sort by"), None, options(sorts, sort)),
            ],
            "sort": sort,
            "query": query.urlencode(),
            "may_create": access.can_create(user),
        },
    )


@login_required
@require_GET
def profile_detail(request, force_slug, slug):
    profile = access.get_profile_for_user(request, force_slug, slug, access.READ)
    context = document_context(profile)
    context.update(national_context(request.user, access.root_of(profile)))
    context["lifecycle"] = access.allowed_steps(request.user, profile)
    context["may_edit"] = access.can_edit(request.user, profile)
    context["may_create"] = access.can_create(request.user)
    context["pdf_url"] = reverse("profiles:pdf", args=[force_slug, slug])
    context["pdf_updating"] = pdf.being_updated(profile)
    if context["may_edit"] and profile.status in (Status.DRAFT, Status.IN_REVIEW):
        context["checklist"] = publication_checklist(context["profile"])
        context["approvers"] = access.approvers(context["profile"])
    return render(request, "profiles/detail.html", context)


def national_context(user, profile):
    """The national side of the read page: derive from a national profile, or the parent a
    derived one came from and whether it has a newer version (a query, for derived ones)."""
    context = {"may_derive": access.may_derive(user, profile)}
    if profile.derived_from_id:
        parent = RoleProfile.objects.select_related("force").get(pk=profile.derived_from_id)
        context["national_parent"] = parent
        context["national_version"] = profile.derived_from_version
        context["national_url"] = reverse(
            "profiles:national", args=[profile.force.slug, profile.slug]
        )
        context["national_update"] = parent.version > (profile.derived_from_version or 0)
    return context


def _refused_as_stale(request, profile, seen_revision):
    """Say that someone else saved meanwhile; the link to what changed and the revision now."""
    messages.error(request, _(editing.STALE_MESSAGE))
    root = access.root_of(profile)
    compare = reverse("profiles:compare", args=[root.force.slug, root.slug])
    current = RoleProfile.objects.values_list("revision", flat=True).get(pk=profile.pk)
    return f"{compare}?since={seen_revision}", current


def _editor_for_post(profile, data, seen_revision):
    """The editor bound to a post; TamperedPost (400) unless the post describes the profile's rows.

    A post made before someone else's save may name rows that are gone or lack new ones:
    that is a stale save, bound with its counts checked only, and refused as stale.
    """
    try:
        return ProfileEditor(profile, data)
    except TamperedPost:
        current = RoleProfile.objects.values_list("revision", flat=True).get(pk=profile.pk)
        if current == seen_revision:
            raise
        return ProfileEditor(profile, data, rows_must_match=False)


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request, force_slug, slug):
    # A published profile is edited through its working draft (services.lifecycle).
    profile, editable, refused = row_to_edit(request, force_slug, slug)
    if refused:
        return refused
    if editable is None:
        # No working draft yet. Opening the editor must change nothing (link scanners,
        # prefetching and the back button open it too): the page offers to start one, and
        # only its POST to start_draft does.
        return render(request, "profiles/start_draft.html", {"profile": profile})
    profile = fetch_for_editor(editable)
    seen_revision = profile.revision
    stale_url = None
    if request.method == "POST":
        posted = request.POST.get("seen_revision", "")
        seen_revision = int(posted) if posted.isdigit() else -1
        editor = _editor_for_post(profile, request.POST, seen_revision)
        if editor.is_valid():
            try:
                editing.save_editor(editor, seen_revision=seen_revision, user=request.user)
            except editing.StaleProfile:
                # Keep the input; the next save, made knowing what changed, may go through.
                stale_url, seen_revision = _refused_as_stale(request, profile, seen_revision)
            else:
                messages.success(request, _("Saved “%(title)s”.") % {"title": profile.title})
                return redirect(access.root_of(profile).get_absolute_url())
        elif seen_revision != profile.revision:
            # The rows the form refers to may be what someone else changed or deleted.
            stale_url, seen_revision = _refused_as_stale(request, profile, seen_revision)
        else:
            messages.error(
                request, _("Nothing was saved: please correct the problems marked below.")
            )
    else:
        editor = ProfileEditor(profile)
    row_url = reverse("profiles:editor_row", args=[profile.force.slug, profile.slug])
    return render(
        request,
        "profiles/edit.html",
        {
            "profile": profile,
            "editor": editor,
            "row_url": row_url,
            "action_url": reverse("profiles:edit", args=[profile.force.slug, profile.slug]),
            "draft_key": f"profile-{profile.pk}",
            "seen_revision": seen_revision,
            "stale_url": stale_url,
            # A refused save's: of its input (the editor is validated already).
            "checklist": (
                draft_checklist(editor.draft(), profile.force)
                if editor.data is not None
                else publication_checklist(profile)
            ),
            "checklist_url": reverse(
                "profiles:edit_checklist", args=[profile.force.slug, profile.slug]
            ),
            **editor_page.page_context(editor, profile),
        },
    )


@login_required
@require_GET
def editor_row(request, force_slug, slug):
    """One blank row of a formset of the editor, for htmx to add without a reload."""
    profile = access.get_profile_for_user(request, force_slug, slug, access.EDIT)
    return _blank_row(request, profile, reverse("profiles:editor_row", args=[force_slug, slug]))


@login_required
@require_GET
def new_editor_row(request):
    """A blank row for the editor of a profile not saved yet."""
    access.require(access.can_create(request.user), "Only HR editors create profiles.")
    force = _new_profile_force(request, request.GET)
    if force is None:
        raise Http404("No such force.")
    row_url = f"{reverse('profiles:new_row')}?{urlencode({'force': force.slug})}"
    return _blank_row(request, unsaved_profile(force), row_url)


def _blank_row(request, profile, row_url):
    part = request.GET.get("part", "")
    index = request.GET.get("index", "")
    if not index.isdigit():
        raise Http404("No such row.")
    if part == "items":
        section = request.GET.get("section", "")
        if not section.startswith("sections-") or not section[9:].isdigit():
            raise Http404("No such section.")
        formset = ItemFormSet(
            instance=Section(profile=profile),
            prefix=f"{section}-items",
            rows=[],
            form_kwargs=row_kwargs(profile, None),
        )
        form = blank_row(formset, int(index))
        row = editor_rows.row("items", form, editor_rows.Words())
        return render(request, "partials/editor_row.html", {"row": row, "part": "items"})
    if part not in PARTS:
        raise Http404("No such part.")
    formset = PARTS[part][0](
        instance=profile, prefix=part, rows=[], form_kwargs=row_kwargs(profile, Choices(profile))
    )
    form = blank_row(formset, int(index))
    words = editor_rows.Words()
    context = {"part": part, "row_url": row_url}
    if part == "sections":
        items = ItemFormSet(
            instance=form.instance,
            prefix=item_prefix(form),
            rows=[],
            form_kwargs=row_kwargs(profile, None),
        )
        context.update(editor_page.section_context(form, False, items, items.forms, words))
    else:
        context["row"] = editor_rows.row(part, form, words)
    return render(request, "partials/editor_row.html", context)


def _new_profile_force(request, params):
    """The force a new profile goes into: the HR editor's own; for staff, the one chosen."""
    force = access.force_acted_for(request.user, slug=params.get("force"))
    return force if force is not None and access.can_create(request.user, force) else None


@login_required
@require_http_methods(["GET", "POST"])
def profile_new(request):
    """The editor over a profile that is written only when its first save succeeds."""
    access.require(access.can_create(request.user), "Only HR editors create profiles.")
    params = request.GET
    source, copy_error = None, None
    copy_from = params.get("copy_from", "")
    if copy_from:
        wanted = RoleProfile.objects.select_related("force").filter(
            pk=copy_from if copy_from.isdigit() else None
        )
        # A force's own profile, or a national one, which every signed-in user reads.
        source = (
            access.readable(wanted, request.user).first()
            or access.readable_national(wanted).first()
        )
        copy_error = None if source else "You may not copy that profile."
    force = _new_profile_force(request, params)
    if force is None or copy_error:
        forces = Force.objects.all() if access.is_administrator(request.user) else []
        context = {"source": source, "forces": forces, "copy_error": copy_error}
        return render(request, "profiles/new.html", context)
    query = urlencode({"force": force.slug, **({"copy_from": source.pk} if source else {})})
    snapshot = source_snapshot(source) if source else None
    editor = NewProfileEditor(
        unsaved_profile(force, snapshot), request.POST or None, snapshot=snapshot
    )
    if request.method == "POST":
        if editor.is_valid():
            profile = editor.create(request.user, source)
            messages.success(
                request, _("Created “%(title)s” as a draft.") % {"title": profile.title}
            )
            return redirect(profile.get_absolute_url())
        messages.error(request, _("Nothing was saved: please correct the problems marked below."))
    return render(
        request,
        "profiles/edit.html",
        {
            "profile": editor.profile,
            "source": source,
            "editor": editor,
            "row_url": f"{reverse('profiles:new_row')}?{urlencode({'force': force.slug})}",
            "action_url": f"{reverse('profiles:new')}?{query}",
            "draft_key": f"new-{force.slug}-{source.pk if source else 'blank'}",
            "new_force": force,
            "source_choices": source_choices(request.user, force),
            # A new profile's checklist is asked for once the page has loaded (of its rows).
            "checklist": (
                draft_checklist(editor.draft(), force) if editor.data is not None else None
            ),
            "checklist_url": f"{reverse('profiles:new_checklist')}?{urlencode({'force': force.slug})}",
            "seen_revision": "",
            "stale_url": None,
            **editor_page.page_context(editor, editor.profile),
        },
    )


# The publication checklist beside the editor, checked again as the user types ---------------


def editor_checklist(editor):
    """What a bound editor's input (its rows that validate) would still lack for publication:
    profiles.checklist over the draft the editor would save. Nothing is saved."""
    editor.is_valid()
    return draft_checklist(editor.draft(), editor.profile.force)


def _checklist_answer(request, build):
    try:
        editor = build()
    except TamperedPost:
        return HttpResponseBadRequest("The editor's fields do not describe this profile.")
    return render(
        request, "partials/publication_checklist.html", {"checklist": editor_checklist(editor)}
    )


@login_required
@require_POST
def profile_checklist(request, force_slug, slug):
    """The checklist of the editor's unsaved input (posted by htmx as the user types)."""
    profile, editable, refused = row_to_edit(request, force_slug, slug)
    if refused:
        return refused
    if editable is None:
        raise Http404("No working draft to check.")
    # Rows someone else saved meanwhile are no reason to refuse a check.
    return _checklist_answer(
        request,
        lambda: ProfileEditor(fetch_for_editor(editable), request.POST, rows_must_match=False),
    )


@login_required
@require_POST
def new_profile_checklist(request):
    """The checklist of a new profile's input, before its first save."""
    access.require(access.can_create(request.user), "Only HR editors create profiles.")
    force = _new_profile_force(request, request.GET)
    if force is None:
        raise Http404("No such force.")
    return _checklist_answer(
        request, lambda: NewProfileEditor(unsaved_profile(force), request.POST)
    )
