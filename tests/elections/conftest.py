from tests.governance.conftest import _private_media  # noqa: F401
