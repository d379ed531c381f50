from django.contrib import admin, messages

from orders import outbox
from orders.models import Order, OrderItem, OutboxEvent


class OrderItemInline(admin.TabularInline):
    model = OrderItem
    extra = 0
    readonly_fields = ["product_id", "name", "quantity", "price"]


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = ["id", "user_id", "status", "total_amount", "created_at"]
    list_filter = ["status"]
    search_fields = ["id", "user_id"]
    inlines = [OrderItemInline]
    readonly_fields = ["user_id", "total_amount", "payment_id", "created_at", "updated_at"]


class DeadFilter(admin.SimpleListFilter):
    title = "delivery"
    parameter_name = "delivery"

    def lookups(self, request, model_admin):
        return [("dead", "dead (parked)"), ("pending", "waiting"), ("delivered", "delivered")]

    def queryset(self, request, queryset):
        return {
            "dead": queryset.filter(dead_at__isnull=False, delivered_at__isnull=True),
            "pending": queryset.filter(dead_at__isnull=True, delivered_at__isnull=True),
            "delivered": queryset.filter(delivered_at__isnull=False),
        }.get(self.value(), queryset)


@admin.register(OutboxEvent)
class OutboxEventAdmin(admin.ModelAdmin):
    list_display = ["kind", "order_id", "delivered_at", "dead_at", "attempts", "next_attempt_at", "last_error"]
    list_filter = [DeadFilter, "kind"]
    search_fields = ["order_id"]
    actions = ["requeue"]

    @admin.action(description="Re-queue the selected undelivered events (a fresh set of attempts, due now)")
    def requeue(self, request, queryset):
        count = outbox.requeue(queryset)
        self.message_user(request, f"{count} events re-queued.", messages.SUCCESS)
