from django.urls import path

import kubeshop.converters  # noqa: F401  (registers <id:…> and <username:…>)
from cart import views

urlpatterns = [
    path("api/cart/<username:user_id>", views.CartView.as_view(), name="cart"),
    path("api/cart/<username:user_id>/add", views.CartAddView.as_view(), name="cart-add"),
    path("api/cart/<username:user_id>/remove", views.CartRemoveView.as_view(), name="cart-remove"),
    path("api/cart/<username:user_id>/clear", views.CartClearView.as_view(), name="cart-clear"),
    path("api/cart/<username:user_id>/items/<id:product_id>", views.CartItemView.as_view(), name="cart-item"),
    path("api/cart/<username:user_id>/merge", views.CartMergeView.as_view(), name="cart-merge"),
]
