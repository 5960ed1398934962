"""Template filters that ask profiles.access what the signed-in user may do."""

from django import template

from profiles import access

register = template.Library()


@register.filter
def can_see_reviews(user):
    return access.can_see_reviews(user)


@register.filter
def can_create(user):
    return access.can_create(user)


@register.filter
def can_change_own_style(user):
    """An HR editor of a force (or an administrator who works for one) sets its house style."""
    membership = access.membership_of(user)
    return membership is not None and access.can_change_style(user, membership.force)
