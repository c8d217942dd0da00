"""国密 primitives: SM3 hashing (chains, keyed lookups) and SM4 encryption (personal information at rest).

SM3 comes from OpenSSL through hashlib; SM4-GCM from `cryptography`. Keys come from settings
(var/secrets.json or the environment), never from the database.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import os

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings

_PREFIX = "sm4g1:"  # ciphertext format version: sm4g1:<base64(nonce12 | ciphertext | tag16)>


def sm3_hex(data: bytes | str) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.new("sm3", data).hexdigest()


def hmac_sm3_hex(key: bytes | str, data: bytes | str) -> str:
    if isinstance(key, str):
        key = key.encode("utf-8")
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hmac.new(key, data, lambda: hashlib.new("sm3")).hexdigest()


def lookup_hash(value: str) -> str:
    """Keyed SM3 of a normalised personal identifier: equal inputs match, the table alone reveals nothing."""
    return hmac_sm3_hex(settings.JIANGUAN_LOOKUP_KEY, value.strip().upper())


def _sm4_key() -> bytes:
    key = bytes.fromhex(settings.JIANGUAN_PII_KEY)
    if len(key) != 16:
        raise ValueError("JIANGUAN_PII_KEY must be 32 hex characters (SM4 uses a 128-bit key)")
    return key


def sm4_encrypt(plaintext: str) -> str:
    nonce = os.urandom(12)
    encryptor = Cipher(algorithms.SM4(_sm4_key()), modes.GCM(nonce)).encryptor()
    body = encryptor.update(plaintext.encode("utf-8")) + encryptor.finalize()
    return _PREFIX + base64.b64encode(nonce + body + encryptor.tag).decode("ascii")


def sm4_decrypt(token: str) -> str:
    if not token.startswith(_PREFIX):
        raise ValueError("not an SM4 ciphertext of this platform")
    raw = base64.b64decode(token[len(_PREFIX):])
    nonce, body, tag = raw[:12], raw[12:-16], raw[-16:]
    decryptor = Cipher(algorithms.SM4(_sm4_key()), modes.GCM(nonce, tag)).decryptor()
    return (decryptor.update(body) + decryptor.finalize()).decode("utf-8")


def is_ciphertext(value: str) -> bool:
    return isinstance(value, str) and value.startswith(_PREFIX)
