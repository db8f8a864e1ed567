"""Encrypted-at-rest model fields for PII (date of birth, SSN).

Values are Fernet tokens keyed from ``FIELD_ENCRYPTION_KEY``; a separate keyed hash (the
"blind index") lets us find a debtor by SSN without decrypting every row.
"""

import base64
import datetime as dt
import hashlib
import hmac
from functools import cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.db import models


@cache
def _fernet(key: str) -> Fernet:
    digest = hashlib.sha256(("fernet:" + key).encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def encrypt_text(value: str) -> str:
    return _fernet(settings.FIELD_ENCRYPTION_KEY).encrypt(value.encode()).decode()


def decrypt_text(token: str) -> str:
    try:
        return _fernet(settings.FIELD_ENCRYPTION_KEY).decrypt(token.encode()).decode()
    except InvalidToken as exc:  # wrong key: refuse loudly rather than show garbage
        raise ValueError("cannot decrypt a protected field: FIELD_ENCRYPTION_KEY changed?") from exc


def blind_index(value: str) -> str:
    """A keyed hash of a normalised value, for exact-match lookups of encrypted data."""
    normalised = "".join(ch for ch in value if ch.isalnum()).lower()
    key = hashlib.sha256(("index:" + settings.FIELD_ENCRYPTION_KEY).encode()).digest()
    return hmac.new(key, normalised.encode(), hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField):
    """Stores a string as a Fernet token; reads it back as the plain string."""

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        return None if value is None else decrypt_text(value)

    def get_prep_value(self, value: Any) -> str | None:
        if value in (None, ""):
            return None
        return encrypt_text(str(value))


class EncryptedDateField(models.TextField):
    """A date stored encrypted; reads back as ``datetime.date``."""

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> dt.date | None:
        return None if value is None else dt.date.fromisoformat(decrypt_text(value))

    def to_python(self, value: Any) -> dt.date | None:
        if value in (None, ""):
            return None
        if isinstance(value, dt.date):
            return value
        return dt.date.fromisoformat(str(value))

    def get_prep_value(self, value: Any) -> str | None:
        date = self.to_python(value)
        return None if date is None else encrypt_text(date.isoformat())
