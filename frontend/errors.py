"""The frontend's rules that a caller may meet, one class each; their HTTP status comes from kubeshop.errors."""

from kubeshop.errors import Forbidden


class StaffSignInRefused(
    Forbidden, code="staff_sign_in_refused", detail="Not an active staff account with this username and password."
):
    """Not an active staff account with this password: one answer for every reason, so none is disclosed."""
