from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.validators import MaxLengthValidator, RegexValidator
from django.db import models

MAX_MESSAGE_LENGTH = 2000
# A slug that may also hold dots, so event names such as "order.paid" serve as kinds.
KIND_PATTERN = r"^[-a-zA-Z0-9_.]+\Z"
validate_kind = RegexValidator(KIND_PATTERN, "Enter a kind of letters, numbers, dots, underscores or hyphens.")


class Notification(models.Model):
    id = models.BigAutoField(primary_key=True)
    # A userId is the username (the shop's identity), not a foreign key: accounts live in another service.
    user_id = models.CharField(max_length=150, db_index=True, validators=[UnicodeUsernameValidator()])
    # The sender's id for the event it notifies about; unique, so a redelivered event stores nothing new.
    event_id = models.CharField(max_length=100, null=True, blank=True, unique=True)
    order_id = models.CharField(max_length=64, blank=True)
    kind = models.CharField(max_length=50, default="info", validators=[validate_kind])
    message = models.TextField(validators=[MaxLengthValidator(MAX_MESSAGE_LENGTH)])
    read = models.BooleanField(default=False)
    mailed_at = models.DateTimeField(null=True, blank=True)  # a redelivery with an address mails it if not yet
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user_id", "-created_at"], name="notification_user_newest")]

    def __str__(self) -> str:
        return f"{self.kind} for {self.user_id}: {self.message[:50]}"
