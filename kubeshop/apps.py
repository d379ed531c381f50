from django.apps import AppConfig


class KubeshopConfig(AppConfig):
    name = "kubeshop"

    def ready(self) -> None:
        from kubeshop import schema, security  # noqa: F401  (register OpenAPI schemes and a deploy check)
