"""Every rule and every catalogue check: one budget that passes it and one that fails it.

Each case is the real example with one thing changed in its text.  A failing case asserts the
rule id, the severity, the line the finding points at and that the message names both figures.
"""
from __future__ import annotations

import re
from dataclasses import replace

import pytest

from conftest import (JIAOYU_YAML, ROOT, SEED_YAML, block_lines, cells, edit, findings,
                      line_of, of_rule, seed_text, write)
from generator.catalog import NAMES as CATALOG_NAMES
from generator.catalog import load_catalogs
from generator.check import check
from generator.findings import ERROR, WARNING
from generator.loader import load_file
from generator.model import build
from generator.rules import RULES
from generator.schema import validate

CATALOG_RULES = {"catalog-function", "catalog-economic-department", "catalog-economic-government",
                 "catalog-level", "catalog-mapping", "duplicate-code"}

# rule id -> the tests that pass and fail it (checked by test_every_rule_has_tests below)
RULE_TESTS = {
    "basic-function-economic": ("test_basic_moving_100_yuan_between_economic_rows_passes",
                                "test_basic_adding_100_yuan_to_one_economic_row_fails"),
    "project-performance-funds": ("test_project_funds_split_over_two_sources_passes",
                                  "test_project_funds_differ_from_performance_table_fails"),
    "project-period-funds": ("test_period_funds_for_several_years_pass",
                             "test_period_funds_below_annual_fail"),
    "project-duplicate": ("test_carryover_project_may_share_a_name_with_this_years_project",
                          "test_duplicate_project_name_fails"),
    "project-unit": ("test_implementing_unit_of_the_department_passes",
                     "test_implementing_unit_outside_the_department_fails"),
    "unit-duplicate": ("test_two_units_with_different_names_pass",
                       "test_two_units_with_the_same_name_fail"),
    "staff-authorized": ("test_staff_equal_to_authorized_passes",
                         "test_staff_above_authorized_fails"),
    "vehicles-authorized": ("test_vehicles_within_authorized_pass",
                            "test_vehicles_above_authorized_fail"),
    "procurement-total": ("test_procurement_parts_adding_up_pass",
                          "test_procurement_parts_not_adding_up_fail"),
    "control-total": ("test_control_totals_that_match_pass", "test_control_total_that_differs_fails"),
    "change-reason": ("test_unchanged_figure_needs_no_reason", "test_change_without_reason_fails"),
    "three-public-prior": ("test_three_public_with_prior_year_passes",
                           "test_three_public_without_prior_year_fails"),
    "prior-year-file": ("test_prior_year_matching_prior_file_passes",
                        "test_prior_year_differing_from_prior_file_fails"),
    "year-folder": ("test_file_in_its_year_folder_passes", "test_file_in_another_year_folder_warns"),
    "assets-date": ("test_assets_date_end_of_prior_year_passes", "test_assets_date_mid_year_warns"),
    "placeholder-text": ("test_real_text_passes_placeholder_check",
                         "test_placeholder_text_warns_in_draft_and_fails_in_final"),
    "final-sign-off": ("test_final_with_sign_off_passes", "test_final_without_sign_off_warns"),
    "indicator-reference": ("test_indicator_references_to_the_forms_totals_pass",
                            "test_indicator_reference_to_no_total_of_the_form_fails"),
    "indicator-copies-total": ("test_indicator_values_that_state_no_total_pass",
                               "test_indicator_typing_a_total_of_its_form_warns"),
    "catalog-function": ("test_function_codes_of_the_catalogue_pass",
                         "test_function_code_with_wrong_name_fails"),
    "catalog-economic-department": ("test_department_economic_codes_of_the_catalogue_pass",
                                    "test_department_economic_code_with_wrong_name_fails"),
    "catalog-economic-government": ("test_government_economic_override_of_the_catalogue_passes",
                                    "test_government_economic_unknown_name_fails"),
    "catalog-level": ("test_codes_at_the_right_level_pass", "test_code_at_the_wrong_level_fails"),
    "catalog-mapping": ("test_government_economic_override_allowed_by_mapping_passes",
                        "test_government_economic_override_not_in_mapping_fails"),
    "duplicate-code": ("test_distinct_codes_pass", "test_same_code_written_twice_fails"),
    # in test_catalog.py:
    "catalog-unlisted": ("test_function_codes_of_the_catalogue_pass",
                         "test_an_unlisted_item_under_an_incomplete_section_is_a_warning_and_builds"),
    "catalog-year": ("test_function_codes_of_the_catalogue_pass",
                     "test_the_catalogue_year_is_compared_with_the_budgets"),
    "fund-function-code": ("test_synthetic_jiaoyu_budget_passes_and_fills_the_other_tables",
                           "test_fund_money_must_be_spent_under_fund_codes"),
}


def model_rule_ids() -> set[str]:
    """The ids of the checks made while the model is built, read from generator/model.py."""
    source = (ROOT / "generator" / "model.py").read_text(encoding="utf-8")
    ids = set(re.findall(r'self\.error\([^,]+,\s*"([a-z]+(?:-[a-z]+)*)"', source))
    if 'f"catalog-{catalog.name' in source:
        ids |= {f"catalog-{name.replace('_', '-')}" for name in CATALOG_NAMES}
    return ids


