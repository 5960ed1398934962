"""The interface language (English or Cymraeg): the header's switch remembers a signed-in
user's choice (accounts.models.LanguagePreference), and each sign-in puts it on the session,
so a request reads the language from the session instead of the database.

Order of precedence: the user's stored choice (on the session), then the switch's cookie,
then the browser's Accept-Language (django.middleware.locale.LocaleMiddleware).
"""

import gettext

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import translation
from django.utils.translation import trans_real
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from accounts.models import LanguagePreference

SESSION_KEY = "interface_language"


def supported(language):
    return language in dict(settings.LANGUAGES)


def drop_empty_fallbacks():
    """Loads each interface language's messages and unlinks the fallback catalogues that
    hold none.

    gettext puts each app's `en` catalogue behind its `en_GB` one, and Django chains them
    behind its own: Django, admin, auth, contenttypes and sessions each add one that holds
    only its header. Most messages have no en-GB translation, so each lookup walked all five
    before returning the message as written (about 180 lookups on the list page). Only
    catalogues without a message are unlinked: every lookup answers as before.
    """
    for code, _name in settings.LANGUAGES:
        catalogue = trans_real.translation(code)
        while catalogue is not None:
            fallback = getattr(catalogue, "_fallback", None)
            if type(fallback) is gettext.GNUTranslations and not any(fallback._catalog):
                catalogue._fallback = fallback._fallback
            else:
                catalogue = fallback


@require_POST
def set_language(request):
    """Django's set_language (cookie and redirect to `next`), and for a signed-in user the
    choice is stored and put on the session."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if supported(language) and request.user.is_authenticated:
        LanguagePreference.objects.update_or_create(
            user=request.user, defaults={"language": language}
        )
        request.session[SESSION_KEY] = language
    return response


@receiver(user_logged_in)
def activate_stored_language(sender, request, user, **kwargs):
    """One query at sign-in; then each request takes the language from the session."""
    if request is None:
        return
    stored = LanguagePreference.objects.filter(user=user).values_list("language", flat=True).first()
    if stored and supported(stored):
        request.session[SESSION_KEY] = stored
    else:
        request.session.pop(SESSION_KEY, None)


class LanguageMiddleware:
    """After LocaleMiddleware and AuthenticationMiddleware: a signed-in user's stored
    language wins over the cookie and Accept-Language."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        stored = request.session.get(SESSION_KEY) if request.user.is_authenticated else None
        if stored and supported(stored) and stored != translation.get_language():
            translation.activate(stored)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)
