from django.contrib import admin

from vetting.models import VettingLevel


@admin.register(VettingLevel)
class VettingLevelAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "meets_bpss", "renewal_years", "order"]
    list_editable = ["order"]
    search_fields = ["code", "name"]
