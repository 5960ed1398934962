"""Time PDF downloads of the seed profiles: cold render, cached download, headless Chromium.

Run as `.venv/bin/python benchmarks/pdf.py`. It uses DATABASE_URL if set, else a
throw-away SQLite file, loads the national data and the seed forces, and prints a
table, each column the median of several runs:

- cold: from the database to PDF bytes with no cache (HTML rendered, WeasyPrint, stored);
- weasy: WeasyPrint alone printing the HTML;
- chromium: a warm headless Chromium printing the same HTML as a tagged PDF, as ours is;
- cached: a download through the app (Django test client, logged in as an HR editor of
  the profile's force) with the PDF already in storage;

and the ratios the quality bars ask for. Cold, WeasyPrint and Chromium runs take turns,
so that load from other processes on the machine falls on all of them alike.

A second table gives the same runs in CPU time (medians): the thread's for cold renders and
downloads, the Chromium processes' (browser, renderer, GPU; their threads' run time from
/proc/<pid>/task/*/schedstat, in nanoseconds, else psutil's clock ticks) for Chromium. On a
busy machine wall times grow with the wait for a core, CPU times much less.
"""

import gc
import os
import queue
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORK = tempfile.mkdtemp(prefix="pdf-benchmark-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{WORK}/benchmark.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ["MEDIA_ROOT"] = f"{WORK}/media"

import django  # noqa: E402

django.setup()

import psutil  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.core.management.base import CommandError  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from profiles.models import Membership, Role, RoleProfile  # noqa: E402
from profiles.printing import pdf  # noqa: E402

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
RUNS = 7
CACHED_RUNS = 40


def timed_ms(function):
    start = time.perf_counter()
    function()
    return (time.perf_counter() - start) * 1000


def timed_both(function):
    """(wall ms, this thread's CPU ms) of one call."""
    start, cpu_start = time.perf_counter(), time.thread_time()
    function()
    return (time.perf_counter() - start) * 1000, (time.thread_time() - cpu_start) * 1000


def chromium_cpu_seconds():
    """CPU time used so far by this process's Chromium children (browser, renderer, GPU)."""
    total = 0.0
    for child in psutil.Process().children(recursive=True):
        try:
            if "chrom" in child.name().lower():
                total += cpu_seconds(child)
        except psutil.Error:
            pass
    return total


def cpu_seconds(process):
    """The process's CPU time: to the nanosecond from each thread's /proc/…/schedstat where
    Linux has it, else psutil's (the kernel's clock ticks, 10 ms here: a 60 ms print read 50
    to 70). A thread that ends between two readings takes its time with it (counted low)."""
    try:
        total_ns = 0
        for thread in Path(f"/proc/{process.pid}/task").iterdir():
            total_ns += int((thread / "schedstat").read_text().split()[0])
        return total_ns / 1e9
    except (OSError, ValueError, IndexError):
        times = process.cpu_times()
        return times.user + times.system


class Chromium:
    """A warm headless Chromium in its own thread.

    Playwright's sync API runs an event loop in the thread that uses it, and Django
    refuses the ORM inside one; a separate thread lets the runs of both take turns, so
    that the load other processes put on the machine falls on both alike.
    """

    def __init__(self):
        self.requests, self.replies = queue.Queue(), queue.Queue()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()
        self.replies.get()

    def _serve(self):
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
            )
            page = browser.new_page()
            page.set_content("<p>warm up</p>")
            page.pdf(format="A4")
            self.replies.put("ready")
            while (html := self.requests.get()) is not None:
                cpu_start = chromium_cpu_seconds()
                start = time.perf_counter()
                page.set_content(html)
                page.pdf(format="A4", print_background=True, tagged=True)
                wall_ms = (time.perf_counter() - start) * 1000
                self.replies.put((wall_ms, (chromium_cpu_seconds() - cpu_start) * 1000))
            browser.close()

    def print_ms(self, html):
        """(wall ms, Chromium's CPU ms) of one print."""
        self.requests.put(html)
        return self.replies.get()

    def close(self):
        self.requests.put(None)
        self.thread.join()


