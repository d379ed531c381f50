"""Template filters of the storefront."""

from decimal import ROUND_HALF_UP, Decimal

from django import template

register = template.Library()


@register.filter
def money(value: Decimal | None) -> str:
    """A price as the shop shows it: $1,234.50 (Decimal, two places, never a float)."""
    if value is None:
        return "—"
    return f"${Decimal(value).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,}"


@register.filter
def status_label(status: str) -> str:
    """An order status in words."""
    return {
        "PENDING": "Being placed",
        "PAID": "Paid",
        "PAYMENT_FAILED": "Payment failed",
        "REJECTED": "Not placed (out of stock)",
        "FAILED": "Not placed",
        "CANCELLING": "Being cancelled",
        "CANCELLED": "Cancelled",
    }.get(status, status.replace("_", " ").capitalize())
