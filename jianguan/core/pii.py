"""Personal information: an encrypted model field and the masking rules for output.

Public and ordinary staff output shows masked values (张*三, 140430********1234, 138****5678).
Seeing a value unmasked goes through services.pii_reveal, which writes an audit event.
"""
from __future__ import annotations

from django.db import models

from .crypto import is_ciphertext, lookup_hash, sm4_decrypt, sm4_encrypt


class EncryptedCharField(models.TextField):
    """Stores SM4-GCM ciphertext; Python code sees plaintext.

    With `lookup_field`, the named sibling column receives a keyed SM3 hash of the value on save,
    so exact lookups (`filter(id_number_hash=lookup_hash(x))`) work without decrypting anything.
    """

    def __init__(self, *args, lookup_field: str | None = None, **kwargs):
        self.lookup_field = lookup_field
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.lookup_field:
            kwargs["lookup_field"] = self.lookup_field
        if kwargs.get("default") == "":
            kwargs.pop("default")
        return name, path, args, kwargs

    def from_db_value(self, value, expression, connection):
        if value in (None, ""):
            return value
        return sm4_decrypt(value)

    def to_python(self, value):
        if is_ciphertext(value):
            return sm4_decrypt(value)
        return value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value in (None, "") or is_ciphertext(value):
            return value
        return sm4_encrypt(value)

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.attname)
        if self.lookup_field:
            setattr(model_instance, self.lookup_field, lookup_hash(value) if value else "")
        return value

    def get_lookup(self, lookup_name):
        # Ciphertext is randomised: comparing it is meaningless. Use the lookup hash column instead.
        if lookup_name not in ("isnull",):
            return None
        return super().get_lookup(lookup_name)


def mask_name(name: str) -> str:
    """张三 → 张*, 张三丰 → 张*丰, 欧阳娜娜 → 欧**娜. Organisation names are not personal and stay whole."""
    name = (name or "").strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_id_number(number: str) -> str:
    """140430199001011234 → 140430********1234: area kept, birth date and order hidden."""
    number = (number or "").strip()
    if len(number) < 10:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


def mask_phone(phone: str) -> str:
    phone = (phone or "").strip()
    if len(phone) < 7:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]


MASKERS = {"name": mask_name, "id_number": mask_id_number, "phone": mask_phone}
