from django.urls import path

from profiles import pdf_views, views

app_name = "profiles"

urlpatterns = [
    path("", views.profile_list, name="list"),
    path("new/", views.profile_new, name="new"),
    path("<slug:force_slug>/all-pdfs/", pdf_views.force_zip, name="zip"),
    path("<slug:force_slug>/all-pdfs/status/", pdf_views.zip_status, name="zip-status"),
    path("<slug:force_slug>/all-pdfs/download/", pdf_views.zip_download, name="zip-download"),
    path("<slug:force_slug>/<slug:slug>/", views.profile_detail, name="detail"),
    path("<slug:force_slug>/<slug:slug>/edit/", views.profile_edit, name="edit"),
    path("<slug:force_slug>/<slug:slug>/edit/row/", views.editor_row, name="editor_row"),
    path("<slug:force_slug>/<slug:slug>/pdf/", pdf_views.profile_pdf, name="pdf"),
]
