"""A force's profiles seen together: wording advice, near-copies and the vetting register."""

import csv

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from profiles import access, history, similarity, wording
from profiles.draft import DRAFT_PREFETCH, DRAFT_RELATED, ProfileDraft, fetch_for_draft
from profiles.models import RoleProfile, Status

REGISTER_COLUMNS = (
    "Vetting level",
    "Status",
    "Designated for",
    "Profile",
    "Reference",
    "Grade",
    "Number of posts",
    "Date reviewed",
    "Review due",
    "Vetting renewed every (years)",
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


def force_findings(force):
    """[(profile, [Finding])] for the force's current profiles (not archived), by title."""
    extra = wording.parse_extra_words(force.flagged_words)
    profiles = (
        RoleProfile.objects.filter(force=force)
        .exclude(status=Status.ARCHIVED)
        .select_related(*DRAFT_RELATED)
        .prefetch_related(*DRAFT_PREFETCH)
        .order_by("title", "slug")
    )
    return [
        (profile, wording.findings(ProfileDraft.from_profile(profile), extra))
        for profile in profiles
    ]


@login_required
def wording_report(request, force_slug):
    force = access.get_force_for_user(request, force_slug)
    access.require(
        access.can_see_force_reports(request.user, force),
        "The wording report is for the force's HR editors.",
    )
    results = [(profile, found) for profile, found in force_findings(force) if found]
    return render(
        request,
        "consistency/wording_report.html",
        {"force": force, "results": results, "count": sum(len(found) for _, found in results)},
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
