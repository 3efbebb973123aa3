from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    PROVINCE = "province", _("省")
    CITY = "city", _("市")
    COUNTY = "county", _("县（市、区）")
    TOWNSHIP = "township", _("乡镇（街道）")


class Kind(models.TextChoices):
    STREET = "街道", _("街道")
    TOWN = "镇", _("镇")
    TOWNSHIP = "乡", _("乡")
    # The other township-level kinds of the Ministry's table (乡级区划：区公所、镇、乡、苏木、街道).
    ETHNIC_TOWNSHIP = "民族乡", _("民族乡")
    SUMU = "苏木", _("苏木")
    ETHNIC_SUMU = "民族苏木", _("民族苏木")
    DISTRICT_OFFICE = "区公所", _("区公所")
    DISTRICT = "区", _("市辖区")
    COUNTY = "县", _("县")
    CITY = "市", _("市")
    BANNER = "旗", _("旗")
    ZONE = "功能区", _("功能区")
    OTHER = "其他", _("其他")


# Kinds of a township (乡镇级), as the loader accepts them in the kind column.
TOWNSHIP_KINDS = frozenset(
    {
        Kind.STREET,
        Kind.TOWN,
        Kind.TOWNSHIP,
        Kind.ETHNIC_TOWNSHIP,
        Kind.SUMU,
        Kind.ETHNIC_SUMU,
        Kind.DISTRICT_OFFICE,
        Kind.ZONE,
        Kind.OTHER,
    }
)
