"""Liveness and readiness probes, answered before host validation and HTTPS redirects.

Kubernetes probes send the pod IP as Host over plain HTTP; answering here, ahead of
SecurityMiddleware and CommonMiddleware, keeps ALLOWED_HOSTS closed and the redirect on.
"""

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse


def liveness() -> JsonResponse:
    return JsonResponse({"status": "ok"})


def readiness() -> JsonResponse:
    connection = connections[DEFAULT_DB_ALIAS]
    try:
        connection.ensure_connection()
        executor = MigrationExecutor(connection)
        unapplied = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception as exc:  # any failure to reach the database means "not ready"
        return JsonResponse({"status": "unavailable", "detail": f"database: {exc.__class__.__name__}"}, status=503)
    if unapplied:
        return JsonResponse({"status": "unavailable", "detail": f"{len(unapplied)} migrations not applied"}, status=503)
    return JsonResponse({"status": "ok"})


PROBES = {"/healthz": liveness, "/readyz": readiness}


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        probe = PROBES.get(request.path)
        if probe is not None and request.method in ("GET", "HEAD"):
            return probe()
        return self.get_response(request)
