"""The programmes and practice bases are the association's whole area's: an official limited
to a county gets neither the pages (tests/test_authz_sweep.py walks them) nor their menu
entry, as the project-outcomes report is not in their catalogue."""

from association.accounts.services import user_set_region
from projects.navigation import portal_nav
from projects.permissions import can_see_aggregates
from tests.members.factories import township


def test_a_county_official_has_no_programmes_in_the_menu(cast):
    entries = [str(item.label) for item in portal_nav(cast.official)]
    assert can_see_aggregates(cast.official) and "公益计划" in entries
    user_set_region(user=cast.official, region=township("颍川街道", "禹州市").parent, by=cast.staff)
    assert not can_see_aggregates(cast.official)
    assert [str(item.label) for item in portal_nav(cast.official)] == []
