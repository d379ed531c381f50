from django.conf import settings
from django.contrib.auth.validators import UnicodeUsernameValidator
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from frontend import services
from frontend.data import STAFF_MEMBER
from kubeshop.api import parse, response_schema
from kubeshop.permissions import AllowAny, IsEndUser, IsService
from kubeshop.throttling import SignInRateThrottle, SignInUsernameThrottle


class RegisterView(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [SignInRateThrottle, SignInUsernameThrottle]

    class Registration(serializers.Serializer):
        username = serializers.CharField(max_length=150, validators=[UnicodeUsernameValidator()])
        password = serializers.CharField(max_length=128, trim_whitespace=False)
        email = serializers.EmailField()

    @extend_schema(
        request=Registration,
        responses={201: inline_serializer("Registered", {"userId": serializers.CharField()})},
    )
    def post(self, request):
        user_id = services.register_user(**parse(self.Registration, request.data))
        return Response({"userId": user_id}, status=status.HTTP_201_CREATED)


def _signed_in(issued: services.IssuedToken) -> Response:
    return Response({"token": issued.token, "refresh": issued.refresh, "userId": issued.user_id})


def _locked_out() -> Response:
    retry_after = int(settings.AXES_COOLOFF_TIME.total_seconds())
    response = Response(
        {"detail": "Too many failed sign-ins from this address or for this account; try again later."},
        status=status.HTTP_429_TOO_MANY_REQUESTS,
    )
    response["Retry-After"] = str(retry_after)
    return response


TOKENS = inline_serializer(
    "Tokens",
    {"token": serializers.CharField(), "refresh": serializers.CharField(), "userId": serializers.CharField()},
)


class TokenView(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [SignInRateThrottle, SignInUsernameThrottle]
    authentication_classes: list = []

    class Credentials(serializers.Serializer):
        username = serializers.CharField(max_length=150)
        password = serializers.CharField(max_length=128, trim_whitespace=False)

    @extend_schema(request=Credentials, responses=TOKENS)
    def post(self, request):
        try:
            issued = services.obtain_token(request=request, **parse(self.Credentials, request.data))
        except services.SignInLocked:
            return _locked_out()
        except services.WrongCredentials:
            raise exceptions.AuthenticationFailed("Wrong username or password.") from None
        return _signed_in(issued)

    def get_authenticate_header(self, request) -> str:
        return 'Bearer realm="kubeshop"'


class RefreshInput(serializers.Serializer):
    refresh = serializers.CharField(max_length=2000)


class RefreshView(APIView):
    """A new pair for a refresh token; refused once the account changed password, staff flag or activity."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(request=RefreshInput, responses=TOKENS)
    def post(self, request):
        try:
            issued = services.refresh_tokens(**parse(RefreshInput, request.data))
        except services.InvalidRefreshToken:
            raise exceptions.AuthenticationFailed("Invalid, expired or revoked refresh token.") from None
        return Response({"token": issued.token, "refresh": issued.refresh})

    def get_authenticate_header(self, request) -> str:
        return 'Bearer realm="kubeshop"'


class LogoutView(APIView):
    """Sign out: the refresh token itself is the proof, so an expired access token does not get in the way."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(request=RefreshInput, responses={204: None})
    def post(self, request):
        try:
            services.sign_out(**parse(RefreshInput, request.data))
        except services.InvalidRefreshToken:
            raise exceptions.AuthenticationFailed("Invalid, expired or revoked refresh token.") from None
        return Response(status=status.HTTP_204_NO_CONTENT)

    def get_authenticate_header(self, request) -> str:
        return 'Bearer realm="kubeshop"'


class PasswordView(APIView):
    """Change one's own password; every refresh token of the account stops working."""

    permission_classes = [IsEndUser]
    throttle_classes = [SignInRateThrottle]

    class PasswordChange(serializers.Serializer):
        old = serializers.CharField(max_length=128, trim_whitespace=False)
        new = serializers.CharField(max_length=128, trim_whitespace=False)

    @extend_schema(request=PasswordChange, responses={204: None})
    def post(self, request):
        data = parse(self.PasswordChange, request.data)
        try:
            services.change_password(request=request, username=request.user.username, **data)
        except services.SignInLocked:
            return _locked_out()
        return Response(status=status.HTTP_204_NO_CONTENT)


class StaffVerifyView(APIView):
    """Another service's admin asks whether a username and password are an active staff account's.

    Each admin locks out by the address signing in to it; the attempts at one username, through all of
    them together, are limited here (a 429, which their sign-in form reports as unavailable).
    """

    permission_classes = [IsService]
    throttle_classes = [SignInUsernameThrottle]

    class StaffCredentials(serializers.Serializer):
        username = serializers.CharField(max_length=150)
        password = serializers.CharField(max_length=128, trim_whitespace=False)

    @extend_schema(request=StaffCredentials, responses=response_schema(STAFF_MEMBER))
    def post(self, request):
        return Response(STAFF_MEMBER.to_wire(services.verify_staff(**parse(self.StaffCredentials, request.data))))


class StaffStatusView(APIView):
    """Another service's admin asks whether the staff member signed in to it still is one (no password)."""

    permission_classes = [IsService]

    class StaffName(serializers.Serializer):
        username = serializers.CharField(max_length=150)

    @extend_schema(request=StaffName, responses=response_schema(STAFF_MEMBER))
    def post(self, request):
        return Response(STAFF_MEMBER.to_wire(services.staff_member(**parse(self.StaffName, request.data))))
