"""Admin for the national reference data: frameworks, competencies, levels and skills."""

from django.contrib import admin
from django.db.models import URLField

from competencies import models


class StaysWithParent:
    """The parent named by `parent_field` is chosen when the object is added, then kept.

    A role profile's behaviour must be at a level of the profile's framework: moving a
    competency to another framework, or a level to another competency, would move the
    behaviours that use it out of their profile's framework unseen.
    """

    parent_field = None

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        return [*readonly, self.parent_field] if obj is not None else readonly


class ClusterInline(admin.TabularInline):
    model = models.Cluster
    extra = 0


class ValueInline(admin.TabularInline):
    model = models.Value
    extra = 0


@admin.register(models.Framework)
class FrameworkAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "short_name"]
    search_fields = ["name", "code"]
    inlines = [ClusterInline, ValueInline]
    # Django 6 makes https the default scheme; say so now rather than warn on every page.
    formfield_overrides = {URLField: {"assume_scheme": "https"}}


class LevelInline(admin.StackedInline):
    model = models.CompetencyLevel
    extra = 0
    show_change_link = True


@admin.register(models.Competency)
class CompetencyAdmin(StaysWithParent, admin.ModelAdmin):
    parent_field = "framework"
    list_display = ["name", "framework", "cluster", "order"]
    list_filter = ["framework"]
    list_select_related = ["framework", "cluster"]
    search_fields = ["name"]
    inlines = [LevelInline]


class IndicatorInline(admin.TabularInline):
    model = models.Indicator
    extra = 0


@admin.register(models.CompetencyLevel)
class CompetencyLevelAdmin(StaysWithParent, admin.ModelAdmin):
    parent_field = "competency"
    list_display = ["competency", "number", "name"]
    list_filter = ["competency__framework", "number"]
    list_select_related = ["competency__framework"]
    search_fields = ["competency__name", "name"]
    inlines = [IndicatorInline]


class SkillLevelInline(admin.StackedInline):
    model = models.SkillLevel
    extra = 0


@admin.register(models.Skill)
class SkillAdmin(admin.ModelAdmin):
    list_display = ["name", "framework", "category"]
    list_filter = ["framework"]
    list_select_related = ["framework"]
    search_fields = ["name"]
    inlines = [SkillLevelInline]


@admin.register(models.SkillLevel)
class SkillLevelAdmin(admin.ModelAdmin):
    list_display = ["skill", "name"]
    list_select_related = ["skill"]
    search_fields = ["skill__name", "name"]
