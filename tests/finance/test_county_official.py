"""The association's finances are the whole area's: an official limited to a county gets
neither the statements (tests/test_authz_sweep.py walks the pages) nor their menu entry."""

from association.accounts.services import user_set_region
from association.finance.navigation import portal_nav
from association.finance.permissions import can_see_statements
from tests.members.factories import township


def test_a_county_official_has_no_statements_in_the_menu(cast):
    entries = [str(item.label) for item in portal_nav(cast.official)]
    assert can_see_statements(cast.official) and "财务报表" in entries
    user_set_region(user=cast.official, region=township("颍川街道", "禹州市").parent, by=cast.staff)
    assert not can_see_statements(cast.official)
    assert "财务报表" not in [str(item.label) for item in portal_nav(cast.official)]
