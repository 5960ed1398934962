"""Times `load_force` on one generated force fixture of many records and reports its peak memory.

    .venv/bin/python benchmarks/load_force.py                                  # SQLite file
    bash scripts/with-postgres.sh .venv/bin/python benchmarks/load_force.py    # PostgreSQL

The fixture repeats Gwent's seed profile (a profile, its sections, items, criteria and
behaviours) under new slugs until it holds BENCHMARK_RECORDS records (default 30,000).
A fresh database is migrated and given the national data; then `load_force` runs in a
child process, timed from outside; the table gives the fixture's size, the wall and CPU
time of load_force (CPU time is the fairer figure on a busy machine) and its peak
resident memory (ru_maxrss of the child); then the same rows are dumped (with the primary
keys loaddata needs), deleted, and loaded again by Django's own `loaddata`, timed alike.
"""

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RECORDS = int(os.environ.get("BENCHMARK_RECORDS", "30000"))
GWENT = ROOT / "fixtures" / "forces" / "gwent.json"
PROFILE_SLUG = "community-support-officer"
PROFILE_MODELS = {
    "profiles.roleprofile",
    "profiles.postdetail",
    "profiles.section",
    "profiles.item",
    "profiles.criterion",
    "profiles.behaviour",
    "profiles.skillrequirement",
    "profiles.nosunit",
}


# What load_force wrote, for loaddata to write again.
DUMPED = [
    "profiles.force",
    "profiles.grade",
    "profiles.housestyle",
    "profiles.welshlevel",
    "profiles.standardsection",
    *sorted(PROFILE_MODELS),
]
EMPTY = (
    "from profiles.models import Force, RoleProfile; "
    "RoleProfile.objects.all().delete(); Force.objects.all().delete()"
)


def renamed(value, slug):
    """A natural key naming Gwent's profile, made to name profile `slug` instead."""
    if isinstance(value, list) and value[:2] == ["gwent", PROFILE_SLUG]:
        return ["gwent", slug, *value[2:]]
    return value


def generate(path, records):
    """Write a Gwent fixture of about `records` records: the force, then profile copies."""
    seed = json.loads(GWENT.read_text(encoding="utf-8"))
    # The force's own records (its grades, house style, Welsh levels, statements) once;
    # the profile and its rows copied.
    profile = [r for r in seed if r["model"] in PROFILE_MODELS]
    head = [r for r in seed if r["model"] not in PROFILE_MODELS]
    copies = max(1, (records - len(head)) // len(profile))
    with open(path, "w", encoding="utf-8") as out:
        out.write("[\n")
        out.write(",\n".join(json.dumps(r) for r in head))
        for number in range(copies):
            slug = f"{PROFILE_SLUG}-{number}"
            for record in profile:
                fields = {name: renamed(value, slug) for name, value in record["fields"].items()}
                if record["model"] == "profiles.roleprofile":
                    fields["slug"] = slug
                out.write(",\n" + json.dumps({"model": record["model"], "fields": fields}))
        out.write("\n]\n")
    return len(head) + copies * len(profile)


def manage(*args, env):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def main():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "benchmark-only-secret-key"),
        "DEBUG": "false",
        "SECURE_SSL_REDIRECT": "false",
    }
    with tempfile.TemporaryDirectory() as tmp:
        env.setdefault("DATABASE_URL", f"sqlite:///{tmp}/benchmark.sqlite3")
        fixture = Path(tmp) / "gwent-large.json"
        count = generate(fixture, RECORDS)
        manage("migrate", "--verbosity", "0", env=env)
        national = sorted(str(p) for p in (ROOT / "fixtures" / "national").glob("*.json"))
        manage("loaddata", *national, "--verbosity", "0", env=env)
        seconds, cpu, peak_mb = timed("load_force", str(fixture), env=env)
        # Django's own loaddata of the same rows (with the primary keys load_force gave
        # them, which loaddata needs), into the same database emptied of them.
        dump = Path(tmp) / "dumped.json"
        manage("dumpdata", *DUMPED, "--output", str(dump), "--verbosity", "0", env=env)
        manage("shell", "-c", EMPTY, env=env)
        loaddata_seconds, loaddata_cpu, _peak = timed("loaddata", str(dump), env=env)
        vendor = "postgresql" if env["DATABASE_URL"].startswith("postgres") else "sqlite"
        print(
            "| database | records | fixture MB | load_force wall s | CPU s | peak RSS MB "
            "| loaddata wall s | CPU s | load_force / loaddata (CPU) |"
        )
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
        print(
            f"| {vendor} | {count:,} | {fixture.stat().st_size / 2**20:.1f} "
            f"| {seconds:.1f} | {cpu:.1f} | {peak_mb:.0f} "
            f"| {loaddata_seconds:.1f} | {loaddata_cpu:.1f} | {cpu / loaddata_cpu:.1f}x |"
        )
        print(f"load average: {', '.join(f'{load:.2f}' for load in os.getloadavg())}")


def timed(*command, env):
    """Run a manage.py command in a child process: (wall s, CPU s, peak resident MB)."""
    start = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "manage.py", *command, "--verbosity", "0"], cwd=ROOT, env=env
    )
    _pid, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status):
        sys.exit(f"{command[0]} failed with exit code {os.waitstatus_to_exitcode(status)}")
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


if __name__ == "__main__":
    main()
