"""上海: what the 编制说明 and 其他相关情况说明 need beyond derive.Derived.figures.

The 编制说明 lists every 功能科目 项 paid by 财政拨款 with its amount and the budget's
“主要用于……” sentence; the 其他相关情况说明 explains each “三公” item's change, counts the
administrative units behind 机关运行经费, and lists the vehicles by the standard's categories.
Amounts stay exact Decimal 元; templates round once, for display.
"""
from __future__ import annotations

from ..derive import FISCAL, Derived
from ..model import ZERO, Budget
from ..tables import function_rows
from .common import change_between, change, date_text, reason

# (sub-heading, keys of the “三公” amounts, key of the reason, sub-items) as Shanghai explains them
THREE_PUBLIC = (
    ("因公出国（境）费", ("outbound_travel",), "outbound_travel", ()),
    ("公务用车购置及运行费", ("vehicle_purchase", "vehicle_operation"), "vehicles",
     (("公务用车购置费", ("vehicle_purchase",), "vehicle_purchase"),
      ("公务用车运行费", ("vehicle_operation",), "vehicle_operation"))),
    ("公务接待费", ("reception",), "reception", ()),
)

SECTIONS = [
    ("text-duties", "一、部门主要职能"),
    ("text-organization", "二、部门机构设置"),
    ("text-glossary", "三、名词解释"),
    ("text-explanation", "四、部门预算编制说明"),
    ("part2", "五、部门预算表"),
    ("text-other", "六、其他相关情况说明"),
    ("text-projects", "七、项目经费情况说明"),
]


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

    def entry(name, keys, reason_key):
        now = sum((items.get(k, ZERO) for k in keys), ZERO)
        before = sum((prior.get(k, ZERO) for k in keys), ZERO) if prior else None
        return {"name": name, "change": change_between(now, before) if before is not None else None,
                "now": now, "reason": reason(reasons.get(reason_key))}

    return [{**entry(name, keys, key), "parts": [entry(*part) for part in parts]}
            for name, keys, key, parts in THREE_PUBLIC]


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
    return {
        "sections": SECTIONS,
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
