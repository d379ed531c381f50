from django.contrib import admin

from payments.models import Payment


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    """Payments are the provider's record: staff look, services write."""

    list_display = ["id", "order_id", "user_id", "amount", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["order_id", "user_id"]
    fields = [
        "id",
        "idempotency_key",
        "order_id",
        "user_id",
        "amount",
        "status",
        "card_last4",
        "created_at",
        "updated_at",
    ]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
