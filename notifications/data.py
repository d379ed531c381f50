"""What crosses the notifications' seam: plain frozen dataclasses (no Django), whose fields are their wire shape."""

from dataclasses import dataclass, field
from datetime import datetime

from kubeshop.wire import Wire


@dataclass(frozen=True)
class NotificationInfo:
    id: int
    user_id: str
    message: str
    kind: str
    event_id: str | None
    order_id: str | None
    read: bool
    created_at: datetime | None = field(default=None, compare=False)  # shown, not part of what a notice is


@dataclass(frozen=True)
class NewNotification:
    """What a caller asks to tell a user: stored once per `event_id`, and mailed too when `email` is given."""

    user_id: str
    message: str
    event_id: str = ""
    order_id: str = ""
    kind: str = "info"
    email: str = ""


NOTIFICATION = Wire(NotificationInfo, camel_case=True)
NEW_NOTIFICATION = Wire(NewNotification, camel_case=True)  # a POST /api/notify body
