from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from jobs.views import healthz

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="profiles:list", permanent=False)),
    path("accounts/", include("django.contrib.auth.urls")),
    path("profiles/", include("profiles.urls")),
    path("admin/", admin.site.urls),
    path("healthz/", healthz, name="healthz"),
]
