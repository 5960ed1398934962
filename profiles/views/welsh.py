"""The Welsh language pages: the force's report of posts by Welsh category and level, and
its texts out to translators and back (XLIFF 2.0, profiles.services.translations)."""

import csv

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from profiles import access
from profiles.access import get_force_for_user
from profiles.models import RoleProfile, WelshCategory
from profiles.services import translations

CSV_HEADER = ["Title", "Reference", "Grade", "Welsh category", "Welsh level", "Level description"]


def published_posts(force):
    """Every published post of the force with its Welsh category and level, by title."""
    return (
        RoleProfile.objects.published()
        .originals()
        .filter(force=force)
        .select_related("grade", "welsh_level")
        .only(
            "slug",
            "title",
            "title_cy",
            "reference_code",
            "welsh_category",
            "force_id",
            "grade__code",
            "grade__name",
            "welsh_level__level",
            "welsh_level__description",
        )
        .order_by("title", "pk")
    )


def report_rows(force):
    rows = []
    for profile in published_posts(force):
        level = profile.welsh_level
        category = profile.welsh_category
        rows.append(
            {
                "profile": profile,
                "grade": str(profile.grade or ""),
                "category": WelshCategory(category).label if category else "",
                "level": level.level if level else "",
                "description": level.description if level else "",
            }
        )
    return rows


@login_required
@require_safe
def welsh_language_report(request, force_slug):
    """Posts by Welsh category and level, for the force's annual Welsh Language Standards
    report; `?format=csv` downloads it."""
    force = get_force_for_user(request, force_slug)
    if not force.welsh_language:
        raise Http404(_("This force does not keep Welsh language requirements."))
    rows = report_rows(force)
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="welsh-language-{force.slug}.csv"'
        writer = csv.writer(response)
        writer.writerow(CSV_HEADER)
        for row in rows:
            profile = row["profile"]
            writer.writerow(
                [
                    _csv_safe(text)
                    for text in (
                        profile.title,
                        profile.reference_code,
                        row["grade"],
                        row["category"],
                        row["level"],
                        row["description"],
                    )
                ]
            )
        return response
    counts = {label: 0 for label in WelshCategory.labels}
    for row in rows:
        if row["category"]:
            counts[row["category"]] += 1
    missing = sum(1 for row in rows if not row["category"])
    context = {"force": force, "rows": rows, "counts": counts.items(), "missing": missing}
    return render(request, "profiles/welsh_language.html", context)


def _csv_safe(value):
    """A cell a spreadsheet shows as text: one starting = + - @ would be run as a formula."""
    text = str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


class TranslationUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Translated XLIFF file"),
        help_text=gettext_lazy(
            "The file exported here, with the Welsh filled in by your translators."
        ),
    )


def _translating_force(request, force_slug):
    """The force, for its HR editors and administrators: 404 to other forces, 403 to others."""
    force = get_force_for_user(request, force_slug)
    if not access.can_change_style(request.user, force):
        raise PermissionDenied(_("Only the force's HR editors exchange its translations."))
    return force


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def welsh_translations(request, force_slug):
    """What needs Welsh, an XLIFF export of it, and the import of a translated file."""
    force = _translating_force(request, force_slug)
    form = TranslationUploadForm()
    if request.method == "POST":
        form = TranslationUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                written = translations.import_xliff(
                    force, upload.read(translations.MAX_XLIFF_BYTES + 1), user=request.user
                )
            except translations.TranslationRefused as error:
                form.add_error("file", str(error))
            else:
                messages.success(request, _("%(n)s Welsh texts were imported.") % {"n": written})
                return redirect("profiles:welsh_translations", force.slug)
    units = translations.units_needing_translation(force)
    context = {
        "force": force,
        "form": form,
        "untranslated": sum(1 for unit in units if not unit.target),
        "stale": sum(1 for unit in units if unit.target),
    }
    status = 400 if form.errors else 200
    return render(request, "profiles/welsh_translations.html", context, status=status)


@login_required
@require_safe
def welsh_translations_export(request, force_slug):
    force = _translating_force(request, force_slug)
    response = HttpResponse(
        translations.export_xliff(force), content_type="application/xliff+xml; charset=utf-8"
    )
    name = f"welsh-{force.slug}.xlf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
