"""The budget's arithmetic and consistency rules.

Each rule has a stable id, a severity and a Chinese description (listed in docs/规则.md);
it yields findings whose message names the table or row and both figures.  Rules only read
the typed budget and its derived figures: they never change them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Callable, Iterator

from .derive import Derived
from .findings import ERROR, WARNING, Cell, Finding
from .model import ZERO, Budget
from .money import control_interval, to_wan, yuan_text
from .references import (OPERATORS, department_totals, entries, is_reference, project_totals,
                         restated_total)
from .profiles import available, load_profile
from .tables import sources
from .vocabulary import (ADMINISTRATIVE_KINDS, FISCAL_SOURCES, GENERAL, THREE_PUBLIC_ECONOMIC,
                         THREE_PUBLIC_NAMES, THREE_PUBLIC_REASONS)


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str
    description: str
    # yields (location, message), or (location, message, cells): the table cells compared
    check: Callable[[Budget, Derived], Iterator[tuple]]


RULES: list[Rule] = []


def rule(rule_id: str, severity: str, description: str):
    def register(check):
        RULES.append(Rule(rule_id, severity, description, check))
        return check
    return register


def _with_form(b: Budget) -> list:
    """The projects that have a 绩效目标表."""
    return [p for p in b.projects() if p.performance]


def _differ(a: Decimal, b: Decimal) -> str:
    return f"相差 {yuan_text(abs(a - b))}"


def _cells(d: Derived, *cells: tuple[str, str, str]) -> tuple[Cell, ...]:
    """The cells (table key, row, column) in the budget's profile, leaving out the tables it
    does not have."""
    return tuple(Cell(d.profile.table(key).number, row, column)
                 for key, row, column in cells if d.profile.table(key))


def _tables(d: Derived, *keys: str) -> str:
    """“表三、表五” in Shanxi, “表3、表5” in Shanghai: the tables of these keys the profile has."""
    return "、".join(d.profile.label(d.profile.table(k).number) for k in keys if d.profile.table(k))


def _basic_cells(d: Derived, source: str) -> tuple[Cell, ...]:
    """Where a unit's 基本支出 of `source` adds up: the 支出总表, and for 一般公共预算 its
    function and economic tables, for 政府性基金预算 its function table."""
    cells = [("expenditure", "合计", "基本支出")]
    if source == "一般公共预算":
        cells += [("general_function", "合计", "基本支出"), ("general_economic", "合计", "合计")]
    elif source == "政府性基金预算":
        cells.append(("fund_function", "合计", "基本支出"))
    return _cells(d, *cells)


@rule("basic-function-economic", ERROR,
      "每个单位、每个资金来源的基本支出：按支出功能分类的合计 = 按经济分类的合计（支出总表、一般公共预算支出表与基本支出经济分类表）")
def _basic_balance(b: Budget, d: Derived):
    for unit in b.units:
        for source, block in unit.basic.items():
            by_function = sum((e.amount for e in block.by_function), ZERO)
            by_economic = sum((e.amount for e in block.by_economic), ZERO)
            if by_function != by_economic:
                yield block.where_economic, (
                    f"{unit.name}{source}基本支出：按经济分类合计 {yuan_text(by_economic)}"
                    f"（{_tables(d, 'general_economic')}），按支出功能分类合计 {yuan_text(by_function)}"
                    f"（{_tables(d, 'expenditure', 'general_function')}），{_differ(by_function, by_economic)}"
                ), _basic_cells(d, source)


@rule("project-performance-funds", ERROR,
      "项目绩效目标表的年度资金总额（元）= 项目预算金额（项目支出预算表）")
def _project_funds(b: Budget, d: Derived):
    for p in _with_form(b):
        annual = sum(p.performance["funds"]["annual"].values(), ZERO)
        if annual != p.total:
            yield b.doc.where(*p.path, "performance", "funds", "annual"), (
                f"项目“{p.name}”：绩效目标表年度资金总额 {yuan_text(annual)}，"
                f"项目预算{yuan_text(p.total)}，{_differ(annual, p.total)}"
            ), _cells(d, ("projects", p.name, "合计"))


@rule("project-period-funds", ERROR, "项目绩效目标表：实施期资金总额 ≥ 年度资金总额；项目期为 1 年时两者相等")
def _project_period(b: Budget, d: Derived):
    for p in _with_form(b):
        funds = p.performance["funds"]
        whole = sum(funds["implementation"].values(), ZERO)
        annual = sum(funds["annual"].values(), ZERO)
        if whole < annual:
            yield b.doc.where(*p.path, "performance", "funds", "implementation"), (
                f"项目“{p.name}”：实施期资金总额 {yuan_text(whole)} 小于年度资金总额 {yuan_text(annual)}")
        if int(p.performance["period_years"]) == 1 and whole != annual:  # "01" too
            yield b.doc.where(*p.path, "performance", "funds", "implementation"), (
                f"项目“{p.name}”：项目期 1 年，实施期资金总额 {yuan_text(whole)} "
                f"应等于年度资金总额 {yuan_text(annual)}")


@rule("project-period-scale", WARNING,
      "项目绩效目标表：实施期资金总额 ≤ 年度资金总额 × 项目期（年），超过时提醒核对")
def _project_period_scale(b: Budget, d: Derived):
    # not an identity (a later year may cost more than this one), but a total many times
    # that is a slip of the keyboard, and the form prints it
    for p in _with_form(b):
        funds = p.performance["funds"]
        whole = sum(funds["implementation"].values(), ZERO)
        annual = sum(funds["annual"].values(), ZERO)
        years = int(p.performance["period_years"])
        if years > 1 and whole > annual * years:  # one year: project-period-funds says it
            yield b.doc.where(*p.path, "performance", "funds", "implementation"), (
                f"项目“{p.name}”：实施期资金总额 {yuan_text(whole)} 超过年度资金总额 "
                f"{yuan_text(annual)} × 项目期 {years} 年 = {yuan_text(annual * years)}：请核对")


@rule("project-duplicate", ERROR, "同一部门内项目名称不重复（本年项目与上年结转项目分别计）")
def _project_duplicate(b: Budget, d: Derived):
    for carryover in (False, True):
        seen = {}
        for p in b.projects(carryover):
            if p.name in seen:
                yield p.where, f"项目“{p.name}”重复：第 {seen[p.name].line} 行已有同名项目"
            seen.setdefault(p.name, p.where)


@rule("project-unit", ERROR, "绩效目标表的实施单位是本部门的一个单位")
def _project_unit(b: Budget, d: Derived):
    names = {u.name for u in b.units}
    for p in _with_form(b):
        unit = p.performance.get("implementing_unit")
        if unit and unit not in names:
            yield b.doc.where(*p.path, "performance", "implementing_unit"), (
                f"项目“{p.name}”的实施单位“{unit}”不是本部门的单位（{'、'.join(sorted(names))}）")


@rule("unit-duplicate", ERROR, "单位名称不重复")
def _unit_duplicate(b: Budget, d: Derived):
    seen = {}
    for u in b.budget_units:  # (whole_department money is held under the department's name)
        where = b.doc.where(*u.path, "name")
        if u.name in seen:
            yield where, f"单位“{u.name}”重复：第 {seen[u.name].line} 行已有"
        seen.setdefault(u.name, where)


@rule("staff-authorized", ERROR, "在编在职人数（各类别之和）≤ 核定编制数")
def _staff(b: Budget, d: Derived):
    holders = [(u.name, u.staff, u.path) for u in b.units if u.staff]
    holders += [(b.name, b.staff, ("department",))] if b.staff else []
    for name, staff, path in holders:
        if staff.total > staff.authorized:
            yield b.doc.where(*path, "staff", "on_post"), (
                f"{name}：在编在职人数 {staff.total} 人（各类别之和）超过核定编制 {staff.authorized} 人")


@rule("vehicles-authorized", ERROR, "实有公务用车（各类别之和）≤ 公务用车编制")
def _vehicles(b: Budget, d: Derived):
    vehicles = b.assets["vehicles"]
    actual = sum(int(v) for v in vehicles["by_category"].values())
    if vehicles.get("authorized") is not None and actual > int(vehicles["authorized"]):
        yield b.doc.where("assets", "vehicles", "by_category"), (
            f"实有公务用车 {actual} 辆（各类别之和）超过编制 {vehicles['authorized']} 辆")


@rule("procurement-total", ERROR, "政府采购预算总额 = 货物 + 工程 + 服务")
def _procurement(b: Budget, d: Derived):
    p = b.procurement
    parts = p["goods"] + p["works"] + p["services"]
    if parts != p["total"]:
        yield b.doc.where("procurement", "total"), (
            f"政府采购预算总额 {yuan_text(p['total'])}，货物 {yuan_text(p['goods'])} + 工程 "
            f"{yuan_text(p['works'])} + 服务 {yuan_text(p['services'])} = {yuan_text(parts)}，"
            f"{_differ(parts, p['total'])}")


@rule("procurement-set-aside", ERROR,
      "面向中小企业预留的政府采购预算 ≤ 政府采购预算总额；其中预留给小微企业的 ≤ 面向中小企业预留的")
def _set_aside(b: Budget, d: Derived):
    p = b.procurement
    sme, small = p.get("sme_reserved"), p.get("small_micro_reserved")
    if sme is not None and sme > p["total"]:
        yield b.doc.where("procurement", "sme_reserved"), (
            f"面向中小企业预留 {yuan_text(sme)} 大于政府采购预算总额 {yuan_text(p['total'])}")
    if small is not None and small > (p["total"] if sme is None else sme):
        yield b.doc.where("procurement", "small_micro_reserved"), (
            f"预留给小型和微型企业的 {yuan_text(small)} 大于"
            + (f"政府采购预算总额 {yuan_text(p['total'])}" if sme is None
               else f"面向中小企业预留的 {yuan_text(sme)}"))


@rule("three-public-ledger", ERROR,
      "每项“三公”经费 ≤ 同一单位、同一来源中支付它的支出：基本支出的对应经济科目（因公出国（境）费 30212、"
      "公务接待费 30217、公务用车运行维护费 30231、公务用车购置 31013）+ 项目支出")
def _three_public_ledger(b: Budget, d: Derived):
    for u in b.units:
        for source, items in u.three_public.items():
            block = u.basic.get(source)
            projects = sum((p.funding.get(source, ZERO) for p in u.projects + u.carryover_projects),
                           ZERO)
            for item, amount in items.items():
                code = THREE_PUBLIC_ECONOMIC[item]
                lines = [e for e in (block.by_economic if block else []) if e.code.startswith(code)]
                basic = sum((e.amount for e in lines), ZERO)
                if amount > basic + projects:
                    named = f"“{lines[0].code} {lines[0].name}”" if lines else f"{code}（未填）"
                    yield b.doc.where(*u.path, "three_public_costs", source, item), (
                        f"{u.name or '部门'}{source}的{THREE_PUBLIC_NAMES[item]} {yuan_text(amount)} "
                        f"大于能支付它的支出：基本支出{named} {yuan_text(basic)} + 项目支出 "
                        f"{yuan_text(projects)} = {yuan_text(basic + projects)}，"
                        f"{_differ(amount, basic + projects)}")


@rule("stated-within-total", ERROR,
      "政府采购预算总额、政府购买服务合计 ≤ 本年支出总计；上年的一般公共预算、机关运行经费、"
      "“三公”经费、按来源填写的收入合计 ≤ 上年收支总计")
def _stated_within_total(b: Budget, d: Derived):
    total = d.figures["total"]["now"]
    stated = [(("procurement", "total"), "政府采购预算总额", b.procurement["total"])]
    if b.purchased_services:
        stated.append((("purchased_services",), "政府购买服务合计",
                       sum((s["amount"] for s in b.purchased_services), ZERO)))
    for where, label, amount in stated:
        if amount > total:
            yield b.doc.where(*where), (f"{label} {yuan_text(amount)} 大于本年支出总计 "
                                        f"{yuan_text(total)}，{_differ(amount, total)}")
    total, whole = _prior_total(b)
    if total is None:
        return
    parts = [("general_budget", "一般公共预算", b.prior_year.get("general_budget")),
             ("office_operation", "机关运行经费", b.prior_year.get("office_operation")),
             ("three_public", "“三公”经费", sum(b.prior_year["three_public"].values(), ZERO)),
             ("by_source", "按来源填写的收入合计", _prior_by_source_total(b))]
    for key, label, amount in parts:
        if amount is not None and amount > total:
            yield b.doc.where("prior_year", key), (
                f"上年{label} {yuan_text(amount)} 大于{whole} {yuan_text(total)}，"
                f"{_differ(amount, total)}")


def _prior_by_source_total(b: Budget) -> Decimal | None:
    by_source = b.prior_year["by_source"]
    return sum(by_source.values(), ZERO) if by_source else None


def _prior_total(b: Budget) -> tuple[Decimal | None, str]:
    """The prior year's whole budget and its name: 收支总计, or (Shanghai prints it by source
    only) the sum of its sources."""
    if b.prior_year.get("total") is not None:
        return b.prior_year["total"], "上年收支总计"
    return _prior_by_source_total(b), "上年按来源填写的收入合计"


PRIOR_SCALE = 10  # a year's budget that grew or shrank tenfold is rare; 万元 for 元 is 10,000


@rule("prior-year-scale", WARNING,
      f"上年收支总计、一般公共预算与本年相差 {PRIOR_SCALE} 倍以上时提醒核对（多为按万元填写或多打了几位数）")
def _prior_year_scale(b: Budget, d: Derived):
    # the department's whole budget only: a small item (“三公”, 机关运行经费) can well grow
    # tenfold, and its prior figure is bounded by the prior total (stated-within-total)
    f = d.figures
    prior_total, prior_name = _prior_total(b)
    total_key = "total" if b.prior_year.get("total") is not None else "by_source"
    pairs = [(total_key, prior_name, prior_total, "本年收支总计", f["total"]["now"]),
             ("general_budget", "上年一般公共预算", f["general"]["before"], "本年",
              f["general"]["now"])]
    for key, prior_label, before, label, now in pairs:
        if now and before and max(now, before) >= PRIOR_SCALE * min(now, before):
            yield b.doc.where("prior_year", key), (
                f"{prior_label} {yuan_text(before)}，{label} {yuan_text(now)}，相差 "
                f"{max(now, before) / min(now, before):,.0f} 倍：请核对上年数是否按元填写")


@rule("office-operation-stated", ERROR,
      "填写的机关运行经费 ≤ 一般公共预算基本支出中的公用经费；各单位的公用经费已填时，二者相等")
def _office_operation_stated(b: Budget, d: Derived):
    stated = b.office_operation
    if stated is None:
        return
    where = b.doc.where("whole_department", "office_operation")
    counted = sources(d.profile.office_operation_sources)  # 财政拨款 (Shanxi), 一般公共预算
    public = sum((block.split(e)[1] for u in b.units for s, block in u.basic.items()
                  if s in counted for e in block.by_economic), ZERO)
    if stated > public:
        yield where, (f"机关运行经费 {yuan_text(stated)} 大于{d.profile.office_operation_sources}"
                      f"基本支出的公用经费 {yuan_text(public)}，{_differ(stated, public)}")
    administrative = [u for u in b.units if u.kind in ADMINISTRATIVE_KINDS and u.basic]
    if administrative:
        derived = sum((d.office_operation(u.name) for u in administrative), ZERO)
        if derived != stated:
            yield where, (f"机关运行经费填写 {yuan_text(stated)}，按各行政、参公单位的公用经费计算为 "
                          f"{yuan_text(derived)}，{_differ(stated, derived)}：已分单位填写时请删去此数")


@rule("performance-coverage", ERROR,
      "编报绩效目标的项目资金 ≤ 项目支出合计；项目逐个填写时，与有绩效目标表的项目一致")
def _performance_coverage(b: Budget, d: Derived):
    stated = b.performance_coverage
    if not stated:
        return
    where = b.doc.where_key("performance_coverage")
    project = d.figures["performance"]["project"]
    if stated["amount"] > project:
        yield where, (f"编报绩效目标的项目资金 {yuan_text(stated['amount'])} 大于本年项目支出 "
                      f"{yuan_text(project)}，{_differ(stated['amount'], project)}")
    if stated["amount"] and not stated["projects"]:
        yield where, f"编报绩效目标的项目资金 {yuan_text(stated['amount'])}，项目个数却为 0"
    forms = [p for p in b.projects() if p.performance]
    if forms and (len(forms), sum((p.total for p in forms), ZERO)) != (
            stated["projects"], stated["amount"]):
        yield where, (f"填写的绩效目标覆盖为 {stated['projects']} 个项目、{yuan_text(stated['amount'])}，"
                      f"逐个填写的项目中有绩效目标表的为 {len(forms)} 个、"
                      f"{yuan_text(sum((p.total for p in forms), ZERO))}")


@rule("purpose-code", WARNING, "用途说明（purposes）写的科目是本预算用到的科目")
def _purpose_code(b: Budget, d: Derived):
    used = {line.function_code for line in d.lines}
    for code in b.purposes:
        if code not in used:
            key = next(k for k in b.doc.data["purposes"] if str(k).startswith(code))
            yield b.doc.where_key("purposes", key), f"用途说明写了科目 {code}，本预算没有这一科目的支出"


@rule("prior-by-source", ERROR, "上年数按来源填写时，其一般公共预算 = 上年一般公共预算拨款（如两者都填）")
def _prior_by_source(b: Budget, d: Derived):
    by_source, general = b.prior_year["by_source"], b.prior_year.get("general_budget")
    if GENERAL in by_source and general is not None and by_source[GENERAL] != general:
        yield b.doc.where("prior_year", "by_source", GENERAL), (
            f"上年一般公共预算按来源填 {yuan_text(by_source[GENERAL])}，general_budget 填 "
            f"{yuan_text(general)}，{_differ(by_source[GENERAL], general)}")


@rule("control-total", ERROR,
      "财政批复的控制数 = 按来源汇总的本年收入；万元控制数按区间比较（XBRL Calculations 1.1）")
def _control_totals(b: Budget, d: Derived):
    for source, stated in b.control_totals.items():
        low, high = control_interval(stated)
        derived = d.total(lambda l, s=source: l.source == s and not l.carryover)
        # A rounded figure stands for [low, high): half-up rounding puts `high` in the next one.
        if not (derived == low if low == high else low <= derived < high):
            yield b.doc.where("control_totals", source), (
                f"{source}控制数 {stated}，本年收入（{_tables(d, 'summary', 'income')}）合计 "
                f"{yuan_text(derived)}（{to_wan(derived)} 万元），不相符"
            ), _cells(d, ("summary", source, "收入"), ("income", "合计", source))


# the “三公” items whose change a reason of change_reasons.three_public_items explains
THREE_PUBLIC_ITEM_REASONS = (("outbound_travel", "因公出国（境）费"), ("reception", "公务接待费"),
                             ("vehicles", "公务用车购置及运行费"))


@rule("change-reason", ERROR, "与上年相比有增减的收支总计、机关运行经费、“三公”经费，须说明原因")
def _change_reasons(b: Budget, d: Derived):
    f = d.figures
    three = f["three_public"]
    checks = [("total", "收支总计", f["total"]["now"], f["total"]["change"]),
              ("office_operation", "机关运行经费", f["office_operation"]["now"],
               f["office_operation"]["change"]),
              ("three_public", "“三公”经费", three["total"], three["total"] - three["prior_total"])]
    # the reason belongs under change_reasons; point there, or at prior_year when it is missing
    where = b.doc.where_key("change_reasons" if "change_reasons" in b.doc.data else "prior_year")
    items = {k: v for k, v in b.change_reasons["three_public_items"].items() if v}
    if items:  # explained item by item (Shanghai): then each changed item needs its reason
        checks = checks[:2]
        for key, name in THREE_PUBLIC_ITEM_REASONS:
            keys = THREE_PUBLIC_REASONS[key]
            if key not in items:
                checks.append((f"three_public_items.{key}", f"“三公”经费中的{name}",
                               sum(three["items"][i] for i in keys),
                               sum(three["items"][i] - three["prior"].get(i, ZERO) for i in keys)))
    for key, label, now, change in checks:
        if change and not b.change_reasons.get(key):
            yield where, (f"{label}本年 {yuan_text(now)}，比上年{'增加' if change > 0 else '减少'} "
                          f"{yuan_text(abs(change))}：请在 change_reasons.{key} 中说明原因")


@rule("three-public-prior", ERROR, "有“三公”经费预算时，须填写上年“三公”经费（prior_year.three_public）")
def _three_public_prior(b: Budget, d: Derived):
    if d.figures["three_public"]["total"] and not b.prior_year["three_public"]:
        yield b.doc.where_key("prior_year"), (
            f"本年“三公”经费 {yuan_text(d.figures['three_public']['total'])}，"
            "缺少上年数 prior_year.three_public，无法说明增减变动")


@rule("prior-year-file", ERROR, "上年数 = 上年预算文件（budgets/<上年>/<同名>.yaml，如有）的对应数")
def _prior_year_file(b: Budget, d: Derived):
    path = Path(b.path)
    prior_path = path.parent.parent / str(b.year - 1) / path.name
    if path.parent.name != str(b.year) or not prior_path.is_file():
        return
    from .check import load_budget, profile_for  # late import: check imports the rules
    prior, findings = load_budget(str(prior_path))
    profile = profile_for(prior)[0] if prior is not None else None
    if profile is None:
        yield b.doc.where_key("prior_year"), f"上年预算文件 {prior_path} 有错误，无法核对上年数"
        return
    pf = Derived(prior, profile).figures
    for key, label, value in [("total", "收支总计", pf["total"]["now"]),
                              ("general_budget", "一般公共预算当年拨款", pf["general"]["now"]),
                              ("office_operation", "机关运行经费", pf["office_operation"]["now"])]:
        if key in b.prior_year and b.prior_year[key] != value:
            yield b.doc.where("prior_year", key), (
                f"上年{label} {yuan_text(b.prior_year[key])}，上年预算文件 {prior_path} 为 "
                f"{yuan_text(value)}，{_differ(value, b.prior_year[key])}")
    for source, stated in b.prior_year["by_source"].items():  # 本年收入 of that year, by source
        value = pf["income_shares"].get(source, {"amount": ZERO})["amount"]
        if stated != value:
            yield b.doc.where("prior_year", "by_source", source), (
                f"上年{source}收入 {yuan_text(stated)}，上年预算文件 {prior_path} 为 "
                f"{yuan_text(value)}，{_differ(value, stated)}")
    for item, value in pf["three_public"]["items"].items():
        stated = b.prior_year["three_public"].get(item, ZERO)
        if stated != value:
            yield b.doc.where("prior_year", "three_public", item) if stated else \
                b.doc.where_key("prior_year"), (
                f"上年{THREE_PUBLIC_NAMES[item]} {yuan_text(stated)}，上年预算文件 {prior_path} 为 "
                f"{yuan_text(value)}，{_differ(value, stated)}")


@rule("year-folder", ERROR, "文件所在的年度文件夹与 year 一致")
def _year_folder(b: Budget, d: Derived):
    # an error, not a warning: the output goes to <out>/<year>/, so budgets/2027/x.yaml of
    # year 2026 would overwrite budgets/2026/x.yaml's disclosure (and `make` would wait in vain
    # for build/2027/x.pdf)
    folder = Path(b.path).parent.name
    if folder.isdigit() and folder != str(b.year):
        yield b.doc.where("year"), (f"year 为 {b.year}，文件却在 {folder} 文件夹中：公开文件按 year 写入 "
                                    f"{b.year}/，会与 {b.year} 文件夹中的同名预算互相覆盖")


@rule("assets-date", WARNING, "国有资产的统计截止日为公开标准的截止日（山西：上年 12 月 31 日；上海：上年 8 月 31 日）")
def _assets_date(b: Budget, d: Derived):
    own = load_profile(b.standard) if b.standard in available() else d.profile
    expected = f"{b.year - 1}-{own.config.get('assets_as_of', '12-31')}"  # the file's own standard
    if b.assets["as_of"] != expected:
        yield b.doc.where("assets", "as_of"), (
            f"国有资产截止日 {b.assets['as_of']}，{b.year} 年预算通常为 {expected}")


PLACEHOLDER = re.compile(r"XX|xx|××|＊＊|\*\*|待填写|待补充|待定|TODO|TBD|[?？]{2,}")


@rule("placeholder-text", ERROR, "正式稿（status: final）中不得有 XX、待填写 等占位文字（草稿中为警告）")
def _placeholders(b: Budget, d: Derived):
    for path, text in b.doc.texts():
        match = PLACEHOLDER.search(text)
        if match:
            yield b.doc.where(*path), f"“{text[:40]}”含占位文字“{match.group()}”：请填写实际内容"


@rule("final-sign-off", WARNING, "正式稿的项目绩效目标表填写负责人、经办人、联系电话")
def _sign_off(b: Budget, d: Derived):
    if b.status != "final":
        return
    for p in _with_form(b):
        sign = p.performance.get("sign_off") or {}
        missing = [label for key, label in (("responsible", "负责人"), ("handler", "经办人"),
                                            ("phone", "联系电话")) if not sign.get(key)]
        if missing:
            yield b.doc.where(*p.path, "performance"), f"项目“{p.name}”绩效目标表未填写{'、'.join(missing)}"


@rule("catalog-year", WARNING, "支出功能分类目录的年度与预算年度一致")
def _catalog_year(b: Budget, d: Derived):
    catalog = b.catalogs.function
    if catalog.year and int(catalog.year) != b.year:
        yield b.doc.where("year"), (
            f"预算是 {b.year} 年的，科目目录是{catalog.edition}（{catalog.year} 年）："
            f"请按 {b.year} 年的科目核对，目录更新前新增或改名的科目登记在 schema/catalogs/additions.yaml")


@rule("fund-function-code", ERROR,
      "政府性基金预算的钱列在政府性基金预算支出科目下，一般公共预算的钱不列在基金科目下（国有资本经营预算同理）")
def _fund_function_code(b: Budget, d: Derived):
    catalog = b.catalogs.function

    def problem(source: str, code: str, name: str, what: str):
        budget = catalog.budget_of(code)
        if source in FISCAL_SOURCES and budget != source:
            return (f"{what}的{source}资金列在 {code} {name} 下，这是{budget}支出科目："
                    f"{source}的钱应列在{source}支出科目下（可用 budget catalog 查科目）")
        return None

    for unit in b.units:
        for source, block in unit.basic.items():
            for entry in block.by_function:
                found = problem(source, entry.code, entry.name, f"{unit.name}基本支出")
                if found:
                    yield entry.where, found
    for p in b.projects() + b.projects(True):
        for source in p.funding:
            found = problem(source, p.function_code, p.function_name, f"项目“{p.name}”")
            if found:
                yield b.doc.where(*p.path, "function"), found


def _indicator_forms(b: Budget, d: Derived):
    """(form label, document path of its indicators, {period: indicators}, its totals) of the
    department form and every project form."""
    if b.performance:
        yield ("部门整体支出绩效目标申报表", ("performance", "indicators"),
               {None: b.performance.get("indicators")}, department_totals(d.figures))
    for p in _with_form(b):
        indicators = p.performance.get("indicators") or {}
        periods = {period: indicators.get(period) for period in ("implementation", "annual")}
        if periods["annual"] is periods["implementation"]:  # `annual: *alias`: written once
            del periods["annual"]
        yield (f"项目“{p.name}”绩效目标表", (*p.path, "performance", "indicators"), periods,
               project_totals(p))


def _indicator_values(b: Budget, d: Derived):
    """(form label, location, 三级指标, value, the form's totals) of every indicator."""
    for form, path, periods, totals in _indicator_forms(b, d):
        for period, indicators in periods.items():
            for l1, l2, name, value in entries(indicators):
                where = b.doc.where(*path, *([period] if period else []), l1, l2, name)
                yield form, where, name, value, totals


@rule("indicator-reference", ERROR,
      "绩效指标值引用的合计数（如 {≤: 基本支出}）是本表印出的合计数")
def _indicator_reference(b: Budget, d: Derived):
    for form, where, name, value, totals in _indicator_values(b, d):
        if is_reference(value):
            (sign, total), = value.items()
            if str(total) not in totals:
                yield where, (f"{form}的指标“{name}”引用了“{total}”，本表没有这个合计数；"
                              f"可引用：{'、'.join(totals)}")


@rule("indicator-copies-total", WARNING,
      "绩效指标值不照抄本表的合计数：写成引用（如 {≤: 基本支出}），金额改动时随之更新")
def _indicator_copies_total(b: Budget, d: Derived):
    for form, where, name, value, totals in _indicator_values(b, d):
        found = None if is_reference(value) else restated_total(str(value), totals)
        if found:
            figure, total = found
            sign = next((s for s in OPERATORS if str(value).startswith(s)), "≤")
            yield where, (f"{form}的指标“{name}”写的 {figure} 是本表{total}的数字"
                          f"（{yuan_text(totals[total])}），{total}改动时它不会跟着改："
                          f"请写成 {{{sign}: {total}}}")


def apply_rules(budget: Budget, derived: Derived) -> list[Finding]:
    findings = []
    for r in RULES:
        for where, message, *cells in r.check(budget, derived):
            severity = r.severity
            if r.id == "placeholder-text" and budget.status != "final":
                severity = WARNING
            findings.append(Finding(where, severity, r.id, message, *cells))
    return findings
