"""Django's locale and messages middleware, without the work a response that does not use
it needs (a PDF download, most pages): the same language, headers and messages."""

from django.conf import settings
from django.conf.urls.i18n import is_language_prefix_patterns_used
from django.contrib.messages.middleware import MessageMiddleware as DjangoMessageMiddleware
from django.contrib.messages.storage import default_storage
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.functional import SimpleLazyObject, empty


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's. Without language-prefixed URL patterns (i18n_patterns, which this site does
    not use) the language in a path decides nothing, so it is not looked for."""

    def process_request(self, request):
        if self._prefixed(request):
            return super().process_request(request)
        translation.activate(translation.get_language_from_request(request, check_path=False))
        request.LANGUAGE_CODE = translation.get_language()
        return None

    def process_response(self, request, response):
        if self._prefixed(request):
            return super().process_response(request, response)
        patch_vary_headers(response, ("Accept-Language",))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response

    @staticmethod
    def _prefixed(request):
        return is_language_prefix_patterns_used(getattr(request, "urlconf", settings.ROOT_URLCONF))[
            0
        ]


class MessageMiddleware(DjangoMessageMiddleware):
    """Django's, with the message storage made on first use: a response that neither adds
    nor shows a message has nothing to store, as Django's storage would find."""

    def process_request(self, request):
        request._messages = SimpleLazyObject(lambda: default_storage(request))

    def process_response(self, request, response):
        messages = getattr(request, "_messages", None)
        if isinstance(messages, SimpleLazyObject) and messages._wrapped is empty:
            return response
        return super().process_response(request, response)
