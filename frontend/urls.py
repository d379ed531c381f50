from django.urls import path

import kubeshop.converters  # noqa: F401  (registers <id:…>)
from frontend import views
from frontend.pages import account, cart, catalog, checkout, orders

urlpatterns = [
    path("", catalog.home, name="shop-home"),
    path("api/auth/register", views.RegisterView.as_view(), name="register"),
    path("api/auth/token", views.TokenView.as_view(), name="token"),
    path("api/auth/refresh", views.RefreshView.as_view(), name="token-refresh"),
    path("api/auth/logout", views.LogoutView.as_view(), name="logout"),
    path("api/auth/password", views.PasswordView.as_view(), name="password-change"),
    # The storefront's pages (server-rendered, session login).
    path("products/<id:product_id>", catalog.product, name="shop-product"),
    path("cart", cart.cart_page, name="shop-cart"),
    path("cart/add", cart.add_to_cart, name="shop-cart-add"),
    path("cart/<id:product_id>/quantity", cart.update_line, name="shop-cart-update"),
    path("cart/<id:product_id>/remove", cart.remove_line, name="shop-cart-remove"),
    path("checkout", checkout.checkout, name="shop-checkout"),
    path("orders", orders.order_list, name="shop-orders"),
    path("orders/<uuid:order_id>", orders.order_detail, name="shop-order"),
    path("orders/<uuid:order_id>/placed", checkout.order_placed, name="shop-order-placed"),
    path("orders/<uuid:order_id>/cancel", orders.cancel_order, name="shop-order-cancel"),
    path("notifications", orders.notification_list, name="shop-notifications"),
    path("notifications/<id:notification_id>/read", orders.mark_read, name="shop-notification-read"),
    path("signup", account.sign_up, name="shop-signup"),
    path("signin", account.sign_in, name="shop-signin"),
    path("signout", account.sign_out, name="shop-signout"),
    # For the other services' admins only (the service credential): not under api/auth/, which anyone may call.
    path("api/staff/verify", views.StaffVerifyView.as_view(), name="staff-verify"),
    path("api/staff/status", views.StaffStatusView.as_view(), name="staff-status"),
]
