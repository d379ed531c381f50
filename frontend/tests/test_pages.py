"""The storefront's pages through Django's test client, in one process: every page's error paths."""

import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from cart import client as cart
from notifications import client as notifications
from orders import client as orders

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def shopper(client):
    """A signed-in customer's browser."""
    user = get_user_model().objects.create_user("erin", "erin@example.com", PASSWORD)
    client.force_login(user)
    return client


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def checkout_key(client) -> str:
    page = client.get("/checkout")
    assert page.status_code == 200
    return re.search(r'name="idempotency_key" value="([^"]+)"', page.content.decode()).group(1)


def test_the_catalog_shows_prices_with_two_places_and_stock_in_words(client, make_product):
    make_product("Plain Mug", price="7.5", stock=40)
    make_product("Rare Mug", price="1234", stock=3)
    make_product("Gone Mug", price="9.99", stock=0)
    page = text(client.get("/?q=mug"))
    assert "$7.50" in page and "$1,234.00" in page and "$9.99" in page
    assert "In stock" in page and "Only 3 left" in page and "Sold out" in page
    gone = re.search(r'data-product-id="\d+">(?:(?!</li>).)*Gone Mug(?:(?!</li>).)*</li>', page).group(0)
    assert "disabled" in gone


def test_catalog_page_links_keep_the_search_and_category(client, make_product):
    for n in range(14):
        make_product(f"Tea Tin {n:02}", category="tea")
    page = text(client.get("/?q=tin&category=tea"))
    assert 'href="?q=tin&amp;category=tea&amp;page=2"' in page
    second = text(client.get("/?q=tin&category=tea&page=2"))
    assert "Tea Tin 13" in second and 'href="?q=tin&amp;category=tea&amp;page=1"' in second


def test_a_nonsense_page_number_or_search_text_still_shows_the_catalog(client, make_product):
    make_product("Only Mug")
    assert "Only Mug" in text(client.get("/?page=-3"))
    assert "Only Mug" in text(client.get("/?page=abc"))
    assert "Only Mug" in text(client.get("/?q=Only%00Mug%0A"))
    assert client.get("/?category=%00" + "x" * 500).status_code == 200


def test_a_product_taken_off_sale_is_a_404_page_that_says_so(client, make_product):
    product = make_product("Withdrawn Lamp", is_active=False)
    response = client.get(f"/products/{product.id}")
    assert response.status_code == 404
    assert "This product is not for sale" in text(response)


def test_a_product_page_shows_its_category_and_the_placeholder_when_it_has_no_picture(client, make_product):
    product = make_product("Pictureless Pot", category="pots-and-pans")
    page = text(client.get(f"/products/{product.id}"))
    assert "frontend/placeholder.svg" in page
    assert '<a href="/?category=pots-and-pans">Pots-And-Pans</a>' in page


def test_adding_a_bad_quantity_is_a_400_page_naming_the_problem(client, make_product):
    product = make_product("Blue Mug")
    for quantity in ("abc", "0", "100"):
        response = client.post("/cart/add", {"product_id": product.id, "quantity": quantity})
        assert response.status_code == 400, quantity
        assert "could not be added" in text(response)
    assert client.session.get("guest_cart") is None


def test_adding_a_product_off_sale_is_a_404_page_and_adds_nothing(shopper, make_product):
    product = make_product("Withdrawn Kettle", is_active=False)
    response = shopper.post("/cart/add", {"product_id": product.id, "quantity": 1})
    assert response.status_code == 404
    assert "not for sale" in text(response)
    assert cart.get_cart("erin") == []


def test_a_guest_cart_is_kept_in_the_session_and_capped(client, make_product):
    product = make_product("Tiny Spoon", price="1.10")
    client.post("/cart/add", {"product_id": product.id, "quantity": 60})
    client.post("/cart/add", {"product_id": product.id, "quantity": 60})
    full = client.post("/cart/add", {"product_id": product.id, "quantity": 1}, follow=True)
    assert "already holds 99 of this product" in text(full)
    page = text(client.get("/cart"))
    assert 'value="99"' in page and "$108.90" in page


