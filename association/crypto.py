"""Sensitive columns: AES-GCM encryption at rest, a blind index for exact lookup, masking.

``EncryptedTextField`` stores ``v1:<base64(nonce + ciphertext)>``; the key is
``settings.FIELD_ENCRYPTION_KEY`` (32 bytes, base64). A column that must be found by
its exact value (a resident ID number) gets a second column holding
:func:`blind_index` of the normalised value: an HMAC under a key derived from the same
secret, so equal values match and the index reveals nothing without the key.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from functools import cache

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

PREFIX = "v1:"


@cache
def _keys(secret: str) -> tuple[bytes, bytes]:
    try:
        master = base64.b64decode(secret, validate=True)
    except ValueError as exc:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEY must be base64") from exc
    if len(master) != 32:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEY must decode to 32 bytes")
    encryption = hmac.new(master, b"encryption", hashlib.sha256).digest()
    index = hmac.new(master, b"blind-index", hashlib.sha256).digest()
    return encryption, index


def encrypt(plaintext: str) -> str:
    key, _ = _keys(settings.FIELD_ENCRYPTION_KEY)
    nonce = os.urandom(12)
    sealed = AESGCM(key).encrypt(nonce, plaintext.encode(), None)
    return PREFIX + base64.b64encode(nonce + sealed).decode()


def decrypt(stored: str) -> str:
    if not stored.startswith(PREFIX):
        raise ValueError("not an encrypted value")
    key, _ = _keys(settings.FIELD_ENCRYPTION_KEY)
    raw = base64.b64decode(stored[len(PREFIX) :])
    return AESGCM(key).decrypt(raw[:12], raw[12:], None).decode()


def blind_index(value: str) -> str:
    """HMAC-SHA256 of the normalised value (stripped, upper case), hex."""
    _, key = _keys(settings.FIELD_ENCRYPTION_KEY)
    return hmac.new(key, value.strip().upper().encode(), hashlib.sha256).hexdigest()


def mask(value: str, *, keep_start: int = 4, keep_end: int = 4) -> str:
    """``411002199001011234`` → ``4110**********1234``."""
    if not value:
        return ""
    if len(value) <= keep_start + keep_end:
        return "*" * len(value)
    end = value[len(value) - keep_end :]  # not value[-keep_end:], which is all of it for 0
    return value[:keep_start] + "*" * (len(value) - keep_start - keep_end) + end


class EncryptedTextField(models.TextField):
    """A text column encrypted with AES-GCM; decrypted on load. Not searchable: pair it
    with a blind-index column for exact lookups."""

    description = "Text encrypted at rest (AES-GCM)"

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(value)
