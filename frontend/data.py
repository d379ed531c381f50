"""What crosses the frontend's seam: plain frozen dataclasses (no Django) and their one wire mapper."""

from dataclasses import dataclass


@dataclass(frozen=True)
class StaffMember:
    """An active staff account of the shop, as another service's admin needs to know it."""

    username: str
    email: str
    is_superuser: bool
    permissions: tuple[str, ...]  # "app_label.codename", from the account and its groups


def staff_to_wire(staff: StaffMember) -> dict:
    return {
        "username": staff.username,
        "email": staff.email,
        "isSuperuser": staff.is_superuser,
        "permissions": list(staff.permissions),
    }


def staff_from_wire(fields: dict) -> StaffMember:
    """A staff member as the API writes it (staff_to_wire) -> StaffMember."""
    return StaffMember(
        username=fields["username"],
        email=fields["email"],
        is_superuser=fields["isSuperuser"],
        permissions=tuple(fields["permissions"]),
    )
