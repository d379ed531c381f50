"""Bad input never yields a 500: every API route that takes input, called by a caller it lets in.

Malformed and mistyped bodies, out-of-range numbers, ids that do not exist and hostile query strings
each get a 4xx whose JSON body has a human-readable `detail`, and a refused request changes no row.
"""

import json

import pytest

from tests.route_table import Route, Shop, api_routes, client_of, detail_of, open_shop, owner_call, path_of, send
from tests.route_table import snapshot as snapshot_of_every_table

pytestmark = pytest.mark.django_db

ROUTES = api_routes(include_accounts=True)
WRITES = [r for r in ROUTES if r.method != "get"]
LISTS = [r for r in ROUTES if r.method == "get" and set(r.kwargs) <= {"user_id"}]
PLACEHOLDER_SHOP = Shop(product_id=1, order_id="order", payment_id=1, notification_id=1)  # for the shape only

HOSTILE = {
    "productId": "x",
    "quantity": -1,
    "userId": 5,
    "amount": "abc",
    "orderId": [],
    "message": {},
    "name": "",
    "price": "-1",
    "stock": 10**30,
    "card": "abc",
    "username": [],
    "password": None,
    "email": "no",
    "lines": "all of them",
    "productIds": "some",
    "category": 7,
    "is_active": "perhaps",
    "eventId": {},
}
BODIES = {
    "malformed-json": "{not json",
    "json-array": json.dumps([{"productId": 1, "quantity": 1}]),
    "json-string": json.dumps("hello"),
    "json-null": "null",
    "empty-object": "{}",
    "hostile-types-and-ranges": json.dumps(HOSTILE),
    "numbers-beyond-float": '{"productId": 1e400, "quantity": -1e400, "amount": 1e400, "price": 1e400, "stock": 1e400}',
    "deeply-nested": "[" * 100_000,
}
# One field of the owner's otherwise valid body made wrong, wherever the route's body has that field.
FIELD_VARIANTS = {
    "quantity-0": ("quantity", 0),
    "quantity-1e30": ("quantity", 10**30),
    "productId-1e30": ("productId", 10**30),
    "productId-0": ("productId", 0),
    "amount-0": ("amount", "0"),
    "amount-1e400": ("amount", "1e400"),
    "userId-with-nul": ("userId", "ali\x00ce"),
}
QUERIES = {
    "page-abc": "page=abc",
    "page_size-negative": "page_size=-1",
    "userId-empty": "userId=",
    "q-1000-chars": "q=" + "x" * 1000,
    "category-nul": "category=%00",
}
UNKNOWN_IDS = {
    ("id", "product_id"): 999_999_999,
    ("uuid", "order_id"): "6f1c1f43-0000-4000-8000-000000000000",
    ("id", "payment_id"): 999_999_999,
    ("id", "notification_id"): 999_999_999,
}
# Bodies these routes accept on purpose, so they are not held to a 4xx (the other rules still apply).
VALID_BY_DESIGN = {
    ("PATCH /api/products/<id:product_id>", "empty-object"),  # a partial update that changes no field
    ("POST /api/cart/<username:user_id>/clear", "empty-object"),  # no productIds: empty the whole cart
    ("POST /api/cart/<username:user_id>/clear", "numbers-beyond-float"),  # fields it does not take are ignored
    ("PUT /api/cart/<username:user_id>/items/<id:product_id>", "quantity-0"),  # 0 removes the line
}
# User ids in the path that no username can be; only a peer service may name a user other than itself.
FOREIGN_USER_IDS = {"nul": "%00", "151-chars": "u" * 151, "not-utf8": "%ff"}


def with_field(body, key: str, value):
    """The body with every occurrence of `key`, at any depth, set to `value`."""
    if isinstance(body, dict):
        return {k: value if k == key else with_field(v, key, value) for k, v in body.items()}
    if isinstance(body, list):
        return [with_field(item, key, value) for item in body]
    return body


def has_field(body, key: str) -> bool:
    return with_field(body, key, object()) != body


