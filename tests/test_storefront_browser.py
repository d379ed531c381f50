"""A person shopping in a real browser (Debian's Chromium driven by Playwright) against real gunicorn
processes: the shop in one process (KUBESHOP_SERVICE=all) and split into six services.

KUBESHOP_SCREENSHOTS=1 also writes the main pages, wide and phone-sized, to docs/screenshots/ (off by
default: the pictures hold order numbers and dates, so every run would change the committed files).
"""

import os
import re
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from conftest import TEST_SERVICE_TOKEN
from kubeshop.identity import issue_token
from kubeshop.registry import DOMAIN_SERVICES
from tests.live import start_test_shop, stop_shop
from tests.processes import JWT_PRIVATE_KEY, JWT_PUBLIC_KEY, SECRET

pytestmark = pytest.mark.e2e

try:
    from playwright.sync_api import Browser, Page, expect, sync_playwright
except ImportError:  # the test dependencies are not installed: say so, do not fail on import
    sync_playwright = None

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = ROOT / "docs" / "screenshots"
WIDE, PHONE = {"width": 1280, "height": 800}, {"width": 390, "height": 844}
PASSWORD = "correct-horse-battery-staple"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser() -> Iterator["Browser"]:
    if sync_playwright is None:
        pytest.skip("Playwright for Python is not installed (pip install -r requirements-dev.txt)")
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.skip("Chromium is not installed (apt-get install chromium; .ci/run does it)")
    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture(scope="module")
def monolith_shop(tmp_path_factory, django_db_blocker):
    with django_db_blocker.unblock():
        workdir = tmp_path_factory.mktemp("storefront")
        shop = start_test_shop(["all"], workdir, secret_key=SECRET, token=TEST_SERVICE_TOKEN)
    shop["all"].manage("seed_demo")  # the demo catalog, with its art, for the screenshots
    yield shop
    stop_shop(shop)


@dataclass(frozen=True)
class Shop:
    """A running shop as a browser and its staff see it: the storefront's URL and each service's."""

    shape: str
    urls: dict[str, str]  # service → base URL; in one process every service is the same

    @property
    def storefront(self) -> str:
        return self.urls["frontend"]

    def staff(self, method: str, service: str, path: str, body=None) -> dict:
        headers = {"Authorization": f"Bearer {issue_token(username='staff-browser', is_staff=True)}"}
        response = requests.request(method, f"{self.urls[service]}{path}", json=body, headers=headers, timeout=30)
        assert response.ok, response.text
        return response.json() if response.content else {}

    def make_product(self, name: str, *, price: str = "10.00", stock: int = 20) -> int:
        return self.staff("POST", "catalog", "/api/products", {"name": name, "price": price, "stock": stock})["id"]

    def set_stock(self, product_id: int, stock: int) -> None:
        seen = self.staff("GET", "catalog", f"/api/products/{product_id}")["stock"]
        self.staff("PATCH", "catalog", f"/api/products/{product_id}", {"stock": stock, "expectedStock": seen})


@pytest.fixture(params=["monolith", "split"])
def shop(request, settings) -> Shop:
    settings.SECRET_KEY = SECRET
    settings.KUBESHOP_JWT_PRIVATE_KEY = JWT_PRIVATE_KEY  # the staff tokens made here are verified there
    settings.KUBESHOP_JWT_PUBLIC_KEY = JWT_PUBLIC_KEY
    if request.param == "monolith":
        url = request.getfixturevalue("monolith_shop")["all"].url
        return Shop("monolith", {name: url for name in DOMAIN_SERVICES})
    split = request.getfixturevalue("split_shop")
    return Shop("split", {name: service.url for name, service in split.items()})


@pytest.fixture
def page(browser, shop) -> Iterator["Page"]:
    context = browser.new_context(viewport=WIDE, base_url=shop.storefront)
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def nav(page: "Page", name: str):
    """A link of the header's navigation (its names carry counts: "Cart (2 items)")."""
    return page.get_by_role("navigation", name="Main").get_by_role("link", name=name)


def unique(word: str) -> str:
    return f"{word} {uuid.uuid4().hex[:8]}"


