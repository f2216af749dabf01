"""山西: what the templates of 第三部分 need beyond derive.Derived.figures: layout and signs.

derive.py computes the figures; this module only rearranges them for the narrative and the
绩效目标表 so that the templates stay free of arithmetic: the direction and size of a change
(the words 增长/减少 are chosen by `sign`), the 类 names without their 一、 numbering, the
rows (and rowspans) of the indicator tables with every standard 二级指标, the 资金总额 of a
project form, the staff counts of the department form, the vehicle count and the date text.
Every amount stays an exact Decimal 元; templates round once, for display.
"""
from __future__ import annotations

from decimal import Decimal

from ..derive import Derived
from ..model import ZERO, Budget, Project
from ..vocabulary import (ADMINISTRATIVE_KINDS, PROJECT_CATEGORIES, PROJECT_FUND_ROWS,
                         THREE_PUBLIC_NAMES)
from ..money import percent
from .common import change_between, change, date_text, reason
from ..references import department_totals, project_totals, resolved

# The standard 一级 and 二级 indicators of every 绩效目标表, in the form's order; each 二级
# row is printed even when nothing was entered under it, as the published forms do.
INDICATOR_LEVELS = (
    ("产出指标", ("数量指标", "质量指标", "时效指标", "成本指标")),
    ("效益指标", ("经济效益", "社会效益", "生态效益", "可持续影响")),
    ("满意度指标", ("服务对象满意度",)),
)

# “三公”经费 items as the narrative groups them: label, keys of the entered amounts, sub-items.
THREE_PUBLIC = (
    (THREE_PUBLIC_NAMES["outbound_travel"], ("outbound_travel",), ()),
    (THREE_PUBLIC_NAMES["reception"], ("reception",), ()),
    ("公务用车购置及运行费", ("vehicle_purchase", "vehicle_operation"),
     tuple((THREE_PUBLIC_NAMES[k], (k,)) for k in ("vehicle_purchase", "vehicle_operation"))),
)


# 第三部分's sections: (anchor id, title) for the 目录 and the section headings.
SECTIONS = [
    ("part3-1", "一、部门预算收支数据变动情况及原因"),
    ("part3-2", "二、收入预算情况说明"),
    ("part3-3", "三、支出预算情况说明"),
    ("part3-4", "四、财政拨款收支预算总体情况说明"),
    ("part3-5", "五、一般公共预算支出情况说明"),
    ("part3-6", "六、一般公共预算基本支出情况说明"),
    ("part3-7", "七、“三公”经费增减变动原因说明"),
    ("part3-8", "八、机关运行经费增减变动原因说明"),
    ("part3-9", "九、政府采购情况"),
    ("part3-10", "十、绩效管理情况"),
    ("part3-11", "十一、国有资产占有使用情况"),
    ("part3-12", "十二、其他说明"),
]


def class_amounts(rows) -> list[tuple[str, Decimal]]:
    """(name, amount) of 类 rows (derive.Row named “一、一般公共服务支出”), without numbering."""
    return [(row.name.split("、", 1)[-1], row.cells[0]) for row in rows]


def indicator_rows(*tables: dict | None) -> list[dict]:
    """The rows of an indicator table with one or more sides (实施期, 年度) side by side.

    Each row: level1 / level1_span (on the first row of its 一级指标, else None), level2 /
    level2_span (on the first row of its 二级指标), cells: one (三级指标, 指标值) per side, ("", "")
    where a side has fewer entries. Every standard 二级指标 gets at least one row."""
    rows: list[dict] = []
    for level1, level2s in INDICATOR_LEVELS:
        group: list[dict] = []
        for level2 in level2s:
            sides = [list((((t or {}).get(level1) or {}).get(level2) or {}).items())
                     for t in tables]
            count = max([len(s) for s in sides] + [1])
            for i in range(count):
                group.append({
                    "level1": None, "level1_span": 0,
                    "level2": level2 if i == 0 else None, "level2_span": count,
                    "cells": [(str(s[i][0]), str(s[i][1])) if i < len(s) else ("", "")
                              for s in sides],
                })
        group[0]["level1"], group[0]["level1_span"] = level1, len(group)
        rows += group
    return rows


