from decimal import Decimal

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.text import slugify

from catalog.demo import DEMO_CATALOG
from catalog.models import Category, Product


class Command(BaseCommand):
    help = "Fill the catalog with a demo shop; products that already exist are left as they are."

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        created = 0
        for category_name, products in DEMO_CATALOG.items():
            category, _ = Category.objects.get_or_create(slug=slugify(category_name), defaults={"name": category_name})
            for name, description, price, stock in products:
                _, new = Product.objects.get_or_create(
                    slug=slugify(name),
                    defaults={
                        "name": name,
                        "description": description,
                        "price": Decimal(price),
                        "stock": stock,
                        "category": category,
                        "image_url": f"https://picsum.photos/seed/{slugify(name)}/400/300",
                    },
                )
                created += new
        self.stdout.write(f"Demo catalog ready: {created} products added, {Product.objects.count()} in the catalog.")
