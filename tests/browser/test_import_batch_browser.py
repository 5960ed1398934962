"""A batch import in a real browser: the upload returns at once, the page follows the worker."""

import zipfile

import pytest

from profiles.importing import batches
from profiles.models import ImportBatch
from tests.browser.conftest import axe_violations, log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_batch_page_shows_each_result_as_the_worker_imports_it(
    page, gwent_hr, settings, tmp_path
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    packed = tmp_path / "profiles.zip"
    with zipfile.ZipFile(packed, "w") as archive:
        for n in range(3):
            archive.writestr(
                f"officer-{n}.txt", f"Job Title: Custody Officer {n}\nReference: CO-{n}\n"
            )
        archive.writestr("broken.pdf", b"%PDF broken")
    log_in(page, gwent_hr)

    page.goto("/profiles/import/")
    page.get_by_label("Files").set_input_files(str(packed))
    page.get_by_role("button", name="Import").click()
    page.wait_for_url("**/profiles/import/batches/*/")
    status = page.get_by_role("status")
    # The request only stores the upload: the zip counts as one file until the worker unpacks it.
    assert status.inner_text() == "Imported 0 of 1 documents…"
    assert axe_violations(page) == []

    batches.run_batch(ImportBatch.objects.get().pk, "the worker")

    # htmx polls the status fragment until the batch is done
    page.get_by_text("Done: 4 of 4 documents.").wait_for()
    assert page.get_by_text("Not imported: the PDF is damaged").is_visible()
    page.get_by_role("link", name="Custody Officer 1").click()
    page.wait_for_url("**/profiles/import/gwent/custody-officer-1/")
    assert page.get_by_role("heading", name="Review import: Custody Officer 1").is_visible()
