from django.urls import path

from frontend import views

urlpatterns = [
    path("", views.home, name="home"),
    path("api/auth/register", views.RegisterView.as_view(), name="register"),
    path("api/auth/token", views.TokenView.as_view(), name="token"),
]
