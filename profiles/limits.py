"""How big a profile may grow, and the refusal of editor posts that do not describe it.

The numbers are generous for the five source documents (their longest text is about 500
characters, their longest part 37 rows) and small enough that no single request, save
or PDF can occupy the web process for long.
"""

import re

from django.core.exceptions import SuspiciousOperation
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models

# Paragraphs: a profile's purpose, a section's introduction, a force's standard text.
LONG_TEXT = 5000
# One entry of a list: an item, a criterion, a post detail's value.
SHORT_TEXT = 2000
# Rows in one part of a profile (post details, sections, criteria, behaviours, skills, and
# the items of one section).
MAX_ROWS = 100
# Forms one part of the editor may declare: its rows plus blank ones added on the page.
MAX_FORMS = MAX_ROWS + 20
# Forms one editor post may declare across every part, items of every section included.
MAX_DECLARED_FORMS = 600
# A grade's code, as the force writes it (Scale 3, A3, LC4, A004).
GRADE_CODE_LENGTH = 40
# Positions are 0 … MAX_ORDER; the editor renumbers 1 … n on every save.
MAX_ORDER = 9999
order_validators = [MinValueValidator(0), MaxValueValidator(MAX_ORDER)]


def text_field(max_length, **kwargs):
    """A TextField whose length is checked by the model too (Django only tells the form)."""
    return models.TextField(
        max_length=max_length, validators=[MaxLengthValidator(max_length)], **kwargs
    )


def order_field(**kwargs):
    """A position within a list, 0 … MAX_ORDER.

    Signed in the database: renumbering parks rows at negative positions first (see
    profiles.editor.forms.renumber), which no stored position can collide with.
    """
    return models.SmallIntegerField(default=0, validators=order_validators, **kwargs)


class TamperedPost(SuspiciousOperation):
    """An editor post that no page of ours could have sent: answered 400, nothing changes."""


def _count(data, name, most):
    value = data.get(name)
    if not isinstance(value, str) or not value.isascii() or not value.isdigit():
        raise TamperedPost(f"{name} is {str(value)[:20]!r}, not a count.")
    count = int(value)
    if count > most:
        raise TamperedPost(f"{name} declares {count} forms; at most {most} are accepted.")
    return count


TOTAL_FORMS = re.compile(r"-TOTAL_FORMS$")


def check_declared_forms(data):
    """Refuse at once a post declaring more forms, across all its parts, than any page has."""
    total = sum(
        _count(data, name, MAX_FORMS) for name in data if TOTAL_FORMS.search(name) is not None
    )
    if total > MAX_DECLARED_FORMS:
        raise TamperedPost(f"The post declares {total} forms; at most {MAX_DECLARED_FORMS}.")


def check_formset_rows(data, prefix, rows):
    """Refuse a formset post that does not describe exactly `rows`, the part's current rows.

    The first INITIAL_FORMS forms must carry the ids of `rows`, each once, and no other
    form an id: a lowered INITIAL_FORMS (rows saved again as new ones), an id of another
    profile's row, a repeated id, a row left out, and a negative or absurd TOTAL_FORMS
    are all refused. With `rows` None only the counts are checked: a post made before
    someone else's save may name rows that are gone, and is answered as stale instead.
    """
    total = _count(data, f"{prefix}-TOTAL_FORMS", MAX_FORMS)
    initial = _count(data, f"{prefix}-INITIAL_FORMS", total)
    if rows is None:
        return
    if initial != len(rows):
        raise TamperedPost(f"{prefix} declares {initial} saved rows; the part has {len(rows)}.")
    expected = {str(row.pk) for row in rows}
    seen = set()
    for index in range(total):
        posted = data.get(f"{prefix}-{index}-id", "")
        if index >= initial:
            if posted:
                raise TamperedPost(f"{prefix} form {index} is new but names row {posted[:20]!r}.")
        elif posted not in expected or posted in seen:
            raise TamperedPost(f"{prefix} form {index} names {posted[:20]!r}, not a row of it.")
        seen.add(posted)
