"""The one door into the notifications for other apps: in-process or over HTTP, same results and errors."""

from dataclasses import dataclass, field
from datetime import datetime

from django.utils.dateparse import parse_datetime

from kubeshop import transport
from kubeshop.pagination import DEFAULT_PAGE_SIZE


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


def _from_fields(fields: dict) -> NotificationInfo:
    return NotificationInfo(
        id=fields["id"],
        user_id=fields["userId"],
        message=fields["message"],
        kind=fields["kind"],
        event_id=fields["eventId"],
        order_id=fields["orderId"],
        read=fields["read"],
        created_at=parse_datetime(fields["createdAt"]) if fields.get("createdAt") else None,
    )


def _from_model(notification) -> NotificationInfo:
    from notifications.serializers import NotificationOut

    return _from_fields(NotificationOut(notification).data)


def notify(
    *,
    user_id: str,
    message: str,
    event_id: str = "",
    order_id: str = "",
    kind: str = "info",
    email: str = "",
) -> NotificationInfo:
    """Store and deliver a notification; a repeated event_id returns the one stored first."""
    if transport.runs_here("notifications"):
        from notifications import services

        notification, _ = services.notify(
            user_id=user_id, message=message, event_id=event_id, order_id=order_id, kind=kind, email=email
        )
        return _from_model(notification)
    body = {"userId": user_id, "message": message, "kind": kind}
    body.update({k: v for k, v in (("eventId", event_id), ("orderId", order_id), ("email", email)) if v})
    # Safe to retry only with an event id: the service stores one notification per event.
    fields = transport.call(
        "POST", "notifications", "/api/notify", json=body, acting_for=user_id, idempotency_key=event_id
    )
    return _from_fields(fields)


def list_notifications(user_id: str) -> list[NotificationInfo]:
    """The user's newest notifications (one page), newest first."""
    if transport.runs_here("notifications"):
        from notifications import selectors

        return [_from_model(n) for n in selectors.list_notifications(user_id)[:DEFAULT_PAGE_SIZE]]
    params = {"page_size": DEFAULT_PAGE_SIZE}
    fields = transport.call("GET", "notifications", f"/api/notifications/{user_id}", params=params, acting_for=user_id)
    return [_from_fields(f) for f in fields]


def mark_read(*, user_id: str, notification_id: int) -> None:
    """Mark one of the user's notifications read; NotFound when the user has none with that id."""
    if transport.runs_here("notifications"):
        from notifications import services

        services.mark_read(user_id=user_id, notification_id=notification_id)
        return
    path = f"/api/notifications/{user_id}/{notification_id}/read"
    transport.call("POST", "notifications", path, acting_for=user_id, idempotent=True)


def unread_count(user_id: str) -> int:
    """How many of the user's newest notifications (one page) are unread."""
    return sum(not n.read for n in list_notifications(user_id))
