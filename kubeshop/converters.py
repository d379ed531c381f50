"""Path converters that never let an id the database cannot hold reach a query (that would 500)."""

from django.urls import register_converter


class IdConverter:
    regex = "[1-9][0-9]{0,17}"  # below 2**63: fits a bigint

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


class UsernameConverter:
    regex = r"[\w.@+-]{1,150}"  # what Django's username validator allows, and the column holds

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(IdConverter, "id")
register_converter(UsernameConverter, "username")
