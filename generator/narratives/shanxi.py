"""山西: the text of 第一部分 and 第三部分 as narrative data, and the layout of the 绩效目标表.

The sections are written by `part1` and `sections` with a Writer (generator.narrative), from
derive.Derived's figures; this module also rearranges figures for the templates so that they
stay free of arithmetic: the direction and size of a change (the words 增长/减少 are chosen by
`sign`), the 类 names without their 一、 numbering, the rows (and rowspans) of the indicator
tables with every standard 二级指标, the 资金总额 of a project form, the staff counts of the
department form, the vehicle count and the date text. Every amount stays an exact Decimal 元;
it is rounded once, for display.
"""
from __future__ import annotations

from decimal import Decimal

from ..chart import bar_chart
from ..derive import Derived
from ..model import ZERO, Budget, Project
from ..vocabulary import (ADMINISTRATIVE_KINDS, PROJECT_CATEGORIES, PROJECT_FUND_ROWS,
                         THREE_PUBLIC_NAMES)
from ..money import percent
from ..narrative import Section, Writer
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
    p3 = {
        "total": change(f["total"]),
        "general": change(f["general"]),
        "office_operation": change(f["office_operation"]),
        "has_administrative": any(u.kind in ADMINISTRATIVE_KINDS for u in budget.units),
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
            # rowspan of the 年度重点任务 label: one header row above the listed tasks
            "key_tasks_span": len(budget.performance.get("key_tasks") or []) + 1,
        },
        "project_forms": [project_form(p, n) for n, p in enumerate(budget.projects(), 1)],
        "assets": {
            "as_of": date_text(budget.assets["as_of"]),
            "vehicles_actual": sum((int(n) for n in vehicles["by_category"].values()), 0),
        },
        "purchased_services_total": sum((s["amount"] for s in budget.purchased_services), ZERO),
    }
    p3["part1"], p3["part3"] = part1(budget), sections(budget, derived, p3)
    p3["sections"] = p3["part1"] + p3["part3"]
    return p3


# ---- 第三部分's text ----------------------------------------------------------------------

INCOME_LABELS = {"一般公共预算": "一般公共预算拨款收入", "政府性基金预算": "政府性基金预算拨款收入",
                 "国有资本经营预算": "国有资本经营预算拨款收入", "财政专户管理资金": "财政专户管理资金收入",
                 "单位资金": "单位资金", "上年结转": "上年结转"}


def changed(w: Writer, c, since: str, up="增加", down="减少", up_pct="增长", down_pct="下降") -> str:
    """A change against a prior figure: “比上年增长71.65万元，增长15.19%”, “比上年减少…，
    下降…%”, “与上年持平”; `since` is the prior period (“上年”, “2025年”)."""
    if c.sign == 0:
        return f"与{since}持平"
    text = f"比{since}{up if c.sign > 0 else down}{w.wan(c.amount)}万元，"
    if c.percent is None:
        return text + f"{since}预算数为0，不计算{'增幅' if c.sign > 0 else '降幅'}"
    return text + f"{up_pct if c.sign > 0 else down_pct}{w.pct(c.percent)}"


def class_list(w: Writer, items, sep: str) -> str:
    """“一般公共服务支出444.90万元、社会保障和就业支出56.96万元…等” from (name, amount) pairs."""
    return sep.join(f"{name}{w.wan(amount)}万元" for name, amount in items) + "等"


def because(text: str, lead: str = "，主要原因是") -> str:
    return f"{lead}{text}" if text else ""


def join_and(items: list[str]) -> str:
    """“综合科、督查督办一科和信访接待科”."""
    return "、".join(items[:-1]) + "和" + items[-1] if len(items) > 1 else "".join(items)


def part1(b: Budget) -> list[Section]:
    """第一部分 概况: 本部门职责, and 机构设置 (one sentence per unit, from its kind, staff by
    category and the internal divisions)."""
    duties = Writer("part1-duties", "一、本部门职责", part="第一部分")
    duties.paragraphs(b.department["duties"])
    units = Writer("part1-organization", "二、机构设置情况", part="第一部分")
    if len(b.budget_units) > 1:
        units.p(f"{b.name}部门预算由{len(b.budget_units)}个预算单位组成："
                + "、".join(f"{u.name}（{u.kind}）" for u in b.budget_units) + "。")
    divisions = b.department.get("internal_divisions")
    for i, u in enumerate(b.budget_units):
        parts = [f"{category}{count}人" for category, count in u.staff.on_post.items()]
        parts += [f"其他人员{u.staff.other}人"] if u.staff.other else []
        detail = "：其中" + "，".join(parts) if parts else ""  # no categories: no "其中"
        inside = f"单位内设：{join_and(divisions)}。" if i == 0 and divisions else ""
        units.p(f"{u.name}为{u.kind}，现有在职人员{u.staff.total + u.staff.other}人{detail}。{inside}")
    return [duties.section, units.section]


