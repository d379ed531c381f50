from django.urls import path

import kubeshop.converters  # noqa: F401  (registers <id:…>)
from catalog import views

urlpatterns = [
    path("api/products", views.ProductListView.as_view(), name="product-list"),
    path("api/products/<id:product_id>", views.ProductDetailView.as_view(), name="product-detail"),
    path("api/categories", views.CategoryListView.as_view(), name="category-list"),
    path("api/reservations", views.ReservationCreateView.as_view(), name="reservation-create"),
    path("api/reservations/<slug:order_id>/release", views.ReservationEndView.as_view(), {"end": "release"}),
    path("api/reservations/<slug:order_id>/commit", views.ReservationEndView.as_view(), {"end": "commit"}),
]
