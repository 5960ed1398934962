"""Admin for the national reference data: frameworks, competencies, levels and skills."""

from django.contrib import admin
from django.db.models import URLField

from competencies import models


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
class CompetencyAdmin(admin.ModelAdmin):
    list_display = ["name", "framework", "cluster", "order"]
    list_filter = ["framework"]
    list_select_related = ["framework", "cluster"]
    search_fields = ["name"]
    inlines = [LevelInline]


class IndicatorInline(admin.TabularInline):
    model = models.Indicator
    extra = 0


@admin.register(models.CompetencyLevel)
class CompetencyLevelAdmin(admin.ModelAdmin):
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
