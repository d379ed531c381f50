"""The key pair that signs identity tokens (Ed25519, PEM text): only the frontend holds the private half.

No Django here: settings.py uses it to check the keys at start-up, tools.localshop to make a pair per run.
"""

from functools import lru_cache

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

ALGORITHM = "EdDSA"

# For development only (DJANGO_DEBUG on): published here, so the settings refuse it in production.
DEV_PRIVATE_KEY = """-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEIFLrphoWkcEc5cipl0TIzYPx9PtSySGVKg6ILEbkzYDP
-----END PRIVATE KEY-----
"""
DEV_PUBLIC_KEY = """-----BEGIN PUBLIC KEY-----
MCowBQYDK2VwAyEA1/NG4pRlr9ZE7bqMssuVdvQsXh7mprApY6P9UYhCA40=
-----END PUBLIC KEY-----
"""


class BadKey(ValueError):
    """The text is not a PEM Ed25519 key of the expected kind."""


@lru_cache(maxsize=8)
def private_key(pem: str) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(pem.encode(), password=None)
    except (ValueError, TypeError) as exc:
        raise BadKey(f"not a PEM private key ({exc})") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise BadKey("not an Ed25519 private key")
    return key


@lru_cache(maxsize=8)
def public_key(pem: str) -> Ed25519PublicKey:
    try:
        key = serialization.load_pem_public_key(pem.encode())
    except (ValueError, TypeError) as exc:
        raise BadKey(f"not a PEM public key ({exc})") from None
    if not isinstance(key, Ed25519PublicKey):
        raise BadKey("not an Ed25519 public key")
    return key


def public_pem_of(private_pem: str) -> str:
    """The public half of a private key, as PEM text."""
    return _public_pem(private_key(private_pem).public_key())


def same_public_key(a_pem: str, b_pem: str) -> bool:
    return _public_pem(public_key(a_pem)) == _public_pem(public_key(b_pem))


def generate_private_pem() -> str:
    """A fresh private key, as PEM text (tools.localshop makes one per run)."""
    return (
        Ed25519PrivateKey.generate()
        .private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
        .decode()
    )


def _public_pem(key: Ed25519PublicKey) -> str:
    return key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
