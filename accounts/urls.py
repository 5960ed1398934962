from django.urls import path

from accounts import views

app_name = "accounts"
urlpatterns = [
    path("no-access/", views.no_access, name="no_access"),
    path("two-factor/", views.two_factor, name="two_factor"),
    path("two-factor/set-up/", views.two_factor_setup, name="two_factor_setup"),
]
