"""Shoppers for watching the HorizontalPodAutoscalers: each visit browses, fills a cart and checks out.

The host (--host) is the frontend; catalog, cart and orders are reached at the same variables the
services use (CATALOG_SERVICE_URL, CART_SERVICE_URL, ORDER_SERVICE_URL), from the shop's ConfigMap.
Visits buy from whatever the catalog holds (`manage.py seed_demo` fills it) and only browse while it
is empty or sold out; a 409 for a product sold out meanwhile is the shop working, not a failure.
"""

import os
import random
import time
import uuid

from locust import HttpUser, between, task

CATALOG = os.environ.get("CATALOG_SERVICE_URL", "http://catalog:8000")
CART = os.environ.get("CART_SERVICE_URL", "http://cart:8000")
ORDERS = os.environ.get("ORDER_SERVICE_URL", "http://orders:8000")


class Shopper(HttpUser):
    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.user_id = f"load-{uuid.uuid4().hex[:12]}"
        body = {"username": self.user_id, "password": uuid.uuid4().hex, "email": f"{self.user_id}@example.com"}
        self.sign_in("/api/auth/register", body, name="frontend: register")
        token = self.sign_in("/api/auth/token", body, name="frontend: token").json()["token"]
        self.auth = {"Authorization": f"Bearer {token}"}

    def sign_in(self, path: str, body: dict, *, name: str):
        """Sign-up and sign-in are rate limited per client address, and all these shoppers share one."""
        while True:
            with self.client.post(path, json=body, name=name, catch_response=True) as response:
                if response.status_code != 429:
                    return response
                response.success()  # the limit doing its job: wait as it says, then try again
            time.sleep(float(response.headers.get("Retry-After", 5)))

    @task
    def visit(self) -> None:
        self.client.get("/", name="frontend: storefront")
        products = self.client.get(f"{CATALOG}/api/products", params={"page_size": 50}, name="catalog: products")
        in_stock = [p for p in products.json() if p["stock"] > 0]
        if not in_stock:
            return
        for product in random.sample(in_stock, k=min(3, len(in_stock))):
            self.client.get(f"{CATALOG}/api/products/{product['id']}", name="catalog: product")
        self.client.post(
            f"{CART}/api/cart/{self.user_id}/add",
            json={"productId": product["id"], "quantity": 1},
            headers=self.auth,
            name="cart: add",
        )
        self.client.get(f"{CART}/api/cart/{self.user_id}", headers=self.auth, name="cart: view")
        with self.client.post(
            f"{ORDERS}/api/orders/create",
            json={"userId": self.user_id},
            headers=self.auth,
            name="orders: checkout",
            catch_response=True,
        ) as checkout:
            if checkout.status_code == 409:  # sold out since the product list was read
                checkout.success()
