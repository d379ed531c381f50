"""The one door into the notifications for other apps: in-process or over HTTP, same results and errors."""

from kubeshop import transport
from kubeshop.pagination import DEFAULT_PAGE_SIZE
from notifications.data import NEW_NOTIFICATION, NOTIFICATION, NewNotification, NotificationInfo

__all__ = ["NewNotification", "NotificationInfo"]  # the seam's types, re-exported


def notify(new: NewNotification) -> NotificationInfo:
    """Store and deliver a notification; a repeated event_id returns the one stored first."""
    if transport.runs_here("notifications"):
        from notifications import selectors, services

        return selectors.notification_info(services.notify(new)[0])
    # Safe to retry only with an event id: the service stores one notification per event.
    body = NEW_NOTIFICATION.to_wire(new)
    fields = transport.call(
        "POST", "notifications", "/api/notify", json=body, acting_for=new.user_id, idempotency_key=new.event_id
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
