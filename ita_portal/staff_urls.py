from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import accounts, views

app_name = "staff"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(
            success_url=reverse_lazy("staff:password-change-done")
        ),
        name="password-change",
    ),
    path(
        "password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password-change-done"
    ),
    path("password/reset/", accounts.password_reset, name="password-reset"),
    path("password/reset/sent/", accounts.password_reset_done, name="password-reset-done"),
    path(
        "password/reset/<uidb64>/<token>/",
        accounts.password_reset_confirm,
        name="password-reset-confirm",
    ),
    path(
        "password/reset/complete/",
        accounts.password_reset_complete,
        name="password-reset-complete",
    ),
]
