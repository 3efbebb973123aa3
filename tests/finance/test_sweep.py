"""The finance part of the authorization sweep (the project-wide test runs it too)."""

import pytest
from django.urls import reverse

from tests.sweep import Case

from .sweep import CASES


@pytest.mark.parametrize("url_name", sorted(CASES))
def test_it_lets_in_only_the_allowed_personas(url_name, cast, client_for):
    case: Case = CASES[url_name]
    url = reverse(url_name, kwargs=case.make(cast))
    wrong = []
    for persona, user in [("anonymous", None), *cast.items()]:
        response = getattr(client_for(user), case.method)(url, case.data)
        status = response.status_code
        if persona in case.allowed:
            if status not in case.ok:
                wrong.append(f"{persona} should get in but got {status}")
        elif persona == "anonymous":
            if not (
                status == 302 and "/accounts/login/" in response["Location"]
            ) and status not in (403, 404):
                wrong.append(f"anonymous got {status}")
        elif status not in (403, 404):
            wrong.append(f"{persona} should be kept out but got {status}")
    assert not wrong, f"{url_name}: " + "; ".join(wrong)
