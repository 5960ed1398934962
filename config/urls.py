from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from accounts import language, oidc
from accounts import views as accounts_views
from jobs.views import healthz

# A database error outside a view answers the 503 page of config.outage, not a 500.
handler500 = "config.outage.server_error"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="profiles:list", permanent=False)),
    # Log in and out, change one's password; no password reset until email is configured.
    path("accounts/login/", accounts_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", accounts_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("accounts.urls")),
    # The header's language switch: django.views.i18n.set_language, which also stores a
    # signed-in user's choice (accounts.language).
    path("i18n/setlang/", language.set_language, name="set_language"),
    # Sign-in through the force's identity provider (accounts.oidc); the redirect URI is
    # <site>/oidc/callback/.
    path("oidc/authenticate/", oidc.StartSignIn.as_view(), name="oidc_authentication_init"),
    path("oidc/callback/", oidc.FinishSignIn.as_view(), name="oidc_authentication_callback"),
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
    path("api/v1/", include("api.urls")),
    path("healthz/", healthz, name="healthz"),
]