def test_catalog_rule_list_is_complete():
    assert model_rule_ids() == CATALOG_RULES


def test_every_rule_has_tests():
    ids = {r.id for r in RULES} | CATALOG_RULES | model_rule_ids() | {"catalog-unlisted"}
    assert ids - set(RULE_TESTS) == set(), "rules without tests"
    import test_catalog
    for rule_id, names in RULE_TESTS.items():
        for name in names:
            test = globals().get(name) or getattr(test_catalog, name, None)
            assert callable(test), f"{rule_id}: {name} missing"


def test_rule_ids_are_unique_and_have_a_chinese_description():
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids))
    for r in RULES:
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", r.id)
        assert r.severity in (ERROR, WARNING)
        assert re.search(r"[\u4e00-\u9fff]", r.description), r.id


def test_seed_passes_every_rule():
    assert [f.text() for f in findings(str(SEED_YAML))] == []


def passes(tmp_path, text: str, name: str = "budget.yaml"):
    """The budget checks with no findings at all."""
    found = findings(write(tmp_path, text, name))
    assert found == [], [f.text() for f in found]


def the_finding(tmp_path, text: str, rule: str, severity: str = ERROR, name: str = "budget.yaml"):
    """The one finding of `rule`; the file has no findings of other rules."""
    found = findings(write(tmp_path, text, name))
    mine = of_rule(found, rule)
    assert len(mine) == 1, [f.text() for f in found]
    assert [f for f in found if f.rule != rule] == [], [f.text() for f in found]
    assert mine[0].severity == severity
    return mine[0]


# ---- basic-function-economic ---------------------------------------------------------------

def test_basic_moving_100_yuan_between_economic_rows_passes(tmp_path):
    text = edit(seed_text(), '"30101 基本工资": 919190', '"30101 基本工资": 919090')
    text = edit(text, '"30201 办公费": 117000', '"30201 办公费": 117100')
    passes(tmp_path, text)


def test_basic_adding_100_yuan_to_one_economic_row_fails(tmp_path):
    text = edit(seed_text(), '"30101 基本工资": 919190', '"30101 基本工资": 919290')
    f = the_finding(tmp_path, text, "basic-function-economic")
    by_economic = line_of(text, "by_economic:")
    assert f.location.line in block_lines(text, by_economic)
    assert f.location.line < line_of(text, "government_economic:")
    assert "3,201,240.00 元" in f.message and "3,201,140.00 元" in f.message
    assert "100.00 元" in f.message and "泽州县信访局" in f.message and "一般公共预算" in f.message


def test_basic_adding_100_yuan_to_one_function_row_fails(tmp_path):
    text = edit(seed_text(), '"2014001 行政运行": 2140340', '"2014001 行政运行": 2140440')
    f = the_finding(tmp_path, text, "basic-function-economic")
    assert "3,201,240.00 元" in f.message and "3,201,140.00 元" in f.message


def test_basic_balance_is_checked_per_funding_source(tmp_path):
    # The same 100 元 in 单位资金 by function and in 一般公共预算 by economic: totals agree,
    # each source does not.
    text = edit(seed_text(), '"30101 基本工资": 919190', '"30101 基本工资": 919290')
    text = edit(text, "    projects:\n      - name: 关于提前下达",
                "      单位资金:\n        by_function: {\"2014001 行政运行\": 100}\n"
                "        by_economic: {}\n    projects:\n      - name: 关于提前下达")
    found = of_rule(findings(write(tmp_path, text)), "basic-function-economic")
    assert sorted(("单位资金" in f.message, f.location.line) for f in found) == [
        (False, line_of(text, "by_economic:")), (True, line_of(text, "by_economic: {}"))]


# ---- project-performance-funds -------------------------------------------------------------

def test_project_funds_split_over_two_sources_passes(tmp_path):
    text = edit(seed_text(), "funding: {一般公共预算: 450000}",
                "funding: {一般公共预算: 400000, 单位资金: 50000}")
    passes(tmp_path, text)


def test_project_funds_differ_from_performance_table_fails(tmp_path):
    text = edit(seed_text(), "funding: {一般公共预算: 450000}", "funding: {一般公共预算: 450100}")
    f = the_finding(tmp_path, text, "project-performance-funds")
    project = line_of(text, "name: 信访案件办理业务费")
    assert f.location.line == line_of(text, "annual: {central: 0, provincial: 0, local: 450000",
                                      after=project)
    assert "信访案件办理业务费" in f.message
    assert "450,000.00 元" in f.message and "450,100.00 元" in f.message


# ---- project-period-funds ------------------------------------------------------------------

def test_period_funds_for_several_years_pass(tmp_path):
    text = edit(seed_text(), "implementation: {central: 0, provincial: 0, local: 450000",
                "implementation: {central: 0, provincial: 0, local: 1350000")
    passes(tmp_path, text)


def test_period_funds_below_annual_fail(tmp_path):
    text = edit(seed_text(), "implementation: {central: 0, provincial: 0, local: 450000",
                "implementation: {central: 0, provincial: 0, local: 449999.99")
    f = the_finding(tmp_path, text, "project-period-funds")
    assert f.location.line == line_of(text, "local: 449999.99")
    assert "449,999.99 元" in f.message and "450,000.00 元" in f.message


