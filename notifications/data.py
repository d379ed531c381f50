"""What crosses the notifications' seam: plain frozen dataclasses (no Django) and their one wire mapper."""

from dataclasses import dataclass, field
from datetime import datetime


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


def notification_from_wire(fields: dict) -> NotificationInfo:
    """A notification as the API writes it (NotificationOut) -> NotificationInfo."""
    return NotificationInfo(
        id=fields["id"],
        user_id=fields["userId"],
        message=fields["message"],
        kind=fields["kind"],
        event_id=fields["eventId"],
        order_id=fields["orderId"],
        read=fields["read"],
        created_at=datetime.fromisoformat(fields["createdAt"]) if fields.get("createdAt") else None,
    )
