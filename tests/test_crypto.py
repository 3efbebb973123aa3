import pytest
from django.db import connection

from association.crypto import EncryptedTextField, blind_index, decrypt, encrypt, mask
from association.exports import safe_cell


def test_it_round_trips_and_never_repeats_a_ciphertext():
    first, second = encrypt("411002199001011234"), encrypt("411002199001011234")
    assert first != second
    assert decrypt(first) == decrypt(second) == "411002199001011234"
    assert "4110" not in first


def test_it_finds_equal_values_by_blind_index():
    assert blind_index(" 41100219900101123x ") == blind_index("41100219900101123X")
    assert blind_index("411002199001011234") != blind_index("411002199001011235")


def test_it_masks_the_middle():
    assert mask("411002199001011234") == "4110**********1234"
    assert mask("") == ""
    assert mask("张小明", keep_start=1, keep_end=0) == "张**"


@pytest.mark.django_db
def test_it_stores_ciphertext_in_the_column():
    field = EncryptedTextField()
    stored = field.get_prep_value("张三的秘密")
    assert stored.startswith("v1:") and "张三" not in stored
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s::text", [stored])
        (raw,) = cursor.fetchone()
    assert field.from_db_value(raw, None, connection) == "张三的秘密"


@pytest.mark.parametrize("value", ["=cmd()", "+1", "-2+3", "@SUM(A1)", "\tx"])
def test_it_escapes_formula_cells(value):
    assert safe_cell(value) == "'" + value


def test_it_leaves_ordinary_cells_alone():
    assert safe_cell("张三") == "张三"
    assert safe_cell(-5) == -5