def test_the_add_form_only_returns_to_this_site(client, make_product):
    product = make_product("Blue Mug")
    response = client.post("/cart/add", {"product_id": product.id, "quantity": 1, "next": "https://evil.example/"})
    assert response["Location"] == "/cart"


def test_signing_in_merges_the_guest_cart_into_the_account_cart_capped(client, make_product):
    kept, new = make_product("Kept Cup"), make_product("New Cup")
    get_user_model().objects.create_user("erin", "erin@example.com", PASSWORD)
    cart.add_to_cart("erin", product_id=kept.id, quantity=95)
    client.post("/cart/add", {"product_id": kept.id, "quantity": 10})
    client.post("/cart/add", {"product_id": new.id, "quantity": 2})
    response = client.post("/signin", {"username": "erin", "password": PASSWORD, "next": "/cart"})
    assert response.status_code == 302 and response["Location"] == "/cart"
    assert cart.get_cart("erin") == [cart.CartLine(kept.id, 99), cart.CartLine(new.id, 2)]
    assert "guest_cart" not in client.session


def test_signing_up_merges_the_guest_cart(client, make_product):
    product = make_product("Welcome Mug")
    client.post("/cart/add", {"product_id": product.id, "quantity": 2})
    response = client.post("/signup", {"username": "fay", "email": "fay@example.com", "password": PASSWORD})
    assert response.status_code == 302
    assert cart.get_cart("fay") == [cart.CartLine(product.id, 2)]


def test_after_signing_up_or_in_the_next_pages_know_who_is_signed_in(client):
    client.post("/signup", {"username": "fay", "email": "fay@example.com", "password": PASSWORD})
    assert "Signed in as <strong>fay</strong>" in text(client.get("/"))
    client.post("/signout")
    assert "Signed in as" not in text(client.get("/"))
    client.post("/signin", {"username": "fay", "password": PASSWORD})
    assert "Signed in as <strong>fay</strong>" in text(client.get("/orders"))


def test_sign_up_with_a_taken_name_or_weak_password_says_why(client):
    get_user_model().objects.create_user("erin", "erin@example.com", PASSWORD)
    taken = client.post("/signup", {"username": "erin", "email": "e2@example.com", "password": PASSWORD})
    assert taken.status_code == 400 and "already taken" in text(taken)
    weak = client.post("/signup", {"username": "gus", "email": "g@example.com", "password": "123"})
    assert weak.status_code == 400 and "too short" in text(weak)
    bad = client.post("/signup", {"username": "no spaces", "email": "not-an-email", "password": PASSWORD})
    assert bad.status_code == 400 and "valid email" in text(bad)
    assert not get_user_model().objects.filter(username__in=["gus", "no spaces"]).exists()


def test_sign_in_with_a_wrong_password_says_so(client):
    get_user_model().objects.create_user("erin", "erin@example.com", PASSWORD)
    response = client.post("/signin", {"username": "erin", "password": "wrong"})
    assert response.status_code == 400 and "Wrong username or password" in text(response)


def test_sign_in_attempts_are_limited_per_address_as_in_the_api(client, settings):
    from django.core.cache import cache

    cache.clear()
    settings.KUBESHOP_SIGN_IN_RATE = "2/min"
    statuses = [client.post("/signin", {"username": "erin", "password": "guess"}).status_code for _ in range(3)]
    refused = client.post("/signup", {"username": "gus", "email": "g@example.com", "password": PASSWORD})
    cache.clear()
    assert statuses == [400, 400, 429]
    assert refused.status_code == 429 and "Too many sign-in attempts" in text(refused)
    assert int(refused["Retry-After"]) > 0
    assert not get_user_model().objects.filter(username="gus").exists()


def test_signing_out_needs_a_post(shopper):
    assert shopper.get("/signout").status_code == 405
    assert shopper.post("/signout").status_code == 302
    assert shopper.get("/orders")["Location"] == "/signin?next=%2Forders"


