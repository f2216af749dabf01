"""The official classification catalogues under schema/catalogs/, and lookups in them.

Three catalogues, each a flat code → name list whose hierarchy is the code's prefix:
- function: 支出功能分类科目 (类 3 digits, 款 5, 项 7): function.yaml (edition, year, the 类)
  and one file per 类 under function/ with its 款 and 项; a 款 may say it is listed complete
  (`complete`), which budget it belongs to (`budget`: 政府性基金预算 / 国有资本经营预算) and which
  published documents confirmed it (`confirmed`, keys of the file's `sources`)
- economic_department: 部门预算支出经济分类科目 (类 3, 款 5)
- economic_government: 政府预算支出经济分类科目 (类 3, 款 5), with `mapping` from each
  部门 款 to the 政府 款 it falls under, for 机关 and for 事业单位.
schema/catalogs/additions.yaml holds codes a department needs that the catalogue lacks; each
names the document (`basis`) that created it, and an added 部门 款 its 政府 款 (`mapping`).
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache

import yaml

from .findings import ERROR, WARNING, Finding
from .loader import load_file
from .schema import SCHEMA_DIR

CATALOG_DIR = SCHEMA_DIR / "catalogs"
NAMES = ("function", "economic_department", "economic_government")
LEVELS = {3: "类", 5: "款", 7: "项"}


GENERAL_BUDGET = "一般公共预算"
REGISTER = "（如确属新增科目，请在 schema/catalogs/additions.yaml 中补充并注明依据）"


@dataclass(frozen=True)
class Catalog:
    name: str
    edition: str
    codes: dict  # code -> name, in code order
    year: int | None = None  # the year of the edition (function catalogue)
    info: dict = field(default_factory=dict)  # 类/款 code -> {complete, budget, confirmed, note}
    sources: dict = field(default_factory=dict)  # source key -> the published document

    def parents(self, code: str) -> list[str]:
        """The chain from 类 down to `code` itself: "2014001" → ["201", "20140", "2014001"]."""
        return [code[:n] for n in (3, 5, 7) if n <= len(code)]

    def budget_of(self, code: str) -> str:
        """一般公共预算, 政府性基金预算 or 国有资本经营预算: said by the code's 款 or 类."""
        for parent in reversed(self.parents(code)):
            budget = self.info.get(parent, {}).get("budget")
            if budget:
                return budget
        return GENERAL_BUDGET

    def lookup(self, key: str) -> tuple[str, str, str | None, str]:
        """Split "2014001 行政运行" into (code, name) and say what is wrong with it, if anything,
        and how surely: ERROR when the entry contradicts the catalogue, WARNING when it names a
        项 the catalogue may simply lack (its 款 is not marked complete)."""
        code, _, name = str(key).strip().partition(" ")
        name = name.strip()
        if not code.isdigit() or not name:
            return code, name, f"“{key}”应写成“科目编码 科目名称”，例如“2014001 行政运行”", ERROR
        official = self.codes.get(code)
        if official is None:
            return (code, name, *self._unlisted(code, name))
        if official != name:
            return (code, name, f"科目 {code} 的名称应为“{official}”，不是“{name}”"
                    + self._named(code, name), ERROR)
        return code, name, None, ERROR

    def _unlisted(self, code: str, name: str) -> tuple[str, str]:
        """(problem, severity) of a code the catalogue does not list."""
        missing = f"科目编码 {code} 不在{self.edition}中"
        named = self._named(code, name)  # the name belongs to some other 项: a mistyped code
        parent = code[:-2]
        if len(code) != 7 or parent not in self.codes:
            above = next((p for p in self.parents(code)[:-1] if p not in self.codes), None)
            where = f"：它的{LEVELS[len(above)]} {above} 也不在目录中" if above else ""
            return missing + where + REGISTER + named, ERROR
        section = f"{parent} {self.codes[parent]}"
        siblings = [c for c in self.codes if len(c) == 7 and c.startswith(parent)]
        twin = next((c for c in siblings if self.codes[c] == name), None)
        if twin:  # the name of another 项 of this 款: a mistyped code
            return f"{missing}；“{name}”是 {twin} 的名称（{section}）", ERROR
        if self.info.get(parent, {}).get("complete"):
            return (f"{missing}：{section} 款下的 {len(siblings)} 个项已全部收录，其中没有它"
                    + REGISTER + named, ERROR)
        if named:
            return missing + named, ERROR
        return (f"科目编码 {code}（{name}）不在{self.edition}中：{section} 款下的项目录尚未收全"
                f"（已收录 {len(siblings)} 个），公开表按所写的名称印出。请核对编码和名称；"
                "如确有此项，请在 schema/catalogs/additions.yaml 登记并注明设立文件，此警告即消失", WARNING)

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


# libyaml's safe loader: the catalogue is ~2,000 entries, read on every check (4x faster)
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read(name: str) -> dict:
    with open(CATALOG_DIR / f"{name}.yaml", encoding="utf-8") as f:
        return yaml.load(f, Loader=_LOADER) or {}  # our own files, not user input


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


