"""Loads 50,000 generated role profiles across 45 forces and times the list and search pages.

Run against a throw-away PostgreSQL:

    bash scripts/with-postgres.sh .venv/bin/python benchmarks/search.py

The pages are requested through Django's test Client, so the times are server time
(middleware, views, queries, templates) without a network. Each request kind is timed
50 times after 3 warm-up requests; the table gives p50 and p95 in milliseconds and the
queries each request made; "SQL p50" is the median time spent in the database.
"""

import os
import random
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

from benchmarks import static_files  # noqa: E402

static_files.use_temporary_root()

import django  # noqa: E402

django.setup()
static_files.collect()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from competencies.models import CompetencyLevel  # noqa: E402
from profiles import search  # noqa: E402
from profiles.models import (  # noqa: E402
    Behaviour,
    Criterion,
    Force,
    Grade,
    Item,
    Membership,
    Role,
    RoleProfile,
    Section,
    SectionKind,
    Status,
)
from vetting.models import VettingLevel  # noqa: E402

PROFILES = int(os.environ.get("BENCHMARK_PROFILES", "50000"))
FORCES = 45
REQUESTS = 50
WARM_UP = 3
BATCH = 5000

ROLES = [
    "Analyst",
    "Administrator",
    "Call Handler",
    "Detention Officer",
    "Investigator",
    "Community Support Officer",
    "Firearms Instructor",
    "Custody Sergeant",
    "Data Officer",
    "Training Officer",
    "Crime Scene Investigator",
    "Intelligence Researcher",
    "Driver",
    "Finance Officer",
    "Vetting Officer",
    "Digital Forensics Examiner",
    "Coordinator",
    "Performance Officer",
    "Press Officer",
    "Case Builder",
    "Disclosure Officer",
]
MODIFIERS = [
    "Senior",
    "Assistant",
    "Principal",
    "Lead",
    "Trainee",
    "Specialist",
    "Deputy",
    "Force",
    "Regional",
    "Neighbourhood",
    "Major Crime",
    "Roads Policing",
    "Public Protection",
]
WORDS = (
    "patrol custody records witness statement evidence exhibits intelligence safeguarding "
    "vulnerable victims offenders partnership community engagement licensing firearms "
    "fleet vehicles budget procurement invoices rota shifts briefing debrief audit "
    "compliance vetting disclosure forensic digital devices analysis reports performance "
    "training coaching mentoring welfare wellbeing risk assessment incident response "
    "control room telephone radio database systems niche athena storm pnc pnd court "
    "files case preparation prosecution liaison council housing schools youth diversion "
    "anti-social behaviour neighbourhood meetings problem solving osara crime prevention "
    "road safety collisions drones cyber fraud economic crime modern slavery missing "
    "persons domestic abuse hate crime counter terrorism protective security estates"
).split()


FILLER = (
    "ensure provide support maintain deliver manage develop work with colleagues across the "
    "organisation and partners to achieve high standards of service in line with policy "
    "procedures legislation guidance using appropriate systems keep accurate up to date "
    "information respond promptly requests from members public staff officers supervisors "
    "identify issues escalate where necessary contribute team objectives plans reviews "
    "attend meetings prepare documents correspondence quality timely manner effective "
    "efficient professional standards continuous improvement learning development"
).split()


def sentence(rng, n):
    """Mostly ordinary words; now and then one policing term, as real profiles read."""
    words = [rng.choice(FILLER) for _ in range(n)]
    if rng.random() < 0.3:
        words[rng.randrange(n)] = rng.choice(WORDS)
    return " ".join(words).capitalize() + "."


def load(rng):
    """The forces, their grades and every profile with sections, items, criteria, behaviours."""
    national = sorted(str(path) for path in (ROOT / "fixtures/national").glob("*.json"))
    call_command("loaddata", *national, verbosity=0)
    vetting = list(VettingLevel.objects.all())
    levels = list(CompetencyLevel.objects.select_related("competency")[:40])
    framework_id = levels[0].competency.framework_id if levels else None
    forces = Force.objects.bulk_create(
        Force(slug=f"force-{n}", name=f"Force {n:02d} Constabulary") for n in range(FORCES)
    )
    grades = Grade.objects.bulk_create(
        Grade(force=force, code=f"Scale {g}", order=g) for force in forces for g in range(1, 7)
    )
    grades_of = {}
    for grade in grades:
        grades_of.setdefault(grade.force_id, []).append(grade)
    statuses = [Status.PUBLISHED] * 6 + [Status.DRAFT, Status.IN_REVIEW, Status.ARCHIVED]
    for start in range(0, PROFILES, BATCH):
        with transaction.atomic():
            profiles = []
            for n in range(start, min(start + BATCH, PROFILES)):
                force = forces[n % FORCES]
                title = f"{rng.choice(MODIFIERS)} {rng.choice(ROLES)}"
                profiles.append(
                    RoleProfile(
                        force=force,
                        slug=f"profile-{n}",
                        title=title,
                        reference_code=f"R{n:05d}",
                        grade=rng.choice(grades_of[force.pk]),
                        vetting_level=rng.choice(vetting) if vetting else None,
                        framework_id=framework_id,
                        status=rng.choice(statuses),
                        purpose=sentence(rng, 25),
                    )
                )
            profiles = RoleProfile.objects.bulk_create(profiles)
            sections = Section.objects.bulk_create(
                Section(profile=profile, order=order, kind=kind, heading=heading, weighting=weight)
                for profile in profiles
                for order, kind, heading, weight in (
                    (1, SectionKind.RESPONSIBILITIES, "Principal responsibilities", 80),
                    (2, SectionKind.GENERAL_TASKS, "General tasks", 20),
                )
            )
            Item.objects.bulk_create(
                Item(
                    section=section,
                    order=order,
                    text=sentence(rng, 18),
                    weighting=(10 if section.order == 1 else None),
                )
                for section in sections
                for order in range(1, 9 if section.order == 1 else 3)
            )
            Criterion.objects.bulk_create(
                Criterion(
                    profile=profile,
                    order=order,
                    category="skills",
                    requirement="essential" if order < 3 else "desirable",
                    text=sentence(rng, 12),
                )
                for profile in profiles
                for order in range(1, 4)
            )
            if levels:
                Behaviour.objects.bulk_create(
                    Behaviour(profile=profile, order=order, level=level)
                    for profile in profiles
                    for order, level in enumerate(rng.sample(levels, 2), start=1)
                )
        search.refresh_many([profile.pk for profile in profiles])
        print(f"  loaded {start + len(profiles):>6} profiles", flush=True)
    return forces, levels


