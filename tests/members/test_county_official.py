"""The members overview counts the association's whole area (its members by county among
them): an official limited to a county gets neither the page (tests/test_authz_sweep.py
walks it) nor its menu entry, as the member-register report is not in their catalogue."""

from association.accounts.services import user_set_region
from members.navigation import portal_nav
from members.permissions import can_view_overview
from tests.members.factories import township


def test_a_county_official_has_no_members_overview_in_the_menu(cast):
    entries = [str(item.label) for item in portal_nav(cast.official)]
    assert can_view_overview(cast.official) and "会员概况" in entries
    user_set_region(user=cast.official, region=township("颍川街道", "禹州市").parent, by=cast.staff)
    assert not can_view_overview(cast.official)
    assert "会员概况" not in [str(item.label) for item in portal_nav(cast.official)]
