from django.urls import path

from orders import views

urlpatterns = [
    path("api/orders", views.OrderListView.as_view(), name="order-list"),
    path("api/orders/create", views.OrderCreateView.as_view(), name="order-create"),
    path("api/orders/<uuid:order_id>", views.OrderDetailView.as_view(), name="order-detail"),
    path("api/orders/<uuid:order_id>/cancel", views.OrderCancelView.as_view(), name="order-cancel"),
]
