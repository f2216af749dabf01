"""上海: the text of the disclosure, part by part, as narrative data (generator.narrative).

部门主要职能, 机构设置 (units counted by kind), 名词解释 (an insert), 编制说明 (every 功能科目 项
paid by 财政拨款 with its amount and the budget's “主要用于……” sentence), the tables (an
insert), 其他相关情况说明 (each “三公” item's change and reason, the administrative units behind
机关运行经费, procurement and its set-asides, performance coverage, vehicles by the standard's
categories) and 项目经费情况说明. Figures are formatted once by the Writer, from exact 元.
"""
from __future__ import annotations

from ..derive import FISCAL, Derived
from ..model import ZERO, Budget
from ..narrative import Section, Writer
from ..money import chinese_number
from ..tables import function_rows
from ..vocabulary import THREE_PUBLIC_REASONS
from .common import change_between, change, date_text, reason

# (sub-heading, key of the reason, sub-items) as Shanghai explains the “三公” items; the
# amounts each reason explains are vocabulary.THREE_PUBLIC_REASONS'
THREE_PUBLIC = (
    ("因公出国（境）费", "outbound_travel", ()),
    ("公务用车购置及运行费", "vehicles",
     (("公务用车购置费", "vehicle_purchase"), ("公务用车运行费", "vehicle_operation"))),
    ("公务接待费", "reception", ()),
)

SECTIONS = {
    "text-duties": "一、部门主要职能",
    "text-organization": "二、部门机构设置",
    "text-glossary": "三、名词解释",
    "text-explanation": "四、部门预算编制说明",
    "part2": "五、部门预算表",
    "text-other": "六、其他相关情况说明",
    "text-projects": "七、项目经费情况说明",
}
KIND_WORDS = {"行政单位": "行政单位", "参公事业单位": "参公单位", "事业单位": "事业单位"}


def purposes(budget: Budget, derived: Derived) -> list[dict]:
    """Every 项 paid by 财政拨款: its 类, 款 and 项 names, amount and purpose sentence."""
    rows = function_rows(budget, [line for line in derived.lines if FISCAL(line)],
                         [lambda line: True])
    names = budget.function_names
    return [{"class": names[row.code[:3]], "kind": names[row.code[:5]], "item": row.name,
             "amount": row.cells[0], "purpose": reason(budget.purposes.get(row.code))}
            for row in rows if row.level == 3]


def _three_public(budget: Budget, figures: dict) -> list[dict]:
    items, prior = figures["items"], figures["prior"]
    reasons = budget.change_reasons.get("three_public_items") or {}

    def entry(name, reason_key):
        keys = THREE_PUBLIC_REASONS[reason_key]
        now = sum((items.get(k, ZERO) for k in keys), ZERO)
        before = sum((prior.get(k, ZERO) for k in keys), ZERO) if prior else None
        return {"name": name, "change": change_between(now, before) if before is not None else None,
                "now": now, "reason": reason(reasons.get(reason_key))}

    return [{**entry(name, key), "parts": [entry(*part) for part in parts]}
            for name, key, parts in THREE_PUBLIC]


def equipment_over_1m(assets: dict) -> int | None:
    """单价100万元（含）以上设备（不含车辆）: as written, or from Shanxi's two counts when they
    settle it (no 通用设备 of 50万元 or more: then only the 专用设备 of 100万元 or more)."""
    if assets.get("equipment_over_1m") is not None:
        return int(assets["equipment_over_1m"])
    general, special = assets.get("general_equipment_over_500k"), assets.get("special_equipment_over_1m")
    if general is not None and int(general) == 0 and special is not None:
        return int(special)
    return None


def context(budget: Budget, derived: Derived) -> dict:
    f = derived.figures
    kinds = [u.kind for u in budget.budget_units]
    three = f["three_public"]
    vehicles = budget.assets["vehicles"]
    planned = budget.assets.get("planned") or {}
    p3 = {
        "units": {"count": len(kinds), "subordinate": len(kinds) - 1,
                  "by_kind": {k: kinds.count(k) for k in ("行政单位", "参公事业单位", "事业单位")}},
        "fiscal_change": change(f["fiscal"]["change"]) if f["fiscal"]["change"]["before"]
        is not None else None,
        "source_changes": {s: change(c) for s, c in f["fiscal"]["source_changes"].items()
                           if c["before"] is not None},
        "office_operation": change(f["office_operation"])
        if f["office_operation"]["before"] is not None else None,
        "reasons": {k: reason(budget.change_reasons.get(k)) for k in ("fiscal", "total")},
        "purposes": purposes(budget, derived),
        "three_public": {"rows": _three_public(budget, three),
                         "total": change_between(three["total"], three["prior_total"])
                         if three["prior"] else None},
        "assets": {
            "as_of": date_text(budget.assets["as_of"]),
            "vehicles": vehicles["by_category"],
            "vehicles_total": sum((int(n) for n in vehicles["by_category"].values()), 0),
            "planned": (planned.get("vehicles") or {}).get("by_category"),
            "planned_total": sum((int(n) for n in ((planned.get("vehicles") or {})
                                                   .get("by_category") or {}).values()), 0),
            "planned_equipment": planned.get("equipment_over_1m"),
            "equipment": equipment_over_1m(budget.assets),
        },
    }
    p3["sections"] = sections(budget, derived, p3)
    return p3


