"""The shipped routes plus the stack's ceiling: a plain Django view answering constant JSON.

Mounted only by bench.settings, so it never reaches the shipped URL table.
"""

from django.http import HttpResponse
from django.urls import path

from kubeshop.urls import urlpatterns as shipped

CONSTANT = b'{"status":"ok"}'


def constant(request):
    return HttpResponse(CONSTANT, content_type="application/json")


urlpatterns = [path("bench/constant", constant), *shipped]
