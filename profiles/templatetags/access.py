"""Template filters that ask profiles.access what the signed-in user may do."""

from django import template

from profiles import access

register = template.Library()


@register.filter
def can_see_reviews(user):
    return access.can_see_reviews(user)
