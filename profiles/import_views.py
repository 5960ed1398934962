"""Pages to import documents as draft profiles and to review what an import made of one."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_http_methods

from profiles import access
from profiles.importing.readers import MAX_FILE_BYTES, MAX_PDF_PAGES, MAX_ZIP_BYTES
from profiles.importing.service import MAX_DOCUMENTS_PER_UPLOAD, FileResult, import_files
from profiles.models import Force, ImportedDocument

MAX_UPLOAD_BYTES = MAX_ZIP_BYTES


def _force_for(request):
    """The force an upload goes to: an HR editor's own; administrators choose one."""
    if access.is_administrator(request.user):
        return get_object_or_404(Force, pk=request.POST.get("force") or 0)
    return access.membership_of(request.user).force


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request):
    if not access.can_create(request.user):
        raise PermissionDenied("Only HR editors and administrators import profiles.")
    results, error = [], ""
    if request.method == "POST":
        force = _force_for(request)
        uploads = request.FILES.getlist("files")
        if not uploads:
            error = "Choose at least one file."
        else:
            # a file over the zip limit is refused before it is read into memory
            too_big = [u for u in uploads if u.size > MAX_UPLOAD_BYTES]
            files = [(u.name, u.read()) for u in uploads if u.size <= MAX_UPLOAD_BYTES]
            results = [
                FileResult(u.name, error=f"the file is larger than {MAX_UPLOAD_BYTES // 2**20} MB")
                for u in too_big
            ] + import_files(
                force,
                files,
                user=request.user,
                create_grades=access.is_administrator(request.user),
                limit=MAX_DOCUMENTS_PER_UPLOAD,
            )
    context = {
        "results": results,
        "error": error,
        "forces": Force.objects.only("pk", "name")
        if access.is_administrator(request.user)
        else None,
        "max_mb": MAX_FILE_BYTES // 1024 // 1024,
        "max_pages": MAX_PDF_PAGES,
        "max_documents": MAX_DOCUMENTS_PER_UPLOAD,
    }
    status = 400 if error else 200
    return render(request, "profiles/import.html", context, status=status)


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
def import_review(request, force_slug, slug):
    profile = access.get_profile_for_user(request, force_slug, slug, access.EDIT)
    source = get_object_or_404(ImportedDocument, profile=profile)
    sections = list(profile.sections.prefetch_related("items"))
    unplaced = [
        item.text for section in sections if section.kind == "notes" for item in section.items.all()
    ]
    context = {
        "profile": profile,
        "source": source,
        "pieces": highlighted(source.source_text, unplaced),
        "post_details": list(profile.post_details.all()),
        "sections": sections,
        "criteria": list(profile.criteria.prefetch_related("methods")),
        "behaviours": list(profile.behaviours.select_related("level__competency")),
    }
    return render(request, "profiles/import_review.html", context)
