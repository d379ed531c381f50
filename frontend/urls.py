from django.urls import path

from frontend import views

urlpatterns = [
    path("", views.home, name="home"),
    path("api/auth/register", views.RegisterView.as_view(), name="register"),
    path("api/auth/token", views.TokenView.as_view(), name="token"),
    path("api/auth/refresh", views.RefreshView.as_view(), name="token-refresh"),
    path("api/auth/logout", views.LogoutView.as_view(), name="logout"),
    path("api/auth/password", views.PasswordView.as_view(), name="password-change"),
]
