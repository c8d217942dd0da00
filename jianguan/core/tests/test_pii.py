import pytest

from jianguan.core.crypto import hmac_sm3_hex, lookup_hash, sm3_hex, sm4_decrypt, sm4_encrypt
from jianguan.core.models import User
from jianguan.core.pii import mask_id_number, mask_name, mask_phone


def test_sm3_matches_the_standard_test_vector():
    # GB/T 32905-2016 appendix A.1: SM3("abc")
    assert sm3_hex("abc") == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"


def test_sm4_round_trip_is_randomised():
    a, b = sm4_encrypt("140430199001011230"), sm4_encrypt("140430199001011230")
    assert a != b
    assert sm4_decrypt(a) == sm4_decrypt(b) == "140430199001011230"


def test_sm4_rejects_tampered_ciphertext():
    import base64

    token = sm4_encrypt("秘密")
    raw = bytearray(base64.b64decode(token.split(":", 1)[1]))
    raw[14] ^= 1
    with pytest.raises(Exception):
        sm4_decrypt("sm4g1:" + base64.b64encode(bytes(raw)).decode())


def test_lookup_hash_is_keyed(settings):
    h1 = lookup_hash("140430199001011230")
    settings.JIANGUAN_LOOKUP_KEY = "another-key"
    assert lookup_hash("140430199001011230") != h1
    assert h1 != sm3_hex("140430199001011230")
    assert len(hmac_sm3_hex("k", "v")) == 64


@pytest.mark.parametrize("raw, masked", [("张三", "张*"), ("张三丰", "张*丰"), ("欧阳娜娜", "欧**娜"), ("", "")])
def test_mask_name(raw, masked):
    assert mask_name(raw) == masked


def test_mask_numbers():
    assert mask_id_number("140430199001011230") == "140430********1230"
    assert mask_phone("13912345678") == "139****5678"


def test_personal_information_is_encrypted_at_rest_and_found_by_hash(personas):
    from django.db import connection

    user = personas.a_inspector
    with connection.cursor() as cur:
        cur.execute("SELECT id_number, phone FROM core_user WHERE id = %s", [user.pk])
        stored_id, stored_phone = cur.fetchone()
    assert stored_id.startswith("sm4g1:") and "140430" not in stored_id
    assert stored_phone.startswith("sm4g1:")
    found = User.objects.get(id_number_hash=lookup_hash("140430199001011230"))
    assert found.pk == user.pk and found.id_number == "140430199001011230"


def test_filtering_on_ciphertext_is_refused():
    from django.core.exceptions import FieldError

    with pytest.raises(FieldError):
        list(User.objects.filter(id_number="140430199001011230"))
