"""Dates kept at the precision they were given: a day ("14 February 2023") or a month
("February 2023"), as forces write a profile's review dates.

A date of month precision is stored as the first day of its month, with the precision
beside it (`partial_date`, the one place that says so); `parse_partial_date` reads one from
text: "YYYY-MM" or "YYYY-MM-DD" (fixtures), or with `written` also the ways documents write
them ("14 Feb 2023", "February 2023", "02/2023" ..., the importer); `format_partial_date`
prints it as written, and `PartialDateField` lets the editor give a month and a year with
an optional day.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime

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
# How a fixture writes a date (PARTIAL_DATE), and how documents do (the importer).
ISO_FORMATS = (("%Y-%m-%d",), ("%Y-%m",))
WRITTEN_FORMATS = (
    ("%d %b %Y", "%d %B %Y", "%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y"),
    ("%B %Y", "%b %Y", "%m/%Y", "%Y-%m"),
)


def partial_date(year, month, day=None):
    """(date, precision) of a day, or of a month, which is stored as its first day.

    ValueError for a day that is not in the calendar."""
    if day in (None, ""):
        return date(int(year), int(month), 1), DatePrecision.MONTH
    return date(int(year), int(month), int(day)), DatePrecision.DAY


def parse_partial_date(text, written=False):
    """(date, precision) for "YYYY-MM" or "YYYY-MM-DD" (with `written`, also a day or a month
    as documents write them); ValidationError otherwise."""
    text = " ".join(str(text).replace(",", " ").split()) if written else str(text).strip()
    if not written and not PARTIAL_DATE.match(text):
        raise ValidationError(PARTIAL_DATE_MESSAGE, code="partial_date")
    days, months = WRITTEN_FORMATS if written else ISO_FORMATS
    for formats, precision in ((days, DatePrecision.DAY), (months, DatePrecision.MONTH)):
        for pattern in formats:
            try:
                day = datetime.strptime(text, pattern).date()
            except ValueError:
                continue
            return partial_date(
                day.year, day.month, day.day if precision == DatePrecision.DAY else None
            )
    if written:
        raise ValidationError(f"“{text}” is not a date.", code="partial_date")
    raise ValidationError(
        f"“{text}” is not a date in the calendar. {PARTIAL_DATE_MESSAGE}", code="partial_date"
    )


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
            return partial_date(year, month, day)
        except ValueError as error:
            raise ValidationError(
                _("%(month)s %(year)s has no day %(day)s.")
                % {"month": MONTH_NAMES[int(month)], "year": year, "day": day}
            ) from error
