"""One overall deadline per request (KUBESHOP_REQUEST_DEADLINE): the calls it makes to peers share it."""

from django.conf import settings

from kubeshop import transport


class DeadlineMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with transport.deadline(settings.KUBESHOP_REQUEST_DEADLINE or None):  # 0 turns the deadline off
            return self.get_response(request)
