"""Signing in and out, lock-out, two-factor authentication, passwords and the own profile."""

from __future__ import annotations

from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from awda.accounts import actions
from awda.accounts.access import signed_in_user
from awda.accounts.forms import LanguageForm, SignInForm, TokenForm
from awda.accounts.roles import requires_two_factor


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    http_method_names = ["post", "options"]


def locked_out(request: HttpRequest, credentials: Any = None, *args: Any, **kwargs: Any) -> HttpResponse:
    """django-axes calls this when an account is locked after repeated failures."""
    return render(request, "accounts/locked_out.html", status=429)


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("portal:home")


def _qr_svg(config_url: str) -> str:
    return segno.make(config_url, error="m").svg_inline(scale=4, title="QR")


@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app (first time) or confirm a sign-in with its code."""
    user = signed_in_user(request)
    if getattr(request.user, "is_verified", lambda: False)():  # django-otp's middleware adds it
        return HttpResponseRedirect(_safe_next(request))
    enrolled = user_has_device(user, confirmed=True)
    device: TOTPDevice | None
    if enrolled:
        device = None
    else:
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"]
        candidates = (
            [device] if device is not None else list(TOTPDevice.objects.filter(user=user, confirmed=True))
        )
        throttled = [d for d in candidates if not d.verify_is_allowed()[0]]
        matched = next((d for d in candidates if d not in throttled and d.verify_token(token)), None)
        if matched is None and throttled:
            form.add_error("token", _("Too many wrong codes. Wait a few seconds and try the newest code."))
        elif matched is not None:
            if not matched.confirmed:
                matched.confirmed = True
                matched.save(update_fields=["confirmed"])
                messages.success(request, _("Two-factor authentication is now on for your account."))
            otp_login(request, matched)
            return HttpResponseRedirect(_safe_next(request))
        else:
            form.add_error(
                "token", _("This code is not valid. Check your device's clock and try the newest code.")
            )
    context = {
        "form": form,
        "enrolling": device is not None,
        "required": requires_two_factor(user),
        "next": _safe_next(request),
    }
    if device is not None:
        context["qr_svg"] = _qr_svg(device.config_url)
        context["secret"] = _b32(device)
    return render(request, "accounts/two_factor.html", context, status=400 if form.errors else 200)


def _b32(device: TOTPDevice) -> str:
    import base64

    return base64.b32encode(device.bin_key).decode().rstrip("=")


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    language_form = LanguageForm(
        request.POST or None, initial={"language": user.language or request.LANGUAGE_CODE}
    )
    if request.method == "POST" and language_form.is_valid():
        actions.user_set_language(user=user, language=language_form.cleaned_data["language"])
        messages.success(request, _("Your language has been saved."))
        return HttpResponseRedirect(reverse("accounts:profile"))
    context = {
        "language_form": language_form,
        "has_two_factor": user_has_device(user, confirmed=True),
        "two_factor_required": requires_two_factor(user),
        "token": Token.objects.filter(user=user).first(),
    }
    return render(request, "accounts/profile.html", context)


@login_required
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    token = actions.user_token_create(user=signed_in_user(request))
    return render(request, "accounts/token_created.html", {"token": token.key})


@login_required
@require_POST
def token_revoke(request: HttpRequest) -> HttpResponse:
    actions.user_token_revoke(user=signed_in_user(request))
    messages.success(request, _("Your API token has been revoked."))
    return HttpResponseRedirect(reverse("accounts:profile"))


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form: Any) -> HttpResponse:
        messages.success(self.request, _("Your password has been changed."))
        return super().form_valid(form)


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
