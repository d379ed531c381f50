"""In split mode a service's database holds only its own apps' tables."""

from django.conf import settings

from kubeshop.registry import holds_tables


class ServiceRouter:
    def allow_migrate(self, db: str, app_label: str, **hints) -> bool:
        # Django's own apps (auth, sessions, admin, …) live in every service's database.
        return holds_tables(settings.KUBESHOP_SERVICE, app_label)