def test_pages_for_customers_send_guests_to_sign_in_and_back(client):
    for path in ("/checkout", "/orders", "/notifications"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/signin?next=")
    follow = client.get("/checkout", follow=True)
    assert "your session has expired" in text(follow)


def test_a_form_without_its_csrf_token_gets_a_page_saying_it_expired(make_product):
    from django.test import Client

    product = make_product("Blue Mug")
    response = Client(enforce_csrf_checks=True).post("/cart/add", {"product_id": product.id, "quantity": 1})
    assert response.status_code == 403
    assert "This form has expired" in text(response)


def test_an_unknown_page_is_an_html_404_and_an_unknown_api_path_json(client):
    page = client.get("/no-such-page")
    assert page.status_code == 404 and "There is no such page" in text(page)
    assert client.get("/api/no-such-thing").json() == {"detail": "Not found."}


def test_checking_out_an_empty_cart_goes_back_to_the_cart(shopper):
    assert shopper.get("/checkout")["Location"] == "/cart"


def test_checkout_with_a_malformed_card_is_a_400_with_the_reason_and_no_order(shopper, make_product):
    shopper.post("/cart/add", {"product_id": make_product("Blue Mug").id, "quantity": 1})
    response = shopper.post("/checkout", {"card": "4242-abc", "idempotency_key": checkout_key(shopper)})
    assert response.status_code == 400
    assert "12 to 19 digits" in text(response)
    assert orders.list_orders("erin") == []


def test_checkout_without_a_valid_idempotency_key_is_a_400_page(shopper, make_product):
    shopper.post("/cart/add", {"product_id": make_product("Blue Mug").id, "quantity": 1})
    for key in ("", "has spaces in it"):
        response = shopper.post("/checkout", {"card": "", "idempotency_key": key})
        assert response.status_code == 400 and "Reload the checkout page" in text(response)
    assert orders.list_orders("erin") == []


def test_the_same_checkout_form_posted_twice_places_one_order(shopper, make_product):
    product = make_product("Blue Mug", price="12.50", stock=10)
    shopper.post("/cart/add", {"product_id": product.id, "quantity": 2})
    form = {"card": "4242 4242 4242 4242", "idempotency_key": checkout_key(shopper)}
    first, again = shopper.post("/checkout", form), shopper.post("/checkout", form)
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"]
    (order,) = orders.list_orders("erin")
    assert (order.status, order.total_amount) == ("PAID", Decimal("25.00"))
    assert first["Location"] == f"/orders/{order.order_id}/placed"
    assert "Thank you for your order" in text(shopper.get(first["Location"]))


def test_a_declined_card_says_so_and_keeps_the_cart(shopper, make_product):
    product = make_product("Blue Mug", stock=10)
    shopper.post("/cart/add", {"product_id": product.id, "quantity": 2})
    response = shopper.post("/checkout", {"card": "4000 0000 0000 0002", "idempotency_key": checkout_key(shopper)})
    assert response.status_code == 402
    assert "Your card was declined" in text(response)
    assert cart.get_cart("erin") == [cart.CartLine(product.id, 2)]
    assert 'name="idempotency_key"' in text(response)  # a fresh form, so the next attempt is a new order


def test_short_stock_names_the_line_and_how_many_are_left(shopper, make_product):
    product = make_product("Last Tent", stock=5)
    shopper.post("/cart/add", {"product_id": product.id, "quantity": 3})
    key = checkout_key(shopper)
    product.stock = 1
    product.save()
    response = shopper.post("/checkout", {"card": "", "idempotency_key": key})
    assert response.status_code == 409
    assert "Only 1 of Last Tent left, and you asked for 3." in text(response)
    assert "Only 1 left" in text(shopper.get("/cart"))


def test_a_product_taken_off_sale_in_the_cart_is_named_and_blocks_checkout(shopper, make_product):
    product = make_product("Withdrawn Tent")
    shopper.post("/cart/add", {"product_id": product.id, "quantity": 1})
    product.is_active = False
    product.save()
    page = text(shopper.get("/cart"))
    assert "taken off sale" in page and 'href="/checkout"' not in page
    assert "Place order" not in text(shopper.get("/checkout"))


def test_changing_a_quantity_to_a_bad_value_says_so(shopper, make_product):
    product = make_product("Blue Mug")
    shopper.post("/cart/add", {"product_id": product.id, "quantity": 1})
    page = text(shopper.post(f"/cart/{product.id}/quantity", {"quantity": "500"}, follow=True))
    assert "The quantity was not changed" in page
    assert cart.get_cart("erin") == [cart.CartLine(product.id, 1)]
    shopper.post(f"/cart/{product.id}/quantity", {"quantity": "0"})
    assert cart.get_cart("erin") == []


def test_removing_a_line_twice_is_fine(shopper, make_product):
    product = make_product("Blue Mug")
    shopper.post("/cart/add", {"product_id": product.id, "quantity": 1})
    assert shopper.post(f"/cart/{product.id}/remove").status_code == 302
    assert shopper.post(f"/cart/{product.id}/remove").status_code == 302
    assert "Your cart is empty" in text(shopper.get("/cart"))


@pytest.fixture
def someone_elses_order(make_product) -> orders.OrderInfo:
    cart.add_to_cart("zed", product_id=make_product("Blue Mug", stock=10).id, quantity=1)
    return orders.place_order(user_id="zed")


@pytest.mark.parametrize("path", ["/orders/{id}", "/orders/{id}/placed"])
def test_another_users_order_is_a_404_page(shopper, someone_elses_order, path):
    response = shopper.get(path.format(id=someone_elses_order.order_id))
    assert response.status_code == 404
    assert "There is no such order" in text(response)


def test_cancelling_another_users_order_is_a_404_and_changes_nothing(shopper, someone_elses_order):
    response = shopper.post(f"/orders/{someone_elses_order.order_id}/cancel")
    assert response.status_code == 404
    assert orders.get_order(user_id="zed", order_id=someone_elses_order.order_id).status == "PAID"


def test_a_customer_cancels_a_paid_order_once(shopper, make_product):
    shopper.post("/cart/add", {"product_id": make_product("Blue Mug", stock=10).id, "quantity": 1})
    shopper.post("/checkout", {"card": "", "idempotency_key": checkout_key(shopper)})
    (order,) = orders.list_orders("erin")
    assert "Cancel order" in text(shopper.get(f"/orders/{order.order_id}"))
    assert shopper.post(f"/orders/{order.order_id}/cancel").status_code == 302
    page = text(shopper.get(f"/orders/{order.order_id}"))
    assert "Cancelled" in page and "Cancel order" not in page
    again = text(shopper.post(f"/orders/{order.order_id}/cancel", follow=True))
    assert "cannot be cancelled" in again


def test_order_history_is_newest_first_with_each_status(shopper, make_product):
    product = make_product("Blue Mug", stock=10)
    shopper.post("/cart/add", {"product_id": product.id, "quantity": 1})
    shopper.post("/checkout", {"card": "4000000000000002", "idempotency_key": checkout_key(shopper)})
    shopper.post("/checkout", {"card": "", "idempotency_key": checkout_key(shopper)})
    page = text(shopper.get("/orders"))
    assert page.index("Paid") < page.index("Payment failed")


def test_notifications_are_listed_and_marked_read_only_for_their_owner(shopper):
    mine = notifications.notify(
        notifications.NewNotification(user_id="erin", message="Your order is paid.", kind="order.paid")
    )
    theirs = notifications.notify(notifications.NewNotification(user_id="zed", message="Not for erin."))
    page = text(shopper.get("/notifications"))
    assert "Your order is paid." in page and "Not for erin." not in page
    assert 'data-testid="unread-count"' in page
    assert shopper.post(f"/notifications/{theirs.id}/read").status_code == 404
    assert shopper.post(f"/notifications/{mine.id}/read").status_code == 302
    assert [n.read for n in notifications.list_notifications("erin")] == [True]
    assert [n.read for n in notifications.list_notifications("zed")] == [False]
