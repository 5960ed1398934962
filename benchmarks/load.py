"""Load test: `make serve` under 50 hiring managers and 5 HR editors for 2 minutes (locust).

    .venv/bin/python benchmarks/load.py            # LOAD_SECONDS=120 LOAD_PROFILES=2000

Starts scripts/serve.sh (PostgreSQL, gunicorn, one task worker, DEBUG off) with the demo
forces and users in a fresh folder, adds LOAD_PROFILES generated profiles to the five seed
forces, has the worker print the PDFs managers will download (as it would have after their
saves), then runs locust headless against http://127.0.0.1:8000 and prints a table: requests
per second, p50/p95/p99 per request type, errors, PDF prints by the worker and inside a
request, and the lag from an editor's save to the worker's fresh PDF (from the JSON logs).
"""

import csv
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = Path(os.environ.get("LOAD_VAR", "/tmp/role-profiles-load"))
SECONDS = int(os.environ.get("LOAD_SECONDS", "120"))
PROFILES = int(os.environ.get("LOAD_PROFILES", "2000"))
DOWNLOADS_PER_FORCE = 8
PORT = int(os.environ.get("LOAD_PORT", "8000"))
ORIGIN = f"http://127.0.0.1:{PORT}"
PY = str(ROOT / ".venv/bin/python")


def database_url():
    return f"postgres://postgres@{str(VAR).replace('/', '%2F')}%2Fpg-socket:5432/roleprofiles"


def wait_for_health(timeout=1200):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{ORIGIN}/healthz/", timeout=10) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(2)
    raise SystemExit("make serve did not become healthy")


def prepare():
    """In the stack's database: generate profiles, print the downloads, write the plan."""
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=database_url(),
        SECRET_KEY=(VAR / "secret_key").read_text().strip(),
        DEBUG="false",
        MEDIA_ROOT=str(VAR / "media"),
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import transaction
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from profiles import search, tasks
    from profiles.models import Force, Item, RoleProfile, Section, SectionKind, Status

    rng = random.Random(15)
    words = "officer support custody analyst vetting community finance contact records team".split()
    forces = list(Force.objects.prefetch_related("grades").order_by("slug"))
    statuses = [Status.PUBLISHED] * 6 + [Status.DRAFT] * 2 + [Status.ARCHIVED]
    with transaction.atomic():
        profiles = RoleProfile.objects.bulk_create(
            RoleProfile(
                force=forces[n % len(forces)],
                slug=f"generated-{n}",
                title=f"{rng.choice(words).title()} {rng.choice(words)} {n}",
                grade=rng.choice(list(forces[n % len(forces)].grades.all()) or [None]),
                status=rng.choice(statuses),
                purpose=" ".join(rng.choice(words) for _ in range(30)).capitalize() + ".",
            )
            for n in range(PROFILES)
        )
        sections = Section.objects.bulk_create(
            Section(profile=p, order=1, kind=SectionKind.RESPONSIBILITIES, heading="Duties")
            for p in profiles
        )
        Item.objects.bulk_create(
            Item(section=s, order=o, text=" ".join(rng.choice(words) for _ in range(18)))
            for s in sections
            for o in range(1, 9)
        )
    search.refresh_many([p.pk for p in profiles])
    plan = {"forces": [f.slug for f in forces], "published": {}, "downloads": {}, "drafts": {}}
    ids = {}
    queued = []
    for force in forces:
        published = list(
            RoleProfile.objects.filter(force=force, status=Status.PUBLISHED, draft_of=None)
            .order_by("pk")
            .values_list("slug", "pk")
        )
        drafts = list(
            RoleProfile.objects.filter(force=force, status=Status.DRAFT, draft_of=None)
            .order_by("pk")
            .values_list("slug", "pk")
        )
        plan["published"][force.slug] = [slug for slug, _ in published]
        plan["drafts"][force.slug] = [slug for slug, _ in drafts[:20]]
        downloads = published[:DOWNLOADS_PER_FORCE]
        plan["downloads"][force.slug] = [slug for slug, _ in downloads]
        for slug, pk in published + drafts:
            ids[f"{force.slug}/{slug}"] = pk
        for _slug, pk in downloads:
            queued.append(tasks.render_profile.enqueue(pk).id)
    print(f"Printing {len(queued)} PDFs for the downloads …", flush=True)
    while DBTaskResult.objects.filter(
        pk__in=queued, status=TaskResultStatus.SUCCESSFUL
    ).count() < len(queued):
        time.sleep(2)
    plan["ids"] = ids
    plan["sessions"] = open_sessions()
    (VAR / "load-plan.json").write_text(json.dumps(plan))