def test_one_year_project_period_funds_must_equal_annual(tmp_path):
    text = edit(seed_text(), "implementation: {central: 0, provincial: 0, local: 90000",
                "implementation: {central: 0, provincial: 0, local: 180000")
    f = the_finding(tmp_path, text, "project-period-funds")
    assert f.location.line == line_of(text, "local: 180000")
    assert "1 年" in f.message
    assert "180,000.00 元" in f.message and "90,000.00 元" in f.message


def test_one_year_written_01_is_still_one_year(tmp_path):
    text = edit(seed_text(), "          period_years: 1\n", "          period_years: 01\n")
    passes(tmp_path, text)
    text = edit(text, "implementation: {central: 0, provincial: 0, local: 90000",
                "implementation: {central: 0, provincial: 0, local: 180000")
    f = the_finding(tmp_path, text, "project-period-funds")
    assert "1 年" in f.message and "180,000.00 元" in f.message


# ---- project-duplicate ---------------------------------------------------------------------

def test_carryover_project_may_share_a_name_with_this_years_project(tmp_path):
    text = edit(seed_text(), "- name: 2025年市级解决特殊疑难信访问题资金预算的通知",
                "- name: 信访案件化解专项资金")
    passes(tmp_path, text)


def test_duplicate_project_name_fails(tmp_path):
    text = edit(seed_text(), "- name: 遗属补助", "- name: 信访案件办理业务费")
    f = the_finding(tmp_path, text, "project-duplicate")
    first = line_of(text, "- name: 信访案件办理业务费")
    second = line_of(text, "- name: 信访案件办理业务费", after=first)
    assert f.location.line == second
    assert "信访案件办理业务费" in f.message and f"第 {first} 行" in f.message


# ---- project-unit --------------------------------------------------------------------------

def test_implementing_unit_of_the_department_passes(tmp_path):
    text = edit(seed_text(), "          attribute: 一次性项目(1年结束)\n",
                "          attribute: 一次性项目(1年结束)\n          implementing_unit: 泽州县信访局\n")
    passes(tmp_path, text)


def test_implementing_unit_outside_the_department_fails(tmp_path):
    text = edit(seed_text(), "          attribute: 一次性项目(1年结束)\n",
                "          attribute: 一次性项目(1年结束)\n          implementing_unit: 泽州县信访办\n")
    f = the_finding(tmp_path, text, "project-unit")
    assert f.location.line == line_of(text, "implementing_unit:")
    assert "泽州县信访办" in f.message and "泽州县信访局" in f.message


# ---- unit-duplicate ------------------------------------------------------------------------

SECOND_UNIT = """\
  - name: {name}
    kind: 事业单位
    staff: {{authorized: 2, on_post: {{全额事业人员: 2}}, other: 0}}
    basic: {{}}

prior_year:  """


def test_two_units_with_different_names_pass(tmp_path):
    text = edit(seed_text(), "\nprior_year:  ", SECOND_UNIT.format(name="泽州县信访服务中心"))
    passes(tmp_path, text)


def test_two_units_with_the_same_name_fail(tmp_path):
    text = edit(seed_text(), "\nprior_year:  ", SECOND_UNIT.format(name="泽州县信访局"))
    f = the_finding(tmp_path, text, "unit-duplicate")
    first = line_of(text, "- name: 泽州县信访局")
    assert f.location.line == line_of(text, "- name: 泽州县信访局", after=first)
    assert "泽州县信访局" in f.message and f"第 {first} 行" in f.message


SERVICE_CENTRE = """\
  - name: 泽州县信访服务中心
    kind: 事业单位
    staff: {authorized: 2, on_post: {全额事业人员: 2}, other: 0}
    basic:
      一般公共预算:
        by_function: {"2014050 事业运行": 100000}
        by_economic: {"30101 基本工资": 80000, "30201 办公费": 20000}
    carryover_projects:
      - {name: 2025年调解服务经费, function: "2014004 信访业务", category: 其他运转类,
         funding: {一般公共预算: 5000}}

prior_year:  """


def test_two_units_are_aggregated_in_the_tables(tmp_path):
    budget, derived, found = check(write(tmp_path, edit(seed_text(), "\nprior_year:  ",
                                                         SERVICE_CENTRE)))
    assert found == [], [f.text() for f in found]
    t = derived.tables
    assert cells(t[3].row("合计")) == ["553.73", "330.11", "223.61"]
    assert cells(t[3].row("事业运行", "2014050")) == ["10.00", "10.00", ""]
    assert cells(t[3].row("信访事务", "20140")) == ["444.19", "224.03", "220.16"]
    # 表六: a 事业单位's 基本工资 and 办公费 map to other 政府 款, so they are rows of their own
    table6 = [(r.name, r.name2, *cells(r)) for r in t[6].rows]
    assert table6[0] == ("合计", "", "330.11", "293.25", "36.86")
    assert ("基本工资", "工资奖金津补贴", "91.92", "91.92", "") in table6
    assert ("基本工资", "工资福利支出", "8.00", "8.00", "") in table6
    assert ("办公费", "商品和服务支出", "2.00", "", "2.00") in table6
    # 机关运行经费 is the 公用经费 of 行政单位 only
    assert [(r.name, *cells(r)) for r in t[11].rows] == [
        ("部门合计", "34.86", "34.86", "", ""), ("泽州县信访局", "34.86", "34.86", "", "")]
    assert [(r.name, cells(r)[0]) for r in t[13].rows] == [
        ("泽州县信访局", "0.76"),
        ("泽州县信访局", "0.26"), ("2025年市级解决特殊疑难信访问题资金预算的通知", "0.26"),
        ("泽州县信访服务中心", "0.50"), ("2025年调解服务经费", "0.50")]
    assert derived.figures["performance"]["units"] == 2


