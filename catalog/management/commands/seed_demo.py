from decimal import Decimal

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.text import slugify

from catalog import cache
from catalog.demo import DEMO_CATALOG
from catalog.models import Category, Product

REMOTE_DEMO_PICTURES = "https://picsum.photos/seed/"


class Command(BaseCommand):
    help = "Fill the catalog with a demo shop; products that already exist are left as they are."

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        created = 0
        for category_name, products in DEMO_CATALOG.items():
            category, _ = Category.objects.get_or_create(slug=slugify(category_name), defaults={"name": category_name})
            for fields in products:
                _, new = Product.objects.get_or_create(
                    slug=slugify(fields["name"]),
                    defaults={**fields, "price": Decimal(fields["price"]), "category": category},
                )
                created += new
        # The storefront ships local art for the demo products (pages must render with no way out of
        # the cluster); catalogs seeded before used remote pictures, which are dropped here.
        if Product.objects.filter(image_url__startswith=REMOTE_DEMO_PICTURES).update(image_url=""):
            cache.changed()
        self.stdout.write(f"Demo catalog ready: {created} products added, {Product.objects.count()} in the catalog.")