def sign_up(page: "Page", username: str = "") -> str:
    username = username or f"shopper-{uuid.uuid4().hex[:10]}"
    page.goto("/")
    page.get_by_role("link", name="Sign up").click()
    page.get_by_label("Username").fill(username)
    page.get_by_label("Email").fill(f"{username}@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    expect(page.locator(".who")).to_contain_text(username)
    return username


def add_from_product_page(page: "Page", product_id: int, quantity: int = 1) -> None:
    page.goto(f"/products/{product_id}")
    page.get_by_label("Quantity").fill(str(quantity))
    page.get_by_role("button", name="Add to cart").click()
    expect(page.get_by_role("heading", name="Your cart")).to_be_visible()


def place_order(page: "Page", card: str = "4242 4242 4242 4242") -> None:
    nav(page, "Cart").click()
    page.get_by_role("link", name="Check out").click()
    page.get_by_label("Card number").fill(card)
    page.get_by_role("button", name="Place order").click()


def snap(page: "Page", name: str) -> None:
    """Screenshots of the page as it is, wide and on a phone, when KUBESHOP_SCREENSHOTS=1."""
    if os.environ.get("KUBESHOP_SCREENSHOTS") != "1":
        return
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}-wide.png", full_page=True)
    page.set_viewport_size(PHONE)
    page.screenshot(path=SCREENSHOTS / f"{name}-phone.png", full_page=True)
    page.set_viewport_size(WIDE)


# First, while the catalog holds only the demo products: the screenshots show the shop as a visitor finds it.
def test_the_main_pages_render_the_demo_catalog_wide_and_on_a_phone(browser, monolith_shop):
    context = browser.new_context(viewport=WIDE, base_url=monolith_shop["all"].url)
    page = context.new_page()
    page.goto("/")
    images = page.locator(".product-grid img")
    expect(images).to_have_count(12)  # a page of the demo catalog
    # Lazy images may still be loading when the page's load event has fired; a broken one never passes.
    page.wait_for_function(
        "() => [...document.querySelectorAll('.product-grid img')].every(i => i.complete && i.naturalWidth > 0)"
    )
    snap(page, "catalog")
    sign_up(page, f"dana-{uuid.uuid4().hex[:6]}")
    page.goto("/?category=kitchen")
    page.get_by_role("link", name=re.compile("Pour-Over Coffee Kettle")).click()
    expect(page.get_by_role("heading", name="Pour-Over Coffee Kettle")).to_be_visible()
    snap(page, "product")
    page.get_by_label("Quantity").fill("2")
    page.get_by_role("button", name="Add to cart").click()
    page.goto("/?category=kitchen")
    page.locator(".card", has_text="Ceramic Pour-Over Dripper").get_by_role("button", name="Add to cart").click()
    nav(page, "Cart").click()
    expect(page.locator(".cart-line")).to_have_count(2)
    snap(page, "cart")
    page.get_by_role("link", name="Check out").click()
    snap(page, "checkout")
    page.get_by_label("Card number").fill("4242 4242 4242 4242")
    page.get_by_role("button", name="Place order").click()
    expect(page.get_by_role("heading", name="Thank you for your order!")).to_be_visible()
    snap(page, "confirmation")
    page.get_by_role("link", name="See all your orders").click()
    expect(page.locator(".order-row")).to_have_count(1)
    snap(page, "orders")
    context.close()


def test_a_new_customer_signs_up_searches_fills_a_cart_pays_and_sees_the_order(page, shop):
    tag = uuid.uuid4().hex[:8]
    lantern = shop.make_product(f"Storm Lantern {tag}", price="24.50")
    mug = shop.make_product(f"Enamel Mug {tag}", price="8.25")
    sign_up(page)

    page.get_by_label("Search products").fill(tag)
    page.get_by_role("button", name="Search").click()
    results = page.locator(".product-grid .card")
    expect(results).to_have_count(2)
    for product_id in (lantern, mug):
        page.locator(f'.card[data-product-id="{product_id}"]').get_by_role("button", name="Add to cart").click()
        expect(page.locator(".messages")).to_contain_text("Added 1 to your cart")
    expect(page.get_by_test_id("cart-count")).to_contain_text("2")

    nav(page, "Cart").click()
    page.locator(f'.cart-line[data-product-id="{lantern}"]').get_by_label("Quantity").fill("3")
    page.locator(f'.cart-line[data-product-id="{lantern}"]').get_by_role("button", name="Update").click()
    expect(page.get_by_test_id("cart-total")).to_have_text("$81.75")  # 3 × 24.50 + 8.25

    page.get_by_role("link", name="Check out").click()
    expect(page.get_by_test_id("order-total")).to_have_text("$81.75")
    page.get_by_label("Card number").fill("4242 4242 4242 4242")
    page.get_by_role("button", name="Place order").click()

    expect(page.get_by_role("heading", name="Thank you for your order!")).to_be_visible()
    expect(page.locator(".confirmation")).to_contain_text("$81.75")
    order_id = page.locator(".confirmation .order-id").inner_text().strip()
    expect(page.get_by_test_id("cart-count")).to_contain_text("0")

    nav(page, "Orders").click()
    expect(page.locator(f'.order-row[data-order-id="{order_id}"]')).to_contain_text("Paid")
    nav(page, "Notifications").click()
    notice = page.locator(".notice", has_text=order_id)
    expect(notice).to_contain_text("is paid")
    notice.get_by_role("button", name="Mark as read").click()
    expect(page.locator(".notice", has_text=order_id).get_by_role("button", name="Mark as read")).to_have_count(0)


