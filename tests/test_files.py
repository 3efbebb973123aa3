import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from association.files import validate_upload


def test_it_accepts_a_real_pdf():
    validate_upload(SimpleUploadedFile("申请书.pdf", b"%PDF-1.7\n..."))


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("x.exe", b"MZ", "file_type"),
        ("fake.pdf", b"<html>", "file_content"),
        ("big.png", b"\x89PNG\r\n\x1a\n" + b"0" * (2 * 1024 * 1024), "file_size"),
    ],
)
def test_it_rejects_wrong_type_content_or_size(name, content, code):
    with pytest.raises(ValidationError) as error:
        validate_upload(SimpleUploadedFile(name, content), max_mb=1)
    assert error.value.code == code
