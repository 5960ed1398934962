"""Import speed and memory: a zip of 200 documents imported as drafts of a new force.

Run as `.venv/bin/python benchmarks/import.py [N]`. It uses DATABASE_URL if set, else a
throw-away SQLite file, loads the national data, builds a zip of N documents (default
200: the five seed texts, Word files in two house styles made with python-docx, and a
PDF printed by WeasyPrint, in turn) and imports it the way `import_profiles` does, one
transaction per document. It prints documents per second and the peak memory: the process's
peak resident set size (everything, Django included), and with --trace also the peak of
Python allocations during the import (tracemalloc, which slows the run about twofold).
With --background it takes the browser's path instead: the upload stored as a batch
(profiles.tasks.start_batch, what the request does) and the batch imported as
the task worker does (run_batch), each timed.

Each saved profile normally queues a background PDF print (profiles.printing.pdf); that work is
not the import's, so it is switched off here (PDF_RENDER_AFTER_SAVE=off), as in tests.
"""

import io
import os
import resource
import sys
import tempfile
import time
import tracemalloc
import zipfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORK = tempfile.mkdtemp(prefix="import-benchmark-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{WORK}/benchmark.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402

from profiles.importing.service import import_files  # noqa: E402
from profiles.models import Force  # noqa: E402
from tests.test_importing import heading_style_docx, printed_pdf, table_style_docx  # noqa: E402

SEEDS = ROOT / "tests" / "seeds"


def documents(count):
    kinds = [(path.name, path.read_bytes()) for path in sorted(SEEDS.glob("*.txt"))]
    kinds += [
        ("tables.docx", table_style_docx()),
        ("headings.docx", heading_style_docx()),
        ("printed.pdf", printed_pdf()),
    ]
    for n in range(count):
        name, data = kinds[n % len(kinds)]
        yield f"{n:03d}-{name}", data


def import_in_background(force, data):
    """The browser's path: store the upload as a batch, then import it as the worker does."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from profiles import tasks
    from profiles.importing import batches
    from profiles.importing.service import FileResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.PDF_CACHE_DIR = f"{WORK}/storage"
    started = time.perf_counter()
    batch = tasks.start_batch(force, [SimpleUploadedFile("batch.zip", data)], create_grades=True)
    stored = time.perf_counter()
    batches.run_batch(batch.pk, "benchmark")
    done = time.perf_counter()
    print(
        f"background: upload stored in {stored - started:.2f} s, imported in {done - stored:.1f} s"
    )
    return [
        FileResult(row.name, profile=row.profile, error=row.error)
        for row in batch.files.select_related("profile__force")
    ]


# --one-line: text files of one line, the longest the importer reads (MAX_TEXT_CHARS) and a
# few MB (refused). Each must be imported or refused in seconds: nothing in the readers or
# the parser is quadratic in a line's length.
ONE_LINE_SECONDS = 10


def one_line(force):
    from profiles.importing.readers import MAX_FILE_BYTES, MAX_TEXT_CHARS

    sentence = b"Manage the team and keep the records up to date "
    list_run = b"<ul><li>" + b"Manage the Team well and " * (MAX_TEXT_CHARS // 26)
    files = [
        ("words within the limit", (sentence * MAX_TEXT_CHARS)[: MAX_TEXT_CHARS - 10]),
        ("a collapsed HTML list", list_run[: MAX_TEXT_CHARS - 10]),
        ("one word within the limit", b"a" * (MAX_TEXT_CHARS - 10)),
        # The slow-pattern lines of issue 26 (60 kB of them once took 33 s), at the limit.
        ("letters in a list item", b"<ul><li>" + b"a" * (MAX_TEXT_CHARS - 20)),
        ("open tags '<a' repeated", b"<a" * (MAX_TEXT_CHARS // 2 - 5)),
        ("open bookmarks repeated", b"[bookmark:" * (MAX_TEXT_CHARS // 10 - 1)),
        ("spaces before a total", b"Duties " + b" " * (MAX_TEXT_CHARS - 20) + b"x"),
        ("words, 3 MB", (sentence * (3_000_000 // len(sentence)))),
        ("one word, 9 MB", b"a" * (MAX_FILE_BYTES - 1024 * 1024)),
    ]
    print(f"one-line text files; limit {MAX_TEXT_CHARS:,} characters, {ONE_LINE_SECONDS} s each")
    slowest = 0
    for what, data in files:
        started = time.perf_counter()
        [result] = import_files(force, [("one-line.txt", data)])
        elapsed = time.perf_counter() - started
        slowest = max(slowest, elapsed)
        outcome = "imported" if result.ok else f"refused ({result.error})"
        print(f"{what:>28} {len(data) / 1e6:5.2f} MB {elapsed:6.2f} s  {outcome}")
    if slowest > ONE_LINE_SECONDS:
        sys.exit(f"a one-line file took {slowest:.1f} s, over {ONE_LINE_SECONDS} s")


def main():
    flags = ("--trace", "--background", "--one-line")
    args = [arg for arg in sys.argv[1:] if arg not in flags]
    trace = "--trace" in sys.argv
    background = "--background" in sys.argv
    count = int(args[0]) if args else 200
    settings.PDF_RENDER_AFTER_SAVE = "off"
    call_command("migrate", verbosity=0)
    call_command(
        "loaddata",
        *sorted(str(p) for p in (ROOT / "fixtures/national").glob("*.json")),
        verbosity=0,
    )
    force = Force.objects.create(slug="benchmark", name="Benchmark Constabulary")
    force.grades.create(code="SO1")
    if "--one-line" in sys.argv:
        one_line(force)
        return
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        for name, data in documents(count):
            zipped.writestr(name, data)
    data = archive.getvalue()

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    if background:
        results = import_in_background(force, data)
    else:
        results = import_files(force, [("batch.zip", data)], create_grades=True)
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] if trace else 0
    tracemalloc.stop()

    failed = [r for r in results if not r.ok]
    by_kind = defaultdict(int)
    for result in results:
        by_kind[result.name.rsplit(".", 1)[-1]] += 1
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    vendor = django.db.connection.vendor
    print(f"database: {vendor}; zip of {count} documents, {len(data) / 1024:.0f} KiB")
    load = os.getloadavg()[0]
    print(f"load average {load:.1f} on {os.cpu_count()} CPUs")
    print(
        f"{'documents':>10} {'failed':>7} {'seconds':>8} {'docs/s':>7} "
        f"{'RSS before MiB':>15} {'peak RSS MiB':>13} {'peak Python MiB':>16}"
    )
    python_peak = f"{peak / 1024 / 1024:.1f}" if trace else "-"
    print(
        f"{len(results):>10} {len(failed):>7} {elapsed:>8.1f} {len(results) / elapsed:>7.2f} "
        f"{rss_before:>15.0f} {rss:>13.0f} {python_peak:>16}"
    )
    print("documents by kind: " + ", ".join(f"{n} .{kind}" for kind, n in sorted(by_kind.items())))
    for result in failed:
        print(result.line())


if __name__ == "__main__":
    main()
