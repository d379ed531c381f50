"""The demo catalog renders with no way out of the cluster: every demo product has local art."""

import pytest
from django.core.management import call_command

from catalog import client as catalog
from frontend import storefront

pytestmark = pytest.mark.django_db


def test_every_demo_product_gets_the_art_shipped_for_it():
    call_command("seed_demo")
    products = catalog.search_products(page_size=100).products
    assert len(products) >= 24
    assert all(p.image_url == "" for p in products)
    for product in products:
        assert storefront.image_url(product).endswith(f"frontend/products/{product.slug}.svg"), product.slug


def test_seeding_again_drops_the_remote_pictures_an_older_seed_set(make_product):
    old = make_product("Old Demo Mug", image_url="https://picsum.photos/seed/old-demo-mug/400/300")
    own = make_product("Own Picture Mug", image_url="https://cdn.example/mug.png")
    call_command("seed_demo")
    assert catalog.get_product(old.id).image_url == ""
    assert catalog.get_product(own.id).image_url == "https://cdn.example/mug.png"
