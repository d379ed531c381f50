"""One URLconf per service for the suite, so a test switches services with KUBESHOP_SERVICE alone.

A running process builds kubeshop.urls once, for its own service. A test that sets KUBESHOP_SERVICE
(with pytest-django's `settings` or `override_settings`) gets that service's routes through
ROOT_URLCONF: a module made here per service, and undone with the override that set it.
"""

import sys
import types

from django.conf import settings
from django.core.signals import setting_changed
from django.urls import clear_url_caches, set_urlconf


def urlconf_for(service: str) -> str:
    """The dotted name of a module whose `urlpatterns` are `service`'s routes (made on first use)."""
    from kubeshop import urls  # the apps' URL modules import their models: only once Django is set up

    name = f"{__name__}.mounted_{service}"
    if name not in sys.modules:
        module = types.ModuleType(name)
        module.urlpatterns = urls.service_urlpatterns(service)
        for handler in ("handler400", "handler403", "handler404", "handler500"):
            setattr(module, handler, getattr(urls, handler))
        sys.modules[name] = module
    return name


def _mount(*, setting: str, enter: bool, **kwargs) -> None:
    if setting != "KUBESHOP_SERVICE":
        return
    if enter:  # set inside the override that changed the service: leaving it restores ROOT_URLCONF too
        settings.ROOT_URLCONF = urlconf_for(settings.KUBESHOP_SERVICE)
    clear_url_caches()
    set_urlconf(None)


def follow_the_service_switch() -> None:
    # Build kubeshop.urls now, for the process's own service: imported first inside a test that switched
    # services, it would keep that service's routes for the rest of the run.
    import kubeshop.urls  # noqa: F401

    setting_changed.connect(_mount, dispatch_uid="tests.urlconfs.mount")
