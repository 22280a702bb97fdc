from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class DanskFoerstMiddleware(LocaleMiddleware):
    """Danish unless the user chose English with the language switch (a cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language, so a caseworker on an
    English-language PC would get English without asking; here the browser is not consulted.
    """

    def process_request(self, request):
        sprog = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if sprog not in dict(settings.LANGUAGES):
            sprog = settings.LANGUAGE_CODE
        translation.activate(sprog)
        request.LANGUAGE_CODE = translation.get_language()
