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
    DISTRICT = "区", _("市辖区")
    COUNTY = "县", _("县")
    CITY = "市", _("市")
    ZONE = "功能区", _("功能区")
    OTHER = "其他", _("其他")
