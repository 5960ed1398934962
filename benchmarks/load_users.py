"""Locust users for benchmarks/load.py: hiring managers reading and downloading, HR editors saving.

Not run on its own: benchmarks/load.py starts the stack, writes the plan this file reads
(LOAD_PLAN: forces, downloadable profiles, drafts to edit) and runs locust on it.
"""

import json
import os
import random
import sys
from pathlib import Path

from locust import HttpUser, between, task

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.html_forms import parse_form  # noqa: E402

PLAN = json.loads(Path(os.environ["LOAD_PLAN"]).read_text())
PASSWORD = "demo-password"
WORDS = ["officer", "support", "custody", "analyst", "vetting", "community", "finance", "contact"]


def log_in(user, username):
    """Use the session benchmarks/load.py opened for this person: hashing a password costs
    about a second of CPU, and 55 logins at once would be most of the test."""
    user.client.cookies.set("sessionid", PLAN["sessions"][username])


class HiringManager(HttpUser):
    fixed_count = 50
    wait_time = between(1, 3)

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
        with self.client.get(
            f"/profiles/{self.force}/{slug}/pdf/", name="download PDF", catch_response=True
        ) as response:
            if not response.content.startswith(b"%PDF-"):
                response.failure("not a PDF")


class HrEditor(HttpUser):
    fixed_count = 5
    wait_time = between(2, 5)

    def on_start(self):
        self.force = PLAN["forces"][HrEditor.started % len(PLAN["forces"])]
        HrEditor.started += 1
        log_in(self, f"hr-{self.force}")

    started = 0

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
            data=form.data(),
            headers={"Referer": self.host + url},
            name="editor save",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"save answered {response.status_code}")
