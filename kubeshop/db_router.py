"""In split mode a service's database holds only its own apps' tables."""
from django.conf import settings

from kubeshop.registry import DOMAIN_APPS, mounts


class ServiceRouter:
    def allow_migrate(self, db: str, app_label: str, **hints) -> bool:
        # Django's own apps (auth, sessions, admin, …) live in every service's database.
        return app_label not in DOMAIN_APPS or mounts(settings.KUBESHOP_SERVICE, app_label)
