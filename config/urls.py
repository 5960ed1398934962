from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from jobs.views import healthz

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="profiles:list", permanent=False)),
    # Log in and out, change one's password; no password reset until email is configured.
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password_change/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password_change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("profiles/", include("profiles.urls")),
    path("admin/", admin.site.urls),
    path("healthz/", healthz, name="healthz"),
]