def timed(client, url, params):
    times, sql_times = [], []
    for n in range(WARM_UP + REQUESTS):
        with CaptureQueriesContext(connection) as queries:
            began = time.perf_counter()
            response = client.get(url, params)
            elapsed = (time.perf_counter() - began) * 1000
        assert response.status_code == 200, (url, params, response.status_code)
        if n >= WARM_UP:
            times.append(elapsed)
            sql_times.append(sum(float(q["time"]) for q in queries.captured_queries) * 1000)
    if os.environ.get("BENCHMARK_EXPLAIN"):
        slowest = max(queries.captured_queries, key=lambda q: float(q["time"]))
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN ANALYZE " + slowest["sql"])
            print("\n".join(row[0] for row in cursor.fetchall()), "\n")
    times.sort()
    p95 = times[max(0, int(round(0.95 * len(times))) - 1)]
    count = re.search(r'id="result-count" role="status">(\d+) profile', response.text)
    sql = statistics.median(sql_times)
    return statistics.median(times), p95, sql, len(queries), int(count.group(1))


def main():
    rng = random.Random(20261124)
    began = time.perf_counter()
    call_command("migrate", verbosity=0)
    if RoleProfile.objects.count() >= PROFILES:
        # A database kept from an earlier run (a server of your own): time it again.
        forces = list(Force.objects.order_by("slug"))
        levels = list(CompetencyLevel.objects.select_related("competency")[:40])
    else:
        print(f"Loading {PROFILES} profiles across {FORCES} forces into {connection.vendor} …")
        forces, levels = load(rng)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # What autovacuum does soon after a bulk load: statistics and the
                # visibility map that index-only scans need.
                cursor.execute("VACUUM ANALYZE")
        print(f"Loaded in {time.perf_counter() - began:.0f} s.\n")

    User = get_user_model()
    admin, _ = User.objects.get_or_create(
        username="bench-admin", defaults={"is_staff": True, "is_superuser": True}
    )
    hr, _ = User.objects.get_or_create(username="bench-hr")
    Membership.objects.get_or_create(
        user=hr, defaults={"force": Force.objects.get(slug="force-7"), "role": Role.HR_EDITOR}
    )
    list_url = "/profiles/"
    deep = PROFILES // 25 * 3 // 4
    cases = [
        ("staff", admin, "list, page 1", {}),
        ("staff", admin, f"list, page {deep}", {"page": deep}),
        ("staff", admin, "list sorted by force, page 40", {"sort": "force", "page": 40}),
        ("staff", admin, "search 'firearms'", {"q": "firearms"}),
        ("staff", admin, "search 'custody records', page 5", {"q": "custody records", "page": 5}),
        ("staff", admin, "search 'Detention Officer'", {"q": "Detention Officer"}),
        (
            "staff",
            admin,
            "filter force+status+grade + search 'licensing'",
            {"q": "licensing", "force": forces[3].slug, "status": "published"},
        ),
        (
            "staff",
            admin,
            "filter competency + search 'fraud'",
            {"q": "fraud", "competency": levels[0].competency_id if levels else ""},
        ),
        ("hr editor", hr, "list, page 1 (own force)", {}),
        ("hr editor", hr, "search 'safeguarding' (own force)", {"q": "safeguarding"}),
    ]
    rows = []
    for who, user, label, params in cases:
        client = Client()
        client.force_login(user)
        p50, p95, sql, queries, count = timed(client, list_url, params)
        rows.append((who, label, count, queries, sql, p50, p95))
    settings_note = f"Django {django.get_version()}, {connection.vendor}, DEBUG={settings.DEBUG}"
    print(f"Server time through the test Client, {REQUESTS} requests each ({settings_note})\n")
    header = (
        f"{'user':<10} {'request':<48} {'matches':>7} {'queries':>7} "
        f"{'SQL p50':>7} {'p50 ms':>7} {'p95 ms':>7}"
    )
    print(header)
    print("-" * len(header))
    for who, label, count, queries, sql, p50, p95 in rows:
        print(f"{who:<10} {label:<48} {count:>7} {queries:>7} {sql:>7.1f} {p50:>7.1f} {p95:>7.1f}")


if __name__ == "__main__":
    main()