def open_sessions():
    """A signed-in session for each demo user, as logging in would open."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
        load_backend,
    )

    # The backend a login records: the first that loads users (axes, first, only refuses).
    backend = next(
        path for path in settings.AUTHENTICATION_BACKENDS if hasattr(load_backend(path), "get_user")
    )
    sessions = {}
    for user in get_user_model().objects.filter(username__regex=r"^(manager|hr)-"):
        store = import_module(settings.SESSION_ENGINE).SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = backend
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        sessions[user.username] = store.session_key
    return sessions


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else None


def report(started_at):
    plan = json.loads((VAR / "load-plan.json").read_text())
    rows = list(csv.DictReader((VAR / "load_stats.csv").open()))
    print(f"\n{SECONDS} s, 50 hiring managers + 5 HR editors, {PROFILES} generated profiles\n")
    print("| request | count | errors | req/s | p50 ms | p95 ms | p99 ms |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        print(
            f"| {row['Name']} | {row['Request Count']} | {row['Failure Count']} | "
            f"{float(row['Requests/s']):.1f} | {row['50%']} | {row['95%']} | {row['99%']} |"
        )
    lines = []
    for text in (VAR / "serve.log").read_text().splitlines():
        if text.startswith("{"):
            line = json.loads(text)
            if datetime.fromisoformat(line["time"]).timestamp() >= started_at:
                lines.append(line)
    renders = [line for line in lines if line.get("event") == "pdf.render"]
    by_worker = sum(1 for line in renders if line["where"] == "worker")
    in_request = sum(1 for line in renders if line["where"] == "request")
    lags, unprinted = [], 0
    for save in lines:
        if not (
            save.get("event") == "request"
            and save["method"] == "POST"
            and save["path"].endswith("/edit/")
            and save["status"] == 302
        ):
            continue
        pk = plan["ids"].get(save["profile"])
        saved = datetime.fromisoformat(save["time"]).timestamp()
        done = [
            r["started"] + r["duration_ms"] / 1000
            for r in renders
            if r["profile"] == pk and r["where"] == "worker" and r["started"] + 0.5 >= saved - 5
        ]
        done = [t for t in done if t >= saved]
        if done:
            lags.append(min(done) - saved)
        else:
            unprinted += 1
    kinds = {
        "list or search": lambda p: p == "/profiles/",
        "download PDF": lambda p: p.endswith("/pdf/"),
        "editor (open and save)": lambda p: p.endswith("/edit/"),
    }
    served = [line for line in lines if line.get("event") == "request"]
    print("\nServer time (from the request log, without the wait for a free gunicorn worker):")
    for kind, matches in kinds.items():
        times = [line["duration_ms"] for line in served if matches(line["path"])]
        if times:
            print(
                f"  {kind}: {len(times)} requests, p50 {percentile(times, 0.5):.0f} ms, "
                f"p95 {percentile(times, 0.95):.0f} ms"
            )
    print(f"\nPDF prints during the test: {by_worker} by the worker, {in_request} inside a request")
    if lags:
        print(
            f"Save to fresh PDF (worker): {len(lags)} saves, p50 {percentile(lags, 0.5):.1f} s, "
            f"p95 {percentile(lags, 0.95):.1f} s, max {max(lags):.1f} s; "
            f"{unprinted} not printed by the end"
        )


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--prepare":
        return prepare()
    if VAR.exists():
        subprocess.run(["rm", "-rf", str(VAR)], check=True)
    VAR.mkdir(parents=True)
    environment = {**os.environ, "SERVE_VAR": str(VAR), "SERVE_DEMO": "1", "PORT": str(PORT)}
    with (VAR / "serve.log").open("w") as log:
        serve = subprocess.Popen(
            ["bash", "scripts/serve.sh"],
            cwd=ROOT,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_for_health()
        subprocess.run([PY, __file__, "--prepare"], cwd=ROOT, check=True)
        started_at = time.time()
        subprocess.run(
            [
                str(ROOT / ".venv/bin/locust"),
                "-f",
                str(ROOT / "benchmarks/load_users.py"),
                "--headless",
                "--users",
                "55",
                "--spawn-rate",
                "11",
                "--run-time",
                f"{SECONDS}s",
                "--host",
                ORIGIN,
                "--csv",
                str(VAR / "load"),
                "--only-summary",
                "--stop-timeout",
                "10",
            ],
            cwd=ROOT,
            env={**os.environ, "LOAD_PLAN": str(VAR / "load-plan.json")},
            check=False,
        )
        time.sleep(10)  # the worker finishes the last saves' prints
        report(started_at)
    finally:
        os.killpg(serve.pid, signal.SIGINT)
        serve.wait(timeout=120)
        shutil.copy(VAR / "serve.log", "/tmp/role-profiles-load-serve.log")


if __name__ == "__main__":
    main()
