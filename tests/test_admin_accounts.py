"""One set of users: every service's admin signs staff in against the frontend's accounts, and shows
only the models whose tables its database holds. In process, and over the real split shop."""

import re
import uuid

import pytest
import requests
from django.contrib.auth.models import User

from frontend import client as frontend
from frontend.backends import shadow_of
from frontend.client import StaffMember, StaffSignInRefused
from kubeshop.registry import DOMAIN_SERVICES, SERVICES, admin_prefix
from tests.conftest import call_split_shop
from tools.localshop import free_port

PASSWORD = "correct-horse-battery"
REFUSED = "Please enter the correct username and password for a staff account"
UNAVAILABLE = "Sign-in is unavailable: the shop&#x27;s accounts cannot be reached."


def listed_apps(response) -> set[str]:
    return {app["app_label"] for app in response.context["app_list"]}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("service", "expected"),
    [
        ("all", {"auth", "axes", "token_blacklist", "catalog", "cart", "orders", "payments", "notifications"}),
        ("frontend", {"auth", "axes", "token_blacklist"}),
        ("catalog", {"axes", "catalog"}),
        ("orders", {"axes", "orders"}),
        ("payments", {"axes", "payments"}),
    ],
)
def test_each_service_admin_lists_only_the_models_whose_tables_it_holds(client, settings, service, expected):
    settings.KUBESHOP_SERVICE = service
    # What each admin shows, not who may sign in to it: a local superuser, signed in by Django's own backend.
    plain_backend = "django.contrib.auth.backends.ModelBackend"
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, plain_backend]
    client.force_login(User.objects.create_superuser("boss", "boss@example.com", PASSWORD), backend=plain_backend)
    response = client.get(f"/{admin_prefix(service)}")
    assert response.status_code == 200
    assert listed_apps(response) == expected
    others = [name for name, _ in response.context["other_admins"]]  # where the storefront's Admin link leads on
    assert others == ([] if service == "all" else [name for name in DOMAIN_SERVICES if name != service])


@pytest.mark.django_db
def test_a_shadow_user_mirrors_the_account_at_every_sign_in_and_has_no_password_of_its_own(settings):
    settings.KUBESHOP_SERVICE = "orders"
    clerk = StaffMember("clerk", "clerk@example.com", is_superuser=False, permissions=("orders.view_outboxevent",))
    user = shadow_of(clerk)
    assert (user.is_staff, user.is_superuser, user.has_usable_password()) == (True, False, False)
    assert user.has_perm("orders.view_outboxevent") and not user.has_perm("orders.change_outboxevent")
    promoted = StaffMember("clerk", "new@example.com", is_superuser=True, permissions=())
    user = User.objects.get(pk=shadow_of(promoted).pk)  # fresh: permissions are cached on the instance
    assert (user.email, user.is_superuser, list(user.user_permissions.all())) == ("new@example.com", True, [])
    assert User.objects.filter(username="clerk").count() == 1


@pytest.mark.django_db
def test_when_the_accounts_cannot_be_reached_the_admin_login_says_so(client, settings):
    settings.KUBESHOP_SERVICE = "orders"
    settings.SERVICE_URLS = {**settings.SERVICE_URLS, "frontend": f"http://127.0.0.1:{free_port()}"}  # nobody there
    response = client.post("/admin/orders/login/", {"username": "boss", "password": PASSWORD})
    assert response.status_code == 200
    assert UNAVAILABLE in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert not User.objects.filter(username="boss").exists()


@pytest.mark.django_db
def test_a_signed_in_staff_member_is_signed_out_when_the_accounts_cannot_vouch_for_them(client, settings):
    settings.KUBESHOP_SERVICE = "orders"
    clerk = shadow_of(StaffMember("clerk", "clerk@example.com", is_superuser=True, permissions=()))
    client.force_login(clerk, backend="frontend.backends.AccountsBackend")  # as a sign-in here leaves it
    settings.SERVICE_URLS = {**settings.SERVICE_URLS, "frontend": f"http://127.0.0.1:{free_port()}"}  # nobody there
    response = client.get("/admin/orders/")
    assert response.status_code == 302 and response.url == "/admin/orders/login/?next=/admin/orders/"


# --- over the real split shop -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def accounts(split_shop) -> dict[str, str]:
    """In the split frontend's database: a superuser, a clerk who may see the outbox (by group), a customer."""
    names = {role: f"{role}-{uuid.uuid4().hex[:8]}" for role in ("boss", "clerk", "customer")}
    code = (
        "from django.contrib.auth.models import Group, Permission, User; "
        f"User.objects.create_superuser({names['boss']!r}, 'boss@example.com', {PASSWORD!r}); "
        f"clerk = User.objects.create_user({names['clerk']!r}, 'clerk@example.com', {PASSWORD!r}, is_staff=True); "
        f"desk = Group.objects.create(name={names['clerk']!r}); "
        "desk.permissions.add(Permission.objects.get(content_type__app_label='orders', codename='view_outboxevent')); "
        "clerk.groups.add(desk); "
        f"User.objects.create_user({names['customer']!r}, 'c@example.com', {PASSWORD!r})"
    )
    made = split_shop["frontend"].manage("shell", "--no-imports", "-c", code)
    assert made.returncode == 0, made.stderr
    return names