# ---- staff-authorized ----------------------------------------------------------------------

def test_staff_equal_to_authorized_passes(tmp_path):
    passes(tmp_path, edit(seed_text(), "authorized: 20 ", "authorized: 19 "))


def test_staff_above_authorized_fails(tmp_path):
    text = edit(seed_text(), "authorized: 20 ", "authorized: 18 ")
    f = the_finding(tmp_path, text, "staff-authorized")
    assert f.location.line in block_lines(text, line_of(text, "on_post:"))
    assert "19 人" in f.message and "18 人" in f.message


# ---- vehicles-authorized -------------------------------------------------------------------

def test_vehicles_within_authorized_pass(tmp_path):
    text = edit(seed_text(), "    authorized: 0 ", "    authorized: 1 ")
    passes(tmp_path, edit(text, "领导用车: 0", "领导用车: 1"))


def test_vehicles_above_authorized_fail(tmp_path):
    text = edit(seed_text(), "    authorized: 0 ", "    authorized: 1 ")
    text = edit(text, "领导用车: 0", "领导用车: 1")
    text = edit(text, "执法执勤用车: 0", "执法执勤用车: 1")
    f = the_finding(tmp_path, text, "vehicles-authorized")
    assert f.location.line in block_lines(text, line_of(text, "by_category:"))
    assert "2 辆" in f.message and "1 辆" in f.message


# ---- procurement-total ---------------------------------------------------------------------

def test_procurement_parts_adding_up_pass(tmp_path):
    text = edit(seed_text(), "goods: 65200", "goods: 65100")
    passes(tmp_path, edit(text, "services: 0", "services: 100"))


def test_procurement_parts_not_adding_up_fail(tmp_path):
    text = edit(seed_text(), "goods: 65200", "goods: 65100")
    f = the_finding(tmp_path, text, "procurement-total")
    assert f.location.line == line_of(text, "total: 65200")
    assert "65,200.00 元" in f.message and "65,100.00 元" in f.message


# ---- control-total -------------------------------------------------------------------------

def with_control_total(value: str) -> str:
    return edit(seed_text(), "\nprocurement:  ",
                f"\ncontrol_totals:\n  一般公共预算: {value}\n\nprocurement:  ")


@pytest.mark.parametrize("value", ["5429652", "542.97万元", "543万元"])
def test_control_totals_that_match_pass(tmp_path, value):
    # 一般公共预算 this year is 5,429,652 元 (542.97 万元); the 0.26 万元 carried over is not in it.
    passes(tmp_path, with_control_total(value))


@pytest.mark.parametrize("value", ["5429752", "542.96万元", "543.23万元", "5432252"])
def test_control_total_that_differs_fails(tmp_path, value):
    text = with_control_total(value)
    f = the_finding(tmp_path, text, "control-total")
    assert f.location.line == line_of(text, f"一般公共预算: {value}")
    assert value in f.message and "5,429,652.00 元" in f.message and "542.97 万元" in f.message


def with_yishu(amount: int) -> str:
    """遗属补助 (34,512 元) changed to `amount` everywhere it is entered."""
    text = edit(seed_text(), "funding: {一般公共预算: 34512}", f"funding: {{一般公共预算: {amount}}}")
    return edit(text, "local: 34512,", f"local: {amount},", count=2)


def test_control_total_in_wan_at_the_lower_edge_passes(tmp_path):
    # 5,429,650 元 = 542.965 万元, printed 542.97 (half-up)
    passes(tmp_path, edit(with_yishu(34510), "\nprocurement:  ",
                          "\ncontrol_totals: {一般公共预算: 542.97万元}\n\nprocurement:  "))


def test_control_total_in_wan_at_the_upper_edge_belongs_to_the_next_cent(tmp_path):
    # 5,429,750 元 = 542.975 万元, printed 542.98: it is not "542.97万元"
    text = edit(with_yishu(34610), "\nprocurement:  ",
                "\ncontrol_totals: {一般公共预算: 542.97万元}\n\nprocurement:  ")
    f = the_finding(tmp_path, text, "control-total")
    assert "542.97万元" in f.message and "5,429,750.00 元" in f.message and "542.98 万元" in f.message
    passes(tmp_path, text.replace("542.97万元", "542.98万元"))