def test_a_declined_card_shows_its_message_and_keeps_the_cart(page, shop):
    product = shop.make_product(unique("Declined Kettle"), price="42.00")
    sign_up(page)
    add_from_product_page(page, product, 2)
    place_order(page, card="4000 0000 0000 0002")

    expect(page.get_by_role("alert")).to_contain_text("Your card was declined")
    expect(page.get_by_test_id("order-total")).to_have_text("$84.00")  # the cart is still there
    page.get_by_label("Card number").fill("4242424242424242")
    page.get_by_role("button", name="Place order").click()
    expect(page.get_by_role("heading", name="Thank you for your order!")).to_be_visible()


def test_a_guest_cart_survives_signing_in(page, shop):
    kept, added = shop.make_product(unique("Guest Teapot")), shop.make_product(unique("Guest Cup"))
    username = f"returning-{uuid.uuid4().hex[:10]}"
    account = {"username": username, "password": PASSWORD, "email": f"{username}@example.com"}
    assert requests.post(f"{shop.urls['frontend']}/api/auth/register", json=account, timeout=30).status_code == 201
    token = issue_token(username=username, is_staff=False)
    requests.post(
        f"{shop.urls['cart']}/api/cart/{username}/add",
        json={"productId": kept, "quantity": 1},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    ).raise_for_status()

    add_from_product_page(page, kept, 2)  # as a guest
    add_from_product_page(page, added, 1)
    expect(page.get_by_test_id("cart-count")).to_contain_text("3")
    page.get_by_role("link", name="Sign in").click()
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page.locator(".who")).to_contain_text(username)
    nav(page, "Cart").click()
    expect(page.locator(f'.cart-line[data-product-id="{kept}"]').get_by_label("Quantity")).to_have_value("3")
    expect(page.locator(f'.cart-line[data-product-id="{added}"]').get_by_label("Quantity")).to_have_value("1")


def test_short_stock_is_explained_on_the_page(page, shop):
    name = unique("Last Tent")
    product = shop.make_product(name, price="99.00", stock=3)
    sign_up(page)
    add_from_product_page(page, product, 3)
    page.get_by_role("link", name="Check out").click()
    shop.set_stock(product, 1)  # someone else bought two while this customer was deciding

    page.get_by_role("button", name="Place order").click()
    expect(page.get_by_role("alert")).to_contain_text("Nothing was charged")
    expect(page.locator(".summary")).to_contain_text(f"Only 1 of {name} left, and you asked for 3.")
    expect(page.get_by_role("button", name="Place order")).to_have_count(0)
    page.get_by_role("link", name="Go to your cart").click()
    expect(page.locator(f'.cart-line[data-product-id="{product}"]')).to_contain_text("Only 1 left")


def test_a_customer_cancels_a_paid_order(page, shop):
    product = shop.make_product(unique("Returned Lamp"), stock=5)
    sign_up(page)
    add_from_product_page(page, product, 2)
    place_order(page)
    expect(page.get_by_role("heading", name="Thank you for your order!")).to_be_visible()

    page.get_by_role("link", name="See all your orders").click()
    page.locator(".order-row").first.get_by_role("link").click()
    expect(page.get_by_test_id("order-status")).to_have_text("Paid")
    page.get_by_role("button", name="Cancel order").click()
    expect(page.locator(".messages")).to_contain_text(re.compile("cancelled|being cancelled"))
    expect(page.get_by_test_id("order-status")).to_have_text(re.compile("Cancelled|Being cancelled"))
    expect(page.get_by_role("button", name="Cancel order")).to_have_count(0)
    assert shop.staff("GET", "catalog", f"/api/products/{product}")["stock"] == 5
