"""Issue and revoke API tokens. A new token's key is shown once, on the page that issues it."""

from django.contrib import admin, messages
from django.template.response import TemplateResponse

from api.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "scope", "prefix", "created", "last_used", "revoked"]
    list_filter = ["revoked", "force"]
    list_select_related = ["force"]
    search_fields = ["name", "prefix"]
    actions = ["revoke"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["name", "force"]
        return ["name", "force", "prefix", "created", "last_used", "revoked"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        # A token's scope never changes: issue a new one instead.
        return ["force", "prefix", "created", "last_used"]

    def save_model(self, request, obj, form, change):
        if change:
            obj.save()
            return
        token, key = ApiToken.issue(obj.name, obj.force)
        obj.pk = token.pk
        obj.__dict__.update(token.__dict__)
        request._issued_api_key = key

    def response_add(self, request, obj, post_url_continue=None):
        # The key is in this answer alone: never in a message, a cookie or the session.
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "API token issued",
            "token": obj,
            "key": request._issued_api_key,
        }
        response = TemplateResponse(request, "admin/api/apitoken/issued.html", context)
        response["Cache-Control"] = "no-store"
        return response

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request, queryset):
        count = queryset.filter(revoked=False).update(revoked=True)
        self.message_user(request, f"Revoked {count} token(s).", messages.SUCCESS)
