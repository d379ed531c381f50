from django import forms
from django.contrib import admin, messages
from django.utils.html import format_html

from catalog import services
from catalog.models import Category, Product
from kubeshop.errors import DomainError


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class StockInput(forms.NumberInput):
    """Also sends back the stock as staff saw it, so a save tells their count from sales made meanwhile."""

    def render(self, name, value, attrs=None, renderer=None):
        seen = format_html('<input type="hidden" name="{}_seen" value="{}">', name, "" if value is None else value)
        return super().render(name, value, attrs, renderer) + seen


class ProductForm(forms.ModelForm):
    image_url = forms.URLField(max_length=500, required=False, assume_scheme="https")

    class Meta:
        model = Product
        fields = ["name", "slug", "description", "price", "stock", "category", "is_active", "image_url"]
        widgets = {"stock": StockInput}

    def stock_seen(self) -> int | None:
        try:
            return int(self.data.get(f"{self.add_prefix('stock')}_seen", ""))
        except ValueError:
            return None

    def clean(self):
        cleaned = super().clean()
        seen, counted = self.stock_seen(), cleaned.get("stock")
        if self.instance.pk and seen is not None and counted != seen and self.instance.stock != seen:
            self.add_error("stock", f"Sales changed the stock to {self.instance.stock} since you opened the page.")
        return cleaned


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    form = ProductForm
    list_display = ["name", "price", "stock", "category", "is_active", "updated_at"]
    list_editable = ["price", "stock"]
    list_filter = ["category", "is_active"]
    list_select_related = ["category"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["created_at", "updated_at"]

    def get_changelist_form(self, request, **kwargs):
        return super().get_changelist_form(request, form=ProductForm, **kwargs)

    def save_model(self, request, obj, form, change):
        """Save only what staff changed: a stale stock figure never overwrites sales made meanwhile."""
        if not change:
            return super().save_model(request, obj, form, change)
        try:
            services.save_product_edit(obj, form.changed_data, stock_seen=form.stock_seen())
        except DomainError as exc:
            messages.error(request, exc.detail)
