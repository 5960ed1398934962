"""Locust users for benchmarks/load.py: hiring managers reading and downloading, HR editors saving.

Not run on its own: benchmarks/load.py starts the stack, writes the plan this file reads
(LOAD_PLAN: forces, downloadable profiles, drafts to edit) and runs locust on it.

Users are FastHttpUser (geventhttpclient): on a 2-core machine the load generator shares
the CPU with the server, and the requests-based HttpUser costs several times more CPU per
request, time that would show up as server latency.

Think time (the pause between one click and the next) is a person's, not a robot's:
- a hiring manager glances at a list or a profile before the next click, 2 to 8 s
  (LOAD_MANAGER_THINK="2,8"): 50 managers make about 10 requests a second;
- an HR editor opens a profile, edits for a while, saves, downloads the PDF to check it,
  and moves on, 15 to 45 s between saves (LOAD_EDITOR_THINK="15,45"): 5 editors save
  about once every 6 s between them.
Shorter pauses (say "1,3" and "2,5") measure a stress test rather than 55 people.
"""

import json
import os
import random
import sys
from http.cookiejar import Cookie
from pathlib import Path
from urllib.parse import urlencode

from locust import FastHttpUser, between, events, task

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.html_forms import parse_form  # noqa: E402

PLAN = json.loads(Path(os.environ["LOAD_PLAN"]).read_text())
WORDS = ["officer", "support", "custody", "analyst", "vetting", "community", "finance", "contact"]
# How each download was served (X-PDF-Status: "current", or "updating" for the previous PDF
# of a profile changed since it was printed), written where load.py reads it.
DOWNLOADS = {"current": 0, "updating": 0, "other": 0}


def think(name, default):
    low, high = (float(part) for part in os.environ.get(name, default).split(","))
    return between(low, high)


def log_in(user, username):
    """Use the session benchmarks/load.py opened for this person: hashing a password costs
    about a second of CPU, and 55 logins at once would be most of the test."""
    host = user.host.split("://", 1)[1].split(":")[0]
    user.client.cookiejar.set_cookie(
        Cookie(
            0,
            "sessionid",
            PLAN["sessions"][username],
            None,
            False,
            host,
            False,
            False,
            "/",
            True,
            False,
            None,
            False,
            None,
            None,
            {},
        )  # fmt: skip
    )


def download(user, url, name):
    with user.client.get(url, name=name, catch_response=True) as response:
        if not response.content.startswith(b"%PDF-"):
            response.failure("not a PDF")
            return
        status = response.headers.get("X-PDF-Status", "other")
        DOWNLOADS[status if status in DOWNLOADS else "other"] += 1


@events.test_stop.add_listener
def write_downloads(**kwargs):
    Path(os.environ["LOAD_DOWNLOADS"]).write_text(json.dumps(DOWNLOADS))


class HiringManager(FastHttpUser):
    fixed_count = 50
    wait_time = think("LOAD_MANAGER_THINK", "2,8")

    def on_start(self):
        self.force = PLAN["forces"][random.randrange(len(PLAN["forces"]))]
        log_in(self, f"manager-{self.force}")

    @task(3)
    def list_page(self):
        self.client.get(f"/profiles/?page={random.randint(1, 5)}", name="list")

    @task(2)
    def search(self):
        self.client.get(f"/profiles/?q={random.choice(WORDS)}", name="search")

    @task(3)
    def read(self):
        slug = random.choice(PLAN["published"][self.force])
        self.client.get(f"/profiles/{self.force}/{slug}/", name="read profile")

    @task(2)
    def download(self):
        slug = random.choice(PLAN["downloads"][self.force])
        download(self, f"/profiles/{self.force}/{slug}/pdf/", "download PDF")


class HrEditor(FastHttpUser):
    fixed_count = 5
    wait_time = think("LOAD_EDITOR_THINK", "15,45")
    started = 0

    def on_start(self):
        self.force = PLAN["forces"][HrEditor.started % len(PLAN["forces"])]
        HrEditor.started += 1
        log_in(self, f"hr-{self.force}")

    @task
    def save(self):
        slug = random.choice(PLAN["drafts"][self.force])
        url = f"/profiles/{self.force}/{slug}/edit/"
        page = self.client.get(url, name="editor")
        form = parse_form(page.text, "editor")
        form["profile-purpose"] = (
            f"Purpose rewritten under load, version {random.randrange(10**9)}."
        )
        with self.client.post(
            url,
            data=urlencode(form.data(), doseq=True),
            headers={
                "Referer": self.host + url,
                "Content-Type": "application/x-www-form-urlencoded",
            },
            name="editor save",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"save answered {response.status_code}")
                return
        # Checks the PDF at once: the worker has not printed the save yet, so this is
        # the previous PDF, marked as being updated, and must not wait for a print.
        download(self, f"/profiles/{self.force}/{slug}/pdf/", "download PDF just saved")