def test_control_total_of_a_source_without_money_fails(tmp_path):
    text = edit(seed_text(), "\nprocurement:  ",
                "\ncontrol_totals:\n  一般公共预算: 5429652\n  单位资金: 1000\n\nprocurement:  ")
    f = the_finding(tmp_path, text, "control-total")
    assert f.location.line == line_of(text, "单位资金: 1000")
    assert "1000" in f.message and "0.00 元" in f.message


# ---- change-reason -------------------------------------------------------------------------

def test_unchanged_figure_needs_no_reason(tmp_path):
    # 机关运行经费 this year is 348,620 元; equal to last year, no reason is asked for.
    text = edit(seed_text(), "  office_operation: 人员增加3人,公用经费增加。\n", "")
    passes(tmp_path, edit(text, "office_operation: 208106", "office_operation: 348620"))


def test_change_without_reason_fails(tmp_path):
    text = edit(seed_text(), "  office_operation: 人员增加3人,公用经费增加。\n", "")
    f = the_finding(tmp_path, text, "change-reason")
    assert f.location.line == line_of(text, "change_reasons:")
    assert "机关运行经费" in f.message and "change_reasons.office_operation" in f.message
    assert "348,620.00 元" in f.message and "140,514.00 元" in f.message and "增加" in f.message


def test_change_without_any_reasons_block_points_at_prior_year(tmp_path):
    text = edit(seed_text(), "change_reasons:\n  total: 人员经费增加，2025年调入2人，考录1人。\n"
                "  office_operation: 人员增加3人,公用经费增加。\n", "")
    found = of_rule(findings(write(tmp_path, text)), "change-reason")
    assert {f.location.line for f in found} == {line_of(text, "prior_year:")}
    assert sorted(m for f in found for m in ("收支总计", "机关运行经费") if m in f.message) == \
        ["收支总计", "机关运行经费"]
    total = next(f for f in found if "收支总计" in f.message)
    assert "5,432,252.00 元" in total.message and "716,452.00 元" in total.message


# ---- three-public-prior --------------------------------------------------------------------

THREE_PUBLIC = ("    three_public_costs:\n"
                "      一般公共预算: {outbound_travel: 0, reception: 5000, vehicle_purchase: 0,"
                " vehicle_operation: 0}\n\nprior_year:  ")


def with_three_public(prior: str = "") -> str:
    text = edit(seed_text(), "\nprior_year:  ", THREE_PUBLIC)
    text = edit(text, "  office_operation: 208106 ", "  office_operation: 208106 " + prior)
    return edit(text, "  office_operation: 人员增加3人,公用经费增加。\n",
                "  office_operation: 人员增加3人,公用经费增加。\n  three_public: 接待任务增加。\n")


def test_three_public_with_prior_year_passes(tmp_path):
    passes(tmp_path, with_three_public(
        "\n  three_public: {outbound_travel: 0, reception: 4000, vehicle_purchase: 0,"
        " vehicle_operation: 0}\n  "))


def test_three_public_without_prior_year_fails(tmp_path):
    text = with_three_public()
    f = the_finding(tmp_path, text, "three-public-prior")
    assert f.location.line == line_of(text, "prior_year:")
    assert "5,000.00 元" in f.message and "prior_year.three_public" in f.message


def test_three_public_change_needs_a_reason(tmp_path):
    text = with_three_public("\n  three_public: {outbound_travel: 0, reception: 4000,"
                             " vehicle_purchase: 0, vehicle_operation: 0}\n  ")
    text = edit(text, "  three_public: 接待任务增加。\n", "")
    f = the_finding(tmp_path, text, "change-reason")
    assert "“三公”经费" in f.message
    assert "5,000.00 元" in f.message and "1,000.00 元" in f.message


def test_three_public_costs_fill_table_10(tmp_path):
    text = edit(with_three_public(
        "\n  three_public: {outbound_travel: 0, reception: 4000, vehicle_purchase: 0,"
        " vehicle_operation: 0}\n  "),
        "{outbound_travel: 0, reception: 5000, vehicle_purchase: 0, vehicle_operation: 0}",
        "{outbound_travel: 1000, reception: 5000, vehicle_purchase: 200000, vehicle_operation: 30000}")
    budget, derived, found = check(write(tmp_path, text))
    assert found == [], [f.text() for f in found]
    table = derived.tables[10]
    assert not table.empty
    assert [(r.name, *cells(r)) for r in table.rows] == [
        ("因公出国（境）费", "0.10", "0.10", "", ""),
        ("公务接待费", "0.50", "0.50", "", ""),
        ("公务用车购置及运行费", "23.00", "23.00", "", ""),
        ("①公务用车购置费", "20.00", "20.00", "", ""),
        ("②公务用车运行维护费", "3.00", "3.00", "", ""),
        ("合计", "23.60", "23.60", "", ""),
    ]


# ---- prior-year-file -----------------------------------------------------------------------

def prior_file(tmp_path) -> None:
    """budgets/2025/ holds last year's file: the seed as 2025 (5,432,252 元 in all,
    一般公共预算 this year 5,429,652 元, 机关运行经费 348,620 元)."""
    text = edit(seed_text(), "year: 2026", "year: 2025")
    text = edit(text, 'as_of: "2025-12-31"', 'as_of: "2024-12-31"')
    found = findings(write(tmp_path / "budgets" / "2025", text, "zezhou-xinfang.yaml"))
    # a 2025 budget checked with the 2026 catalogue says so, and nothing else
    assert [f.rule for f in found] == ["catalog-year"], [f.text() for f in found]


