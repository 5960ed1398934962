"""Frameworks of behaviours, values and skills that role profiles draw on.

The College of Policing Competency and Values Framework (CVF) and the Policing
Professional Framework (PPF) are national reference data, loaded from fixtures.
"""

from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext

# National texts are paragraphs at most (the longest, a skill level's, is 800 characters).
TEXT_MAX = 5000


def text_field(**kwargs):
    """A TextField whose length the model checks too (Django only tells the form)."""
    return models.TextField(
        max_length=TEXT_MAX, validators=[MaxLengthValidator(TEXT_MAX)], **kwargs
    )


class FrameworkManager(models.Manager):
    def get_by_natural_key(self, code):
        return self.get(code=code)


class Framework(models.Model):
    code = models.SlugField(max_length=40, unique=True, help_text="For example cvf-2016, ppf.")
    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=40, blank=True, help_text="For example CVF.")
    description = text_field(blank=True)
    url = models.URLField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    objects = FrameworkManager()

    class Meta:
        ordering = ["order", "code"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.code,)


class ClusterManager(models.Manager):
    def get_by_natural_key(self, framework_code, name):
        return self.get(framework__code=framework_code, name=name)


class Cluster(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="clusters")
    name = models.CharField(max_length=200)
    name_cy = models.CharField(max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    objects = ClusterManager()

    class Meta:
        ordering = ["framework", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "name"], name="unique_cluster_name")
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.framework.code, self.name)

    natural_key.dependencies = ["competencies.framework"]


class CompetencyManager(models.Manager):
    def get_by_natural_key(self, framework_code, name):
        return self.get(framework__code=framework_code, name=name)


class Competency(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="competencies")
    cluster = models.ForeignKey(
        Cluster, on_delete=models.PROTECT, null=True, blank=True, related_name="competencies"
    )
    name = models.CharField(max_length=200, help_text="For example We are emotionally aware.")
    description = text_field(blank=True)
    name_cy = models.CharField(max_length=200, blank=True)
    description_cy = text_field(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    objects = CompetencyManager()

    class Meta:
        ordering = ["framework", "order", "name"]
        verbose_name_plural = "competencies"
        constraints = [
            models.UniqueConstraint(fields=["framework", "name"], name="unique_competency_name")
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.framework.code, self.name)

    natural_key.dependencies = ["competencies.framework", "competencies.cluster"]


class CompetencyLevelManager(models.Manager):
    def get_by_natural_key(self, framework_code, competency_name, number):
        return self.get(
            competency__framework__code=framework_code,
            competency__name=competency_name,
            number=number,
        )


class CompetencyLevel(models.Model):
    competency = models.ForeignKey(Competency, on_delete=models.CASCADE, related_name="levels")
    number = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=120, blank=True, help_text="For example Practitioner.")
    description = text_field(blank=True)
    replaces = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="replaced_by",
        help_text="Levels of an older framework this one takes over (CVF 2016 → CVF 2024).",
    )
    name_cy = models.CharField(max_length=120, blank=True)
    description_cy = text_field(blank=True)

    objects = CompetencyLevelManager()

    class Meta:
        ordering = ["competency__framework", "competency__order", "number"]
        constraints = [
            models.UniqueConstraint(fields=["competency", "number"], name="unique_level_number")
        ]

    def __str__(self):
        return gettext("%(competency)s: level %(number)s") % {
            "competency": self.competency.name,
            "number": self.number,
        }

    def natural_key(self):
        return (*self.competency.natural_key(), self.number)

    natural_key.dependencies = ["competencies.competency"]


class IndicatorManager(models.Manager):
    def get_by_natural_key(self, framework_code, competency_name, number, order):
        return self.get(
            level__competency__framework__code=framework_code,
            level__competency__name=competency_name,
            level__number=number,
            order=order,
        )


class Indicator(models.Model):
    """One behavioural indicator ("I treat others with respect …") of a level."""

    level = models.ForeignKey(CompetencyLevel, on_delete=models.CASCADE, related_name="indicators")
    text = text_field()
    text_cy = text_field(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    objects = IndicatorManager()

    class Meta:
        ordering = ["level", "order"]
        constraints = [
            models.UniqueConstraint(fields=["level", "order"], name="unique_indicator_order")
        ]

    def __str__(self):
        return self.text[:80]

    def natural_key(self):
        return (*self.level.natural_key(), self.order)

    natural_key.dependencies = ["competencies.competencylevel"]


class ValueManager(models.Manager):
    def get_by_natural_key(self, framework_code, name):
        return self.get(framework__code=framework_code, name=name)


class Value(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="values")
    name = models.CharField(max_length=120)
    description = text_field(blank=True)
    name_cy = models.CharField(max_length=120, blank=True)
    description_cy = text_field(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    objects = ValueManager()

    class Meta:
        ordering = ["framework", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "name"], name="unique_value_name")
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.framework.code, self.name)

    natural_key.dependencies = ["competencies.framework"]


class SkillManager(models.Manager):
    def get_by_natural_key(self, framework_code, name):
        return self.get(framework__code=framework_code, name=name)


class Skill(models.Model):
    """A skill of a professional framework, such as the PPF's Decision Making."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="skills")
    name = models.CharField(max_length=200)
    name_cy = models.CharField(max_length=200, blank=True)
    category = models.CharField(
        max_length=200,
        blank=True,
        help_text="As forces print it, e.g. Policing Professional Framework.",
    )
    order = models.PositiveSmallIntegerField(default=0)

    objects = SkillManager()

    class Meta:
        ordering = ["framework", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "name"], name="unique_skill_name")
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.framework.code, self.name)

    natural_key.dependencies = ["competencies.framework"]


class SkillLevelManager(models.Manager):
    def get_by_natural_key(self, framework_code, skill_name, name):
        return self.get(skill__framework__code=framework_code, skill__name=skill_name, name=name)


class SkillLevel(models.Model):
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="levels")
    name = models.CharField(max_length=120, help_text="For example Practitioner.")
    description = text_field(blank=True)
    name_cy = models.CharField(max_length=120, blank=True)
    description_cy = text_field(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    objects = SkillLevelManager()

    class Meta:
        ordering = ["skill", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["skill", "name"], name="unique_skill_level_name")
        ]

    def __str__(self):
        return f"{self.skill.name}: {self.name}"

    def natural_key(self):
        return (*self.skill.natural_key(), self.name)

    natural_key.dependencies = ["competencies.skill"]
