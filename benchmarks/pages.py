"""Time the read page, the editor and an editor save of the same profile, side by side.

Run as `.venv/bin/python benchmarks/pages.py [RUNS]`. It uses DATABASE_URL if set, else a
throw-away SQLite file, loads the national data and the seed forces, and for (a) the seed
profile with the most rows and (b) a profile of 100 rows (a copy of it, trimmed or grown
with items) prints the median server time (Django's test client, in process, logged in as
an HR editor of the force) and the queries of:

- read: the profile's page;
- editor: the editor's GET;
- save: the editor's POST of the page's own form with one item's text changed (a real
  save: a version, an audit entry and the rows written), then followed by nothing;
- checklist: the editor's live checklist POST of the same form;

both posted URL-encoded, as the browser posts the editor's form (it declares no enctype) and
htmx the checklist's (the test client's default, multipart, costs the server ~700 fields'
worth of MIME parsing no browser asks of it);

and the ratios the issue asks for (editor <= 2x read, save <= 3x read). Runs of the four
take turns, so that load from other processes on the machine falls on all alike; note the
load average (`uptime`) printed with the table.
"""

import logging
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORK = tempfile.mkdtemp(prefix="pages-benchmark-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{WORK}/benchmark.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ["MEDIA_ROOT"] = f"{WORK}/media"

from benchmarks import static_files  # noqa: E402

static_files.use_temporary_root()

import django  # noqa: E402

django.setup()
static_files.collect()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils.http import urlencode  # noqa: E402

from profiles import access  # noqa: E402
from profiles.models import Item, Membership, Role, RoleProfile, Status  # noqa: E402
from profiles.services import copying, lifecycle  # noqa: E402
from tests.html_forms import parse_form  # noqa: E402

# What a browser's form post and htmx's are sent as.
FORM = "application/x-www-form-urlencoded"
RUNS = int(sys.argv[1]) if len(sys.argv) > 1 else 15
ROWS = 100


def load_seed_data():
    settings.PDF_RENDER_AFTER_SAVE = False
    call_command("migrate", verbosity=0, interactive=False)
    national = sorted(str(path) for path in (ROOT / "fixtures/national").glob("*.json"))
    call_command("loaddata", *national, verbosity=0)
    for force in sorted((ROOT / "fixtures/forces").glob("*.json")):
        call_command("load_force", str(force), verbosity=0)


def row_count(profile):
    return (
        profile.post_details.count()
        + profile.sections.count()
        + Item.objects.filter(section__profile=profile).count()
        + profile.criteria.count()
        + profile.behaviours.count()
        + profile.skills.count()
    )


def hr_editor(force):
    user = get_user_model().objects.create_user(f"hr-{force.slug}")
    Membership.objects.create(user=user, force=force, role=Role.HR_EDITOR)
    return user


def editable(profile, user):
    """The draft the editor changes: the profile itself, or its working draft (started)."""
    if profile.status == Status.PUBLISHED:
        return access.working_draft(profile) or lifecycle.start_working_draft(profile, user)
    return profile


def of_rows(source, user, rows):
    """A draft copy of `source` with exactly `rows` rows: items added to or taken from its
    longest section."""
    profile = copying.create_profile(
        source.force, f"Benchmark {rows} rows", user=user, source=source
    )
    section = max(profile.sections.all(), key=lambda s: s.items.count())
    surplus = row_count(profile) - rows
    if surplus > 0:
        doomed = list(section.items.order_by("-order").values_list("pk", flat=True)[:surplus])
        Item.objects.filter(pk__in=doomed).delete()
    elif surplus < 0:
        last = section.items.order_by("-order").first()
        start = last.order + 1 if last else 1
        Item.objects.bulk_create(
            Item(section=section, order=start + n, text=f"Benchmark duty {n}")
            for n in range(-surplus)
        )
    assert row_count(profile) == rows, row_count(profile)
    return profile


class Timer:
    def __init__(self):
        self.ms, self.queries = [], []

    def __call__(self, request):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = request()
            self.ms.append((time.perf_counter() - start) * 1000)
        self.queries.append(len(queries))
        return response

    @property
    def median(self):
        return statistics.median(self.ms)

    @property
    def query_count(self):
        return statistics.median(self.queries)


def measure(profile, user):
    draft = editable(profile, user)
    client = Client()
    client.force_login(user)
    read_url = reverse("profiles:detail", args=[profile.force.slug, profile.slug])
    edit_url = reverse("profiles:edit", args=[profile.force.slug, profile.slug])
    checklist_url = reverse("profiles:edit_checklist", args=[profile.force.slug, profile.slug])
    page = client.get(edit_url)
    assert page.status_code == 200, page.status_code
    form = parse_form(page.content.decode(), "editor")
    # The first saved item's text (form.names is a set: a blank new row's text, taken by
    # chance, made the first save add an item and the next post a 400, as stale).
    text_field = "sections-0-items-0-text"
    assert int(form["sections-0-items-INITIAL_FORMS"]) > 0 and text_field in form.names
    timers = {name: Timer() for name in ("read", "editor", "save", "checklist")}
    for run in range(RUNS):
        response = timers["read"](lambda: client.get(read_url))
        assert response.status_code == 200, response.status_code
        response = timers["editor"](lambda: client.get(edit_url))
        assert response.status_code == 200, response.status_code
        form["seen_revision"] = RoleProfile.objects.get(pk=draft.pk).revision
        form[text_field] = f"Benchmark text, save {run}"
        data = urlencode(form.data(), doseq=True)
        response = timers["save"](lambda data=data: client.post(edit_url, data, content_type=FORM))
        assert response.status_code == 302, response.content.decode()[:2000]
        response = timers["checklist"](
            lambda data=data: client.post(checklist_url, data, content_type=FORM)
        )
        assert response.status_code == 200, response.status_code
    return timers


def main():
    # The request log's line per request would bury the table.
    logging.getLogger("requests").setLevel(logging.WARNING)
    # No setup_test_environment(): its instrumented template rendering (a signal and a
    # context copy per template) is not what a server pays.
    settings.ALLOWED_HOSTS = ["testserver"]
    load_seed_data()
    seeds = list(RoleProfile.objects.filter(draft_of=None).select_related("force"))
    largest = max(seeds, key=row_count)
    user = hr_editor(largest.force)
    cases = [
        (f"{largest.force.slug}/{largest.slug} ({row_count(largest)} rows)", largest),
        (f"{largest.force.slug}, {ROWS} rows", of_rows(largest, user, ROWS)),
    ]
    print(f"{RUNS} runs each, medians; load average: {os.getloadavg()[0]:.2f}")
    print(f"{'profile':52} {'page':>9} {'ms':>7} {'queries':>7} {'x read':>7}")
    for name, profile in cases:
        timers = measure(profile, user)
        read = timers["read"].median
        for page, timer in timers.items():
            print(
                f"{name[:52]:52} {page:>9} {timer.median:7.1f} {timer.query_count:7.0f}"
                f" {timer.median / read:7.2f}"
            )
    print(f"load average after: {', '.join(f'{load:.2f}' for load in os.getloadavg())}")
    print("targets: editor <= 2x read, save <= 3x read; save and checklist queries fixed")


if __name__ == "__main__":
    main()
