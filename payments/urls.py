from django.urls import path

import kubeshop.converters  # noqa: F401  (registers <id:…>)
from payments import views

urlpatterns = [
    path("api/process", views.ProcessPaymentView.as_view(), name="payment-process"),
    path("api/payments", views.OrderPaymentsView.as_view(), name="payment-list"),
    path("api/payments/void", views.VoidOrderPaymentsView.as_view(), name="payment-void"),
    path("api/payments/<id:payment_id>", views.PaymentDetailView.as_view(), name="payment-detail"),
    path("api/payments/<id:payment_id>/refund", views.RefundPaymentView.as_view(), name="payment-refund"),
]
