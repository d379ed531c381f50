"""The one door into the frontend for other apps: its accounts, in-process or over HTTP, same results and errors."""

from frontend.data import STAFF_MEMBER, StaffMember
from frontend.errors import StaffSignInRefused
from kubeshop import transport

__all__ = ["StaffMember", "StaffSignInRefused"]  # the seam's types, re-exported


def verify_staff(*, username: str, password: str) -> StaffMember:
    """The active staff account with this username and password; StaffSignInRefused for anyone else."""
    if transport.runs_here("frontend"):
        from frontend import services

        return services.verify_staff(username=username, password=password)
    # A check that changes nothing: safe to retry.
    body = {"username": username, "password": password}
    return STAFF_MEMBER.from_wire(transport.call("POST", "frontend", "/api/staff/verify", json=body, idempotent=True))


def staff_member(*, username: str) -> StaffMember:
    """The staff account with this username as it stands now; StaffSignInRefused once it is not active staff."""
    if transport.runs_here("frontend"):
        from frontend import services

        return services.staff_member(username=username)
    body = {"username": username}
    return STAFF_MEMBER.from_wire(transport.call("POST", "frontend", "/api/staff/status", json=body, idempotent=True))