def load_seed_data():
    settings.PDF_RENDER_AFTER_SAVE = False
    call_command("migrate", verbosity=0, interactive=False)
    national = sorted(str(path) for path in (ROOT / "fixtures/national").glob("*.json"))
    if national:
        call_command("loaddata", *national, verbosity=0)
    for force in sorted((ROOT / "fixtures/forces").glob("*.json")):
        try:
            call_command("load_force", str(force), verbosity=0)
        except CommandError as error:
            if "Unknown command" not in str(error):
                raise
            call_command("loaddata", str(force), verbosity=0)


def cold(profile):
    pdf.forget(profile.pk)
    pdf.cached_pdf(profile)


def main():
    setup_test_environment()
    load_seed_data()
    profiles = list(RoleProfile.objects.select_related("force").order_by("force__slug", "slug"))
    if not profiles:
        sys.exit("No profiles loaded: are the seed fixtures in fixtures/forces/?")
    settings.ALLOWED_HOSTS = ["testserver"]

    chromium = Chromium()
    renders, cpu = {}, {}
    for profile in profiles:
        html = pdf.render_html(profile)
        pdf.html_to_pdf(html)  # warm WeasyPrint's font and CSS caches
        chromium.print_ms(html)
        times = ([], [], [])
        cpu_times = ([], [])
        for _ in range(RUNS):
            wall_ms, cpu_ms = timed_both(lambda profile=profile: cold(profile))
            times[0].append(wall_ms)
            cpu_times[0].append(cpu_ms)
            times[1].append(timed_ms(lambda html=html: pdf.html_to_pdf(html)))
            wall_ms, cpu_ms = chromium.print_ms(html)
            times[2].append(wall_ms)
            cpu_times[1].append(cpu_ms)
        renders[profile.pk] = [statistics.median(t) for t in times]
        cpu[profile.pk] = [statistics.median(t) for t in cpu_times]
    chromium.close()

    # Downloads are timed once the browser is gone, as a server answers them, one after
    # another: an idle Playwright connection alone makes them half as slow again on two
    # cores, and the collector is not left to sweep up after WeasyPrint in the middle.
    rows, cpu_rows = [], []
    for profile in profiles:
        client = Client()
        client.force_login(hr_editor(profile.force))
        url = reverse("profiles:pdf", args=[profile.force.slug, profile.slug])

        def cached(url=url, client=client):
            response = client.get(url)
            assert response.status_code == 200, response.status_code
            assert response.content.startswith(b"%PDF")

        cached()
        gc.collect()
        downloads = [timed_both(cached) for _ in range(CACHED_RUNS)]
        cached_ms = statistics.median(wall for wall, _ in downloads)
        cached_cpu_ms = statistics.median(cpu_ms for _, cpu_ms in downloads)
        name = f"{profile.force.slug}/{profile.slug}"
        rows.append((name, *renders[profile.pk], cached_ms))
        cpu_rows.append((name, *cpu[profile.pk], cached_cpu_ms))

    print(
        f"{'profile':44} {'cold':>7} {'weasy':>7} {'chromium':>8} {'cold/chr':>8}"
        f" {'weasy/chr':>9} {'cached':>7} {'chr/cached':>10}"
    )
    for name, cold_ms, weasy_ms, chromium_ms, cached_ms in rows:
        print(
            f"{name[:44]:44} {cold_ms:5.0f}ms {weasy_ms:5.0f}ms {chromium_ms:6.0f}ms"
            f" {cold_ms / chromium_ms:7.2f}x {weasy_ms / chromium_ms:8.2f}x"
            f" {cached_ms:5.1f}ms {chromium_ms / cached_ms:9.0f}x"
        )
    print("targets: cold/chromium <= 2.5 (aim 1); chromium/cached >= 50 (aim 100)")
    print()
    print(
        f"{'CPU time':44} {'cold':>7} {'chromium':>8} {'cold/chr':>8}"
        f" {'cached':>7} {'chr/cached':>10}"
    )
    for name, cold_ms, chromium_ms, cached_ms in cpu_rows:
        print(
            f"{name[:44]:44} {cold_ms:5.0f}ms {chromium_ms:6.0f}ms"
            f" {cold_ms / chromium_ms:7.2f}x {cached_ms:5.1f}ms {chromium_ms / cached_ms:9.0f}x"
        )


def hr_editor(force):
    """An HR editor of the force: they download its profiles, drafts included."""
    user = get_user_model().objects.create_user(f"hr-{force.slug}")
    Membership.objects.create(user=user, force=force, role=Role.HR_EDITOR)
    return user


if __name__ == "__main__":
    main()
