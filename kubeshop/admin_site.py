"""Each service's admin: the models whose tables its database holds, at a path of its own.

The apps register their ModelAdmins on Django's default site as usual (their admin.py); a service's
site takes those of them it can serve. Users and groups are the frontend's alone: a split service's
database has only shadows of the staff who signed in to its admin (frontend/backends.py).
"""

from functools import cache

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import HttpRequest

from kubeshop.errors import Unavailable
from kubeshop.registry import DOMAIN_SERVICES, MONOLITH, SERVICES, admin_prefix, holds_tables

ACCOUNT_MODELS_APP = "auth"  # users and groups: edited where the accounts are, nowhere else


class AdminSignInForm(AdminAuthenticationForm):
    """The admin's sign-in form; when the accounts cannot be asked, it says so instead of failing."""

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "unavailable": "Sign-in is unavailable: the shop's accounts cannot be reached. Please try again shortly.",
    }

    def clean(self):
        try:
            return super().clean()
        except Unavailable:
            raise ValidationError(self.error_messages["unavailable"], code="unavailable") from None


class ServiceAdminSite(admin.AdminSite):
    login_form = AdminSignInForm
    index_template = "kubeshop/admin_index.html"

    def __init__(self, service_name: str):
        super().__init__(name="admin")  # one site per process: the templates' "admin:" URLs name it
        self.service_name = service_name
        if service_name != MONOLITH:
            self.site_header = f"KubeShop administration: {service_name}"
            self.site_title = f"KubeShop {service_name} admin"

    def each_context(self, request: HttpRequest) -> dict:
        context = super().each_context(request)
        context["other_admins"] = other_admins(self.service_name)
        return context


def shows(service_name: str, model: type[Model]) -> bool:
    """Whether a service's admin lists `model`: its table is in that service's database, and it is its own."""
    app_label = model._meta.app_label
    if app_label == ACCOUNT_MODELS_APP:
        return SERVICES[service_name].owns_accounts
    return holds_tables(service_name, app_label)


def other_admins(service_name: str) -> list[tuple[str, str]]:
    """(service, path) of every other split service's admin; none in one process, where one admin has it all."""
    if service_name == MONOLITH:
        return []
    return [(name, f"/{admin_prefix(name)}") for name in DOMAIN_SERVICES if name != service_name]


@cache
def site_for(service_name: str) -> ServiceAdminSite:
    """The admin of one service, with the apps' registrations it can serve (after admin autodiscovery)."""
    site = ServiceAdminSite(service_name)
    for model, model_admin in admin.site._registry.items():
        if shows(service_name, model):
            site.register(model, type(model_admin))
    return site
