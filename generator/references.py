"""Indicator values that restate a total of their own form, derived instead of typed.

A 成本指标 such as 基本支出成本 ≤320.11万元 restates a figure the budget already derives; typed
by hand it goes stale the day 基本支出 changes.  The YAML writes it as a reference to the total
printed on the same form, and the form prints the figure:

    基本支出成本: {≤: 基本支出}          → ≤320.11万元
    成本指标: {资金总额: {≤: 年度资金总额}} → ≤9万元

A reference is a mapping of one comparison sign to one total's name (a mapping, not a
placeholder inside the text, so it also works inside YAML's {…} flow style, where braces in
text would end the value).  The totals a form offers are its own printed totals: the
department form's 资金总额, 基本支出 and 项目支出; a project form's 年度资金总额 and 实施期资金总额.
Figures print in 万元, as the published forms write them, without a trailing .00.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal

from .money import to_wan

ZERO = Decimal(0)
OPERATORS = ("≤", "≥", "<", ">", "=")


def department_totals(figures: dict) -> dict[str, Decimal]:
    """The totals of the 部门整体支出绩效目标申报表 (its 年度预算情况), by the name it prints."""
    perf = figures["performance"]
    return {"资金总额": perf["basic"] + perf["project"], "基本支出": perf["basic"],
            "项目支出": perf["project"]}


def project_totals(project) -> dict[str, Decimal]:
    """The totals of a 项目支出绩效目标表 (its 项目资金 rows), by the name it prints, for a
    model.Project (not imported: the schema, which model's import chain loads, imports this)."""
    funds = (project.performance or {}).get("funds") or {}
    return {"年度资金总额": sum((funds.get("annual") or {}).values(), ZERO),
            "实施期资金总额": sum((funds.get("implementation") or {}).values(), ZERO)}


def is_reference(value) -> bool:
    return isinstance(value, Mapping)


def wan_figure(yuan: Decimal) -> str:
    """"320.11万元", "9万元": 万元 rounded half-up to 2 places, a trailing .00 left out."""
    text = f"{to_wan(yuan)}"
    return (text[:-3] if text.endswith(".00") else text) + "万元"


def value_text(value, totals: dict[str, Decimal]) -> str:
    """An indicator value as printed: text as written, a reference as its figure.  A reference
    to no total of the form (reported by rule indicator-reference) prints as written."""
    if not is_reference(value):
        return str(value)
    (sign, name), = value.items()
    name = str(name)
    return f"{sign}{wan_figure(totals[name])}" if name in totals else f"{sign}{{{name}}}"


def resolved(indicators: dict | None, totals: dict[str, Decimal]) -> dict:
    """The 一级 → 二级 → {三级指标: value} tree with every value as printed text."""
    return {l1: {l2: {str(name): value_text(value, totals) for name, value in (items or {}).items()}
                 for l2, items in (level2 or {}).items()}
            for l1, level2 in (indicators or {}).items()}


def entries(indicators: dict | None):
    """(一级, 二级, 三级指标, value) of every indicator."""
    for l1, level2 in (indicators or {}).items():
        for l2, items in (level2 or {}).items():
            for name, value in (items or {}).items():
                yield l1, l2, name, value


_AMOUNT = re.compile(r"([0-9][0-9,]*(?:\.[0-9]+)?)\s*(万元|元)")


def restated_total(text: str, totals: dict[str, Decimal]) -> tuple[str, str] | None:
    """(written figure, total's name) when a typed indicator value states a total of its form:
    in 万元 as the form rounds it (320.11万元, 9万元), or in exact 元 (90000元, 90,000元)."""
    for match in _AMOUNT.finditer(text):
        number = Decimal(match.group(1).replace(",", ""))
        for name, total in totals.items():
            if not total:
                continue
            if (match.group(2) == "万元" and number == to_wan(total)) or \
                    (match.group(2) == "元" and number == total):
                return match.group(), name
    return None
