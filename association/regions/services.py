"""Loading division codes from the Ministry's table (CSV), all or nothing."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from association.spreadsheets import check_spreadsheet
from association.sql import checked_per_statement, copy_insert

from .choices import TOWNSHIP_KINDS, Kind, Level
from .models import Region

COLUMNS = ["code", "name", "county_code", "county_name", "city_code", "city_name", "kind"]
# The kind column: the Ministry's township kinds (Kind), and the longer names some tables use.
KIND_ALIASES = {"街道办事处": Kind.STREET, "办事处": Kind.STREET, "民族镇": Kind.TOWN}
# The province-level divisions of GB/T 2260 (省级行政区), by the first two digits of a code:
# the loader puts every city of the file under its province, made from this table when it
# is not there yet (the Ministry's township table has no province column).
PROVINCES = {
    "11": "北京市",
    "12": "天津市",
    "13": "河北省",
    "14": "山西省",
    "15": "内蒙古自治区",
    "21": "辽宁省",
    "22": "吉林省",
    "23": "黑龙江省",
    "31": "上海市",
    "32": "江苏省",
    "33": "浙江省",
    "34": "安徽省",
    "35": "福建省",
    "36": "江西省",
    "37": "山东省",
    "41": "河南省",
    "42": "湖北省",
    "43": "湖南省",
    "44": "广东省",
    "45": "广西壮族自治区",
    "46": "海南省",
    "50": "重庆市",
    "51": "四川省",
    "52": "贵州省",
    "53": "云南省",
    "54": "西藏自治区",
    "61": "陕西省",
    "62": "甘肃省",
    "63": "青海省",
    "64": "宁夏回族自治区",
    "65": "新疆维吾尔自治区",
    "71": "台湾省",
    "81": "香港特别行政区",
    "82": "澳门特别行政区",
}
PROVINCE_SOURCE = "GB/T 2260"  # the ``source`` of a province the loader made
# Municipalities (直辖市): their districts and counties stand directly under them. The
# Ministry's older tables put them under 市辖区 (XX0100) or 县 (XX0200). A municipality is
# one region, of city level with no parent (its code, 110000, is also the province's):
# the loader makes no province above it.
MUNICIPALITIES = {prefix: PROVINCES[prefix] for prefix in ("11", "12", "31", "50")}
# The national table has about 41,000 townships (2.5 MB); a province's, a few thousand.
MAX_ROWS = 100_000
MAX_COLS = 20
MAX_MB = 20


class RegionFileError(Exception):
    """The file is not loadable; ``errors`` lists every bad line."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    renamed: list[str] = field(default_factory=list)
    unchanged: int = 0
    # The provinces made above the file's cities (not rows of the file: not counted above).
    provinces: list[str] = field(default_factory=list)


def _county_kind(name: str) -> str:
    for suffix, kind in (
        ("区", Kind.DISTRICT),
        ("县", Kind.COUNTY),
        ("市", Kind.CITY),
        ("旗", Kind.BANNER),
    ):
        if name.endswith(suffix):
            return kind
    return Kind.ZONE


def township_kind(value: str, name: str) -> str | None:
    """The kind column's value as a :class:`Kind`, or (when the column is empty) the kind
    the name's suffix says; None when neither is a township kind."""
    value = KIND_ALIASES.get(value, value)
    if value:
        return value if value in TOWNSHIP_KINDS else None
    for kind in (Kind.ETHNIC_TOWNSHIP, Kind.ETHNIC_SUMU, Kind.SUMU, Kind.DISTRICT_OFFICE):
        if name.endswith(kind.value):
            return kind
    for kind in (Kind.STREET, Kind.TOWN, Kind.TOWNSHIP):
        if name.endswith(kind.value):
            return kind
    return None


def _municipality(row: dict) -> None:
    """A municipality's district or county: the city columns name the municipality itself
    (北京市 110000 and 重庆市 500000), not 市辖区 (500100) or 县 (500200)."""
    prefix = row["city_code"][:2]
    if (
        prefix in MUNICIPALITIES
        and re.fullmatch(r"\d{2}0[0-2]00", row["city_code"])
        and row["city_name"] in {"市辖区", "县", MUNICIPALITIES[prefix]}
    ):
        row["city_code"], row["city_name"] = f"{prefix}0000", MUNICIPALITIES[prefix]


def check_region_file(source) -> None:
    """Raise :class:`RegionFileError` unless ``source`` (CSV text, bytes or a binary file)
    is within the size, row and column limits; checked before any row is read."""
    try:
        check_spreadsheet(
            source, kind="csv", max_rows=MAX_ROWS + 1, max_cols=MAX_COLS, max_mb=MAX_MB
        )
    except ValidationError as error:
        raise RegionFileError(error.messages) from error


