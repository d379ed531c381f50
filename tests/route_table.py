"""The API's routes as the monolith's URL resolver knows them, who may call each, and a shop to call them in.

Shared by the authorization matrix and the bad-input tests: a route added to any app's urls.py shows up
in both without anyone editing a list.
"""

import json
import re
from dataclasses import dataclass, field
from functools import cache
from urllib.parse import urlencode

from django.apps import apps
from django.contrib.auth import get_user_model
from django.test import override_settings
from django.urls import URLResolver, get_resolver
from rest_framework.permissions import SAFE_METHODS
from rest_framework.test import APIClient

from conftest import client_for, service_client
from kubeshop.permissions import AllowAny, IsService, IsStaffOrReadOnly

METHODS = ("get", "post", "put", "patch", "delete")
NOT_UNDER_TEST = ("api/schema/", "api/docs/")
ACCOUNT_ROUTES = "api/auth/"  # public by design: the matrix leaves them out, the bad-input tests do not
OWNER = "alice"
OWNER_PASSWORD = "correct-horse-battery-staple"
STAFF = "carol"  # a staff account, for the route the other services' admins check staff sign-ins on
KWARG = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")

PUBLIC, SERVICE_ONLY, USER_SCOPED, STAFF_WRITE = "public", "service-only", "user-scoped", "staff-write"


@dataclass(frozen=True)
class Route:
    """One method of one API route."""

    pattern: str  # as written in urls.py, e.g. "api/products/<id:product_id>"
    method: str
    view: type

    @property
    def id(self) -> str:
        return f"{self.method.upper()} /{self.pattern}"

    @property
    def permissions(self) -> tuple[type, ...]:
        return tuple(self.view.permission_classes)

    @property
    def kwargs(self) -> dict[str, str]:
        """Path kwarg name → converter name."""
        return {m["name"]: m["converter"] or "str" for m in KWARG.finditer(self.pattern)}

    @property
    def app(self) -> str:
        return self.view.__module__.split(".")[0]

    @property
    def categories(self) -> tuple[str, ...]:
        found = []
        if all(self._open_to_anyone(p) for p in self.permissions):
            found.append(PUBLIC)
        if any(issubclass(p, IsService) for p in self.permissions):
            found.append(SERVICE_ONLY)
        if "user_id" in self.kwargs or self.app == "orders":
            found.append(USER_SCOPED)
        if IsStaffOrReadOnly in self.permissions and self.method.upper() not in SAFE_METHODS:
            found.append(STAFF_WRITE)
        return tuple(found)

    def _open_to_anyone(self, permission: type) -> bool:
        return permission is AllowAny or (permission is IsStaffOrReadOnly and self.method.upper() in SAFE_METHODS)

    @property
    def allowed_caller(self) -> str:
        """The kind of caller this route is meant for (the one that must get through)."""
        cats = self.categories
        if SERVICE_ONLY in cats:
            return "service"
        if STAFF_WRITE in cats:
            return "staff"
        if USER_SCOPED in cats:
            return "owner"
        return "anonymous"


def _walk(patterns, prefix: str = ""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, route)
        else:
            yield route, pattern


def api_routes(*, include_accounts: bool = False) -> list[Route]:
    """Every implemented method of every API route the monolith mounts."""
    with override_settings(KUBESHOP_SERVICE="all"):
        found = list(_walk(get_resolver().url_patterns))
    routes = []
    for pattern, url_pattern in found:
        if not pattern.startswith("api/") or pattern.startswith(NOT_UNDER_TEST):
            continue
        if pattern.startswith(ACCOUNT_ROUTES) and not include_accounts:
            continue
        view = url_pattern.callback.cls
        routes += [Route(pattern, method, view) for method in METHODS if hasattr(view, method)]
    return routes


@dataclass(frozen=True)
class Shop:
    """Real data owned by alice, made through the API: a product, a paid order, its payment and notice."""

    product_id: int
    order_id: str
    payment_id: int
    notification_id: int

    def path_kwargs(self) -> dict[str, object]:
        return {
            "product_id": self.product_id,
            "user_id": OWNER,
            "order_id": self.order_id,
            "payment_id": self.payment_id,
            "notification_id": self.notification_id,
        }


FILLABLE_KWARGS = set(Shop(1, "", 1, 1).path_kwargs())


def open_shop(make_product) -> Shop:
    owner = client_of("owner")
    account = {"username": OWNER, "password": OWNER_PASSWORD, "email": "alice@example.com"}
    assert client_of("anonymous").post("/api/auth/register", account, format="json").status_code == 201
    get_user_model().objects.create_user(STAFF, f"{STAFF}@example.com", OWNER_PASSWORD, is_staff=True)
    product = make_product("Matrix Mug", stock=50)
    add = {"productId": product.id, "quantity": 1}
    assert owner.post(f"/api/cart/{OWNER}/add", add, format="json").status_code == 200
    order = owner.post("/api/orders/create", {"userId": OWNER}, format="json")
    assert order.status_code == 201, order.json()
    notices = owner.get(f"/api/notifications/{OWNER}").json()
    assert notices, "the paid order should have notified alice"
    # Something in the cart again, so that refused cart writes would have something to change.
    assert owner.post(f"/api/cart/{OWNER}/add", add, format="json").status_code == 200
    return Shop(
        product_id=product.id,
        order_id=order.json()["orderId"],
        payment_id=order.json()["paymentId"],
        notification_id=notices[0]["id"],
    )