def _function_parts(data: dict) -> tuple[dict, dict, dict]:
    """(codes, info, sources) of the function catalogue: function.yaml's codes and those of
    its per-类 files function/<类>.yaml, where a 类 or 款 may be a mapping with attributes."""
    codes = {str(code): str(name) for code, name in (data.get("codes") or {}).items()}
    info, sources = {}, {}
    for path in sorted((CATALOG_DIR / "function").glob("*.yaml")):
        with open(path, encoding="utf-8") as f:
            part = yaml.load(f, Loader=_LOADER) or {}  # our own files, not user input
        sources.update(part.get("sources") or {})
        entries = {**{part["class"]["code"]: part["class"]}, **(part.get("codes") or {})}
        for code, entry in entries.items():
            if isinstance(entry, dict):
                codes[str(code)] = str(entry["name"])
                info[str(code)] = {k: v for k, v in entry.items() if k not in ("name", "code")}
            else:
                codes[str(code)] = str(entry)
    return codes, info, sources


@lru_cache(maxsize=1)
def load_catalogs() -> Catalogs:
    data = {name: _read(name) for name in NAMES}
    official = {name: {str(code): str(entry) for code, entry in data[name]["codes"].items()}
                for name in NAMES if name != "function"}
    official["function"], info, sources = _function_parts(data["function"])
    added, added_mapping = _additions(official)
    catalogs = {name: Catalog(name, str(data[name]["edition"]),
                              dict(sorted({**official[name], **added[name]}.items())))
                for name in NAMES}
    # a 款 registered locally has exactly the 项 registered with it: its list is complete
    info.update((code, {"complete": True}) for code in added["function"] if len(code) == 5)
    catalogs["function"] = replace(catalogs["function"], year=data["function"].get("year"),
                                   info=info, sources=sources)
    mapping = {str(k): {side: str(v) for side, v in sides.items()}
               for k, sides in data["economic_government"].get("mapping", {}).items()}
    return Catalogs(mapping={**mapping, **added_mapping}, **catalogs)


# ---- looking codes up (`budget catalog QUERY`) ------------------------------------------------

@dataclass(frozen=True)
class Match:
    code: str
    name: str
    level: str  # 类, 款 or 项
    path: list[tuple[str, str]]  # (code, name) of its parents, 类 first
    budget: str  # 一般公共预算 / 政府性基金预算 / 国有资本经营预算 (function), or the catalogue
    status: str  # how sure: confirmed against which documents, or from the edition's pattern
    mapping: dict = field(default_factory=dict)  # 部门经济款: {机关: 政府款, 事业单位: 政府款}


def _status(catalog: Catalog, code: str) -> str:
    """How sure the entry is: its 款 (or 类) confirmed against which published documents, or
    written from the edition's pattern.  A confirmed 款 vouches for its own code and name and
    the 项 those documents print, not necessarily for every 项 under it."""
    if catalog.name != "function":
        return ""
    for parent in reversed(catalog.parents(code)):
        keys = catalog.info.get(parent, {}).get("confirmed")
        if keys:
            sources = "；".join(str(catalog.sources.get(k, k)) for k in keys)
            return (f"已核对：{sources}" if parent == code
                    else f"所在的{LEVELS[len(parent)]} {parent} 已核对（{sources}），本项未必逐一核对")
    return "按科目体例整理，未与公开文件核对"


def search(query: str, economic: bool = False) -> list[Match]:
    """Codes that start with each number of `query` and whose name and parents' names hold
    each of its words: `budget catalog 图书馆`, `… 20701`, `… 文化 行政运行`, `… 201 行政`."""
    catalogs = load_catalogs()
    chosen = [catalogs.economic_department, catalogs.economic_government] if economic \
        else [catalogs.function]
    prefixes = [w for w in query.split() if w.isdigit()]
    words = [w for w in query.split() if not w.isdigit()]
    matches = []
    for catalog in chosen:
        for code, name in catalog.codes.items():
            path = [(p, catalog.codes.get(p, "")) for p in catalog.parents(code)[:-1]]
            text = " ".join(n for _, n in path) + " " + name
            if not (all(code.startswith(p) for p in prefixes) and all(w in text for w in words)):
                continue
            matches.append(Match(
                code, name, LEVELS.get(len(code), "?"), path,
                catalog.budget_of(code) if catalog.name == "function" else KINDS[catalog.name],
                _status(catalog, code), _mapping(catalogs, catalog.name, code)))
    return matches


KINDS = {"economic_department": "部门预算支出经济分类", "economic_government": "政府预算支出经济分类"}


def _mapping(catalogs: Catalogs, name: str, code: str) -> dict:
    """部门 款 → {机关: 政府 款, 事业单位: 政府 款}; 政府 款 → the 部门 款 that fall under it."""
    if name == "economic_department":
        return catalogs.mapping.get(code, {})
    if name == "economic_government" and len(code) == 5:
        found = {}
        for department, sides in catalogs.mapping.items():
            for side, government in sides.items():
                if government == code:
                    found.setdefault(f"{side}的", []).append(department)
        return {side: "、".join(codes) for side, codes in found.items()}
    return {}
