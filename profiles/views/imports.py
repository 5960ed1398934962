"""Pages to import documents as draft profiles, follow a batch, and review what it made of one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from profiles import access, tasks
from profiles.editor.forms import ImportedTitleForm
from profiles.importing import batches
from profiles.importing import service as importing_service
from profiles.importing.readers import MAX_FILE_BYTES, MAX_PDF_PAGES
from profiles.models import Force, ImportBatch, ImportedDocument
from profiles.printing import document, styles
from profiles.services import editing


def _force_for(request):
    """The force an upload goes to: an HR editor's own; administrators choose one."""
    force = access.force_acted_for(request.user, pk=request.POST.get("force"))
    if force is None:
        raise Http404("No such force.")
    return force


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request):
    """The upload form; an upload becomes a batch that the task worker imports."""
    if not access.can_create(request.user):
        raise PermissionDenied("Only HR editors and administrators import profiles.")
    error = ""
    if request.method == "POST":
        force = _force_for(request)
        uploads = request.FILES.getlist("files")
        if uploads:
            batch = tasks.start_batch(
                force,
                uploads,
                user=request.user,
                create_grades=access.is_administrator(request.user),
            )
            return redirect("profiles:import_batch", batch.pk)
        error = "Choose at least one file."
    context = {
        "error": error,
        "forces": Force.objects.only("pk", "name")
        if access.is_administrator(request.user)
        else None,
        "max_mb": MAX_FILE_BYTES // 1024 // 1024,
        "max_upload_mb": batches.MAX_UPLOAD_BYTES // 1024 // 1024,
        "max_pages": MAX_PDF_PAGES,
        "max_documents": batches.MAX_DOCUMENTS_PER_BATCH,
        "recent": _recent_batches(request.user),
    }
    status = 400 if error else 200
    return render(request, "profiles/import.html", context, status=status)


def _recent_batches(user):
    """The last uploads this user may follow: their force's, or every force's for staff."""
    recent = ImportBatch.objects.select_related("force").annotate(documents=Count("files"))
    if not access.is_administrator(user):
        recent = recent.filter(force_id=access.membership_of(user).force_id)
    return recent.order_by("-created_at", "-pk")[:10]


def _batch_context(batch):
    files = batch.files.select_related("profile").only(
        "batch_id",
        "order",
        "name",
        "state",
        "counts",
        "unplaced_words",
        "warnings",
        "error",
        "profile__slug",
        "profile__title",
    )
    return {"batch": batch, "status": batches.batch_status(batch), "files": files}


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def import_batch(request, pk):
    """A batch's progress and per-file results; POST resumes a batch whose worker stopped."""
    batch = access.get_import_batch_for_user(request, pk)
    if request.method == "POST":
        tasks.queue_batch(batch)
        return redirect("profiles:import_batch", batch.pk)
    return render(request, "profiles/import_batch.html", _batch_context(batch))


@login_required
@require_safe
def import_batch_status(request, pk):
    """The progress and the results so far, as an htmx fragment that polls until done."""
    batch = access.get_import_batch_for_user(request, pk)
    return render(request, "partials/import_batch_status.html", _batch_context(batch))


def highlighted(source, unplaced):
    """The source text as [(text, unplaced?)] pieces, each unplaced passage marked once."""
    pieces, position = [], 0
    for passage in unplaced:
        found = source.find(passage, position)
        if found < 0:
            continue
        pieces.append((source[position:found], False))
        pieces.append((passage, True))
        position = found + len(passage)
    pieces.append((source[position:], False))
    return [piece for piece in pieces if piece[0]]


@login_required
@require_http_methods(["GET", "POST"])
def import_review(request, force_slug, slug):
    profile = access.get_profile_for_user(request, force_slug, slug, access.EDIT)
    source = get_object_or_404(ImportedDocument, profile=profile)
    labels = styles.style_of(profile.force)["labels"]
    title_form = ImportedTitleForm(request.POST or None, instance=profile)
    title_form.fields["title"].label = labels["title"]
    if request.method == "POST" and title_form.is_valid():
        seen = request.POST.get("seen_revision", "")
        try:
            importing_service.correct_title(
                profile,
                title_form.cleaned_data["title"],
                user=request.user,
                seen_revision=int(seen) if seen.isdigit() else -1,
            )
        except editing.StaleProfile:
            messages.error(request, _(editing.STALE_MESSAGE))
        else:
            messages.success(request, _("The title is now “%(title)s”.") % {"title": profile.title})
        return redirect("profiles:import_review", profile.force.slug, profile.slug)
    sections = list(profile.sections.prefetch_related("items"))
    unplaced = [
        item.text for section in sections if section.kind == "notes" for item in section.items.all()
    ]
    context = {
        "profile": profile,
        "source": source,
        "title_form": title_form,
        "pieces": highlighted(source.source_text, unplaced),
        # every field the import filled, named as the force's documents name them
        "fields": document.field_rows(profile, labels),
        "purpose_label": labels["purpose"],
        "post_details": list(profile.post_details.all()),
        "sections": sections,
        "criteria": list(profile.criteria.prefetch_related("methods")),
        "behaviours": list(profile.behaviours.select_related("level__competency")),
    }
    return render(request, "profiles/import_review.html", context)
