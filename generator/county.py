"""A region's departments of one year, listed and added up: the figures of the site's index
(one row per department) and the county totals (by 功能分类 类/款, by source, 基本/项目, 三公
by item, 机关运行经费), every sum exact in 元 from the departments' own ledgers.

A department counted twice would double the county's totals, so each department (its code,
else its name) may appear once per region and year: duplicates are reported, naming both
files, and no totals are made for that region and year.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from decimal import Decimal

from .derive import BASIC, CARRIED, CURRENT, PROJECT, Derived
from .model import ZERO, Budget
from .tables import Row, Table
from .vocabulary import SOURCES, THREE_PUBLIC, THREE_PUBLIC_NAMES


@dataclass
class Department:
    """One department's disclosure as the index lists it."""
    path: str  # the budget file
    stem: str  # its outputs are <stem>.html, .pdf, .xlsx, .data/
    budget: Budget
    derived: Derived

    @property
    def key(self) -> tuple:
        code = self.budget.department.get("code")
        return ("code", code) if code else ("name", self.budget.name)

    @cached_property
    def figures(self) -> dict[str, Decimal]:
        """The index's figures (FIGURES), exact 元; read by the index, the totals, the JSON."""
        d = self.derived
        return {
            # the two sides of 收支总表 as it adds them: this year's income and last year's
            # carry-over; basic and project expenditure
            "income": d.total(CURRENT) + d.total(CARRIED),
            "expenditure": d.total(BASIC) + d.total(PROJECT),
            "basic": d.total(BASIC),
            "project": d.total(PROJECT),
            "three_public": d.figures["three_public"]["total"],
            "office_operation": d.figures["office_operation"]["now"],
        }


FIGURES = {"income": "收入合计", "expenditure": "支出合计", "basic": "基本支出", "project": "项目支出",
           "three_public": "“三公”经费", "office_operation": "机关运行经费"}


@dataclass
class Region:
    """The departments of one region (a county) in one year."""
    name: str
    year: int
    departments: list[Department] = field(default_factory=list)

    def duplicates(self) -> list[str]:
        """A message for each department that appears more than once."""
        seen: dict[tuple, list[Department]] = {}
        for department in self.departments:
            seen.setdefault(department.key, []).append(department)
        return [f"{self.name}{self.year}年的{'代码为 ' + key[1] + ' 的' if key[0] == 'code' else ''}"
                f"部门“{same[0].budget.name}”出现了 {len(same)} 次："
                + "、".join(d.path for d in same) + "；汇总时每个部门只能算一次，请删去重复的文件"
                for key, same in seen.items() if len(same) > 1]

    def totals(self) -> dict[str, Decimal]:
        """The index's 合计 row: each figure summed over the departments."""
        sums = {key: ZERO for key in FIGURES}
        for department in self.departments:
            for key, value in department.figures.items():
                sums[key] += value
        return sums

    def tables(self) -> list[Table]:
        """The county totals, as tables of exact 元 (templates round them once)."""
        lines = [line for d in self.departments for line in d.derived.lines]
        names: dict[str, str] = {}
        for d in self.departments:
            names.update(d.budget.function_names)
        return [self._by_department(), self._by_function(lines, names), self._by_source(lines),
                self._three_public(), self._office_operation()]

    def _by_department(self) -> Table:
        rows = [Row("合计", list(self.totals().values()), level=0, kind="total")]
        rows += [Row(d.budget.name, list(d.figures.values()), code=d.budget.department.get("code") or "")
                 for d in self.departments]
        return Table(1, "各部门预算汇总表", list(FIGURES.values()), rows, key="departments")

    @staticmethod
    def _by_function(lines, names: dict[str, str]) -> Table:
        """合计, 基本支出 and 项目支出 by 功能分类 类 and 款."""
        sums: dict[str, list[Decimal]] = {}
        grand = [ZERO, ZERO, ZERO]
        for line in lines:
            for code in (line.function_code[:3], line.function_code[:5]):
                cells = sums.setdefault(code, [ZERO, ZERO, ZERO])
                cells[0] += line.amount
                cells[1 if line.basic else 2] += line.amount
            grand[0] += line.amount
            grand[1 if line.basic else 2] += line.amount
        rows = [Row("合计", grand, level=0, kind="total")]
        rows += [Row(names.get(code, ""), sums[code], code=code, level=1 if len(code) == 3 else 2)
                 for code in sorted(sums) if any(sums[code])]
        return Table(2, "支出功能分类汇总表（类、款）", ["合计", "基本支出", "项目支出"], rows,
                     key="function")

    @staticmethod
    def _by_source(lines) -> Table:
        """Each source: this year's money, last year's carry-over, together."""
        sums = {source: [ZERO, ZERO] for source in ("合计", *SOURCES)}  # [当年, 上年结转]
        for line in lines:
            for key in ("合计", line.source):
                sums[key][1 if line.carryover else 0] += line.amount
        current, carried = sums.pop("合计")
        rows = [Row("合计", [current + carried, current, carried], level=0, kind="total")]
        rows += [Row(source, [current + carried, current, carried])
                 for source, (current, carried) in sums.items() if current or carried]
        return Table(3, "资金来源汇总表", ["合计", "当年预算", "上年结转"], rows, key="sources")

    def _three_public(self) -> Table:
        items = {item: sum((d.derived.figures["three_public"]["items"][item]
                            for d in self.departments), ZERO) for item in THREE_PUBLIC}
        rows = [Row("合计", [sum(items.values(), ZERO)], level=0, kind="total")]
        rows += [Row(THREE_PUBLIC_NAMES[item], [amount]) for item, amount in items.items()]
        return Table(4, "“三公”经费汇总表", ["预算数"], rows, key="three_public")

    def _office_operation(self) -> Table:
        values = [d.figures["office_operation"] for d in self.departments]
        rows = [Row("合计", [sum(values, ZERO)], level=0, kind="total")]
        rows += [Row(d.budget.name, [v]) for d, v in zip(self.departments, values) if v]
        return Table(5, "机关运行经费汇总表", ["预算数"], rows, key="office_operation")


def regions(departments: list[Department]) -> list[Region]:
    """The departments grouped by year and region, newest year first; within a region in the
    order of their codes (the finance bureau's order), those without one after, by name."""
    grouped: dict[tuple, Region] = {}
    for department in sorted(departments, key=lambda d: (d.budget.department.get("code") or "~",
                                                         d.budget.name)):
        b = department.budget
        region = grouped.setdefault((b.year, b.department["region"]),
                                    Region(b.department["region"], b.year))
        region.departments.append(department)
    return sorted(grouped.values(), key=lambda r: (-r.year, r.name))
