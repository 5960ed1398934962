"""Admin: a force's identity-provider groups on its page, identities, and the sign-in audit."""

from django.contrib import admin

from accounts.models import Identity, IdentityGroup, SignInEvent
from profiles.models import Force


class IdentityGroupInline(admin.TabularInline):
    model = IdentityGroup
    extra = 0
    fields = ["group_id", "role", "label"]
    verbose_name = "identity-provider group"
    verbose_name_plural = "identity-provider groups (members get the role at their next sign-in)"


# On the force's own admin page (profiles.admin.ForceAdmin).
force_admin = admin.site.get_model_admin(Force)
force_admin.inlines = [*force_admin.inlines, IdentityGroupInline]


@admin.register(IdentityGroup)
class IdentityGroupAdmin(admin.ModelAdmin):
    list_display = ["group_id", "label", "role", "force"]
    list_filter = ["role", "force"]
    list_select_related = ["force"]
    search_fields = ["group_id", "label", "force__name"]
    autocomplete_fields = ["force"]


@admin.register(Identity)
class IdentityAdmin(admin.ModelAdmin):
    list_display = ["user", "issuer", "subject", "last_sign_in"]
    list_select_related = ["user"]
    search_fields = ["user__username", "subject"]
    readonly_fields = ["user", "issuer", "subject", "created_at", "last_sign_in"]


@admin.register(SignInEvent)
class SignInEventAdmin(admin.ModelAdmin):
    """Read only: the audit is written by sign-ins, never by hand."""

    list_display = ["at", "action", "username", "method", "address", "detail"]
    list_filter = ["action", "method"]
    list_select_related = ["user"]
    search_fields = ["username", "address", "detail"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
