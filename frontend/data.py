"""What crosses the frontend's seam: plain frozen dataclasses (no Django) whose fields are their wire shape."""

from dataclasses import dataclass

from kubeshop.wire import Wire


@dataclass(frozen=True)
class StaffMember:
    """An active staff account of the shop, as another service's admin needs to know it."""

    username: str
    email: str
    is_superuser: bool
    permissions: tuple[str, ...]  # "app_label.codename", from the account and its groups


STAFF_MEMBER = Wire(StaffMember, camel_case=True)