def body_cases() -> list:
    cases = []
    for route in WRITES:
        for case in BODIES:
            cases.append(pytest.param(route, case, id=f"{route.id} | {case}"))
        for case, (key, _) in FIELD_VARIANTS.items():
            if has_field(owner_call(route, PLACEHOLDER_SHOP).body, key):
                cases.append(pytest.param(route, case, id=f"{route.id} | {case}"))
    return cases


def unknown_id_cases() -> list:
    return [
        pytest.param(route, name, value, id=f"{route.id} | unknown {name}")
        for route in ROUTES
        for (converter, name), value in UNKNOWN_IDS.items()
        if route.kwargs.get(name) == converter
    ]


def foreign_user_cases() -> list:
    cases = []
    for route in ROUTES:
        if "user_id" not in route.kwargs:
            continue
        for case, value in FOREIGN_USER_IDS.items():
            cases.append(pytest.param(route, value, id=f"{route.id} | user id {case}"))
    return cases


@pytest.fixture
def shop(make_product) -> Shop:
    return open_shop(make_product)


def assert_handled(response, before: dict, route: Route) -> None:
    """No 5xx; a 4xx explains itself in JSON and leaves every table as it was."""
    assert response.status_code < 500, (route.id, response.status_code, response.content[:300])
    if response.status_code >= 400:
        detail = detail_of(response)
        assert isinstance(detail, str) and detail.strip(), (route.id, response.content[:300])
        assert snapshot_of_every_table() == before, f"{route.id} answered {response.status_code} but changed data"


@pytest.mark.parametrize(("route", "case"), body_cases())
def test_a_bad_body_is_a_4xx_with_a_detail_that_changes_nothing(route, case, shop):
    call = owner_call(route, shop)
    raw = BODIES[case] if case in BODIES else json.dumps(with_field(call.body, *FIELD_VARIANTS[case]))
    path = path_of(route, shop, call.query)
    before = snapshot_of_every_table()
    response = send(client_of(route.allowed_caller), route, path, raw=raw, headers=call.headers)
    assert_handled(response, before, route)
    if call.body is not None and (route.id, case) not in VALID_BY_DESIGN:
        assert 400 <= response.status_code < 500, (route.id, response.status_code, response.content[:300])


@pytest.mark.parametrize("case", QUERIES)
@pytest.mark.parametrize("route", [pytest.param(r, id=r.id) for r in LISTS])
def test_a_hostile_query_string_on_a_list_route_is_never_a_5xx(route, case, shop):
    before = snapshot_of_every_table()
    response = send(client_of(route.allowed_caller), route, path_of(route, shop, QUERIES[case]))
    assert_handled(response, before, route)


@pytest.mark.parametrize(("route", "name", "value"), unknown_id_cases())
def test_an_id_that_does_not_exist_is_a_404_that_changes_nothing(route, name, value, shop):
    call = owner_call(route, shop)
    before = snapshot_of_every_table()
    raw = None if call.body is None else json.dumps(call.body)
    path = path_of(route, shop, call.query, **{name: value})
    response = send(client_of(route.allowed_caller), route, path, raw=raw, headers=call.headers)
    assert response.status_code == 404, (route.id, response.status_code, response.content[:300])
    assert_handled(response, before, route)


@pytest.mark.parametrize(("route", "user_id"), foreign_user_cases())
def test_a_user_id_no_username_can_be_is_never_a_5xx(route, user_id, shop):
    call = owner_call(route, shop)
    before = snapshot_of_every_table()
    raw = None if call.body is None else json.dumps(call.body)
    path = path_of(route, shop, call.query, user_id=user_id)
    response = send(client_of("service"), route, path, raw=raw, headers=call.headers)
    assert_handled(response, before, route)


def test_the_bad_input_cases_reach_every_kind_of_input():
    assert {r.pattern for r in WRITES} >= {"api/auth/register", "api/auth/token", "api/products", "api/orders/create"}
    assert {r.pattern.split("<")[0] for r in LISTS} >= {"api/products", "api/orders", "api/notifications/"}
    assert {name for _, name, _ in (c.values for c in unknown_id_cases())} == {n for _, n in UNKNOWN_IDS}
