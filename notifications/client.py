"""The one door into the notifications for other apps: in-process or over HTTP, same results and errors."""

from kubeshop import transport
from kubeshop.pagination import DEFAULT_PAGE_SIZE
from notifications.data import NOTIFICATION, NotificationInfo

__all__ = ["NotificationInfo"]  # the seam's type, re-exported


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
        from notifications import selectors, services

        notification, _ = services.notify(
            user_id=user_id, message=message, event_id=event_id, order_id=order_id, kind=kind, email=email
        )
        return selectors.notification_info(notification)
    body = {"userId": user_id, "message": message, "kind": kind}
    body.update({k: v for k, v in (("eventId", event_id), ("orderId", order_id), ("email", email)) if v})
    # Safe to retry only with an event id: the service stores one notification per event.
    fields = transport.call(
        "POST", "notifications", "/api/notify", json=body, acting_for=user_id, idempotency_key=event_id
    )
    return NOTIFICATION.from_wire(fields)


def list_notifications(user_id: str) -> list[NotificationInfo]:
    """The user's newest notifications (one page), newest first."""
    if transport.runs_here("notifications"):
        from notifications import selectors

        return [selectors.notification_info(n) for n in selectors.list_notifications(user_id)[:DEFAULT_PAGE_SIZE]]
    params = {"page_size": DEFAULT_PAGE_SIZE}
    fields = transport.call("GET", "notifications", f"/api/notifications/{user_id}", params=params, acting_for=user_id)
    return [NOTIFICATION.from_wire(f) for f in fields]


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
