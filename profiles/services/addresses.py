"""A profile's address (force and slug): a new profile's slug, and the slug following a
corrected title while the profile was never published, its old address redirecting."""

import re

from django.utils.text import slugify

from profiles.models import AuditAction, AuditEntry, FormerSlug, RoleProfile, Status


def unique_slug(force, title):
    base = slugify(title)[:100] or "profile"
    taken = set(
        RoleProfile.objects.filter(force=force, slug__startswith=base).values_list(
            "slug", flat=True
        )
    )
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


def follow_title(profile):
    """Give a profile that was never published the slug of its corrected title.

    Its old slug is kept as a FormerSlug, so the old address redirects. A profile once
    published keeps its address: people and documents link to it.
    """
    base = slugify(profile.title)[:100] or "profile"
    if profile.slug == base or re.fullmatch(re.escape(base) + r"-\d+", profile.slug):
        return profile
    if profile.draft_of_id or profile.status not in (Status.DRAFT, Status.IN_REVIEW):
        return profile
    if AuditEntry.objects.filter(profile=profile, action=AuditAction.PUBLISH).exists():
        return profile
    old = profile.slug
    profile.slug = unique_slug(profile.force, profile.title)
    RoleProfile.objects.filter(pk=profile.pk).update(slug=profile.slug)
    FormerSlug.objects.update_or_create(
        force_id=profile.force_id, slug=old, defaults={"profile": profile}
    )
    # a profile given back an earlier slug no longer redirects from it
    FormerSlug.objects.filter(force_id=profile.force_id, slug=profile.slug).delete()
    return profile
