from django.urls import path

from profiles.views import consistency as consistency_views
from profiles.views import hiring as hiring_views
from profiles.views import imports as import_views
from profiles.views import library as library_views
from profiles.views import lifecycle as lifecycle_views
from profiles.views import national as national_views
from profiles.views import pdf as pdf_views
from profiles.views import profiles as views
from profiles.views import styles as style_views
from profiles.views import welsh as welsh_views

app_name = "profiles"

urlpatterns = [
    path("", views.profile_list, name="list"),
    path("new/", views.profile_new, name="new"),
    path("new/row/", views.new_editor_row, name="new_row"),
    path("new/checklist/", views.new_profile_checklist, name="new_checklist"),
    path("library/", library_views.editor_library, name="library"),
    path("review/", lifecycle_views.review_dashboard, name="review"),
    path("house-style/<slug:force_slug>/", style_views.house_style, name="house_style"),
    path(
        "welsh-translations/<slug:force_slug>/",
        welsh_views.welsh_translations,
        name="welsh_translations",
    ),
    path(
        "welsh-translations/<slug:force_slug>/export/",
        welsh_views.welsh_translations_export,
        name="welsh_translations_export",
    ),
    path(
        "welsh-language/<slug:force_slug>/",
        welsh_views.welsh_language_report,
        name="welsh_language",
    ),
    path("import/", import_views.import_page, name="import"),
    path("import/batches/<int:pk>/", import_views.import_batch, name="import_batch"),
    path(
        "import/batches/<int:pk>/status/",
        import_views.import_batch_status,
        name="import_batch_status",
    ),
    path("import/<slug:force_slug>/<slug:slug>/", import_views.import_review, name="import_review"),
    path(
        "vetting-register/<slug:force_slug>/",
        consistency_views.vetting_register,
        name="vetting_register",
    ),
    path("wording/<slug:force_slug>/", consistency_views.wording_report, name="wording_report"),
    path("similar/<slug:force_slug>/", consistency_views.similar_report, name="similar_report"),
    path("bulk/<slug:force_slug>/", consistency_views.bulk_changes, name="bulk_changes"),
    path("bulk/<slug:force_slug>/<int:pk>/", consistency_views.bulk_change, name="bulk_change"),
    path("<slug:force_slug>/all-pdfs/", pdf_views.force_zip, name="zip"),
    path("<slug:force_slug>/all-pdfs/status/", pdf_views.zip_status, name="zip-status"),
    path("<slug:force_slug>/all-pdfs/download/", pdf_views.zip_download, name="zip-download"),
    path("<slug:force_slug>/<slug:slug>/", views.profile_detail, name="detail"),
    path("<slug:force_slug>/<slug:slug>/edit/", views.profile_edit, name="edit"),
    path("<slug:force_slug>/<slug:slug>/edit/row/", views.editor_row, name="editor_row"),
    path(
        "<slug:force_slug>/<slug:slug>/edit/checklist/",
        views.profile_checklist,
        name="edit_checklist",
    ),
    path(
        "<slug:force_slug>/<slug:slug>/edit/start/",
        lifecycle_views.start_draft,
        name="start_draft",
    ),
    path("<slug:force_slug>/<slug:slug>/pdf/", pdf_views.profile_pdf, name="pdf"),
    path(
        "<slug:force_slug>/<slug:slug>/similar/",
        consistency_views.similar_panel,
        name="similar_panel",
    ),
    path(
        "<slug:force_slug>/<slug:slug>/compare/<slug:other_slug>/",
        consistency_views.compare_profiles,
        name="compare_profiles",
    ),
    path("<slug:force_slug>/<slug:slug>/docx/", hiring_views.profile_docx, name="docx"),
    path("<slug:force_slug>/<slug:slug>/advert/", hiring_views.profile_advert, name="advert"),
    path(
        "<slug:force_slug>/<slug:slug>/shortlisting/",
        hiring_views.shortlisting_pdf,
        name="shortlisting",
    ),
    path(
        "<slug:force_slug>/<slug:slug>/shortlisting.xlsx",
        hiring_views.shortlisting_xlsx,
        name="shortlisting_xlsx",
    ),
    path("<slug:force_slug>/<slug:slug>/derive/", national_views.derive, name="derive"),
    path("<slug:force_slug>/<slug:slug>/national/", national_views.changes, name="national"),
    path(
        "<slug:force_slug>/<slug:slug>/national/reviewed/",
        national_views.mark_reviewed,
        name="national_reviewed",
    ),
    path("<slug:force_slug>/<slug:slug>/submit/", lifecycle_views.submit, name="submit"),
    path("<slug:force_slug>/<slug:slug>/approve/", lifecycle_views.approve, name="approve"),
    path("<slug:force_slug>/<slug:slug>/return/", lifecycle_views.return_to_draft, name="return"),
    path("<slug:force_slug>/<slug:slug>/archive/", lifecycle_views.archive, name="archive"),
    path("<slug:force_slug>/<slug:slug>/discard/", lifecycle_views.discard, name="discard"),
    path("<slug:force_slug>/<slug:slug>/history/", lifecycle_views.profile_history, name="history"),
    path(
        "<slug:force_slug>/<slug:slug>/history/compare/",
        lifecycle_views.compare,
        name="compare",
    ),
    path(
        "<slug:force_slug>/<slug:slug>/history/<int:version_id>/restore/",
        lifecycle_views.restore,
        name="restore",
    ),
]
