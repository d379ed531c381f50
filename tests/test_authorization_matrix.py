"""Who may call what, for every API route the URL resolver knows: refused callers change nothing.

The rows come from the monolith's URL patterns and each view's permission classes, not from a list
kept by hand, so a new route is in the matrix the moment it is mounted (and the guard below fails if
it fits no category).
"""

import pytest

from tests.route_table import (
    FILLABLE_KWARGS,
    PUBLIC,
    SERVICE_ONLY,
    STAFF_WRITE,
    USER_SCOPED,
    api_routes,
    client_of,
    detail_of,
    open_shop,
    owner_call,
    send_call,
    snapshot,
)

pytestmark = pytest.mark.django_db

ROUTES = api_routes()


def rows(category: str | None = None, *, without: str | None = None) -> list:
    return [
        pytest.param(r, id=r.id)
        for r in ROUTES
        if (category is None or category in r.categories) and (without is None or without not in r.categories)
    ]


@pytest.fixture
def shop(make_product):
    return open_shop(make_product)


def refused(caller: str, route, shop, expected: set[int]):
    """Call the route as `caller` with the owner's request; assert the status and that no row changed."""
    before = snapshot()
    response = send_call(client_of(caller), route, shop, owner_call(route, shop))
    assert response.status_code in expected, (route.id, caller, response.status_code, response.content[:300])
    detail = detail_of(response)
    assert isinstance(detail, str) and detail
    assert snapshot() == before, f"{caller} was refused {route.id} but the database changed"


@pytest.mark.parametrize("route", rows(without=PUBLIC))
def test_anonymous_callers_are_refused_with_401_and_change_nothing(route, shop):
    refused("anonymous", route, shop, {401})


@pytest.mark.parametrize("caller", ["customer", "staff"])
@pytest.mark.parametrize("route", rows(SERVICE_ONLY))
def test_service_only_routes_refuse_customers_and_staff_and_change_nothing(route, caller, shop):
    refused(caller, route, shop, {403})


@pytest.mark.parametrize("route", rows())
def test_the_service_credential_opens_nothing_in_one_process(route, shop, settings):
    """No service calls another over HTTP in the monolith: the credential is refused there, even the right one."""
    assert settings.KUBESHOP_SERVICE == "all"
    refused("service_in_one_process", route, shop, {401})


@pytest.mark.parametrize("route", rows(USER_SCOPED))
def test_another_customer_cannot_reach_alices_data_and_changes_nothing(route, shop):
    # alice's user id in the path, alice's order id, or userId=alice in the body or query (owner_call)
    refused("other_customer", route, shop, {403, 404})


@pytest.mark.parametrize("caller", ["customer", "service"])  # a peer service is not staff either
@pytest.mark.parametrize("route", rows(STAFF_WRITE))
def test_staff_only_writes_refuse_customers_and_change_nothing(route, caller, shop):
    refused(caller, route, shop, {403})


@pytest.mark.parametrize("route", rows())
def test_the_rightful_caller_gets_through_with_the_same_request(route, shop):
    """The control: the refusals above are about identity, because the same request works for its owner."""
    response = send_call(client_of(route.allowed_caller), route, shop, owner_call(route, shop))
    assert 200 <= response.status_code < 300, (route.id, route.allowed_caller, response.content[:300])


def test_every_route_falls_into_a_category_of_the_matrix():
    uncovered = [r.id for r in ROUTES if not r.categories]
    assert not uncovered, f"routes no authorization test covers; give them a category: {uncovered}"
    open_writes = [r.id for r in ROUTES if PUBLIC in r.categories and r.method != "get"]
    assert not open_writes, f"writes anyone may make, outside /api/auth/: {open_writes}"
    unfillable = {r.id: sorted(set(r.kwargs) - FILLABLE_KWARGS) for r in ROUTES if set(r.kwargs) - FILLABLE_KWARGS}
    assert not unfillable, f"path kwargs the matrix cannot fill with real objects: {unfillable}"


def test_the_matrix_covers_the_whole_api():
    assert len(ROUTES) >= 15
    patterns = {r.pattern for r in ROUTES}
    for app_route in ("api/products", "api/cart/<username:user_id>", "api/orders", "api/process", "api/notify"):
        assert app_route in patterns
    assert not any(p.startswith(("api/auth/", "api/schema/", "api/docs/")) for p in patterns)
