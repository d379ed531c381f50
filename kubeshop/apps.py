from django.apps import AppConfig
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import clear_url_caches


class KubeshopConfig(AppConfig):
    name = "kubeshop"

    def ready(self) -> None:
        from kubeshop import schema, security  # noqa: F401  (register OpenAPI schemes and a deploy check)


@receiver(setting_changed)
def _remount_urls(*, setting: str, **kwargs) -> None:
    if setting == "KUBESHOP_SERVICE":
        clear_url_caches()
