"""Sign up, sign in, sign out: Django session login for the pages (the API keeps its bearer tokens)."""

from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from frontend import services, storefront
from frontend.pages.base import error_page, render_page
from frontend.pages.forms import SignInForm, SignUpForm
from kubeshop.errors import InvalidRequest
from kubeshop.throttling import SignInRateThrottle


def _next_url(request: HttpRequest) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(wanted, {request.get_host()}, require_https=request.is_secure()):
        return wanted
    return "/"


def _too_many_attempts(request: HttpRequest) -> HttpResponse | None:
    """The API's limit on sign-up and sign-in attempts per address, so the pages are no way around it."""
    throttle = SignInRateThrottle()
    if request.method != "POST" or throttle.allow_request(request, None):
        return None
    wait = int(throttle.wait() or 60) + 1
    message = f"Too many sign-in attempts from here. Please wait {wait} seconds and try again."
    response = error_page(request, 429, "Too many attempts", message)
    response["Retry-After"] = str(wait)
    return response


def _signed_in(request: HttpRequest, user) -> HttpResponse:
    login(request, user, backend="frontend.backends.AccountsBackend")  # the accounts are here
    if storefront.merge_guest_cart(request):
        messages.success(request, f"Welcome, {user.username}!")
    else:
        messages.warning(request, "Welcome! Your cart cannot be reached right now; what you added is kept for later.")
    return redirect(_next_url(request))


def sign_up(request: HttpRequest) -> HttpResponse:
    if refused := _too_many_attempts(request):
        return refused
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user_id = services.register_user(**form.cleaned_data)
        except InvalidRequest as exc:
            field, _, message = exc.detail.partition(": ")
            form.add_error(field if field in form.fields else None, message or exc.detail)
        else:
            # The name as stored (registration may normalise what was typed) signs the new customer in.
            user = authenticate(request, username=user_id, password=form.cleaned_data["password"])
            if user is not None:
                return _signed_in(request, user)
            form.add_error(None, "Your account is made, but signing in failed: please sign in.")
    status = 400 if request.method == "POST" else 200
    return render_page(request, "frontend/sign_up.html", {"form": form, "next": _next_url(request)}, status=status)


def sign_in(request: HttpRequest) -> HttpResponse:
    if refused := _too_many_attempts(request):
        return refused
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(request, **form.cleaned_data)
        if user is not None:
            return _signed_in(request, user)
        form.add_error(None, "Wrong username or password.")
    status = 400 if request.method == "POST" else 200
    return render_page(request, "frontend/sign_in.html", {"form": form, "next": _next_url(request)}, status=status)


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, "You are signed out.")
    return redirect("shop-home")
