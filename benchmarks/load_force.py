"""Times `load_force` on one generated force fixture of many records and reports its peak memory.

    .venv/bin/python benchmarks/load_force.py                                  # SQLite file
    bash scripts/with-postgres.sh .venv/bin/python benchmarks/load_force.py    # PostgreSQL

The fixture repeats Gwent's seed profile (a profile, its sections, items, criteria and
behaviours) under new slugs until it holds BENCHMARK_RECORDS records (default 30,000).
A fresh database is migrated and given the national data; then `load_force` runs in a
child process, timed from outside; the table gives the fixture's size, the wall and CPU
time of load_force (CPU time is the fairer figure on a busy machine) and its peak
resident memory (ru_maxrss of the child).
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


def renamed(value, slug):
    """A natural key naming Gwent's profile, made to name profile `slug` instead."""
    if isinstance(value, list) and value[:2] == ["gwent", PROFILE_SLUG]:
        return ["gwent", slug, *value[2:]]
    return value


def generate(path, records):
    """Write a Gwent fixture of about `records` records: the force, then profile copies."""
    seed = json.loads(GWENT.read_text(encoding="utf-8"))
    head = [r for r in seed if r["model"] in ("profiles.force", "profiles.grade")]
    profile = [r for r in seed if r not in head and r["model"] != "profiles.standardsection"]
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
        start = time.perf_counter()
        child = subprocess.Popen(
            [sys.executable, "manage.py", "load_force", str(fixture), "--verbosity", "0"],
            cwd=ROOT,
            env=env,
        )
        _pid, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode:
            sys.exit(f"load_force failed with exit code {child.returncode}")
        peak_mb = usage.ru_maxrss / 1024
        cpu = usage.ru_utime + usage.ru_stime
        vendor = "postgresql" if env["DATABASE_URL"].startswith("postgres") else "sqlite"
        print("| database | records | fixture MB | load_force wall s | CPU s | peak RSS MB |")
        print("|---|---:|---:|---:|---:|---:|")
        print(
            f"| {vendor} | {count:,} | {fixture.stat().st_size / 2**20:.1f} "
            f"| {seconds:.1f} | {cpu:.1f} | {peak_mb:.0f} |"
        )


if __name__ == "__main__":
    main()
