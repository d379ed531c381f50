from django.contrib.auth.validators import UnicodeUsernameValidator
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from frontend import services
from kubeshop.api import parse
from kubeshop.permissions import AllowAny
from kubeshop.throttling import SignInRateThrottle


class RegisterView(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [SignInRateThrottle]

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


class TokenView(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [SignInRateThrottle]
    authentication_classes: list = []

    class Credentials(serializers.Serializer):
        username = serializers.CharField(max_length=150)
        password = serializers.CharField(max_length=128, trim_whitespace=False)

    @extend_schema(
        request=Credentials,
        responses=inline_serializer("Token", {"token": serializers.CharField(), "userId": serializers.CharField()}),
    )
    def post(self, request):
        try:
            issued = services.obtain_token(**parse(self.Credentials, request.data))
        except services.WrongCredentials:
            raise exceptions.AuthenticationFailed("Wrong username or password.") from None
        return Response({"token": issued.token, "userId": issued.user_id})

    def get_authenticate_header(self, request) -> str:
        return 'Bearer realm="kubeshop"'
