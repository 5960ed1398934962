"""benchmarks/load.py's own set-up: the sessions its users load with are real sign-ins."""

import importlib.util
from pathlib import Path

from django.urls import reverse

LOAD = Path(__file__).resolve().parent.parent / "benchmarks" / "load.py"


def load_benchmark():
    spec = importlib.util.spec_from_file_location("load_benchmark", LOAD)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_load_tests_sessions_are_signed_in_like_a_login(client, hr_user, manager_user):
    sessions = load_benchmark().open_sessions()

    assert sorted(sessions) == ["hr-gwent", "manager-gwent"]
    for username, session_key in sessions.items():
        client.cookies["sessionid"] = session_key
        response = client.get(reverse("profiles:list"))
        assert response.status_code == 200
        assert response.wsgi_request.user.username == username
