"""The official classification catalogues under schema/catalogs/, and lookups in them.

Three catalogues, each a flat code → name list whose hierarchy is the code's prefix:
- function: 支出功能分类科目 (类 3 digits, 款 5, 项 7)
- economic_department: 部门预算支出经济分类科目 (类 3, 款 5)
- economic_government: 政府预算支出经济分类科目 (类 3, 款 5), with `mapping` from each
  部门 款 to the 政府 款 it falls under, for 机关 and for 事业单位.
schema/catalogs/additions.yaml holds codes a department needs that the catalogue lacks; each
names the document (`basis`) that created it.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import yaml

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
                                "（如确属新增科目，请在 schema/catalogs/additions.yaml 中补充并注明依据）")
        if official != name:
            return code, name, f"科目 {code} 的名称应为“{official}”，不是“{name}”"
        return code, name, None


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


@lru_cache(maxsize=1)
def load_catalogs() -> Catalogs:
    additions = _read("additions")
    catalogs = {}
    for name in NAMES:
        data = _read(name)
        codes = {str(code): str(entry) for code, entry in data["codes"].items()}
        for code, entry in (additions.get(name) or {}).items():
            if str(code) in codes:
                raise ValueError(f"additions.yaml: {name} {code} 已在官方目录中，不能重复添加")
            codes[str(code)] = str(entry["name"])
        catalogs[name] = Catalog(name, str(data["edition"]), dict(sorted(codes.items())))
    mapping = {str(k): {side: str(v) for side, v in sides.items()}
               for k, sides in _read("economic_government").get("mapping", {}).items()}
    return Catalogs(mapping=mapping, **catalogs)
