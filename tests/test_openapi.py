"""Each service publishes the schema of its own routes, with docs that need no CDN."""

import pytest

from kubeshop.registry import SERVICES
from tests.processes import manage, service_env


@pytest.mark.parametrize("service", list(SERVICES))
def test_the_schema_validates_without_warnings(service, tmp_path):
    result = manage(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"), env=service_env(service)
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("service", "has", "lacks"),
    [
        ("catalog", "/api/products", "/api/auth/token"),
        ("frontend", "/api/auth/token", "/api/products"),
        ("orders", "/api/orders/create", "/api/process"),
        ("payments", "/api/process", "/api/orders/create"),
    ],
)
def test_a_service_schema_lists_only_its_routes(settings, client, service, has, lacks):
    settings.KUBESHOP_SERVICE = service
    paths = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()["paths"]
    assert has in paths and lacks not in paths


def test_the_docs_page_loads_its_assets_from_this_server(client):
    page = client.get("/api/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower()