def project_form(project: Project, number: int) -> dict:
    """The computed parts of the `number`-th 项目支出绩效目标表 (its anchor is project-<number>);
    the entered text is project.performance."""
    perf = project.performance or {}
    funds = perf.get("funds") or {}
    implementation, annual = funds.get("implementation") or {}, funds.get("annual") or {}
    totals = project_totals(project)  # what a reference such as {≤: 年度资金总额} prints
    indicators = indicator_rows(
        *(resolved((perf.get("indicators") or {}).get(period), totals)
          for period in ("implementation", "annual")))
    return {
        "number": number,
        "project": project,
        "performance": perf,
        "implementing_unit": perf.get("implementing_unit") or project.unit,
        "funds_total": {"implementation": sum(implementation.values(), ZERO),
                        "annual": sum(annual.values(), ZERO)},
        # (label, 实施期, 年度); None (printed blank) where nothing was entered, as 其他资金
        "funds": [(label, implementation.get(key), annual.get(key))
                  for key, label in PROJECT_FUND_ROWS],
        "indicators": indicators,
        # rowspan of the form's 绩效指标 label: its two header rows and the indicator rows
        "indicators_span": len(indicators) + 2,
        "sign_off": perf.get("sign_off") or {},
    }


def _three_public(figures: dict) -> list[dict]:
    items, prior = figures["items"], figures["prior"]

    def total(mapping, keys):
        return sum((mapping.get(k, ZERO) for k in keys), ZERO)

    return [{"name": name,
             "change": change_between(total(items, keys), total(prior, keys)),
             "parts": [{"name": sub, "change": change_between(total(items, k), total(prior, k))}
                       for sub, k in parts]}
            for name, keys, parts in THREE_PUBLIC]


def context(budget: Budget, derived: Derived) -> dict:
    """Everything templates/shanxi/parts/part3.html.j2 needs besides b, f and t (passed as `p3`)."""
    f = derived.figures
    perf = f["performance"]
    by_category = [(c, *perf["by_category"][c]) for c in PROJECT_CATEGORIES
                   if c in perf["by_category"]]
    by_category += [(c, *v) for c, v in perf["by_category"].items()
                    if c not in PROJECT_CATEGORIES]
    vehicles = budget.assets["vehicles"]
    shares = f["income_shares"]
    staff = [u.staff for u in budget.budget_units if u.staff] or [budget.staff]
    indicators = indicator_rows(resolved(budget.performance.get("indicators"),
                                         department_totals(f)))
    on_post = sum((s.total for s in staff), 0)
    other = sum((s.other for s in staff), 0)
    return {
        "total": change(f["total"]),
        "general": change(f["general"]),
        "office_operation": change(f["office_operation"]),
        "has_administrative": any(u.kind in ADMINISTRATIVE_KINDS for u in budget.units),
        "sections": SECTIONS,
        # every reason the narrative can cite, "" when none was given
        "reasons": {k: reason(budget.change_reasons.get(k))
                    for k in ("total", "general_budget", "office_operation", "three_public")},
        "fiscal_classes": class_amounts(f["fiscal"]["by_class"]),
        "general_classes": class_amounts(f["general_by_class"]),
        "three_public": {"rows": _three_public(f["three_public"]),
                         "total": change_between(f["three_public"]["total"],
                                          f["three_public"]["prior_total"])},
        "performance": {
            "by_category": by_category,  # [(category, count, amount)]
            "disclosed_share": percent(perf["projects_amount"], perf["project"]),
        },
        "department_form": {
            "subordinate_units": len(budget.budget_units) - 1,  # 所属预算单位: besides the 机关
            "staff_authorized": sum((s.authorized for s in staff), 0),
            "staff_total": on_post + other,
            "staff_on_post": on_post,
            "staff_other": other,
            # 年度预算情况 below its 合计 row: (按资金来源划分, amount, 按资金方向划分, amount),
            # 当年 money only; the form's own list of sources; None where the side has no row
            "budget_rows": [(label, amount, *direction) for (label, amount), direction in zip(
                [("一般公共预算资金", shares["一般公共预算"]["amount"]),
                 ("政府性基金预算资金", shares["政府性基金预算"]["amount"]),
                 ("国有资本经营预算资金", shares["国有资本经营预算"]["amount"]),
                 ("社会保险基金预算资金", ZERO),
                 ("专户管理资金", shares["财政专户管理资金"]["amount"]),
                 ("单位资金", shares["单位资金"]["amount"])],
                [("基本支出", perf["basic"]), ("项目支出", perf["project"])] + [(None, None)] * 4)],
            "indicators": indicators,
            # rowspans of the form's labels: one header row above the listed rows
            "indicators_span": len(indicators) + 1,
            "key_tasks_span": len(budget.performance.get("key_tasks") or []) + 1,
        },
        "project_forms": [project_form(p, n) for n, p in enumerate(budget.projects(), 1)],
        "assets": {
            "as_of": date_text(budget.assets["as_of"]),
            "vehicles_actual": sum((int(n) for n in vehicles["by_category"].values()), 0),
        },
        "purchased_services_total": sum((s["amount"] for s in budget.purchased_services), ZERO),
    }
