import pytest
from django.core.management import call_command

from catalog.models import Category, Product

pytestmark = pytest.mark.django_db


def test_seed_demo_fills_an_empty_catalog_once():
    call_command("seed_demo")
    first = list(Product.objects.values())
    assert Category.objects.count() >= 5
    assert len(first) >= 24
    assert all(p["price"] > 0 and p["description"] and p["is_active"] for p in first)
    call_command("seed_demo")
    assert list(Product.objects.values()) == first
