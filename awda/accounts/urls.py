"""URLs of accounts: signing in, profile, and management pages."""

from django.urls import path

from awda.accounts.views import audit, auth, manage

app_name = "accounts"

urlpatterns = [
    path("accounts/login/", auth.SignInView.as_view(), name="login"),
    path("accounts/logout/", auth.SignOutView.as_view(), name="logout"),
    path("accounts/2fa/", auth.two_factor, name="two_factor"),
    path("accounts/profile/", auth.profile, name="profile"),
    path("accounts/profile/token/", auth.token_create, name="token_create"),
    path("accounts/profile/token/revoke/", auth.token_revoke, name="token_revoke"),
    path("accounts/password/change/", auth.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/reset/", auth.PasswordResetView.as_view(), name="password_reset"),
    path("accounts/password/reset/sent/", auth.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        auth.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/complete/",
        auth.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("manage/users/", manage.user_list, name="user_list"),
    path("manage/users/new/", manage.user_create, name="user_create"),
    path("manage/users/<uuid:user_uuid>/", manage.user_detail, name="user_detail"),
    path("manage/institutions/", manage.institution_list, name="institution_list"),
    path("manage/institutions/new/", manage.institution_form, name="institution_create"),
    path("manage/institutions/<uuid:institution_uuid>/", manage.institution_form, name="institution_edit"),
    path(
        "manage/institutions/<uuid:institution_uuid>/offices/new/", manage.office_form, name="office_create"
    ),
    path("manage/offices/<uuid:office_uuid>/", manage.office_form, name="office_edit"),
    path("manage/audit/", audit.audit_log, name="audit_log"),
    path("manage/audit/verify/", audit.audit_verify, name="audit_verify"),
]
