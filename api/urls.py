from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from api import views

app_name = "api"

urlpatterns = [
    path("profiles/", views.ProfileList.as_view(), name="profile-list"),
    path(
        "profiles/<slug:force_slug>/<slug:slug>/",
        views.ProfileDetail.as_view(),
        name="profile-detail",
    ),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", views.DocsView.as_view(url_name="api:schema"), name="docs"),
]
