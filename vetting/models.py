"""National vetting levels that a post may require."""

from django.core.validators import MaxLengthValidator
from django.db import models

DESCRIPTION_MAX = 5000
# Posts needing these levels are designated posts, listed for the force vetting unit.
MANAGEMENT_VETTING_CODES = frozenset({"MV"})
NATIONAL_SECURITY_CODES = frozenset({"CTC", "SC", "eSC", "DV"})


class VettingLevelManager(models.Manager):
    def get_by_natural_key(self, code):
        return self.get(code=code)


class VettingLevel(models.Model):
    code = models.CharField(max_length=20, unique=True, help_text="For example RV, MV, NPPV 3.")
    name = models.CharField(max_length=120, help_text="For example Recruitment Vetting.")
    description = models.TextField(
        blank=True,
        max_length=DESCRIPTION_MAX,
        validators=[MaxLengthValidator(DESCRIPTION_MAX)],
        help_text="Who needs it and what it covers.",
    )
    name_cy = models.CharField(max_length=120, blank=True)
    description_cy = models.TextField(
        blank=True, max_length=DESCRIPTION_MAX, validators=[MaxLengthValidator(DESCRIPTION_MAX)]
    )
    meets_bpss = models.BooleanField(
        "meets BPSS", default=False, help_text="Meets the Baseline Personnel Security Standard."
    )
    renewal_years = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Years before it must be renewed; blank if it does not lapse.",
    )
    order = models.PositiveSmallIntegerField(default=0)

    objects = VettingLevelManager()

    class Meta:
        ordering = ["order", "code"]

    def __str__(self):
        return f"{self.name} ({self.code})"

    def natural_key(self):
        return (self.code,)

    @property
    def designation(self):
        """What the post is designated for in a force's vetting register, by the national
        codes (Authorised Professional Practice on vetting): "" when it is neither."""
        if self.code in MANAGEMENT_VETTING_CODES:
            return "Management vetting"
        if self.code in NATIONAL_SECURITY_CODES:
            return "National security vetting"
        return ""
