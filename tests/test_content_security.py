"""The Content-Security-Policy middleware (config.content_security) answers as django-csp's."""

import pytest
from csp.constants import NONCE
from csp.decorators import csp_exempt, csp_update
from csp.exceptions import CSPNonceError
from csp.middleware import CSPMiddleware as DjangoCSPMiddleware
from django.http import HttpResponse
from django.test import RequestFactory

from config.content_security import CSPMiddleware

CSP, CSP_RO = "Content-Security-Policy", "Content-Security-Policy-Report-Only"


def plain(request):
    return HttpResponse("page")


def with_nonce(request):
    return HttpResponse(f"nonce {request.csp_nonce}")


@csp_update({"img-src": "https://tiles.example"})
def updated(request):
    return HttpResponse("map")


@csp_exempt()
def exempt(request):
    return HttpResponse("exempt")


def directives(header):
    return sorted(part.strip() for part in header.split(";"))


def answer(middleware_class, view, path="/page/"):
    request = RequestFactory().get(path)
    middleware = middleware_class(view)
    return request, middleware(request)


@pytest.mark.parametrize("view", [plain, with_nonce, updated, exempt])
def test_each_response_has_the_headers_django_csp_gives_it(view):
    _, ours = answer(CSPMiddleware, view)
    _, theirs = answer(DjangoCSPMiddleware, view)
    for header in (CSP, CSP_RO):
        assert (header in ours) == (header in theirs)
        if header in theirs:
            assert directives(ours[header]) == directives(theirs[header])
    if view is exempt:
        assert CSP not in ours


def test_the_policy_follows_the_settings(settings):
    _, before = answer(CSPMiddleware, plain)
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'none'"]}}
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": {"img-src": ["'self'"]}}

    _, after = answer(CSPMiddleware, plain)

    assert "default-src 'self'" in before[CSP] and CSP_RO not in before
    assert after[CSP] == "default-src 'none'"
    assert "img-src 'self'" in after[CSP_RO]


def test_excluded_prefixes_get_no_policy(settings):
    settings.CONTENT_SECURITY_POLICY = {
        **settings.CONTENT_SECURITY_POLICY,
        "EXCLUDE_URL_PREFIXES": ["/outside/"],
    }
    assert CSP not in answer(CSPMiddleware, plain, "/outside/page/")[1]
    assert CSP in answer(CSPMiddleware, plain, "/inside/page/")[1]


def test_a_nonce_asked_for_after_the_header_is_written_is_refused():
    request, _ = answer(CSPMiddleware, plain)
    with pytest.raises(CSPNonceError):
        str(request.csp_nonce)


def test_a_page_that_asks_for_a_nonce_gets_it_in_its_policy(settings):
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"script-src": ["'self'", NONCE]}}

    _, response = answer(CSPMiddleware, with_nonce)

    nonce = response.content.decode().split()[1]
    assert f"'nonce-{nonce}'" in response[CSP]
    assert "'nonce-" not in answer(CSPMiddleware, plain)[1][CSP]
