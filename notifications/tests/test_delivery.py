"""Delivery of a new notification: a log line, and an email when an address is given; after commit."""

import logging

import pytest
from django.core import mail

from notifications import services
from notifications.data import NewNotification
from notifications.models import Notification

pytestmark = pytest.mark.django_db

VALID = {"userId": "alice", "message": "Your order 42 is paid.", "eventId": "order.paid:42", "orderId": "42"}


def sent_lines(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "notifications" and r.levelno == logging.INFO]


def test_a_new_notification_is_logged_once_even_when_its_event_repeats(
    service, caplog, django_capture_on_commit_callbacks
):
    caplog.set_level(logging.INFO, logger="notifications")
    with django_capture_on_commit_callbacks(execute=True):
        service.post("/api/notify", VALID, format="json")
        service.post("/api/notify", VALID, format="json")
    assert sent_lines(caplog) == ["notification sent to alice for order 42: Your order 42 is paid."]


def test_a_notification_without_an_order_logs_a_dash(caplog, django_capture_on_commit_callbacks):
    caplog.set_level(logging.INFO, logger="notifications")
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(NewNotification(user_id="bob", message="Welcome"))
    assert sent_lines(caplog) == ["notification sent to bob for order -: Welcome"]


def test_nothing_is_delivered_before_the_notification_is_committed(caplog, django_capture_on_commit_callbacks):
    caplog.set_level(logging.INFO, logger="notifications")
    with django_capture_on_commit_callbacks() as callbacks:
        services.notify(NewNotification(user_id="alice", message="Hi", email="alice@example.com"))
        assert sent_lines(caplog) == [] and mail.outbox == []
    assert len(callbacks) == 1


def test_an_email_goes_out_only_when_an_address_is_given(service, django_capture_on_commit_callbacks, settings):
    settings.DEFAULT_FROM_EMAIL = "shop@example.com"
    long_message = "Your order 42 is paid and on its way to you; thank you for shopping with KubeShop!"
    with django_capture_on_commit_callbacks(execute=True):
        service.post("/api/notify", {**VALID, "eventId": "e-1"}, format="json")
        service.post(
            "/api/notify", {**VALID, "eventId": "e-2", "message": long_message, "email": "a@example.com"}, format="json"
        )
        service.post("/api/notify", {**VALID, "eventId": "e-2", "email": "a@example.com"}, format="json")
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert (sent.to, sent.from_email, sent.body) == (["a@example.com"], "shop@example.com", long_message)
    assert sent.subject == f"KubeShop: {long_message[:60]}"


def test_a_message_with_line_breaks_still_gets_a_one_line_subject(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(NewNotification(user_id="alice", message="Paid.\r\nThank you.", email="a@example.com"))
    assert mail.outbox[0].subject == "KubeShop: Paid. Thank you."


def test_a_broken_mail_server_is_logged_and_the_notification_kept(
    service, settings, caplog, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 1  # nothing listens there
    caplog.set_level(logging.INFO, logger="notifications")
    with django_capture_on_commit_callbacks(execute=True):
        response = service.post("/api/notify", {**VALID, "email": "a@example.com"}, format="json")
    assert response.status_code == 201
    assert Notification.objects.filter(pk=response.json()["id"]).exists()
    errors = [r for r in caplog.records if r.name == "notifications" and r.levelno == logging.ERROR]
    assert len(errors) == 1 and errors[0].exc_info