def parse_region_rows(text: str) -> dict[str, dict]:
    """Validate the CSV and return the regions it describes, keyed by code.

    Raises :class:`RegionFileError` naming every bad line; nothing is partially kept.
    """
    check_region_file(text)
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames is None or [f.strip() for f in reader.fieldnames] != COLUMNS:
        raise RegionFileError([_("表头应为：%(columns)s") % {"columns": ",".join(COLUMNS)}])
    errors: list[str] = []
    regions: dict[str, dict] = {}
    seen_lines: dict[str, int] = {}
    # Translated once a file, not once a row (three lookups a row were a third of a
    # 40,000-row reload's time).
    required = (("name", _("乡镇名称")), ("county_name", _("县名称")), ("city_name", _("市名称")))

    def put(code, name, level, kind, parent, line):
        known = regions.get(code)
        if known is None:
            regions[code] = {
                "code": code,
                "name": name,
                "level": level,
                "kind": kind,
                "parent": parent,
            }
        elif known["name"] != name or known["level"] != level:
            errors.append(
                _("第 %(line)d 行：代码 %(code)s 与前文的“%(other)s”不一致（此处为“%(name)s”）。")
                % {"line": line, "code": code, "other": known["name"], "name": name}
            )

    for line, row in enumerate(reader, start=2):
        row = {key.strip(): (value or "").strip() for key, value in row.items() if key}
        problems = []
        _municipality(row)
        # A county-level city under the province directly (省直辖县级市, e.g. 济源市), or a
        # municipality's district loaded without it, has no city columns: it stands at
        # city level itself.
        direct = not row["city_code"] and not row["city_name"]
        # A city with no county level (东莞、中山、儋州、嘉峪关): its townships stand
        # directly under it; the county columns are empty or repeat the city.
        no_county = bool(row["city_code"]) and (
            (not row["county_code"] and not row["county_name"])
            or row["county_code"] == row["city_code"]
        )
        if no_county:
            row["county_code"], row["county_name"] = row["city_code"], row["city_name"]
        municipality = row["city_code"][:2] in MUNICIPALITIES and row["city_code"].endswith("0000")
        if not direct and not re.fullmatch(r"\d{6}", row["city_code"]):
            problems.append(_("市级代码应为6位数字"))
        if not re.fullmatch(r"\d{6}", row["county_code"]):
            problems.append(_("县级代码应为6位数字"))
        elif row["city_code"] and not row["county_code"].startswith(
            row["city_code"][: 2 if municipality else 4]
        ):
            problems.append(_("县级代码不属于该市"))
        if not re.fullmatch(r"\d{9}|\d{12}", row["code"]):
            problems.append(_("乡镇代码应为9位或12位数字"))
        elif row["county_code"] and not row["code"].startswith(row["county_code"]):
            problems.append(_("乡镇代码不属于该县"))
        for column, label in required:
            if not row[column] and not (direct and column == "city_name"):
                problems.append(_("%(column)s为空") % {"column": label})
        kind = township_kind(row["kind"], row["name"])
        if kind is None:
            problems.append(
                _("类别“%(kind)s”无效，应为 街道、镇、乡、民族乡、苏木、民族苏木、区公所 或 其他")
                % {"kind": row["kind"]}
            )
        row["kind"] = kind
        if row["code"] in seen_lines:
            problems.append(_("代码与第 %(other)d 行重复") % {"other": seen_lines[row["code"]]})
        if problems:
            errors.append(
                _("第 %(line)d 行：%(problems)s。") % {"line": line, "problems": ";".join(problems)}
            )
            continue
        seen_lines[row["code"]] = line
        if direct or no_county:
            put(row["county_code"], row["county_name"], Level.CITY, Kind.CITY, None, line)
        else:
            put(row["city_code"], row["city_name"], Level.CITY, Kind.CITY, None, line)
            put(
                row["county_code"],
                row["county_name"],
                Level.COUNTY,
                _county_kind(row["county_name"]),
                row["city_code"],
                line,
            )
        put(row["code"], row["name"], Level.TOWNSHIP, row["kind"], row["county_code"], line)
    if not regions and not errors:
        errors.append(_("文件中没有数据行。"))
    if errors:
        raise RegionFileError(errors)
    return regions


WRITE_BATCH = 2_000