@dataclass(frozen=True)
class Call:
    """What a request carries besides its path: a JSON body, a query string, headers."""

    body: object = None
    query: dict = field(default_factory=dict)
    headers: dict = field(default_factory=dict)


PRODUCT = {"name": "Teapot", "price": "9.90", "stock": 3}


def owner_call(route: Route, shop: Shop) -> Call:
    """A request the route's rightful caller may make: valid in every way but, for others, the identity."""
    pid, oid = shop.product_id, shop.order_id
    calls = {
        ("post", "api/products"): Call(PRODUCT),
        # a stock count names the stock it was made on: 50 made, 1 sold by open_shop
        ("put", "api/products/<id:product_id>"): Call({**PRODUCT, "expectedStock": 49}),
        ("patch", "api/products/<id:product_id>"): Call({"stock": 3, "expectedStock": 49}),
        ("post", "api/reservations"): Call({"orderId": "matrix-order", "lines": [{"productId": pid, "quantity": 1}]}),
        ("post", "api/cart/<username:user_id>/add"): Call({"productId": pid, "quantity": 1}),
        ("delete", "api/cart/<username:user_id>/remove"): Call({"productId": pid}),
        ("post", "api/cart/<username:user_id>/clear"): Call({}),
        ("put", "api/cart/<username:user_id>/items/<id:product_id>"): Call({"quantity": 2}),
        ("post", "api/cart/<username:user_id>/merge"): Call({"lines": [{"productId": pid, "quantity": 1}]}),
        ("get", "api/orders"): Call(query={"userId": OWNER}),
        ("post", "api/orders/create"): Call({"userId": OWNER}),
        ("post", "api/process"): Call(
            {"userId": OWNER, "amount": "5.00", "orderId": oid}, headers={"HTTP_IDEMPOTENCY_KEY": "matrix-charge"}
        ),
        ("post", "api/payments/void"): Call({"orderId": oid}),
        ("get", "api/payments"): Call(query={"orderId": oid}),
        ("post", "api/notify"): Call({"userId": OWNER, "message": "Hello from the matrix"}),
        ("post", "api/auth/register"): Call({"username": "dave", "password": OWNER_PASSWORD, "email": "d@example.com"}),
        ("post", "api/auth/token"): Call({"username": OWNER, "password": OWNER_PASSWORD}),
        ("post", "api/staff/verify"): Call({"username": STAFF, "password": OWNER_PASSWORD}),
        ("post", "api/staff/status"): Call({"username": STAFF}),
    }
    return calls.get((route.method, route.pattern), Call())


def path_of(route: Route, shop: Shop, query: dict | str | None = None, **replace) -> str:
    values = {**shop.path_kwargs(), **replace}
    path = "/" + KWARG.sub(lambda m: str(values[m["name"]]), route.pattern)
    if isinstance(query, dict):
        query = urlencode(query)
    return f"{path}?{query}" if query else path


CALLERS = {
    "anonymous": APIClient,
    "owner": lambda: client_for(OWNER),
    "customer": lambda: client_for(OWNER),
    "other_customer": lambda: client_for("bob"),
    "staff": lambda: client_for(STAFF, staff=True),
    "service": lambda: service_client(OWNER),
    "service_in_one_process": lambda: service_client(OWNER, client_class=APIClient),  # the monolith's own routes
}


@cache  # a new client loads the middleware again (WhiteNoise scans every static file): reuse one per caller
def _reused_client(caller: str) -> APIClient:
    client = type(CALLERS[caller]())()  # a service's client calls as the split service owning the route
    client.raise_request_exception = False
    return client


def client_of(caller: str) -> APIClient:
    """A test client for a kind of caller; a server error comes back as a 500 response, not an exception."""
    client = _reused_client(caller)
    client.credentials(**CALLERS[caller]()._credentials)  # fresh, signed with this test's settings
    return client


def send(client: APIClient, route: Route, path: str, *, raw: str | None = None, headers: dict | None = None):
    """Send `raw` (already JSON, or deliberately not) as the body of `route.method` to `path`."""
    return client.generic(
        route.method.upper(), path, "" if raw is None else raw, content_type="application/json", **(headers or {})
    )


def send_call(client: APIClient, route: Route, shop: Shop, call: Call, **replace):
    raw = None if call.body is None else json.dumps(call.body)
    return send(client, route, path_of(route, shop, call.query, **replace), raw=raw, headers=call.headers)


def snapshot() -> dict[str, list[dict]]:
    """Every row of every table, in primary-key order."""
    return {
        model._meta.label: list(model.objects.order_by("pk").values())
        for model in apps.get_models(include_auto_created=True)
    }


def detail_of(response) -> object:
    assert response["Content-Type"].startswith("application/json"), (response.status_code, response.content[:200])
    body = response.json()
    assert isinstance(body, dict), body
    return body.get("detail")