def test_prior_year_matching_prior_file_passes(tmp_path):
    prior_file(tmp_path)
    text = edit(seed_text(), "total: 4715800", "total: 5432252")
    text = edit(text, "general_budget: 4710752", "general_budget: 5429652")
    text = edit(text, "office_operation: 208106", "office_operation: 348620")
    passes(tmp_path / "budgets" / "2026", text, "zezhou-xinfang.yaml")


def test_prior_year_differing_from_prior_file_fails(tmp_path):
    prior_file(tmp_path)
    text = edit(seed_text(), "general_budget: 4710752", "general_budget: 5429652")
    text = edit(text, "office_operation: 208106", "office_operation: 348620")
    f = the_finding(tmp_path / "budgets" / "2026", text, "prior-year-file",
                    name="zezhou-xinfang.yaml")
    assert f.location.line == line_of(text, "total: 4715800")
    assert "4,715,800.00 元" in f.message and "5,432,252.00 元" in f.message
    assert "budgets/2025/zezhou-xinfang.yaml" in f.message


def test_prior_three_public_differing_from_prior_file_fails(tmp_path):
    last_year = edit(with_three_public("\n  three_public: {outbound_travel: 0, reception: 3000,"
                                       " vehicle_purchase: 0, vehicle_operation: 0}\n  "),
                     "year: 2026", "year: 2025")
    last_year = edit(last_year, 'as_of: "2025-12-31"', 'as_of: "2024-12-31"')
    found = findings(write(tmp_path / "budgets" / "2025", last_year, "zezhou-xinfang.yaml"))
    assert [f.rule for f in found] == ["catalog-year"], [f.text() for f in found]
    text = edit(seed_text(), "total: 4715800", "total: 5432252")
    text = edit(text, "general_budget: 4710752", "general_budget: 5429652")
    text = edit(text, "office_operation: 208106 ",
                "office_operation: 348620\n  three_public: {outbound_travel: 0, reception: 4000,"
                " vehicle_purchase: 0, vehicle_operation: 0} ")
    text = edit(text, "  office_operation: 人员增加3人,公用经费增加。\n",
                "  office_operation: 人员增加3人,公用经费增加。\n  three_public: 不再安排接待费。\n")
    f = the_finding(tmp_path / "budgets" / "2026", text, "prior-year-file",
                    name="zezhou-xinfang.yaml")
    assert f.location.line == line_of(text, "reception: 4000")
    assert "公务接待费" in f.message
    assert "4,000.00 元" in f.message and "5,000.00 元" in f.message


def test_broken_prior_file_is_reported(tmp_path):
    (tmp_path / "budgets" / "2025").mkdir(parents=True)
    (tmp_path / "budgets" / "2025" / "zezhou-xinfang.yaml").write_text("- 不是预算\n", "utf-8")
    text = seed_text()
    f = the_finding(tmp_path / "budgets" / "2026", text, "prior-year-file",
                    name="zezhou-xinfang.yaml")
    assert f.location.line == line_of(text, "prior_year:")


# ---- year-folder ---------------------------------------------------------------------------

def test_file_in_its_year_folder_passes(tmp_path):
    passes(tmp_path / "2026", seed_text())


def test_file_in_another_year_folder_warns(tmp_path):
    text = seed_text()
    f = the_finding(tmp_path / "2025", text, "year-folder", WARNING)
    assert f.location.line == line_of(text, "year: 2026")
    assert "2026" in f.message and "2025" in f.message


# ---- assets-date ---------------------------------------------------------------------------

def test_assets_date_end_of_prior_year_passes(tmp_path):
    passes(tmp_path, seed_text())  # as_of: "2025-12-31" for 2026


def test_assets_date_mid_year_warns(tmp_path):
    text = edit(seed_text(), 'as_of: "2025-12-31"', 'as_of: "2025-06-30"')
    f = the_finding(tmp_path, text, "assets-date", WARNING)
    assert f.location.line == line_of(text, "as_of:")
    assert "2025-06-30" in f.message and "2025-12-31" in f.message


# ---- placeholder-text ----------------------------------------------------------------------

def test_real_text_passes_placeholder_check(tmp_path):
    passes(tmp_path, edit(seed_text(), 'other_notes: ""', "other_notes: 本单位无其他需要说明的事项。"))


@pytest.mark.parametrize("placeholder", ["待填写", "XX", "××", "TODO"])
def test_placeholder_text_warns_in_draft_and_fails_in_final(tmp_path, placeholder):
    text = edit(seed_text(), 'other_notes: ""', f"other_notes: 本单位{placeholder}事项")
    f = the_finding(tmp_path / "draft", text, "placeholder-text", WARNING)
    assert f.location.line == line_of(text, "other_notes:")
    assert placeholder in f.message
    final = edit(text, "status: draft ", "status: final ")
    found = of_rule(findings(write(tmp_path / "final", final)), "placeholder-text")
    assert [(f.severity, f.location.line) for f in found] == [(ERROR, line_of(final, "other_notes:"))]


