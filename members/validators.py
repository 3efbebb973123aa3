"""Check digits of the identity numbers the association records.

- Unified social credit code (统一社会信用代码), GB 32100-2015: 18 characters from a
  31-character alphabet; the 18th is a check character over the first 17.
- Resident identity number (公民身份号码), GB 11643-1999: 17 digits, then a check
  character (ISO 7064 MOD 11-2, ``X`` for 10); digits 7-14 are the date of birth.
"""

from __future__ import annotations

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
CREDIT_CODE_RE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
ID_RE = re.compile(r"^\d{17}[\dX]$")


def credit_code_check_char(first17: str) -> str:
    total = sum(
        CREDIT_CODE_ALPHABET.index(c) * w for c, w in zip(first17, CREDIT_CODE_WEIGHTS, strict=True)
    )
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def normalise_credit_code(value: str) -> str:
    return (value or "").strip().upper()


def validate_credit_code(value: str) -> None:
    code = normalise_credit_code(value)
    if len(code) != 18:
        raise ValidationError(
            _("统一社会信用代码应为18位，当前为%(n)d位。"), params={"n": len(code)}, code="length"
        )
    if not CREDIT_CODE_RE.match(code):
        raise ValidationError(
            _("统一社会信用代码含有不允许的字符（不使用 I、O、Z、S、V）。"), code="charset"
        )
    if credit_code_check_char(code[:17]) != code[17]:
        raise ValidationError(_("统一社会信用代码校验位不正确，请核对。"), code="check_digit")


def id_check_char(first17: str) -> str:
    total = sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK[total % 11]


def normalise_id_number(value: str) -> str:
    return (value or "").strip().upper()


def id_birth_date(value: str) -> datetime.date | None:
    try:
        return datetime.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return None


def validate_id_number(value: str) -> None:
    number = normalise_id_number(value)
    if not ID_RE.match(number):
        raise ValidationError(_("公民身份号码应为18位：17位数字加1位数字或X。"), code="format")
    birth = id_birth_date(number)
    if birth is None or birth.year < 1900 or birth > datetime.date.today():
        raise ValidationError(_("公民身份号码中的出生日期无效。"), code="birth_date")
    if id_check_char(number[:17]) != number[17]:
        raise ValidationError(_("公民身份号码校验位不正确，请核对。"), code="check_digit")
