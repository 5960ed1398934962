"""Small filters the PDF house layouts need."""

from django import template

register = template.Library()


@register.filter
def letter(number):
    """1 → A, 2 → B …: the section letters of a lettered form such as BTP's."""
    number = int(number)
    return chr(ord("A") + number - 1) if 1 <= number <= 26 else str(number)


@register.filter
def percent(value):
    """A weighting as the forces print it: 30%, 2.5%."""
    if value is None:
        return ""
    return f"{value.normalize():f}%"


@register.filter
def pairs(rows):
    """Rows two by two, for post-detail grids printed as label | value | label | value."""
    rows = list(rows)
    return [rows[index : index + 2] for index in range(0, len(rows), 2)]


@register.filter
def paragraphs(text):
    """Plain text split into its paragraphs (separated by blank lines)."""
    return [part.strip() for part in text.split("\n\n") if part.strip()]
