"""The locale and messages middleware (config.middleware) answer as Django's."""

import pytest
from django.contrib import messages
from django.contrib.messages.middleware import MessageMiddleware as DjangoMessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpResponse
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.test import RequestFactory
from django.utils import translation

from config.middleware import LocaleMiddleware, MessageMiddleware


def page(request):
    return HttpResponse(f"{translation.get_language()} {request.LANGUAGE_CODE}")


def adds_a_message(request):
    messages.info(request, "Saved.")
    return HttpResponse("saved")


def shows_messages(request):
    return HttpResponse(" ".join(str(message) for message in messages.get_messages(request)))


@pytest.mark.parametrize(
    "headers",
    [{}, {"HTTP_ACCEPT_LANGUAGE": "cy"}, {"HTTP_ACCEPT_LANGUAGE": "fr, en-GB;q=0.8"}],
)
@pytest.mark.parametrize("cookie", [None, "cy", "en-gb"])
def test_the_language_and_headers_are_djangos(settings, headers, cookie):
    answers = []
    for middleware in (LocaleMiddleware, DjangoLocaleMiddleware):
        request = RequestFactory().get("/profiles/gwent/cso/pdf/", **headers)
        if cookie:
            request.COOKIES[settings.LANGUAGE_COOKIE_NAME] = cookie
        response = middleware(page)(request)
        answers.append((response.content, sorted(response.headers.items())))
        translation.activate(settings.LANGUAGE_CODE)
    assert answers[0] == answers[1]


@pytest.mark.django_db
def test_a_message_is_stored_and_shown_as_by_djangos():
    shown = []
    for middleware in (MessageMiddleware, DjangoMessageMiddleware):
        session = SessionMiddleware(middleware(adds_a_message))
        request = RequestFactory().get("/")
        added = session(request)
        following = RequestFactory().get("/")
        following.COOKIES = {name: morsel.value for name, morsel in added.cookies.items()}
        shown.append(SessionMiddleware(middleware(shows_messages))(following).content)
    assert shown == [b"Saved.", b"Saved."]


@pytest.mark.django_db
def test_a_response_that_uses_no_message_stores_none():
    request = RequestFactory().get("/")
    response = SessionMiddleware(MessageMiddleware(page_without_language))(request)
    assert "messages" not in response.cookies
    assert not request.session.modified


def page_without_language(request):
    return HttpResponse("plain")
