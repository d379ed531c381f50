from django.urls import include, path

import kubeshop.converters  # noqa: F401  (registers <id:…> and <username:…>)
from cart import views

cart_actions = [
    path("add", views.CartAddView.as_view(), name="cart-add"),
    path("remove", views.CartRemoveView.as_view(), name="cart-remove"),
    path("clear", views.CartClearView.as_view(), name="cart-clear"),
    path("items/<id:product_id>", views.CartItemView.as_view(), name="cart-item"),
    path("merge", views.CartMergeView.as_view(), name="cart-merge"),
]

urlpatterns = [
    path("api/cart/<username:user_id>", views.CartView.as_view(), name="cart"),
    path("api/cart/<username:user_id>/", include(cart_actions)),
]
