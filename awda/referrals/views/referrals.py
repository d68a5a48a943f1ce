"""(being written) Referral pages."""

from django.http import Http404, HttpRequest, HttpResponse


def _todo(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404


inbox = sent = statistics_page = referral_page = referral_step = _todo