# ---- final-sign-off ------------------------------------------------------------------------

def signed(text: str) -> str:
    return edit(text, "sign_off: {filed_at:",
                'sign_off: {responsible: 王主任, handler: 李会计, phone: "0356-3688000", filed_at:',
                count=6)


def test_final_with_sign_off_passes(tmp_path):
    passes(tmp_path, signed(edit(seed_text(), "status: draft ", "status: final ")))


def test_draft_without_sign_off_passes(tmp_path):
    passes(tmp_path, seed_text())


def test_final_without_sign_off_warns(tmp_path):
    text = signed(edit(seed_text(), "status: draft ", "status: final "))
    text = edit(text, 'handler: 李会计, phone: "0356-3688000", filed_at: "20251020121705"',
                'filed_at: "20251020121705"')
    f = the_finding(tmp_path, text, "final-sign-off", WARNING)
    project = line_of(text, "- name: 遗属补助")
    assert f.location.line in block_lines(text, line_of(text, "performance:", after=project))
    assert "遗属补助" in f.message and "经办人" in f.message and "联系电话" in f.message
    assert "负责人" not in f.message


# ---- indicator values that restate a total of their form --------------------------------

def test_indicator_references_to_the_forms_totals_pass(tmp_path):
    text = seed_text()
    assert "基本支出成本: {≤: 基本支出}" in text and "{资金总额: {≤: 年度资金总额}}" in text
    passes(tmp_path, text)


def test_indicator_reference_to_no_total_of_the_form_fails(tmp_path):
    # 基本支出 is a total of the department form, not of a project form
    text = edit(seed_text(), "{资金总额: {≤: 年度资金总额}}", "{资金总额: {≤: 基本支出}}")
    f = the_finding(tmp_path, text, "indicator-reference")
    assert f.location.line == line_of(text, "{资金总额: {≤: 基本支出}}")
    assert "“基本支出”" in f.message and "年度资金总额、实施期资金总额" in f.message


def test_indicator_reference_with_an_unknown_sign_is_a_schema_error(tmp_path):
    text = edit(seed_text(), "基本支出成本: {≤: 基本支出}", "基本支出成本: {约: 基本支出}")
    found = findings(write(tmp_path, text))
    assert [(f.rule, f.location.line) for f in found] == [
        ("schema-type", line_of(text, "基本支出成本: {约: 基本支出}"))]
    assert "{≤: 基本支出}" in found[0].message


def test_indicator_values_that_state_no_total_pass(tmp_path):
    # 30000元 is a project's own cost item, not the total of its form (34,512 元)
    passes(tmp_path, edit(seed_text(), "信访困难救助金: ≤30000元", "信访困难救助金: ≤34000元"))


def test_indicator_typing_a_total_of_its_form_warns(tmp_path):
    text = edit(seed_text(), "基本支出成本: {≤: 基本支出}", "基本支出成本: ≤320.11万元")
    f = the_finding(tmp_path, text, "indicator-copies-total", WARNING)
    assert f.location.line == line_of(text, "基本支出成本: ≤320.11万元")
    assert "320.11万元" in f.message and "3,201,140.00 元" in f.message and "{≤: 基本支出}" in f.message
    # in exact 元 too, on a project form
    text = edit(seed_text(), "{资金总额: {≤: 年度资金总额}}", "{资金总额: ≤90000元}")
    assert of_rule(findings(write(tmp_path, text)), "indicator-copies-total")


def test_a_referenced_total_follows_the_budget(tmp_path):
    """The figure an indicator prints is the form's total of this version: raising 基本支出 by
    10,000 元 raises 基本支出成本 with it (a typed ≤320.11万元 would have stayed behind)."""
    from generator.render import render_html
    text = edit(seed_text(), '"2014001 行政运行": 2140340', '"2014001 行政运行": 2150340')
    text = edit(text, '"30101 基本工资": 919190', '"30101 基本工资": 929190')
    budget, derived, found = check(write(tmp_path, text))
    assert budget is not None, [f.text() for f in found]
    html = render_html(budget, derived)
    assert "≤321.11万元" in html and "≤320.11万元" not in html
    assert html.count("≤9万元") == 2  # the project form: 90,000 元, 实施期 and 年度


# ---- catalogue checks (while the model is built) -------------------------------------------

def test_function_codes_of_the_catalogue_pass(tmp_path):
    passes(tmp_path, seed_text())


def test_function_code_with_wrong_name_fails(tmp_path):
    text = edit(seed_text(), '"2014001 行政运行": 2140340', '"2014001 信访业务": 2140340')
    f = the_finding(tmp_path, text, "catalog-function")
    assert f.location.line == line_of(text, '"2014001 信访业务"')
    assert "“行政运行”" in f.message and "“信访业务”" in f.message


def test_unknown_function_code_fails(tmp_path):
    text = edit(seed_text(), 'function: "2014004 信访业务"\n        category: 特定目标类\n'
                "        funding: {一般公共预算: 2600}",
                'function: "2014098 信访业务"\n        category: 特定目标类\n'
                "        funding: {一般公共预算: 2600}")
    f = the_finding(tmp_path, text, "catalog-function")
    assert f.location.line == line_of(text, "2014098")
    # an error, not a mere warning: the name written is that of 2014004 in the same 款
    assert "2014098" in f.message and "“信访业务”是 2014004 的名称" in f.message


