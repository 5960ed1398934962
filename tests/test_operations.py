"""Operations: /healthz/ for load balancers, one JSON log line per request and per task."""

import json
import logging
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from config.logging import JsonFormatter
from profiles import tasks


@pytest.fixture
def database_queue(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.PDF_CACHE_DIR = tmp_path


def test_healthz_is_200_with_each_check_when_all_is_well(client, database_queue, profile):
    tasks.render_profile.enqueue(profile.pk)

    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    body = response.json()
    assert body["ok"] and body["database"]["ok"] and body["storage"]["ok"]
    assert body["queue"]["waiting"] == 1 and body["queue"]["workers"] == 0
    assert response["Cache-Control"].startswith("max-age=0")


def test_healthz_is_503_when_the_oldest_waiting_task_waited_too_long(
    client, database_queue, profile, settings
):
    settings.HEALTHZ_MAX_QUEUE_AGE = 60
    task_id = tasks.render_profile.enqueue(profile.pk).id
    DBTaskResult.objects.filter(pk=task_id).update(
        enqueued_at=timezone.now() - timedelta(minutes=5)
    )

    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    assert response.json()["queue"]["ok"] is False
    assert "waited 300" in response.json()["queue"]["error"]


def test_healthz_is_503_when_the_storage_cannot_be_written(client, database_queue, settings, db):
    settings.PDF_CACHE_DIR = "/proc/no-such-place"

    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    assert response.json()["storage"]["ok"] is False
    assert response.json()["database"]["ok"] is True, response.json()


def test_a_request_is_logged_as_one_json_line_with_user_force_and_profile(
    client, hr_user, profile, caplog, django_assert_num_queries
):
    client.force_login(hr_user)
    url = reverse("profiles:detail", args=[profile.force.slug, profile.slug])
    with caplog.at_level(logging.INFO, logger="requests"):
        client.get(url)

    (record,) = [r for r in caplog.records if r.name == "requests"]
    line = json.loads(JsonFormatter().format(record))
    assert line["event"] == "request" and line["status"] == 200 and line["method"] == "GET"
    assert line["path"] == url
    assert line["user"] == hr_user.username and line["force"] == profile.force.slug
    assert line["profile"] == f"{profile.force.slug}/{profile.slug}"
    assert line["duration_ms"] > 0 and line["level"] == "INFO"
    assert 0 < line["cpu_ms"] <= line["duration_ms"] + 1


def test_a_request_log_line_names_the_query_parameters_but_never_their_values(
    client, manager_user, caplog
):
    client.force_login(manager_user)
    with caplog.at_level(logging.INFO, logger="requests"):
        client.get(reverse("profiles:list") + "?q=custody+sergeant&page=2&q=again")

    (record,) = [r for r in caplog.records if r.name == "requests"]
    text = JsonFormatter().format(record)
    line = json.loads(text)
    assert line["query"] == ["page", "q"]
    assert "custody" not in text and "sergeant" not in text and "again" not in text
    # Measured from outside the session and authentication middleware, which it counts.
    assert line["user"] == manager_user.username and line["cpu_ms"] > 0


def test_a_task_is_logged_as_one_json_line_with_its_profile_and_duration(profile, caplog):
    with caplog.at_level(logging.INFO, logger="jobs"):
        tasks.render_profile.enqueue(profile.pk)

    (record,) = [r for r in caplog.records if r.name == "jobs"]
    line = json.loads(JsonFormatter().format(record))
    assert line["event"] == "task" and line["task"] == "render_profile"
    assert line["profile"] == profile.pk and line["outcome"] == "printed"
    assert line["status"] == "ok" and line["duration_ms"] > 0


def test_a_plain_message_becomes_a_json_line_too():
    record = logging.LogRecord("x", logging.WARNING, __file__, 1, "Disk %s", ("full",), None)
    assert json.loads(JsonFormatter().format(record))["message"] == "Disk full"
