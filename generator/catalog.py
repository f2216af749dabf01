"""The official classification catalogues under schema/catalogs/, and lookups in them.

Three catalogues, each a flat code → name list whose hierarchy is the code's prefix:
- function: 支出功能分类科目 (类 3 digits, 款 5, 项 7)
- economic_department: 部门预算支出经济分类科目 (类 3, 款 5)
- economic_government: 政府预算支出经济分类科目 (类 3, 款 5), with `mapping` from each
  部门 款 to the 政府 款 it falls under, for 机关 and for 事业单位.
schema/catalogs/additions.yaml holds codes a department needs that the catalogue lacks; each
names the document (`basis`) that created it, and an added 部门 款 its 政府 款 (`mapping`).
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cached_property, lru_cache

import yaml

from .findings import ERROR, Finding
from .loader import load_file
from .schema import SCHEMA_DIR

CATALOG_DIR = SCHEMA_DIR / "catalogs"
NAMES = ("function", "economic_department", "economic_government")
LEVELS = {3: "类", 5: "款", 7: "项"}


@dataclass(frozen=True)
class Catalog:
    name: str
    edition: str
    codes: dict  # code -> name, in code order

    def parents(self, code: str) -> list[str]:
        """The chain from 类 down to `code` itself: "2014001" → ["201", "20140", "2014001"]."""
        return [code[:n] for n in (3, 5, 7) if n <= len(code)]

    def lookup(self, key: str) -> tuple[str, str, str | None]:
        """Split "2014001 行政运行" into (code, name) and say what is wrong with it, if anything."""
        code, _, name = str(key).strip().partition(" ")
        name = name.strip()
        if not code.isdigit() or not name:
            return code, name, f"“{key}”应写成“科目编码 科目名称”，例如“2014001 行政运行”"
        official = self.codes.get(code)
        if official is None:
            return code, name, (f"科目编码 {code} 不在{self.edition}中"
                                "（如确属新增科目，请在 schema/catalogs/additions.yaml 中补充并注明依据）"
                                + self._named(code, name))
        if official != name:
            return code, name, f"科目 {code} 的名称应为“{official}”，不是“{name}”" + self._named(code, name)
        return code, name, None

    @cached_property
    def _by_name(self) -> dict:
        by_name = {}
        for code, name in self.codes.items():
            by_name.setdefault(name, []).append(code)
        return by_name

    def _named(self, code: str, name: str) -> str:
        """Where the name that was written belongs, when it is some other code's of the same
        level (a 项 put under the wrong 款): "；“信访业务”是 2014004 的名称（20140 信访事务）"."""
        others = [c for c in self._by_name.get(name, ()) if len(c) == len(code) != 3]
        if not 1 <= len(others) <= 3:  # 行政运行 is the name of dozens of 项
            return ""
        return "；" + "、".join(f"“{name}”是 {c} 的名称（{c[:-2]} {self.codes.get(c[:-2], '')}）"
                               for c in others)


@dataclass(frozen=True)
class Catalogs:
    function: Catalog
    economic_department: Catalog
    economic_government: Catalog
    mapping: dict  # 部门 款 -> {"机关": 政府 款, "事业单位": 政府 款}

    def government_for(self, department_code: str, unit_kind: str) -> str | None:
        side = "事业单位" if unit_kind == "事业单位" else "机关"
        return self.mapping.get(department_code, {}).get(side)

    def allowed_government(self, department_code: str) -> set[str]:
        return set(self.mapping.get(department_code, {}).values())


def _read(name: str) -> dict:
    with open(CATALOG_DIR / f"{name}.yaml", encoding="utf-8") as f:
        return yaml.safe_load(f) or {}  # our own files, not user input


class CatalogError(Exception):
    """schema/catalogs/additions.yaml is wrong; carries located findings."""

    def __init__(self, findings):
        super().__init__("; ".join(f.text() for f in findings))
        self.findings = findings


def _additions(official: dict) -> tuple[dict, dict]:
    """The user's added codes per catalogue and the mapping of added 部门 款, checked.

    additions.yaml is edited by budget officers, so it is read like a budget file (located
    findings, no traceback) and each entry must name its `basis`."""
    path = os.path.relpath(CATALOG_DIR / "additions.yaml")
    doc = load_file(path)
    findings, added, mapping = [], {n: {} for n in NAMES}, {}

    def problem(keys, message):
        findings.append(Finding(doc.where_key(*keys), ERROR, "catalog-additions", message))

    for name in NAMES:
        entries = doc.data.get(name) or {}
        if not isinstance(entries, dict):
            problem((name,), f"{name} 应为“编码: {{name: …, basis: …}}”的映射")
            continue
        digits = (3, 5, 7) if name == "function" else (3, 5)
        for code, entry in entries.items():
            keys = (name, code)
            if not (code.isdigit() and len(code) in digits):
                problem(keys, f"编码“{code}”应为 {'、'.join(map(str, digits))} 位数字")
            elif code in official[name]:
                problem(keys, f"{code} 已在官方目录中（{official[name][code]}），不能重复添加")
            elif not isinstance(entry, dict) or not entry.get("name") or not entry.get("basis"):
                problem(keys, f"{code} 须写成 {{name: 科目名称, basis: 设立该科目的文件}}")
            elif len(code) > 3 and code[:len(code) - 2] not in official[name] \
                    and code[:len(code) - 2] not in entries:
                problem(keys, f"{code} 的上级科目 {code[:len(code) - 2]} 不在目录中：请一并补充")
            else:
                added[name][code] = str(entry["name"])
                if name == "economic_department" and len(code) == 5:
                    sides = entry.get("mapping")
                    if not isinstance(sides, dict) or set(sides) != {"机关", "事业单位"}:
                        problem(keys, f"部门经济科目 {code} 须给出 mapping: {{机关: 政府经济科目, 事业单位: 政府经济科目}}")
                    else:
                        mapping[code] = {side: str(gov) for side, gov in sides.items()}
    government = {**official["economic_government"], **added["economic_government"]}
    for code, sides in mapping.items():
        for side, gov in sides.items():
            if gov not in government:
                problem(("economic_department", code), f"{code} 的 mapping {side}: {gov} 不是政府经济科目")
    if findings:
        raise CatalogError(findings)
    return added, mapping


@lru_cache(maxsize=1)
def load_catalogs() -> Catalogs:
    data = {name: _read(name) for name in NAMES}
    official = {name: {str(code): str(entry) for code, entry in data[name]["codes"].items()}
                for name in NAMES}
    added, added_mapping = _additions(official)
    catalogs = {name: Catalog(name, str(data[name]["edition"]),
                              dict(sorted({**official[name], **added[name]}.items())))
                for name in NAMES}
    mapping = {str(k): {side: str(v) for side, v in sides.items()}
               for k, sides in data["economic_government"].get("mapping", {}).items()}
    return Catalogs(mapping={**mapping, **added_mapping}, **catalogs)
