"""Loads 50,000 generated role profiles across 45 forces and times the list and search pages.

Run against a throw-away PostgreSQL:

    bash scripts/with-postgres.sh .venv/bin/python benchmarks/search.py
    BENCHMARK_PROFILES=500000 bash scripts/with-postgres.sh .venv/bin/python benchmarks/search.py

On PostgreSQL the profiles are generated in SQL (`load_postgres`); elsewhere through the
ORM, 5,000 a transaction. The load time is printed.

The pages are requested through Django's test Client, so the times are server time
(middleware, views, queries, templates) without a network. Each request kind is timed
50 times after 3 warm-up requests; the table gives p50 and p95 in milliseconds and the
queries each request made; "SQL p50" is the median time spent in the database (as the
client sees it: the query and its round trip), "CPU p50" the median CPU time of the
request's thread (Python: middleware, view, templates, the test client; not the database
server's), which a busy machine inflates far less than wall time.
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
BATCH = 5000  # profiles a transaction through the ORM (SQLite)
CHUNK = 50000  # profiles a statement in SQL (PostgreSQL)

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


def load(rng, began):
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
    if connection.vendor == "postgresql":
        load_postgres(rng, began, forces, grades_of, vetting, levels, framework_id)
        return forces, levels
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


POOL = 20000  # sentences of each kind that the generated rows draw from


def _copy_columns(model, overrides, alias="t"):
    """(column list, select list): `overrides` by column, every other column from the
    template row `alias` (so its Python-side defaults are the ORM's own)."""
    columns = [f.column for f in model._meta.concrete_fields if not f.primary_key]
    select = [overrides.get(column, f'{alias}."{column}"') for column in columns]
    return ", ".join(f'"{column}"' for column in columns), ", ".join(select)


def load_postgres(rng, began, forces, grades_of, vetting, levels, framework_id):
    """The profiles and their rows in SQL, INSERT … SELECT from generate_series, CHUNK
    profiles a statement: every row is a copy of a template made through the ORM (its
    defaults as the ORM writes them) with the generated columns put in. The words come
    from pools of sentences written by `sentence` (so the words are spread as the ORM path
    spreads them); the search document is built as profiles.search builds it."""
    statuses = [Status.PUBLISHED] * 6 + [Status.DRAFT, Status.IN_REVIEW, Status.ARCHIVED]
    with transaction.atomic():
        template = RoleProfile.objects.create(
            force=forces[0], slug="benchmark-template", title="Template", framework_id=framework_id
        )
        section = Section.objects.create(profile=template, order=1, kind=SectionKind.GENERAL_TASKS)
        item = Item.objects.create(section=section, order=1, text="Template")
        criterion = Criterion.objects.create(
            profile=template, order=1, category="skills", requirement="essential", text="T"
        )
        behaviour = (
            Behaviour.objects.create(profile=template, order=1, level=levels[0]) if levels else None
        )
    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(%s)", [rng.random() * 2 - 1])
        for table, words in (("bench_purpose", 25), ("bench_item", 18), ("bench_criterion", 12)):
            cursor.execute(f"CREATE TEMP TABLE {table} (n int PRIMARY KEY, text text)")
            rows = [(n, sentence(rng, words)) for n in range(POOL)]
            for start in range(0, POOL, 5000):
                chunk = rows[start : start + 5000]
                cursor.execute(
                    f"INSERT INTO {table} VALUES " + ", ".join(["(%s, %s)"] * len(chunk)),
                    [value for row in chunk for value in row],
                )
        cursor.execute(
            "CREATE TEMP TABLE bench_grade (force_n int, g int, force_id bigint, grade_id bigint)"
        )
        cursor.execute(
            "INSERT INTO bench_grade VALUES " + ", ".join(["(%s, %s, %s, %s)"] * (len(forces) * 6)),
            [
                value
                for n, force in enumerate(forces)
                for g, grade in enumerate(grades_of[force.pk])
                for value in (n, g, force.pk, grade.pk)
            ],
        )
        cursor.execute("CREATE TEMP TABLE bench_level (n int PRIMARY KEY, level_id bigint)")
        for n, level in enumerate(levels):
            cursor.execute("INSERT INTO bench_level VALUES (%s, %s)", [n, level.pk])
        vetting_ids = [v.pk for v in vetting] or [None]
        status_case = " ".join(f"WHEN {n} THEN '{s.value}'" for n, s in enumerate(statuses))
        profile_columns, profile_select = _copy_columns(
            RoleProfile,
            {
                "force_id": "bg.force_id",
                "slug": "'profile-' || s.g",
                "title": "(%s::text[])[s.mi] || ' ' || (%s::text[])[s.ri]",
                "reference_code": "'R' || lpad(s.g::text, greatest(5, length(s.g::text)), '0')",
                "grade_id": "bg.grade_id",
                "vetting_level_id": "(%s::bigint[])[s.vi]",
                "status": f"CASE s.si {status_case} END",
                "purpose": "bp.text",
            },
        )
        section_columns, section_select = _copy_columns(
            Section,
            {
                "profile_id": "p.id",
                "order": "v.o",
                "kind": "v.kind",
                "heading": "v.heading",
                "weighting": "v.weighting",
            },
        )
        item_columns, item_select = _copy_columns(
            Item,
            {
                "section_id": "x.section_id",
                "order": "x.o",
                "text": "bi.text",
                "weighting": "CASE WHEN x.section_order = 1 THEN 10 END",
            },
        )
        criterion_columns, criterion_select = _copy_columns(
            Criterion,
            {
                "profile_id": "x.profile_id",
                "order": "x.o",
                "requirement": "CASE WHEN x.o < 3 THEN 'essential' ELSE 'desirable' END",
                "text": "bc.text",
            },
        )
        behaviour_columns, behaviour_select = _copy_columns(
            Behaviour,
            {
                "profile_id": "x.profile_id",
                "order": "o.o",
                "level_id": "bl.level_id",
            },
        )
        for start in range(0, PROFILES, CHUNK):
            stop = min(start + CHUNK, PROFILES)
            with transaction.atomic():
                cursor.execute(
                    f"INSERT INTO profiles_roleprofile ({profile_columns}) "
                    f"SELECT {profile_select} FROM ("
                    "  SELECT g, 1 + floor(random() * %s)::int AS pi,"
                    "   floor(random() * 6)::int AS gi, floor(random() * 9)::int AS si,"
                    "   1 + floor(random() * %s)::int AS vi, 1 + floor(random() * %s)::int AS mi,"
                    "   1 + floor(random() * %s)::int AS ri"
                    "  FROM generate_series(%s, %s) AS g ORDER BY g"
                    ") AS s"
                    " JOIN bench_purpose AS bp ON bp.n = s.pi - 1"
                    " JOIN bench_grade AS bg ON bg.force_n = s.g %% %s AND bg.g = s.gi"
                    " CROSS JOIN profiles_roleprofile AS t WHERE t.id = %s"
                    " ORDER BY s.g RETURNING id",
                    [
                        MODIFIERS,
                        ROLES,
                        vetting_ids,
                        POOL,
                        len(vetting_ids),
                        len(MODIFIERS),
                        len(ROLES),
                        start,
                        stop - 1,
                        len(forces),
                        template.pk,
                    ],
                )
                ids = [row[0] for row in cursor.fetchall()]
                low, high = min(ids), max(ids)
                cursor.execute(
                    f"INSERT INTO profiles_section ({section_columns}) "
                    f"SELECT {section_select} FROM profiles_roleprofile AS p"
                    " CROSS JOIN (VALUES (1, %s, %s, 80), (2, %s, %s, 20))"
                    "  AS v(o, kind, heading, weighting)"
                    " CROSS JOIN profiles_section AS t"
                    " WHERE t.id = %s AND p.id BETWEEN %s AND %s ORDER BY p.id, v.o",
                    [
                        SectionKind.RESPONSIBILITIES.value,
                        "Principal responsibilities",
                        SectionKind.GENERAL_TASKS.value,
                        "General tasks",
                        section.pk,
                        low,
                        high,
                    ],
                )
                cursor.execute(
                    f"INSERT INTO profiles_item ({item_columns}) "
                    f"SELECT {item_select} FROM ("
                    "  SELECT s.id AS section_id, s.order AS section_order, o,"
                    "   floor(random() * %s)::int AS pi"
                    "  FROM profiles_section AS s,"
                    "   generate_series(1, CASE WHEN s.order = 1 THEN 8 ELSE 2 END) AS o"
                    "  WHERE s.profile_id BETWEEN %s AND %s"
                    ") AS x JOIN bench_item AS bi ON bi.n = x.pi"
                    " CROSS JOIN profiles_item AS t WHERE t.id = %s"
                    " ORDER BY x.section_id, x.o",
                    [POOL, low, high, item.pk],
                )
                cursor.execute(
                    f"INSERT INTO profiles_criterion ({criterion_columns}) "
                    f"SELECT {criterion_select} FROM ("
                    "  SELECT p.id AS profile_id, o, floor(random() * %s)::int AS pi"
                    "  FROM profiles_roleprofile AS p, generate_series(1, 3) AS o"
                    "  WHERE p.id BETWEEN %s AND %s"
                    ") AS x JOIN bench_criterion AS bc ON bc.n = x.pi"
                    " CROSS JOIN profiles_criterion AS t WHERE t.id = %s"
                    " ORDER BY x.profile_id, x.o",
                    [POOL, low, high, criterion.pk],
                )
                if behaviour is not None and len(levels) > 1:
                    # Two different levels a profile: a, then a + 1 + d (mod the levels).
                    cursor.execute(
                        f"INSERT INTO profiles_behaviour ({behaviour_columns}) "
                        f"SELECT {behaviour_select} FROM ("
                        "  SELECT p.id AS profile_id, floor(random() * %s)::int AS a,"
                        "   floor(random() * %s)::int AS d"
                        "  FROM profiles_roleprofile AS p WHERE p.id BETWEEN %s AND %s"
                        ") AS x CROSS JOIN (VALUES (1), (2)) AS o(o)"
                        " JOIN bench_level AS bl"
                        "  ON bl.n = CASE WHEN o.o = 1 THEN x.a ELSE (x.a + 1 + x.d) %% %s END"
                        " CROSS JOIN profiles_behaviour AS t WHERE t.id = %s"
                        " ORDER BY x.profile_id, o.o",
                        [len(levels), len(levels) - 1, low, high, len(levels), behaviour.pk],
                    )
                # Statistics for the rows just written (the planner would take the new
                # tables for empty and join them row by row).
                cursor.execute(
                    "ANALYZE profiles_roleprofile, profiles_section, profiles_item,"
                    " profiles_criterion, profiles_behaviour"
                )
                _search_documents(cursor, low, high)
            print(f"  loaded {stop:>7} profiles ({time.perf_counter() - began:.0f} s)", flush=True)
        template.delete()


def _search_documents(cursor, low, high):
    """profiles.search's document (search_text, the weighted search_vector) in one UPDATE."""
    names = ", ".join(f"NULLIF(p.\"{field}\", '')" for field in search.NAME_FIELDS)
    purpose = "concat_ws(E'\\n', NULLIF(p.purpose, ''), NULLIF(p.purpose_cy, ''))"
    cursor.execute(
        "WITH parts AS ("
        "  SELECT s.profile_id, 0 AS part, s.order AS o1, i.order AS o2,"
        "   concat_ws(' ', NULLIF(s.heading, ''), NULLIF(i.subheading, ''),"
        "    NULLIF(i.text, ''), NULLIF(i.text_cy, '')) AS words"
        "  FROM profiles_item AS i JOIN profiles_section AS s ON s.id = i.section_id"
        "  WHERE s.profile_id BETWEEN %(low)s AND %(high)s"
        "  UNION ALL"
        "  SELECT c.profile_id, 1, c.order, 0, concat_ws(' ', NULLIF(c.heading, ''),"
        "   NULLIF(c.text, ''), NULLIF(c.text_cy, ''))"
        "  FROM profiles_criterion AS c WHERE c.profile_id BETWEEN %(low)s AND %(high)s"
        "), rest AS ("
        "  SELECT profile_id,"
        "   coalesce(string_agg(NULLIF(words, ''), ' ' ORDER BY part, o1, o2), '') AS rest"
        "  FROM parts GROUP BY profile_id"
        ")"
        " UPDATE profiles_roleprofile AS p SET"
        f"  search_text = concat_ws(E'\\n', NULLIF(concat_ws(' ', {names}), ''),"
        f"   NULLIF({purpose}, ''), NULLIF(r.rest, '')),"
        "  search_vector ="
        f"   setweight(to_tsvector(%(config)s::regconfig, concat_ws(' ', {names})), 'A')"
        f"   || setweight(to_tsvector(%(config)s::regconfig, {purpose}), 'B')"
        "   || setweight(to_tsvector(%(config)s::regconfig, r.rest), 'C')"
        " FROM rest AS r WHERE r.profile_id = p.id AND p.id BETWEEN %(low)s AND %(high)s",
        {"low": low, "high": high, "config": search.CONFIG},
    )


def timed(client, url, params):
    times, sql_times, cpu_times = [], [], []
    for n in range(WARM_UP + REQUESTS):
        with CaptureQueriesContext(connection) as queries:
            began, cpu_began = time.perf_counter(), time.thread_time()
            response = client.get(url, params)
            elapsed = (time.perf_counter() - began) * 1000
            cpu = (time.thread_time() - cpu_began) * 1000
        assert response.status_code == 200, (url, params, response.status_code)
        if n >= WARM_UP:
            times.append(elapsed)
            sql_times.append(sum(float(q["time"]) for q in queries.captured_queries) * 1000)
            cpu_times.append(cpu)
    if os.environ.get("BENCHMARK_EXPLAIN"):
        slowest = max(queries.captured_queries, key=lambda q: float(q["time"]))
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN ANALYZE " + slowest["sql"])
            print("\n".join(row[0] for row in cursor.fetchall()), "\n")
    times.sort()
    p95 = times[max(0, int(round(0.95 * len(times))) - 1)]
    count = re.search(r'id="result-count" role="status">(\d+) profile', response.text)
    sql, cpu = statistics.median(sql_times), statistics.median(cpu_times)
    return statistics.median(times), p95, sql, cpu, len(queries), int(count.group(1))


def main():
    rng = random.Random(20261124)
    began = time.perf_counter()
    call_command("migrate", verbosity=0)
    if RoleProfile.objects.count() >= PROFILES:
        # A database kept from an earlier run (a server of your own): time it again.
        forces = list(Force.objects.order_by("pk"))  # as load() made them
        levels = list(CompetencyLevel.objects.select_related("competency")[:40])
    else:
        print(f"Loading {PROFILES} profiles across {FORCES} forces into {connection.vendor} …")
        forces, levels = load(rng, began)
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
        p50, p95, sql, cpu, queries, count = timed(client, list_url, params)
        rows.append((who, label, count, queries, sql, cpu, p50, p95))
    settings_note = f"Django {django.get_version()}, {connection.vendor}, DEBUG={settings.DEBUG}"
    print(f"Server time through the test Client, {REQUESTS} requests each ({settings_note})\n")
    header = (
        f"{'user':<10} {'request':<48} {'matches':>7} {'queries':>7} "
        f"{'SQL p50':>7} {'CPU p50':>7} {'p50 ms':>7} {'p95 ms':>7}"
    )
    print(header)
    print("-" * len(header))
    for who, label, count, queries, sql, cpu, p50, p95 in rows:
        print(
            f"{who:<10} {label:<48} {count:>7} {queries:>7} {sql:>7.1f} {cpu:>7.1f} "
            f"{p50:>7.1f} {p95:>7.1f}"
        )


if __name__ == "__main__":
    main()
