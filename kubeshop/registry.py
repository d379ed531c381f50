"""The service registry: which apps, URLs and peers each value of KUBESHOP_SERVICE stands for.

Everything the service switch changes is looked up here, so no app ever tests `if service == …`.
"""

from dataclasses import dataclass

MONOLITH = "all"


@dataclass(frozen=True)
class Service:
    name: str
    apps: tuple[str, ...]
    peers: tuple[str, ...] = ()
    url_env: str = ""  # the variable other services find this one's base URL in
    local_port: int = 8000  # where it listens when the split shop runs on one machine
    # Holds the customer accounts: signs identity tokens and honours refresh tokens (its own user table).
    owns_accounts: bool = False


DOMAIN_SERVICES: dict[str, Service] = {
    s.name: s
    for s in (
        # Every service but the frontend asks the frontend's accounts who may use its admin.
        Service("catalog", apps=("catalog",), peers=("frontend",), url_env="CATALOG_SERVICE_URL", local_port=8001),
        Service("cart", apps=("cart",), peers=("catalog", "frontend"), url_env="CART_SERVICE_URL", local_port=8002),
        Service(
            "orders",
            apps=("orders",),
            peers=("catalog", "cart", "payments", "notifications", "frontend"),
            url_env="ORDER_SERVICE_URL",
            local_port=8003,
        ),
        Service("payments", apps=("payments",), peers=("frontend",), url_env="PAYMENT_SERVICE_URL", local_port=8004),
        Service(
            "notifications",
            apps=("notifications",),
            peers=("frontend",),
            url_env="NOTIFICATION_SERVICE_URL",
            local_port=8005,
        ),
        Service(
            "frontend",
            apps=("frontend",),
            peers=("catalog", "cart", "orders", "notifications"),
            url_env="FRONTEND_SERVICE_URL",
            owns_accounts=True,
        ),
    )
}
SERVICES: dict[str, Service] = {
    MONOLITH: Service(MONOLITH, apps=tuple(a for s in DOMAIN_SERVICES.values() for a in s.apps), owns_accounts=True),
    **DOMAIN_SERVICES,
}
DOMAIN_APPS: tuple[str, ...] = SERVICES[MONOLITH].apps
# Third-party apps whose tables belong with the customer accounts (revoked refresh tokens).
ACCOUNT_APPS: dict[str, str] = {"token_blacklist": "rest_framework_simplejwt.token_blacklist"}


def service(name: str) -> Service:
    return SERVICES[name]


def owner_of(app_label: str) -> Service:
    """The split service that owns a domain app."""
    return next(s for s in DOMAIN_SERVICES.values() if app_label in s.apps)


def mounts(service_name: str, app_label: str) -> bool:
    """Whether a process running `service_name` serves `app_label` in-process."""
    return app_label in SERVICES[service_name].apps


def peer_url_variables(service_name: str) -> list[str]:
    """The base-URL variables a service needs to reach its peers."""
    return [DOMAIN_SERVICES[p].url_env for p in SERVICES[service_name].peers]


def holds_tables(service_name: str, app_label: str) -> bool:
    """Whether `service_name`'s database has the tables of `app_label` (Django's own apps: everywhere)."""
    if app_label in ACCOUNT_APPS:  # revoked tokens live beside the users who hold them
        return SERVICES[service_name].owns_accounts
    return app_label not in DOMAIN_APPS or mounts(service_name, app_label)


def admin_prefix(service_name: str) -> str:
    """Where a service mounts its admin: /admin/ where the accounts are, /admin/<service>/ elsewhere.

    Distinct paths let one edge host route each service's admin to it without rewriting a path.
    """
    return "admin/" if SERVICES[service_name].owns_accounts else f"admin/{service_name}/"


def account_apps(service_name: str) -> list[str]:
    """The account apps a service installs: all of them where the accounts live, none elsewhere."""
    return list(ACCOUNT_APPS.values()) if SERVICES[service_name].owns_accounts else []
