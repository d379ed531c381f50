"""The one rule for an Idempotency-Key, shared by every API that takes one (orders' checkout, payments' charge)."""

import re

from kubeshop.errors import InvalidRequest

MAX_LENGTH = 255
PATTERN = re.compile(rf"^[\x21-\x7e]{{1,{MAX_LENGTH}}}$")  # printable ASCII without spaces, as the draft's examples
RULE = f"Idempotency-Key: 1 to {MAX_LENGTH} printable characters without spaces."


def check_idempotency_key(key: str) -> str:
    """The key, if it follows the rule; InvalidRequest otherwise."""
    if not PATTERN.match(key):
        raise InvalidRequest(RULE)
    return key