def sections(b: Budget, d: Derived, p3: dict) -> list[Section]:
    """第三部分 情况说明, section by section, as the seed publishes it."""
    f, titles, who = d.figures, dict(SECTIONS), f"{b.year}年度{b.name}"
    result = []

    def section(ident: str, css_class: str = "") -> Writer:
        w = Writer(ident, titles[ident], css_class, part="第三部分")
        result.append(w.section)
        return w

    w = section("part3-1")
    total = changed(w, p3["total"], "上年", up="增长")
    reason_total = because(p3["reasons"]["total"])
    w.p(f"{who}预算收入总计{w.wan(f['total']['now'])}万元，其中：本年收入{w.wan(f['current'])}万元，"
        f"上年结转{w.wan(f['carryover'])}万元，{total}{reason_total}；"
        f"本年部门预算支出总计{w.wan(f['total']['now'])}万元，其中：本年预算安排{w.wan(f['current'])}万元，"
        f"上年结转{w.wan(f['carryover'])}万元，{changed(w, p3['total'], '上年', up='增长')}{reason_total}。")

    w = section("part3-2")
    shares = "；".join(f"{label}{w.wan(f['income_shares'][s]['amount'])}万元，"
                      f"占{w.pct(f['income_shares'][s]['percent'])}" for s, label in INCOME_LABELS.items())
    w.p(f"{who}预算收入{w.wan(f['total']['now'])}万元，主要包括{shares}。")

    w = section("part3-3")
    shares = "；".join(f"{kind}{w.wan(share['amount'])}万元，占{w.pct(share['percent'])}"
                      for kind, share in f["expenditure_shares"].items())
    w.p(f"{who}支出预算{w.wan(f['total']['now'])}万元，其中：{shares}。")

    w = section("part3-4")
    fiscal = f["fiscal"]
    by_source = "，".join(f"{s}拨款{w.wan(a)}万元" for s, a in fiscal["by_source"].items())
    classes = f"支出包括：{class_list(w, p3['fiscal_classes'], '、')}。" if p3["fiscal_classes"] else ""
    w.p(f"{who}财政拨款收支总预算{w.wan(fiscal['total'])}万元。其中：{by_source}。其中：当年拨款收入"
        f"{w.wan(fiscal['current'])}万元，上年结转收入{w.wan(fiscal['carryover'])}万元。{classes}")

    w = section("part3-5")
    w.h3("（一）一般公共预算当年支出规模变化情况")
    w.p(f"{who}一般公共预算当年支出{w.wan(f['general']['now'])}万元，"
        f"{changed(w, p3['general'], '上年', up_pct='增长')}{because(p3['reasons']['general_budget'])}。")
    w.h3("（二）一般公共预算当年支出结构情况")
    uses = f"，主要用于以下方面：{class_list(w, p3['general_classes'], '；')}" if p3["general_classes"] else ""
    w.p(f"{who}一般公共预算当年支出{w.wan(f['general']['now'])}万元{uses}。")
    if p3["general_classes"]:  # the chart's words and figures are text too (SVG <text>)
        bars = bar_chart(f["general_by_class"])["bars"]
        w.block("chart", "一般公共预算当年拨款结构图" + "".join(
            f"{bar['name']}{w.wan(bar['amount'])}万元{w.pct(bar['percent'])}" for bar in bars))

    w = section("part3-6")
    basic = f["general_basic"]
    w.p(f"{who}一般公共预算安排基本支出{w.wan(basic['total'])}万元，其中：")
    items = f"，主要包括：{'、'.join(basic['personnel_items'])}等" if basic["personnel_items"] else ""
    w.p(f"人员经费{w.wan(basic['personnel'])}万元{items}；")
    items = f"，主要包括：{'、'.join(basic['public_items'])}等" if basic["public_items"] else ""
    w.p(f"公用经费{w.wan(basic['public'])}万元{items}。")

    w = section("part3-7")
    three = f["three_public"]
    if not three["total"] and not three["prior_total"]:
        w.p("本部门无“三公”经费预算。")
    else:
        rows = p3["three_public"]
        w.p(f"{who}“三公”经费财政拨款预算{w.wan(rows['total'].now)}万元，"
            f"{changed(w, rows['total'], '上年')}{because(p3['reasons']['three_public'])}。")
        parts = []
        for item in rows["rows"]:
            text = f"{item['name']}{w.wan(item['change'].now)}万元，{changed(w, item['change'], '上年')}"
            if item["parts"]:
                text += "（其中：" + "；".join(
                    f"{part['name']}{w.wan(part['change'].now)}万元，{changed(w, part['change'], '上年')}"
                    for part in item["parts"]) + "）"
            parts.append(text)
        w.p("其中：" + "；".join(parts) + "。")

    w = section("part3-8")
    if p3["has_administrative"]:
        since = f"{b.year - 1}年"
        w.p(f"本部门{b.year}年机关运行经费财政拨款预算{w.wan(f['office_operation']['now'])}万元，"
            f"{changed(w, p3['office_operation'], since, up_pct='增加', down_pct='减少')}"
            f"{because(p3['reasons']['office_operation'], '，原因是：')}。")
    else:
        w.p("本部门无机关运行经费：所属单位均不是行政单位或参照公务员法管理的事业单位。")

    w = section("part3-9")
    pr = f["procurement"]
    if pr["total"]:
        w.p(f"{b.year}年{b.name}政府采购预算总额{w.wan(pr['total'])}万元。其中：政府采购货物预算"
            f"{w.wan(pr['goods'])}万元、政府采购工程预算{w.wan(pr['works'])}万元、政府采购服务预算"
            f"{w.wan(pr['services'])}万元。")
    else:
        w.p(f"{b.year}年{b.name}无政府采购预算。")

    w = section("part3-10")
    perf = f["performance"]
    w.h3("1、整体绩效目标")
    w.p(f"{b.year}年编报部门整体支出绩效目标，涉及部门预算资金{w.wan(perf['total'])}万元，其中基本支出"
        f"{w.wan(perf['basic'])}万元，项目支出{w.wan(perf['project'])}万元；机关及下属预算单位"
        f"{perf['units']}个，其中{perf['units']}个单位（包括机关）编报了单位整体绩效目标，涉及资金"
        f"{w.wan(perf['total'])}万元。")
    w.h3("2、项目绩效目标")
    if perf["projects"]:
        by_category = p3["performance"]["by_category"]
        share = p3["performance"]["disclosed_share"]
        first = "；".join(f"{c}项目{n}个，涉及金额{w.wan(a)}万元" for c, n, a in by_category)
        amount = w.wan(perf["projects_amount"])
        share_text = "100%" if share == 100 else w.pct(share)
        second = "；".join(f"{c}项目{n}个，涉及项目金额{w.wan(a)}万元" for c, n, a in by_category)
        w.p(f"{b.year}年{b.name}纳入绩效目标管理的二级项目{perf['projects']}个，共计金额"
            f"{w.wan(perf['projects_amount'])}万元。其中：{first}。公开项目绩效目标{perf['projects']}个，"
            f"涉及项目金额{amount}万元，占部门（单位）项目支出总额的{share_text}。其中：{second}。")
        w.block("forms_link", "（项目绩效目标表公开情况见附件）")
    else:
        w.p(f"{b.year}年{b.name}无纳入绩效目标管理的项目。")
    w.block("department_form")
    if p3["project_forms"]:
        w.block("project_forms")

    w = section("part3-11", "assets")
    as_of, vehicles = p3["assets"]["as_of"], b.assets["vehicles"]
    w.h3("1、车辆情况：")
    categories = "，".join(f"{c}{n}辆" for c, n in vehicles["by_category"].items())
    w.p(f"截至{as_of}，{b.name}共有公务用车编制{vehicles['authorized']}辆，实有"
        f"{p3['assets']['vehicles_actual']}辆，其中：{categories}。")
    w.h3("2、房屋情况：")
    w.p(f"截至{as_of}，{b.name}使用的办公用房建筑总面积{b.assets['office_area']}平方米。")
    w.h3("3、其他国有资产占有使用情况：")
    w.p(f"截至{as_of}，{b.name}占有使用价值50万元（原值）以上的通用设备"
        f"{b.assets['general_equipment_over_500k']}台（套）；{b.name}占有使用价值100万元（原值）以上的"
        f"专用设备{b.assets['special_equipment_over_1m']}台（套）。")

    w = section("part3-12")
    w.h3("（一）政府购买服务指导性目录")
    if b.purchased_services:
        w.p(f"{b.year}年{b.name}纳入政府购买服务指导性目录的项目{len(b.purchased_services)}个，预算金额"
            f"{w.wan(p3['purchased_services_total'])}万元：")
        w.block("purchased_services")
    else:
        w.p("本单位无政府购买服务指导性目录。")
    w.h3("（二）其他")
    if b.other_notes:
        w.paragraphs(b.other_notes)
    else:
        w.p("本单位无其他需要说明的事项。")
    return result