def _provinces_of(rows, existing: dict, report: LoadReport) -> dict[str, Region]:
    """The provinces of the file's top-level cities, by their codes' first two digits:
    those already there (of any code form, 410000 or 410000000000, made by an earlier
    load or by hand), and those made now from :data:`PROVINCES` (reported in
    ``report.provinces``). None for a municipality, which is its own province, or for a
    code outside GB/T 2260's provinces."""
    provinces = {p.code[:2]: p for p in Region.objects.filter(level=Level.PROVINCE)}
    wanted = {
        data["code"][:2]
        for data in rows
        if data["level"] == Level.CITY
        and not data["parent"]
        # a city that has a parent keeps it: no province is made for it
        and not (data["code"] in existing and existing[data["code"]].parent_id)
    }
    missing = sorted(
        prefix
        for prefix in wanted - provinces.keys()
        if prefix in PROVINCES and prefix not in MUNICIPALITIES
    )
    # A code taken by another level is not a province's: leave those cities at the top.
    taken = set(
        Region.objects.filter(code__in=[f"{prefix}0000" for prefix in missing]).values_list(
            "code", flat=True
        )
    )
    new = [
        Region(
            code=f"{prefix}0000",
            name=PROVINCES[prefix],
            level=Level.PROVINCE,
            kind=Kind.OTHER,
            source=PROVINCE_SOURCE,
        )
        for prefix in missing
        if f"{prefix}0000" not in taken
    ]
    for province in Region.objects.bulk_create(new):
        provinces[province.code[:2]] = province
        report.provinces.append(f"{province.code} {province.name}")
    return provinces


@transaction.atomic
def regions_load(text: str, *, source: str) -> LoadReport:
    """Create or update the regions of the CSV ``text``; idempotent; all or nothing.

    Written level by level (cities, then counties, then townships, so that every parent
    has its id): the new regions of a level with ``COPY`` (:func:`copy_insert`, as
    ``bulk_create`` would put them), the renamed ones in one ``bulk_update``, the
    unchanged ones not written at all. The national table (about 41,000 rows) is a few
    dozen statements instead of one ``INSERT`` a row; the database's triggers (the
    ancestry, the audit) still run for every row written. (``bulk_create`` compiled the
    ancestry array's placeholder once a row: a third of a national first load.) Foreign
    keys are checked per statement (:func:`checked_per_statement`: a queue of deferred
    checks made each trigger's call slower as the load went on)."""
    rows = parse_region_rows(text)
    report = LoadReport()
    # The ancestry is the database's to write (Region.ancestry): not read back, 42,000
    # arrays parsed for nothing on the national table.
    existing = {
        r.code: r
        for r in Region.objects.select_for_update().defer("ancestry").filter(code__in=rows)
    }
    order = {Level.CITY: 0, Level.COUNTY: 1, Level.TOWNSHIP: 2}
    by_level: dict[int, list[dict]] = {}
    for data in sorted(rows.values(), key=lambda d: (order[d["level"]], d["code"])):
        by_level.setdefault(order[data["level"]], []).append(data)
    # The file has no province column: a city goes under its province (made from the
    # code's first two digits when it is not there), and keeps the parent it has.
    provinces = _provinces_of(rows.values(), existing, report)
    with checked_per_statement():
        _write_levels(by_level, existing, provinces, report, source)
    return report


def _write_levels(by_level, existing, provinces, report: LoadReport, source: str) -> None:
    now = timezone.now()
    for level in sorted(by_level):
        new: list[Region] = []
        changed: list[Region] = []
        for data in by_level[level]:
            region = existing.get(data["code"])
            if data["parent"]:
                parent = existing[data["parent"]]
            elif region is not None and region.parent_id:
                parent = Region(pk=region.parent_id)
            else:
                parent = provinces.get(data["code"][:2])
            if region is None:
                new.append(
                    Region(
                        code=data["code"],
                        name=data["name"],
                        level=data["level"],
                        kind=data["kind"],
                        parent=parent,
                        source=source,
                    )
                )
                report.created.append(f"{data['code']} {data['name']}")
            elif (region.name, region.kind, region.parent_id) != (
                data["name"],
                data["kind"],
                parent.pk if parent else None,
            ):
                report.renamed.append(f"{region.code} {region.name} → {data['name']}")
                region.name = data["name"]
                region.kind = data["kind"]
                region.parent = parent
                region.source = source
                region.updated_at = now
                changed.append(region)
            else:
                report.unchanged += 1
        copy_insert(Region, new)
        for region in new:
            existing[region.code] = region
        Region.objects.bulk_update(
            changed, ["name", "kind", "parent", "source", "updated_at"], batch_size=WRITE_BATCH
        )
