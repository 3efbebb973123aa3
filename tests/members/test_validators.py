import pytest
from django.core.exceptions import ValidationError

from members.validators import validate_credit_code, validate_id_number


@pytest.mark.parametrize("code", ["91350100M000100Y43", "91110000600037341L", "91350100m000100y43"])
def test_it_accepts_valid_credit_codes(code):
    validate_credit_code(code)


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("91350100M000100Y44", "check_digit"),
        ("91350100M000100Y4", "length"),
        ("91350100M000100YO3", "charset"),
        ("", "length"),
    ],
)
def test_it_rejects_invalid_credit_codes(code, reason):
    with pytest.raises(ValidationError) as error:
        validate_credit_code(code)
    assert error.value.code == reason


@pytest.mark.parametrize("number", ["11010519491231002X", "11010519491231002x"])
def test_it_accepts_valid_id_numbers(number):
    validate_id_number(number)


@pytest.mark.parametrize(
    ("number", "reason"),
    [
        ("110105194912310021", "check_digit"),
        ("11010519491331002X", "birth_date"),
        ("1101051949123100", "format"),
        ("11010519491231002Y", "format"),
    ],
)
def test_it_rejects_invalid_id_numbers(number, reason):
    with pytest.raises(ValidationError) as error:
        validate_id_number(number)
    assert error.value.code == reason