def changed(w: Writer, c, prior: int) -> str:
    """“比2025年预算增加27.45万元” or “与2025年预算持平”."""
    if c.sign == 0:
        return f"与{prior}年预算持平"
    return f"比{prior}年预算{'增加' if c.sign > 0 else '减少'}{w.wan(c.amount)}万元"


def sections(b: Budget, d: Derived, p3: dict) -> list[Section]:
    """The text of the Shanghai disclosure, part by part (五、部门预算表 is the tables)."""
    f, prior, result = d.figures, b.year - 1, []

    def section(ident: str) -> Writer:
        w = Writer(ident, SECTIONS[ident])
        result.append(w.section)
        return w

    w = section("text-duties")
    w.h2(f"{b.name}主要职能")
    w.paragraphs(b.department["duties"])

    w = section("text-organization")
    units = p3["units"]
    w.h2(f"{b.name}机构设置")
    first = b.budget_units[0].name if units["count"] else b.name
    below = f"以及下属{units['subordinate']}家预算单位" if units["subordinate"] else ""
    w.p(f"{b.name}部门预算是包括{first}{below}的综合收支计划。")
    kinds = "，".join(f"{KIND_WORDS[k]}{n}家" for k, n in units["by_kind"].items() if n)
    w.p(f"本部门中，{kinds}，具体包括：")
    for i, unit in enumerate(b.budget_units, 1):
        w.li(f"{i}、{unit.name}")

    section("text-glossary").block("glossary")

    w = section("text-explanation")
    w.h2(f"{b.year}年部门预算编制说明")
    fiscal, shares = f["fiscal"], f["income_shares"]
    fiscal_change = f"，{changed(w, p3['fiscal_change'], prior)}" if p3["fiscal_change"] else ""
    others = sum((shares[s]["amount"] for s in ("上级补助收入", "附属单位上缴收入", "其他收入")), ZERO)
    w.p(f"{b.year}年，{b.name}收入预算{w.wan_grouped(f['total']['now'])}万元，其中：财政拨款收入"
        f"{w.wan_grouped(fiscal['total'])}万元{fiscal_change}；事业收入"
        f"{w.wan_grouped(shares['事业收入']['amount'])}万元；事业单位经营收入"
        f"{w.wan_grouped(shares['事业单位经营收入']['amount'])}万元；其他收入{w.wan_grouped(others)}万元。")
    by_source = []
    for source, label in (("一般公共预算", "一般公共预算拨款"), ("政府性基金预算", "政府性基金拨款"),
                          ("国有资本经营预算", "国有资本经营预算拨款")):
        c = p3["source_changes"].get(source)
        by_source.append(f"{label}支出预算{w.wan_grouped(fiscal['by_source'][source])}万元"
                         + (f"，{changed(w, c, prior)}" if c else ""))
    fiscal_change = f"，{changed(w, p3['fiscal_change'], prior)}" if p3["fiscal_change"] else ""
    w.p(f"支出预算{w.wan_grouped(f['total']['now'])}万元，其中：财政拨款支出预算"
        f"{w.wan_grouped(fiscal['total'])}万元{fiscal_change}。财政拨款支出预算中，"
        + "；".join(by_source) + "。")
    if p3["reasons"]["fiscal"]:
        c = p3["fiscal_change"]
        direction = "增加" if c and c.sign > 0 else "减少" if c and c.sign < 0 else "变动"
        w.p(f"财政拨款收入支出{direction}的主要原因是{p3['reasons']['fiscal']}。")
    if p3["purposes"]:
        w.p("财政拨款支出主要内容如下：")
        for i, item in enumerate(p3["purposes"], 1):
            use = f"，主要用于{item['purpose']}" if item["purpose"] else ""
            w.li(f"{i}.“{item['class']}(类){item['kind']}(款){item['item']}(项)”"
                 f"{w.wan_grouped(item['amount'])}万元{use}。")

    section("part2").block("tables")

    w = section("text-other")
    three = p3["three_public"]
    w.h2(f"一、{b.year}年“三公”经费预算情况说明")
    total = f"，{changed(w, three['total'], prior)}" if three["total"] else ""
    w.p(f"{b.year}年“三公”经费预算数为{w.wan(f['three_public']['total'])}万元{total}。其中：")

    def item_text(item) -> str:
        text = f"{item['name']}{w.wan(item['now'])}万元"
        text += f"，{changed(w, item['change'], prior)}" if item["change"] else ""
        return text + (f"，主要原因是{item['reason']}" if item["reason"] else "")

    for i, row in enumerate(three["rows"], 1):
        parts = "；".join(item_text(part) for part in row["parts"])
        w.p(f"（{chinese_number(i)}）{item_text(row)}" + (f"。其中：{parts}" if parts else "") + "。")
    w.h2("二、机关运行经费预算")
    admin, office = units["by_kind"], p3["office_operation"]
    who = "和".join(filter(None, [f"{admin['行政单位']}家机关" if admin["行政单位"] else "",
                                  f"{admin['参公事业单位']}家参公事业单位" if admin["参公事业单位"] else ""]))
    w.p(f"{b.year}年{b.name}{'下属' + who if who else ''}财政拨款的机关运行经费预算为"
        f"{w.wan(f['office_operation']['now'])}万元" + (f"，{changed(w, office, prior)}" if office else "") + "。")
    w.h2("三、政府采购预算情况")
    pr = f["procurement"]
    w.p(f"{b.year}年本部门政府采购预算{w.wan(pr['total'])}万元，其中：政府采购货物预算{w.wan(pr['goods'])}"
        f"万元、政府采购工程预算{w.wan(pr['works'])}万元、政府采购服务预算{w.wan(pr['services'])}万元。")
    if "sme_reserved" in pr:
        small = (f"，其中，预留给小型和微型企业的政府采购项目预算为{w.wan(pr['small_micro_reserved'])}万元"
                 if "small_micro_reserved" in pr else "")
        w.p(f"{b.year}年本部门面向中小企业预留政府采购项目预算金额{w.wan(pr['sme_reserved'])}万元{small}。")
    w.h2("四、绩效目标设置情况")
    coverage = f["performance"]["coverage"]
    w.p(f"按照本区预算绩效管理工作的总体要求，本部门{units['count']}个预算单位开展了{b.year}年项目预算"
        f"绩效目标编报工作，编报绩效目标的项目{coverage['projects']}个，涉及项目预算资金"
        f"{w.wan(coverage['amount'])}万元。")
    w.h2("五、国有资产占有使用情况")
    assets = p3["assets"]
    vehicles = "、".join(f"{c}{n}辆" for c, n in assets["vehicles"].items())
    equipment = (f"；单价100万元（含）以上设备（不含车辆）{assets['equipment']}台（套）"
                 if assets["equipment"] is not None else "")
    w.p(f"截至{assets['as_of']}，{b.name}共有车辆{assets['vehicles_total']}辆，其中：{vehicles}{equipment}。")
    if assets["planned"] is not None or assets["planned_equipment"] is not None:
        planned = ("，其中：" + "、".join(f"{c}{n}辆" for c, n in assets["planned"].items())
                   if assets["planned"] else "")
        equipment = (f"；部门预算安排购置单价100万元（含）以上设备（不含车辆）{assets['planned_equipment']}台（套）"
                     if assets["planned_equipment"] is not None else "")
        w.p(f"{b.year}年部门预算安排购置车辆{assets['planned_total']}辆{planned}{equipment}。")
    if b.other_notes:
        w.h2("六、其他需要说明的事项")
        w.paragraphs(b.other_notes)

    w = section("text-projects")
    labels = (("overview", "项目概述"), ("basis", "立项依据"), ("implementer", "实施主体"),
              ("plan", "实施方案"), ("period", "实施周期"), ("annual_budget", "年度预算安排"),
              ("performance", "绩效目标"))
    for sheet in b.project_information:
        w.h2(f"{sheet['name']}项目经费情况说明")
        for i, (key, label) in enumerate(((k, v) for k, v in labels if k in sheet), 1):
            w.h3(f"{chinese_number(i)}、{label}")
            w.paragraphs(sheet[key])
    if not b.project_information:
        w.p("本部门没有需要单独说明的项目。")
    return result
