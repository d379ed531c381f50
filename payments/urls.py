from django.urls import include, path

import kubeshop.converters  # noqa: F401  (registers <id:…>)
from payments import views

payment_actions = [
    path("void", views.VoidOrderPaymentsView.as_view(), name="payment-void"),
    path("<id:payment_id>", views.PaymentDetailView.as_view(), name="payment-detail"),
    path("<id:payment_id>/refund", views.RefundPaymentView.as_view(), name="payment-refund"),
]

urlpatterns = [
    path("api/process", views.ProcessPaymentView.as_view(), name="payment-process"),
    path("api/payments", views.OrderPaymentsView.as_view(), name="payment-list"),
    path("api/payments/", include(payment_actions)),
]
