"""Dates kept at the precision they were given: a day ("14 February 2023") or a month
("February 2023"), as forces write a profile's review dates.

A date of month precision is stored as the first day of its month, with the precision
beside it; `parse_partial_date` reads "YYYY-MM" or "YYYY-MM-DD" (fixtures), `format_partial_date`
prints it as written, and `PartialDateField` lets the editor give a month and a year with
an optional day.
"""

import re
from dataclasses import dataclass
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.dates import MONTHS as MONTH_NAMES
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _


class DatePrecision(models.TextChoices):
    DAY = "day", "Day"
    MONTH = "month", "Month"


PARTIAL_DATE = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")
PARTIAL_DATE_MESSAGE = "Enter the date as YYYY-MM (a month) or YYYY-MM-DD (a day)."


def parse_partial_date(text):
    """(date, precision) for "YYYY-MM" or "YYYY-MM-DD"; ValidationError otherwise."""
    match = PARTIAL_DATE.match(str(text).strip())
    if not match:
        raise ValidationError(PARTIAL_DATE_MESSAGE, code="partial_date")
    year, month, day = match.groups()
    try:
        value = date(int(year), int(month), int(day or 1))
    except ValueError as error:
        raise ValidationError(
            f"“{text}” is not a date in the calendar. {PARTIAL_DATE_MESSAGE}",
            code="partial_date",
        ) from error
    return value, DatePrecision.MONTH if day is None else DatePrecision.DAY


def format_partial_date(value, precision):
    """ "February 2023" for a month, "14 February 2023" for a day; "" without a date."""
    if value is None:
        return ""
    if precision == DatePrecision.MONTH:
        return date_format(value, "F Y")
    return date_format(value, "j F Y")


@dataclass(frozen=True)
class PartialDate:
    """A stored date with its precision, as the editor's initial value."""

    value: date | None
    precision: str = DatePrecision.DAY


MONTHS = [("", _("Month")), *((str(n), name) for n, name in MONTH_NAMES.items())]


class PartialDateWidget(forms.MultiWidget):
    """Day (optional), month and year, each labelled for screen readers."""

    def __init__(self, attrs=None):
        widgets = {
            "day": forms.NumberInput(
                attrs={
                    "min": 1,
                    "max": 31,
                    "aria-label": _("Day (optional)"),
                    "placeholder": _("Day"),
                    "class": "form-control d-inline-block w-auto me-1",
                }
            ),
            "month": forms.Select(
                attrs={"aria-label": _("Month"), "class": "form-select d-inline-block w-auto me-1"},
                choices=MONTHS,
            ),
            "year": forms.NumberInput(
                attrs={
                    "min": 1900,
                    "max": 2999,
                    "aria-label": _("Year"),
                    "placeholder": _("Year"),
                    "class": "form-control d-inline-block w-auto me-1",
                }
            ),
        }
        super().__init__(widgets, attrs)

    def decompress(self, value):
        if isinstance(value, date):
            value = PartialDate(value)
        if value is None or value.value is None:
            return [None, None, None]
        day = value.value
        shown_day = day.day if value.precision == DatePrecision.DAY else None
        return [shown_day, str(day.month), day.year]


class PartialDateField(forms.MultiValueField):
    """A month and a year, with an optional day; cleans to (date, precision) or None."""

    widget = PartialDateWidget

    def __init__(self, **kwargs):
        fields = (
            forms.IntegerField(min_value=1, max_value=31),
            forms.TypedChoiceField(choices=MONTHS, coerce=int, empty_value=None),
            forms.IntegerField(min_value=1900, max_value=2999),
        )
        kwargs.setdefault("required", False)
        super().__init__(fields, require_all_fields=False, **kwargs)
        for field in self.fields:
            field.required = False

    def compress(self, data_list):
        day, month, year = (list(data_list) + [None, None, None])[:3]
        if day in (None, "") and month in (None, "") and year in (None, ""):
            return None
        if month in (None, "") or year in (None, ""):
            raise ValidationError(_("Give the month and the year (the day is optional)."))
        try:
            value = date(int(year), int(month), int(day or 1))
        except ValueError as error:
            raise ValidationError(
                _("%(month)s %(year)s has no day %(day)s.")
                % {"month": MONTH_NAMES[int(month)], "year": year, "day": day}
            ) from error
        return value, DatePrecision.MONTH if day in (None, "") else DatePrecision.DAY
