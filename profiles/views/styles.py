"""The force style page: an HR editor of the force, or an administrator, previews and saves its house style."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from profiles import access
from profiles.models import HouseStyle
from profiles.printing import pdf, style_preview, styles
from profiles.printing.style_forms import ForceStyleForm


def get_force_for_style(request, force_slug):
    """The force, if the user works for it (404 otherwise) and may change it (403 otherwise)."""
    force = access.get_force_for_user(request, force_slug)
    if not access.can_change_style(request.user, force):
        raise PermissionDenied("Only the force's HR editors change its house style.")
    return force


@login_required
@require_http_methods(["GET", "POST"])
def house_style(request, force_slug):
    force = get_force_for_style(request, force_slug)
    instance = HouseStyle.objects.filter(force=force).first() or HouseStyle(force=force)
    form = ForceStyleForm(request.POST or None, instance=instance, force=force)
    if request.method == "POST":
        if not form.is_valid():
            messages.error(request, _("The house style was not saved: see the errors below."))
        elif "preview" in request.POST:
            try:
                content = style_preview.preview_pdf(force, form.preview_style())
            except pdf.PdfTooLarge as error:
                # The same refusal as the profile's own PDF; the unsaved style stays unsaved.
                context = {
                    "force": force,
                    "profile": style_preview.preview_profile(force),
                    "message": str(error),
                }
                return render(request, "profiles/style_preview_too_large.html", context, status=422)
            response = HttpResponse(content, content_type="application/pdf")
            response["Content-Disposition"] = content_disposition_header(
                False, f"{force.name} - house style preview.pdf"
            )
            return response
        else:
            with transaction.atomic():
                form.save()
            messages.success(
                request, _("The house style of %(force)s is saved.") % {"force": force.name}
            )
            return redirect("profiles:house_style", force_slug=force.slug)
    context = {
        "force": force,
        "form": form,
        "force_form": form.force_form,
        "blocks": styles.BLOCKS,
        "sample": style_preview.preview_profile(force),
    }
    return render(request, "profiles/house_style.html", context)
