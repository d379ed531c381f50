"""In split mode a service's database holds only its own apps' tables."""

from django.conf import settings

from kubeshop.registry import ACCOUNT_APPS, DOMAIN_APPS, SERVICES, mounts


class ServiceRouter:
    def allow_migrate(self, db: str, app_label: str, **hints) -> bool:
        if app_label in ACCOUNT_APPS:  # revoked tokens live beside the users who hold them
            return SERVICES[settings.KUBESHOP_SERVICE].owns_accounts
        # Django's own apps (auth, sessions, admin, …) live in every service's database.
        return app_label not in DOMAIN_APPS or mounts(settings.KUBESHOP_SERVICE, app_label)
