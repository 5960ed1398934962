"""Load test: `make serve` under 50 hiring managers and 5 HR editors for 2 minutes (locust).

    .venv/bin/python benchmarks/load.py            # LOAD_SECONDS=120 LOAD_PROFILES=2000

Starts scripts/serve.sh (PostgreSQL, gunicorn, one task worker, DEBUG off) with the demo
forces and users in a fresh folder (LOAD_VAR, default /tmp/role-profiles-load), adds
LOAD_PROFILES generated profiles to the five seed forces, has the worker print the PDFs
that managers will download and the drafts editors will save (as it would have after
earlier saves), then runs one headless locust process (benchmarks/load_users.py: think
times there, LOAD_MANAGER_THINK / LOAD_EDITOR_THINK) against http://127.0.0.1:LOAD_PORT
(8000) and prints a table: requests per second, p50/p95/p99 per request type, errors; how
the downloads were served (current PDF, or the previous one while it is reprinted), PDF
prints by the worker and inside a request, the lag from an editor's save to the worker's
fresh PDF (from the JSON logs), and the machine's load average during the run.
"""

import csv
import json
import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = Path(os.environ.get("LOAD_VAR", "/tmp/role-profiles-load"))
SECONDS = int(os.environ.get("LOAD_SECONDS", "120"))
PROFILES = int(os.environ.get("LOAD_PROFILES", "2000"))
DOWNLOADS_PER_FORCE = 8
DRAFTS_PER_FORCE = 10
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

    def wait_for_the_queue():
        # The worker's first start reprints every published profile (no layout printed
        # yet): let it finish before the profiles that the test alone adds exist.
        waiting = [TaskResultStatus.READY, TaskResultStatus.RUNNING]
        while DBTaskResult.objects.filter(status__in=waiting).exists():
            time.sleep(1)

    wait_for_the_queue()
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
        plan["drafts"][force.slug] = [slug for slug, _ in drafts[:DRAFTS_PER_FORCE]]
        downloads = published[:DOWNLOADS_PER_FORCE]
        plan["downloads"][force.slug] = [slug for slug, _ in downloads]
        for slug, pk in published + drafts:
            ids[f"{force.slug}/{slug}"] = pk
        for _slug, pk in downloads + drafts[:DRAFTS_PER_FORCE]:
            queued.append(tasks.render_profile.enqueue(pk).id)
    print(f"Printing {len(queued)} PDFs for the downloads and the drafts …", flush=True)
    while DBTaskResult.objects.filter(
        pk__in=queued, status=TaskResultStatus.SUCCESSFUL
    ).count() < len(queued):
        time.sleep(2)
    wait_for_the_queue()
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


def request_name(line):
    """The locust request name (benchmarks/load_users.py) of a request log line."""
    path = line["path"]
    if path == "/profiles/":
        return "search" if "q" in line.get("query", ()) else "list"
    if path.endswith("/pdf/"):
        # Editors download the PDF of the draft they have just saved.
        editor = line.get("user", "").startswith("hr-")
        return "download PDF just saved" if editor else "download PDF"
    if path.endswith("/edit/"):
        return "editor save" if line["method"] == "POST" else "editor"
    if path.startswith("/profiles/") and path.count("/") == 4:
        return "read profile"
    return "other"


def cpu_seconds():
    """CPU time used so far by the stack's processes: web (gunicorn), task worker, PostgreSQL.

    Read from /proc: unlike response times, it does not grow when other work on the machine
    makes the stack wait for a CPU. A process's reaped children count with it (gunicorn's
    master, the postmaster), so processes that ended are not lost.
    """
    used = {"web": 0.0, "task worker": 0.0, "PostgreSQL": 0.0}
    tick = os.sysconf("SC_CLK_TCK")
    try:
        postmaster = (VAR / "postgres/postmaster.pid").read_text().split()[0]
    except (OSError, IndexError):
        postmaster = ""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            folder = os.readlink(entry / "cwd")
        except OSError:
            continue
        if "gunicorn config.wsgi" in command and f":{PORT}" in command:
            kind = "web"
        elif "run_tasks" in command and folder == str(ROOT):
            kind = "task worker"
        elif postmaster in (entry.name, fields[1]):
            kind = "PostgreSQL"
        else:
            continue
        used[kind] += sum(int(value) for value in fields[11:15]) / tick
    return used