def test_function_entry_without_name_fails(tmp_path):
    text = edit(seed_text(), '"2101101 行政单位医疗": 32060', '"2101101": 32060')
    f = the_finding(tmp_path, text, "catalog-function")
    assert f.location.line == line_of(text, '"2101101": 32060')
    assert "科目编码 科目名称" in f.message


def test_department_economic_codes_of_the_catalogue_pass(tmp_path):
    passes(tmp_path, seed_text())


def test_department_economic_code_with_wrong_name_fails(tmp_path):
    text = edit(seed_text(), '"30201 办公费": 117000', '"30201 办公经费": 117000')
    f = the_finding(tmp_path, text, "catalog-economic-department")
    assert f.location.line == line_of(text, '"30201 办公经费"')
    assert "“办公费”" in f.message and "“办公经费”" in f.message


def test_government_economic_override_of_the_catalogue_passes(tmp_path):
    passes(tmp_path, seed_text())  # "30107 绩效工资": "50501 工资福利支出"


def test_government_economic_unknown_name_fails(tmp_path):
    text = edit(seed_text(), '"50501 工资福利支出"', '"50501 工资福利"')
    f = the_finding(tmp_path, text, "catalog-economic-government")
    assert f.location.line == line_of(text, '"50501 工资福利"')
    assert "“工资福利支出”" in f.message and "“工资福利”" in f.message


def test_codes_at_the_right_level_pass(tmp_path):
    passes(tmp_path, seed_text())


def test_code_at_the_wrong_level_fails(tmp_path):
    text = edit(seed_text(), '"2014101 行政运行": 77500', '"20141 数据事务": 77500')
    f = the_finding(tmp_path, text, "catalog-level")
    assert f.location.line == line_of(text, '"20141 数据事务"')
    assert "款" in f.message and "项" in f.message and "7 位" in f.message


def test_economic_code_at_the_class_level_fails(tmp_path):
    text = edit(seed_text(), '"31002 办公设备购置": 59260', '"310 资本性支出": 59260')
    f = the_finding(tmp_path, text, "catalog-level")
    assert f.location.line == line_of(text, '"310 资本性支出"')
    assert "类" in f.message and "5 位" in f.message


def test_government_economic_override_allowed_by_mapping_passes(tmp_path):
    # 30113 住房公积金 of a 机关 maps to 50103; 50501 is its 事业单位 side, also allowed.
    text = edit(seed_text(), '          "30107 绩效工资": "50501 工资福利支出"\n',
                '          "30107 绩效工资": "50501 工资福利支出"\n'
                '          "30113 住房公积金": "50501 工资福利支出"\n')
    budget, derived, found = check(write(tmp_path, text))
    assert found == []
    assert derived.tables[6].row("住房公积金").name2 == "工资福利支出"


def test_government_economic_override_not_in_mapping_fails(tmp_path):
    text = edit(seed_text(), '"30107 绩效工资": "50501 工资福利支出"',
                '"30107 绩效工资": "50201 办公经费"')
    f = the_finding(tmp_path, text, "catalog-mapping")
    assert f.location.line == line_of(text, '"30107 绩效工资": "50201')
    assert "30107 绩效工资" in f.message and "50201 办公经费" in f.message
    assert "50101 工资奖金津补贴" in f.message and "50501 工资福利支出" in f.message


def test_economic_code_missing_from_the_mapping_fails(tmp_path):
    text = seed_text()
    doc = load_file(write(tmp_path, text))
    assert validate(doc) == []
    catalogs = load_catalogs()
    without = replace(catalogs, mapping={k: v for k, v in catalogs.mapping.items() if k != "30201"})
    budget, found = build(doc, without)
    assert [(f.rule, f.location.line) for f in found] == [
        ("catalog-mapping", line_of(text, '"30201 办公费"'))]
    assert "30201 办公费" in found[0].message


def test_distinct_codes_pass(tmp_path):
    passes(tmp_path, seed_text())


def test_same_code_written_twice_fails(tmp_path):
    # Not a duplicate YAML key (the texts differ), but the same 科目 twice.
    text = edit(seed_text(), '          "30202 印刷费": 10000\n',
                '          "30202 印刷费": 10000\n          "30201  办公费": 100\n')
    f = the_finding(tmp_path, text, "duplicate-code")
    assert f.location.line == line_of(text, '"30201  办公费"')
    first = line_of(text, '"30201 办公费"')
    assert "30201" in f.message and f"第 {first} 行" in f.message


# ---- the synthetic budget of a department with several units -------------------------------

def test_synthetic_jiaoyu_budget_passes_and_fills_the_other_tables():
    if not JIAOYU_YAML.exists():
        pytest.skip("budgets/2026/zezhou-jiaoyu.yaml is not written yet")
    budget, derived, found = check(str(JIAOYU_YAML))
    assert found == [], [f.text() for f in found]
    for number in (7, 8, 10, 11, 12, 13):
        assert not derived.tables[number].empty, f"表{number}"
