"""A force's profiles seen together: wording advice, near-copies, the vetting register and
bulk changes (one text, or the framework, changed in many profiles at once)."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from profiles import access, similarity, wording
from profiles.draft import ProfileDraft, fetch_for_draft
from profiles.models import RoleProfile, Status
from profiles.services import bulk, history

REGISTER_COLUMNS = (
    _("Vetting level"),
    _("Status"),
    _("Designated for"),
    _("Profile"),
    _("Reference"),
    _("Grade"),
    _("Number of posts"),
    _("Date reviewed"),
    _("Review due"),
    _("Vetting renewed every (years)"),
)


def register_rows(force):
    """Every post of the force by vetting level, as the register lists them: published ones,
    and those still being written (a working draft is the published post, not another)."""
    profiles = (
        RoleProfile.objects.filter(force=force, draft_of=None)
        .exclude(status=Status.ARCHIVED)
        .select_related("force", "vetting_level", "grade")
        .order_by("vetting_level__order", "vetting_level__code", "title", "slug")
    )
    rows = []
    for profile in profiles:
        level = profile.vetting_level
        rows.append(
            {
                "profile": profile,
                "level": str(level) if level else "No vetting level",
                "designation": level.designation if level else "",
                "published": profile.status == Status.PUBLISHED,
                "values": [
                    str(level) if level else "No vetting level",
                    profile.get_status_display(),
                    level.designation if level else "",
                    profile.title,
                    profile.reference_code,
                    profile.grade.code if profile.grade else "",
                    profile.number_of_posts if profile.number_of_posts is not None else "",
                    profile.date_reviewed_text(),
                    profile.review_due_text(),
                    level.renewal_years if level and level.renewal_years else "",
                ],
            }
        )
    return rows


def csv_response(filename, header, rows):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # A byte-order mark so that Excel reads the file as UTF-8.
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(header)
    writer.writerows(rows)
    return response


@login_required
def vetting_register(request, force_slug):
    force = access.get_force_for_user(request, force_slug)
    access.require(
        access.can_see_vetting_register(request.user, force),
        "The vetting register is for the force's HR editors and vetting unit.",
    )
    rows = register_rows(force)
    if request.GET.get("format") == "csv":
        return csv_response(
            f"{force.slug}-vetting-register.csv", REGISTER_COLUMNS, [row["values"] for row in rows]
        )
    levels = {}
    for row in rows:
        levels.setdefault(row["level"], []).append(row)
    return render(
        request,
        "consistency/vetting_register.html",
        {"force": force, "levels": levels, "columns": REGISTER_COLUMNS[3:], "count": len(rows)},
    )


@login_required
def wording_report(request, force_slug):
    force = access.get_force_for_user(request, force_slug)
    access.require(
        access.can_see_force_reports(request.user, force),
        "The wording report is for the force's HR editors.",
    )
    results = [(profile, found) for profile, found in wording.force_findings(force) if found]
    return render(
        request,
        "consistency/wording_report.html",
        {
            "force": force,
            "results": results,
            "count": sum(len(found) for _profile, found in results),
        },
    )


@login_required
def similar_report(request, force_slug):
    force = access.get_force_for_user(request, force_slug)
    access.require(
        access.can_see_force_reports(request.user, force),
        "The similar profiles report is for the force's HR editors.",
    )
    return render(
        request,
        "consistency/similar_report.html",
        {
            "force": force,
            "pairs": similarity.similar_pairs(force.pk),
            "threshold": similarity.REPORT_THRESHOLD,
        },
    )


@login_required
def similar_panel(request, force_slug, slug):
    """The force's profiles most like this one (loaded beside the editor and the read page)."""
    profile = access.get_profile_for_user(
        request, force_slug, slug, access.EDIT, related=("force",)
    )
    return render(
        request,
        "consistency/similar_panel.html",
        {"profile": profile, "similar": similarity.most_similar(profile)},
    )


@login_required
def compare_profiles(request, force_slug, slug, other_slug):
    """Two profiles of a force side by side, as the history compares two versions."""
    profile = access.get_profile_for_user(request, force_slug, slug, access.EDIT)
    other = access.get_profile_for_user(request, force_slug, other_slug, access.EDIT)
    snapshots = [
        ProfileDraft.from_profile(fetch_for_draft(row.pk)).to_snapshot() for row in (other, profile)
    ]
    return render(
        request,
        "consistency/compare.html",
        {"profile": profile, "other": other, "changes": history.compare(*snapshots)},
    )


# Bulk changes: one text, or the framework, changed in many profiles ---------------------------


def _bulk_force(request, force_slug):
    force = access.get_force_for_user(request, force_slug)
    access.require(
        access.can_see_force_reports(request.user, force),
        "Bulk changes are for the force's HR editors.",
    )
    return force


@login_required
def bulk_changes(request, force_slug):
    """Find a text in the force's profiles and change it in all of them, or move them all to
    CVF 2024; each change makes working drafts in review."""
    force = _bulk_force(request, force_slug)
    old = request.POST.get("old_text", request.GET.get("find", "")).strip()
    new = request.POST.get("new_text", "")
    error = None
    if request.method == "POST":
        try:
            if request.POST.get("action") == "framework":
                change = bulk.move_framework(force, request.user)
            else:
                change = bulk.replace_text(force, old, new, request.user)
        except ValidationError as refusal:
            error = " ".join(refusal.messages)
        else:
            messages.success(
                request,
                f"{change.description}: {change.profiles.count()} working draft(s) made "
                "and sent for review.",
            )
            return redirect("profiles:bulk_change", force.slug, change.pk)
    on_old_framework = bulk.current_profiles(force).filter(
        Q(framework__code=bulk.OLD_FRAMEWORK) | Q(working_draft__framework__code=bulk.OLD_FRAMEWORK)
    )
    return render(
        request,
        "consistency/bulk_changes.html",
        {
            "force": force,
            "old": old,
            "new": new,
            "error": error,
            "using": list(bulk.profiles_using(force, old)) if old else None,
            "standards": bulk.standard_sections_using(force, old) if old else [],
            "on_old_framework": list(on_old_framework.order_by("title", "slug")),
            "changes": force.bulk_changes.select_related("created_by")[:20],
        },
    )


@login_required
def bulk_change(request, force_slug, pk):
    force = _bulk_force(request, force_slug)
    change = get_object_or_404(force.bulk_changes, pk=pk)
    if request.method == "POST":
        try:
            approved = bulk.approve_together(change, request.user)
        except ValidationError as refusal:
            messages.error(request, " ".join(refusal.messages))
        else:
            messages.success(
                request,
                ngettext(
                    "Approved and published %(n)s profile.",
                    "Approved and published %(n)s profiles.",
                    len(approved),
                )
                % {"n": len(approved)},
            )
        return redirect("profiles:bulk_change", force.slug, change.pk)
    rows = []
    for profile in change.profiles.select_related("force", "working_draft").order_by("title"):
        row = access.working_draft(profile) if profile.status == Status.PUBLISHED else profile
        rows.append({"profile": profile, "row": row or profile})
    waiting = [row for row in rows if row["row"].status == Status.IN_REVIEW]
    return render(
        request,
        "consistency/bulk_change.html",
        {
            "force": force,
            "change": change,
            "rows": rows,
            "waiting": waiting,
            "may_approve": bool(waiting)
            and all(access.can_review(request.user, row["row"]) for row in waiting),
        },
    )
