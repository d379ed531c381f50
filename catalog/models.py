from django.db import models
from django.db.models import Q


class Category(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name


class Product(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220, unique=True)
    description = models.TextField(blank=True)
    price = models.DecimalField(max_digits=10, decimal_places=2)
    stock = models.IntegerField(default=0)
    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.SET_NULL, related_name="products")
    is_active = models.BooleanField(default=True)
    image_url = models.URLField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            # The backstop under every stock rule: no code path may oversell.
            models.CheckConstraint(condition=Q(stock__gte=0), name="product_stock_not_negative"),
            models.CheckConstraint(condition=Q(price__gte=0), name="product_price_not_negative"),
        ]
        indexes = [
            models.Index(fields=["is_active", "name"]),
            # a category's page in the list's order, without sorting the whole category
            models.Index(fields=["category", "is_active", "name", "id"], name="product_category_listing"),
        ]
        # Search (`?q=`, name or description containing a text) has trigram indexes on PostgreSQL:
        # migration 0004, which SQLite skips.

    def __str__(self) -> str:
        return self.name


class ReservationState(models.TextChoices):
    HELD = "held"
    COMMITTED = "committed"
    RELEASED = "released"


class Reservation(models.Model):
    """Stock taken for one line of an order: held at checkout, committed when paid, or given back."""

    order_id = models.CharField(max_length=64)
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="reservations")
    quantity = models.PositiveIntegerField()
    state = models.CharField(max_length=10, choices=ReservationState.choices, default=ReservationState.HELD)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            # A retried reservation of the same order can never take stock twice.
            models.UniqueConstraint(fields=["order_id", "product"], name="one_reservation_per_order_line"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="reservation_quantity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.product_id} for {self.order_id} ({self.state})"


class StockGate(models.Model):
    """One row per order that reserved or released stock: both lock it first.

    A release sets `released`, and a reservation that arrives later (a retry still in flight) is
    refused, so a late arrival cannot take stock back after the order gave it up.
    """

    order_id = models.CharField(max_length=64, unique=True)
    released = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"order {self.order_id}{' (released)' if self.released else ''}"
