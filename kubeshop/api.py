"""API plumbing shared by every app: input parsing, the exception handler, JSON error pages."""

import functools
import logging
import sys
from datetime import datetime
from decimal import Decimal

from django.http import HttpRequest, HttpResponse, JsonResponse
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from kubeshop import outage
from kubeshop.errors import DomainError
from kubeshop.wire import Wire

log = logging.getLogger(__name__)


def parse(serializer_class: type[serializers.Serializer], data, **kwargs) -> dict:
    """Validate request data with a serializer; a 400 naming each bad field otherwise."""
    if not isinstance(data, dict):
        raise exceptions.ValidationError({"non_field_errors": ["Expected a JSON object."]})
    serializer = serializer_class(data=data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _messages(errors, prefix: str = "") -> list[str]:
    if isinstance(errors, dict):
        return [m for key, value in errors.items() for m in _messages(value, f"{prefix}{key}: ")]
    if isinstance(errors, list):
        return [m for value in errors for m in _messages(value, prefix)]
    return [f"{prefix}{errors}".replace("non_field_errors: ", "")]


def exception_handler(exc, context):
    """Every error is JSON with a human-readable `detail`; validation errors also list `errors`."""
    if isinstance(exc, DomainError):
        return Response(exc.body(), status=exc.status_code)
    if outage.is_database_outage(exc):
        log.warning("database unavailable in %s: %s: %s", type(context.get("view")).__name__, type(exc).__name__, exc)
        return Response({"detail": outage.API_DETAIL}, status=503, headers=outage.retry_after())
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # unexpected: Django logs it and handler500 answers
    if isinstance(exc, exceptions.ValidationError):
        response.data = {"detail": " ".join(_messages(exc.detail)), "errors": exc.detail}
    return response


def not_found(request: HttpRequest, exception=None) -> JsonResponse:
    return JsonResponse({"detail": "Not found."}, status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    failure = sys.exc_info()[1]  # handler500 runs inside Django's `except`: the error is still at hand
    if outage.is_database_outage(failure):  # raised outside any view, e.g. by a middleware saving the session
        return outage.unavailable(request, failure)
    return JsonResponse({"detail": "Something went wrong on our side; it has been logged."}, status=500)


def bad_request(request: HttpRequest, exception=None) -> JsonResponse:
    return JsonResponse({"detail": "Bad request."}, status=400)


def permission_denied(request: HttpRequest, exception=None) -> JsonResponse:
    return JsonResponse({"detail": "You may not do this."}, status=403)


_SCHEMA_FIELDS = {
    int: serializers.IntegerField,
    str: serializers.CharField,
    bool: serializers.BooleanField,
    Decimal: functools.partial(serializers.DecimalField, max_digits=12, decimal_places=2),
    datetime: serializers.DateTimeField,
}


@functools.cache
def response_schema(wire: Wire) -> type[serializers.Serializer]:
    """The OpenAPI schema of a wire shape, named after its dataclass; for `extend_schema` only, views answer
    with `wire.to_wire`."""
    declared = {}
    for f in wire.fields:
        if f.nested:
            declared[f.wire_name] = response_schema(f.nested)(many=True)
        elif f.many:
            declared[f.wire_name] = serializers.ListField(child=_SCHEMA_FIELDS[f.type](), allow_null=f.nullable)
        elif f.choices:
            declared[f.wire_name] = serializers.ChoiceField(f.choices, allow_null=f.nullable)
        else:
            declared[f.wire_name] = _SCHEMA_FIELDS[f.type](allow_null=f.nullable)
    return type(wire.cls.__name__, (serializers.Serializer,), declared)
