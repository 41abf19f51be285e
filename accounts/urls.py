from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import path

from accounts import sso, views
from accounts.forms import LoginForm

urlpatterns = [
    path("language/", views.set_language, name="set_language"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            redirect_authenticated_user=True, authentication_form=LoginForm
        ),
        name="login",
    ),
    # Single sign-on; the names are the ones mozilla-django-oidc looks up.
    path(
        "sso/start/",
        login_not_required(sso.SignInView.as_view()),
        name="oidc_authentication_init",
    ),
    path(
        "sso/callback/",
        login_not_required(sso.CallbackView.as_view()),
        name="oidc_authentication_callback",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("two-factor/", views.two_factor_verify, name="two_factor_verify"),
    path("two-factor/setup/", views.two_factor_setup, name="two_factor_setup"),
    path(
        "two-factor/recovery-codes/",
        views.two_factor_recovery_codes,
        name="two_factor_recovery_codes",
    ),
    path("two-factor/remove/", views.two_factor_remove, name="two_factor_remove"),
    path("locked-out/", views.login_lockouts, name="login_lockouts"),
    path("locked-out/unlock/", views.login_unlock, name="login_unlock"),
    path("api-tokens/new/", views.api_token_create, name="api_token_create"),
    path("api-tokens/<int:pk>/revoke/", views.api_token_revoke, name="api_token_revoke"),
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
]