@pytest.mark.e2e
def test_the_frontend_client_vouches_for_staff_over_http_as_it_does_in_process(settings, split_shop, accounts):
    call_split_shop(settings, split_shop, as_service="orders")
    clerk = frontend.verify_staff(username=accounts["clerk"], password=PASSWORD)
    assert clerk == StaffMember(accounts["clerk"], "clerk@example.com", False, ("orders.view_outboxevent",))
    for who, password in [("customer", PASSWORD), ("clerk", "wrong-password")]:
        with pytest.raises(StaffSignInRefused):  # the same class as in process, from the answer's code
            frontend.verify_staff(username=accounts[who], password=password)


def sign_in_to_admin(shop, service: str, username: str, password: str) -> tuple[requests.Session, requests.Response]:
    """The admin's login form of one split service, filled in as a browser does (CSRF cookie and field)."""
    session, prefix = requests.Session(), admin_prefix(service)
    login = f"{shop[service].url}/{prefix}login/"
    session.get(login, timeout=30).raise_for_status()
    form = {"username": username, "password": password, "next": f"/{prefix}"}
    form["csrfmiddlewaretoken"] = session.cookies[f"csrftoken_{service}"]
    return session, session.post(login, data=form, timeout=30)


@pytest.mark.e2e
def test_a_frontend_staff_member_signs_in_to_the_orders_admin_and_sees_the_outbox(split_shop, accounts):
    session, response = sign_in_to_admin(split_shop, "orders", accounts["clerk"], PASSWORD)
    assert response.status_code == 200 and response.url == f"{split_shop['orders'].url}/admin/orders/"
    assert "Outbox events" in response.text  # the permission came from the clerk's group in the frontend
    (cookie,) = [c for c in session.cookies if c.name == "sessionid_orders"]
    assert cookie.path == "/admin/orders/"  # neither the storefront's cookie nor another admin's
    outbox = session.get(f"{split_shop['orders'].url}/admin/orders/orders/outboxevent/?delivery=dead", timeout=30)
    assert outbox.status_code == 200 and "dead (parked)" in outbox.text


@pytest.mark.e2e
@pytest.mark.parametrize(("who", "password"), [("customer", PASSWORD), ("clerk", "wrong-password")])
def test_a_customer_or_a_wrong_password_is_refused_by_a_split_admin(split_shop, accounts, who, password):
    session, response = sign_in_to_admin(split_shop, "orders", accounts[who], password)
    assert response.status_code == 200 and REFUSED in response.text
    assert session.get(f"{split_shop['orders'].url}/admin/orders/", timeout=30).url.endswith(
        "/admin/orders/login/?next=/admin/orders/"
    )


@pytest.mark.e2e
def test_the_split_catalog_admin_lists_neither_orders_payments_notifications_nor_users(split_shop, accounts):
    session, response = sign_in_to_admin(split_shop, "catalog", accounts["boss"], PASSWORD)
    assert response.url == f"{split_shop['catalog'].url}/admin/catalog/"
    listed = set(re.findall(r'href="/admin/catalog/(\w+)/"', response.text))
    assert listed == {"axes", "catalog"}
    for other in ("orders", "payments", "notifications", "frontend"):
        assert f'href="/{admin_prefix(other)}"' in response.text  # links to the other services' admins


@pytest.mark.e2e
@pytest.mark.django_db
def test_a_split_admin_login_is_locked_out_after_repeated_failures(client, settings, split_shop, accounts):
    call_split_shop(settings, split_shop, as_service="orders")  # this process is the orders service
    settings.AXES_FAILURE_LIMIT = 3
    login = "/admin/orders/login/"
    statuses = [
        client.post(login, {"username": accounts["boss"], "password": f"guess{i}"}).status_code for i in range(3)
    ]
    assert statuses == [200, 200, 429]
    response = client.post(f"{login}?next=/admin/orders/", {"username": accounts["boss"], "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert not SERVICES["orders"].owns_accounts and not User.objects.filter(username=accounts["boss"]).exists()


@pytest.mark.e2e
def test_a_staff_member_demoted_on_the_frontend_is_signed_out_of_a_split_admin_at_the_next_request(split_shop):
    name = f"temp-{uuid.uuid4().hex[:8]}"
    frontend_shell = split_shop["frontend"]
    made = frontend_shell.manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.contrib.auth.models import User; "
        f"User.objects.create_user({name!r}, 't@example.com', {PASSWORD!r}, is_staff=True, is_superuser=True)",
    )
    assert made.returncode == 0, made.stderr
    session, response = sign_in_to_admin(split_shop, "orders", name, PASSWORD)
    index = f"{split_shop['orders'].url}/admin/orders/"
    assert response.url == index and session.get(index, timeout=30).url == index
    demoted = frontend_shell.manage(
        "shell",
        "--no-imports",
        "-c",
        f"from django.contrib.auth.models import User; User.objects.filter(username={name!r}).update(is_staff=False)",
    )
    assert demoted.returncode == 0, demoted.stderr
    assert session.get(index, timeout=30).url == f"{index}login/?next=/admin/orders/"
