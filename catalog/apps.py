from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class CatalogConfig(AppConfig):
    name = "catalog"
    verbose_name = "Catalog"

    def ready(self) -> None:
        # Every save or delete of a product or category, wherever it comes from (the admin, seed_demo),
        # ends what the catalog cached; updates of many rows at once call cache.changed() themselves.
        from catalog.models import Category, Product

        for model in (Product, Category):
            for signal in (post_save, post_delete):
                signal.connect(_changed, sender=model, dispatch_uid=f"catalog-cache-{model.__name__}-{id(signal)}")


def _changed(**kwargs) -> None:
    from catalog import cache

    cache.changed()
