"""The storefront's forms: the shape of what a page accepts (rules live in frontend.storefront)."""

from django import forms
from django.contrib.auth.validators import UnicodeUsernameValidator

from cart.client import MAX_QUANTITY
from frontend.storefront import BadCard, card_number

KEY_PATTERN = r"^[\x21-\x7e]{1,255}$"


class AddToCartForm(forms.Form):
    product_id = forms.IntegerField(min_value=1, max_value=2**62)
    quantity = forms.IntegerField(min_value=1, max_value=MAX_QUANTITY, initial=1)


class QuantityForm(forms.Form):
    quantity = forms.IntegerField(
        min_value=0,
        max_value=MAX_QUANTITY,
        error_messages={"max_value": f"At most {MAX_QUANTITY} of one product per cart."},
    )


class CheckoutForm(forms.Form):
    card = forms.CharField(max_length=40, required=False, strip=True)
    idempotency_key = forms.RegexField(KEY_PATTERN, widget=forms.HiddenInput)

    def clean_card(self) -> str:
        try:
            return card_number(self.cleaned_data["card"])
        except BadCard as exc:
            raise forms.ValidationError(str(exc)) from None


class SignUpForm(forms.Form):
    username = forms.CharField(
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        widget=forms.TextInput(attrs={"autocomplete": "username", "aria-describedby": "id_username-hint"}),
    )
    email = forms.EmailField(widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    password = forms.CharField(
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password", "aria-describedby": "id_password-hint"}),
    )


class SignInForm(forms.Form):
    username = forms.CharField(max_length=150, widget=forms.TextInput(attrs={"autocomplete": "username"}))
    password = forms.CharField(
        max_length=128, strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
