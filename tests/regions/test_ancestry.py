"""The regions' ancestry (``Region.ancestry``: the codes of a region's ancestors and its
own), kept by the database: whatever writes, moves or recodes a region, each region's
ancestry is the path of codes its parents give, and the area filters and breakdown keys
read from it select what the region tree says."""

import pytest
from django.db.models import Count

from association.regions.choices import Level
from association.regions.models import Region, area_key

pytestmark = pytest.mark.django_db


def region(code, level, parent=None, name=None):
    return Region.objects.create(
        code=code, name=name or code, level=level, parent=parent, source="测试"
    )


@pytest.fixture
def tree():
    """A province with an ordinary city (a county and its townships), a 东莞-type city
    (townships directly under it), a county-level city directly under the province (济源),
    and a municipality with no parent (重庆)."""
    province = region("410000", Level.PROVINCE)
    city = region("411000", Level.CITY, province)
    county = region("411002", Level.COUNTY, city)
    other_county = region("411003", Level.COUNTY, city)
    flat_city = region("441900", Level.CITY, province)
    jiyuan = region("419001", Level.COUNTY, province)
    municipality = region("500000", Level.CITY)
    m_county = region("500101", Level.COUNTY, municipality)
    townships = [
        region("411002001000", Level.TOWNSHIP, county),
        region("411002002000", Level.TOWNSHIP, county),
        region("411003001000", Level.TOWNSHIP, other_county),
        region("441900003000", Level.TOWNSHIP, flat_city),
        region("419001001000", Level.TOWNSHIP, jiyuan),
        region("500101001000", Level.TOWNSHIP, m_county),
    ]
    return {
        "province": province,
        "city": city,
        "county": county,
        "other_county": other_county,
        "flat_city": flat_city,
        "jiyuan": jiyuan,
        "municipality": municipality,
        "townships": townships,
    }


def walked() -> dict[int, list[str]]:
    """Each region's ancestry as the tree gives it, walked in Python."""
    regions = {r.pk: r for r in Region.objects.all()}
    result = {}
    for pk, r in regions.items():
        path = []
        while r is not None:
            path.insert(0, r.code)
            r = regions.get(r.parent_id)
        result[pk] = path
    return result


def kept() -> dict[int, list[str]]:
    return dict(Region.objects.values_list("pk", "ancestry"))


def test_regions_written_one_by_one_take_their_ancestry(tree):
    assert kept() == walked()
    township = Region.objects.get(code="411002001000")
    assert township.ancestry == ["410000", "411000", "411002", "411002001000"]
    assert Region.objects.get(code="500000").ancestry == ["500000"]


def test_regions_written_in_bulk_level_by_level_take_their_ancestry():
    (province,) = Region.objects.bulk_create(
        [Region(code="410000", name="河南省", level=Level.PROVINCE, source="测试")]
    )
    cities = Region.objects.bulk_create(
        Region(code=code, name=code, level=Level.CITY, parent=province, source="测试")
        for code in ("411000", "411100")
    )
    Region.objects.bulk_create(
        Region(code=f"{city.code[:4]}02", name="区", level=Level.COUNTY, parent=city, source="测试")
        for city in cities
    )
    assert kept() == walked()
    assert len(kept()) == 5


def test_an_ancestry_written_by_hand_is_put_right(tree):
    Region.objects.filter(pk=tree["county"].pk).update(ancestry=["999999"])
    assert kept() == walked()


def test_a_county_moved_to_another_city_takes_its_townships_along(tree):
    Region.objects.filter(pk=tree["county"].pk).update(parent=tree["flat_city"])
    assert kept() == walked()
    assert Region.objects.get(code="411002002000").ancestry[:2] == ["410000", "441900"]


def test_a_city_saved_with_a_new_parent_passes_it_on_to_every_level_below(tree):
    province = region("420000", Level.PROVINCE)
    city = tree["city"]
    city.parent = province
    city.save()  # the admin's way: every column written, the stale ancestry with them
    assert kept() == walked()
    assert Region.objects.get(code="411003001000").ancestry[0] == "420000"


def test_a_corrected_code_reaches_every_level_below(tree):
    Region.objects.filter(pk=tree["province"].pk).update(code="410000000000")
    assert kept() == walked()
    assert {a[0] for pk, a in kept().items() if pk != tree["municipality"].pk} >= {"410000000000"}


def test_the_ancestry_rewritten_below_a_move_is_no_event_of_the_regions_below(tree):
    events = Region.pgh_event_model.objects.values_list("pgh_obj_id").annotate(n=Count("pk"))
    before = dict(events.order_by())
    Region.objects.filter(pk=tree["county"].pk).update(parent=tree["flat_city"])
    after = dict(events.order_by())
    changed = {pk for pk, n in after.items() if n != before.get(pk)}
    assert changed == {tree["county"].pk}


def below_by_tree(root) -> set[int]:
    """The root and everything below it, by the parents (the old four ``OR``s)."""
    regions = {r.pk: r for r in Region.objects.all()}
    result = set()
    for pk, r in regions.items():
        while r is not None:
            if r.pk == root.pk:
                result.add(pk)
                break
            r = regions.get(r.parent_id)
    return result


def test_within_and_below_select_what_the_tree_says(tree):
    for root in Region.objects.all():
        expected = below_by_tree(root)
        assert set(Region.objects.within(root).values_list("pk", flat=True)) == expected
        below = Region.objects.below(Region.objects.filter(pk=root.pk))
        assert set(below.values_list("pk", flat=True)) == expected


def test_the_association_area_is_its_code_forms_and_below(tree, settings):
    settings.ASSOCIATION_REGION = "411000000000"  # the 12-digit form of a loaded 411000
    area = set(Region.objects.association_area().values_list("pk", flat=True))
    assert area == below_by_tree(tree["city"])
    settings.ASSOCIATION_REGION = ""
    assert not Region.objects.association_area().exists()


def child_of_root_by_tree(region, root) -> str | None:
    regions = {r.pk: r for r in Region.objects.all()}
    path = []
    while region is not None:
        path.insert(0, region)
        region = regions.get(region.parent_id)
    codes = [r.code for r in path]
    return codes[codes.index(root.code) + 1] if root.code in codes[:-1] else None


@pytest.mark.parametrize("root", ["province", "city", "county", "flat_city", "jiyuan"])
def test_a_breakdowns_key_is_the_area_right_below_its_root(tree, root):
    root = tree[root]
    townships = Region.objects.within(root).filter(level=Level.TOWNSHIP)
    keys = dict(townships.annotate(area=area_key([root.code], prefix="")).values_list("pk", "area"))
    assert keys
    for township in townships:
        assert keys[township.pk] == child_of_root_by_tree(township, root)


def test_a_breakdowns_key_reads_whichever_code_form_is_loaded(tree):
    townships = Region.objects.within(tree["city"]).filter(level=Level.TOWNSHIP)
    keys = townships.annotate(area=area_key(["411000000", "411000", "411000000000"], prefix=""))
    assert set(keys.values_list("area", flat=True)) == {"411002", "411003"}


def test_a_small_area_is_read_from_the_index(tree):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = Region.objects.within(tree["county"]).values("pk").query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "regions_region_ancestry" in plan
