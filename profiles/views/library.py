"""Libraries the editor picks from instead of typing, as htmx partials.

The force's standard statements, text from the force's other profiles (items and
criteria, found by search), CVF competencies at a chosen level with their indicators,
PPF skills, and the assessment methods (ticked on every criterion at once). Each entry carries what the page needs to fill a new row; nothing is
saved until the editor is.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from competencies.models import CompetencyLevel, SkillLevel
from profiles import access
from profiles.models import AssessmentMethod, Criterion, Item, RoleProfile, StandardSection

LIMIT = 25
KINDS = ("text", "behaviours", "skills", "methods")


def _force(request):
    """The force whose library the user may use: an HR editor's own; for staff, the one named."""
    access.require(access.can_create(request.user), "Only HR editors use the editor's libraries.")
    force = access.force_acted_for(request.user, slug=request.GET.get("force"))
    if force is None:
        raise Http404("No such force.")
    return force


def _text_entries(force, query):
    """Standard statements first, then items and criteria of the force's other profiles."""
    statements = StandardSection.objects.filter(force=force)
    profiles = RoleProfile.objects.filter(force=force).originals()
    items = Item.objects.filter(section__profile__in=profiles).exclude(text="")
    criteria = Criterion.objects.filter(profile__in=profiles)
    if query:
        statements = statements.filter(body__icontains=query) | statements.filter(
            heading__icontains=query
        )
        items = items.filter(text__icontains=query)
        criteria = criteria.filter(text__icontains=query)
    entries = [
        {"source": "Standard statement", "subheading": s.heading, "text": s.body}
        for s in statements[:LIMIT]
    ]
    seen = set()
    for item in items.select_related("section__profile").order_by("section__profile__title")[
        : LIMIT * 2
    ]:
        if item.text not in seen:
            seen.add(item.text)
            entries.append(
                {
                    "source": item.section.profile.title,
                    "subheading": item.subheading,
                    "text": item.text,
                }
            )
    for criterion in criteria.select_related("profile").order_by("profile__title")[:LIMIT]:
        if criterion.text not in seen:
            seen.add(criterion.text)
            entries.append(
                {
                    "source": f"{criterion.profile.title} (criterion)",
                    "subheading": "",
                    "text": criterion.text,
                    "requirement": criterion.requirement,
                    "category": criterion.category,
                }
            )
    return entries[: LIMIT * 2]


@login_required
@require_GET
def editor_library(request):
    force = _force(request)
    kind = request.GET.get("kind", "")
    if kind not in KINDS:
        raise Http404("No such library.")
    query = request.GET.get("q", "").strip()[:100]
    context = {"kind": kind, "q": query, "force": force}
    if kind == "text":
        context["entries"] = _text_entries(force, query)
    elif kind == "behaviours":
        framework = request.GET.get("framework", "")
        level = request.GET.get("level", "1")
        level = int(level) if level.isdigit() else 1
        levels = CompetencyLevel.objects.filter(
            competency__framework_id=framework if framework.isdigit() else None, number=level
        )
        if query:
            levels = levels.filter(competency__name__icontains=query)
        context["levels"] = levels.select_related("competency__cluster").prefetch_related(
            "indicators"
        )
        context["level"] = level
        context["framework"] = framework
    elif kind == "methods":
        methods = AssessmentMethod.objects.all()
        if query:
            methods = methods.filter(name__icontains=query)
        context["methods"] = methods
    else:
        skills = SkillLevel.objects.select_related("skill")
        if query:
            skills = skills.filter(skill__name__icontains=query)
        context["skills"] = skills[: LIMIT * 2]
    return render(request, "profiles/editor/library.html", context)
