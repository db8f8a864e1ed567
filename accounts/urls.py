from django.contrib.auth.views import LogoutView
from django.urls import path

from accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("login/verify/", views.mfa_view, name="mfa"),
    path("logout/", LogoutView.as_view(), name="logout"),
]