class LoadAverage(threading.Thread):
    """Samples the machine's 1-minute load average every few seconds during the run."""

    def __init__(self):
        super().__init__(daemon=True)
        self.samples = []
        self.stopping = threading.Event()

    def run(self):
        while not self.stopping.wait(5):
            self.samples.append(float(Path("/proc/loadavg").read_text().split()[0]))


def report(started_at, load_average, cpu):
    plan = json.loads((VAR / "load-plan.json").read_text())
    rows = list(csv.DictReader((VAR / "load_stats.csv").open()))
    manager_think = os.environ.get("LOAD_MANAGER_THINK", "2,8").replace(",", "–")
    editor_think = os.environ.get("LOAD_EDITOR_THINK", "15,45").replace(",", "–")
    print(
        f"\n{SECONDS} s, 50 hiring managers (think {manager_think} s) + 5 HR editors "
        f"(think {editor_think} s), 5 seed forces + {PROFILES} generated profiles, "
        f"{os.environ.get('WEB_WORKERS') or 4 * os.cpu_count()} gunicorn workers, "
        f"task worker at nice {os.environ.get('TASK_WORKER_NICE', '10')}\n"
    )
    lines = []
    for text in (VAR / "serve.log").read_text().splitlines():
        if text.startswith("{"):
            line = json.loads(text)
            if datetime.fromisoformat(line["time"]).timestamp() >= started_at:
                lines.append(line)
    served = [line for line in lines if line.get("event") == "request"]
    by_name = {}
    for line in served:
        by_name.setdefault(request_name(line), []).append(line)
    print(
        "| request | count | errors | req/s | p50 ms | p95 ms | p99 ms "
        "| CPU ms per request | CPU ms p95 |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        if row["Name"] == "Aggregated":
            logged = served
        else:
            logged = by_name.get(row["Name"], [])
        cpu_times = [line["cpu_ms"] for line in logged]
        mean = f"{sum(cpu_times) / len(cpu_times):.1f}" if cpu_times else "–"
        p95 = f"{percentile(cpu_times, 0.95):.0f}" if cpu_times else "–"
        print(
            f"| {row['Name']} | {row['Request Count']} | {row['Failure Count']} | "
            f"{float(row['Requests/s']):.1f} | {row['50%']} | {row['95%']} | {row['99%']} | "
            f"{mean} | {p95} |"
        )
    renders = [line for line in lines if line.get("event") == "pdf.render"]
    by_worker = sum(1 for line in renders if line["where"] == "worker")
    in_request = sum(1 for line in renders if line["where"] == "request")
    lags, waits, prints, unprinted = [], [], [], 0
    for save in served:
        if not (
            save["method"] == "POST" and save["path"].endswith("/edit/") and save["status"] == 302
        ):
            continue
        pk = plan["ids"].get(save["profile"])
        saved = datetime.fromisoformat(save["time"]).timestamp()
        done = [
            r
            for r in renders
            if r["profile"] == pk
            and r["where"] == "worker"
            and r["started"] + r["duration_ms"] / 1000 >= saved
        ]
        if done:
            first = min(done, key=lambda r: r["started"])
            lags.append(first["started"] + first["duration_ms"] / 1000 - saved)
            # The save's request ends after its commit queued the print: the rest of the lag
            # is the wait for the worker to take it, then the print itself.
            waits.append(max(0.0, first["started"] - saved))
            prints.append(first["duration_ms"] / 1000)
        else:
            unprinted += 1
    print(
        "\nServer time per request (from the request log: from the session middleware to the "
        "response, without the wait for a free gunicorn worker):"
    )
    for name in sorted(by_name):
        times = [line["duration_ms"] for line in by_name[name]]
        print(
            f"  {name}: {len(times)} requests, p50 {percentile(times, 0.5):.0f} ms, "
            f"p95 {percentile(times, 0.95):.0f} ms"
        )
    downloads = json.loads((VAR / "load-downloads.json").read_text())
    print(
        f"\nDownloads: {downloads['current']} current PDFs, {downloads['updating']} previous "
        f"PDFs while the fresh one was printed (X-PDF-Status: updating), "
        f"{downloads['other']} other"
    )
    print(f"PDF prints during the test: {by_worker} by the worker, {in_request} inside a request")
    if lags:
        print(
            f"Save to fresh PDF (worker): {len(lags)} saves, p50 {percentile(lags, 0.5):.1f} s, "
            f"p95 {percentile(lags, 0.95):.1f} s, max {max(lags):.1f} s; "
            f"{unprinted} not printed by the end"
        )
        print(
            f"  of which waiting for the worker p50 {percentile(waits, 0.5):.1f} s, "
            f"p95 {percentile(waits, 0.95):.1f} s; printing p50 {percentile(prints, 0.5):.1f} s, "
            f"p95 {percentile(prints, 0.95):.1f} s"
        )
    requests = sum(int(row["Request Count"]) for row in rows if row["Name"] == "Aggregated")
    logged_cpu = sum(line["cpu_ms"] for line in served) / 1000
    print(
        f"CPU used during the run ({os.cpu_count()} CPUs × {SECONDS} s = "
        f"{os.cpu_count() * SECONDS} CPU-s): "
        + ", ".join(f"{kind} {seconds:.1f} s" for kind, seconds in cpu.items())
        + (f"; web {cpu['web'] / requests * 1000:.0f} ms per request" if requests else "")
        + (
            f" ({(cpu['web'] - logged_cpu) / len(served) * 1000:.1f} ms of it outside the "
            "request log's count: gunicorn, the WSGI handler, idle workers)"
            if served
            else ""
        )
        + (f"; task worker {cpu['task worker'] / by_worker:.2f} s per print" if by_worker else "")
    )
    if load_average.samples:
        samples = load_average.samples
        print(
            f"Machine load average (1 min) during the run: {min(samples):.1f}–{max(samples):.1f}, "
            f"mean {sum(samples) / len(samples):.1f} on {os.cpu_count()} CPUs"
        )


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--prepare":
        return prepare()
    try:
        with urllib.request.urlopen(f"{ORIGIN}/healthz/", timeout=5):
            pass
    except urllib.error.HTTPError:
        pass  # a 503 is an answer too
    except OSError:
        pass  # nothing listens: the port is free
    else:
        raise SystemExit(f"Something already answers on {ORIGIN}: stop it or set LOAD_PORT.")
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
        load_average = LoadAverage()
        load_average.start()
        cpu_before = cpu_seconds()
        locust_before = resource.getrusage(resource.RUSAGE_CHILDREN)
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
            env={
                **os.environ,
                "LOAD_PLAN": str(VAR / "load-plan.json"),
                "LOAD_DOWNLOADS": str(VAR / "load-downloads.json"),
            },
            check=False,
        )
        load_average.stopping.set()
        time.sleep(10)  # the worker finishes the last saves' prints
        cpu = {kind: seconds - cpu_before[kind] for kind, seconds in cpu_seconds().items()}
        locust_after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu["locust"] = (
            locust_after.ru_utime + locust_after.ru_stime
            - locust_before.ru_utime - locust_before.ru_stime
        )  # fmt: skip
        report(started_at, load_average, cpu)
    finally:
        stop(serve)
        shutil.copy(VAR / "serve.log", "/tmp/role-profiles-load-serve.log")


def stop(serve):
    """Stops serve.sh's stack with TERM, which its trap always sees: a shell started in the
    background (`&`, nohup) ignores INT, and serve.sh would then restart the gunicorn and
    worker that INT stopped and run on after the test. KILL and pg_ctl if it hangs."""
    os.killpg(serve.pid, signal.SIGTERM)
    try:
        serve.wait(timeout=120)
    except subprocess.TimeoutExpired:
        os.killpg(serve.pid, signal.SIGKILL)
        serve.wait(timeout=30)
        pg_ctl = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
        as_postgres = ["runuser", "-u", "postgres", "--"] if os.getuid() == 0 else []
        if pg_ctl and (VAR / "postgres/postmaster.pid").exists():
            stop_postgres = [*as_postgres, str(pg_ctl[-1]), "-D", str(VAR / "postgres")]
            subprocess.run([*stop_postgres, "-m", "fast", "stop"], check=False)


if __name__ == "__main__":
    main()
