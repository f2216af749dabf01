"""Every rule and every check made outside the rules (the catalogue's and the model's while the
model is built, the disclosure standard's before the rules run): one budget that passes it and
one that fails it.

Each case is the real example with one thing changed in its text.  A failing case asserts the
rule id, the severity, the line the finding points at and that the message names both figures.
"""
from __future__ import annotations

import ast
import re
from dataclasses import replace

import pytest

from conftest import (JIAOYU_YAML, ROOT, SEED_YAML, block_lines, cells, edit, findings,
                      line_of, of_rule, seed_text, write)
from generator import cli
from generator.catalog import NAMES as CATALOG_NAMES
from generator.catalog import load_catalogs
from generator.check import check
from generator.findings import ERROR, WARNING
from generator.loader import load_file
from generator.model import build
from generator.profiles import available, load_profile
from generator.render import render_html
from generator.rules import RULES
from generator.schema import validate

# The checks made while the model is built (generator/model.py): the catalogue's, of every
# classification entry ...
CATALOG_RULES = {"catalog-function", "catalog-economic-department", "catalog-economic-government",
                 "catalog-level", "catalog-mapping", "duplicate-code", "catalog-unlisted"}
# ... and the model's own, of the entries only the model splits into code and amount
MODEL_RULES = {"public-part", "glossary-entry"}
# The checks of a budget against its disclosure standard (generator/profiles.py, called by
# check.profile_for once the model is built and before the rules run)
PROFILE_RULES = {"standard-unknown", "standard-requires", "vehicle-category", "standard-source"}

# rule id -> the tests that pass and fail it (checked by test_every_rule_has_tests below)
RULE_TESTS = {
    "basic-function-economic": ("test_basic_moving_100_yuan_between_economic_rows_passes",
                                "test_basic_adding_100_yuan_to_one_economic_row_fails"),
    "project-performance-funds": ("test_project_funds_split_over_two_sources_passes",
                                  "test_project_funds_differ_from_performance_table_fails"),
    "project-period-funds": ("test_period_funds_for_several_years_pass",
                             "test_period_funds_below_annual_fail"),
    "project-period-scale": ("test_period_funds_of_three_years_at_three_times_the_annual_pass",
                             "test_period_funds_above_years_times_annual_warn"),
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
    "procurement-set-aside": ("test_set_aside_equal_to_the_procurement_total_passes",
                              "test_set_aside_1_yuan_above_the_procurement_total_fails"),
    "office-operation-stated": ("test_office_operation_stated_equal_to_the_units_public_funds_passes",
                                "test_office_operation_stated_1_yuan_below_the_units_public_funds_fails"),
    "three-public-ledger": ("test_three_public_up_to_the_lines_that_pay_for_it_passes",
                            "test_three_public_1_fen_above_the_lines_that_pay_for_it_fails"),
    "stated-within-total": ("test_procurement_equal_to_the_total_expenditure_passes",
                            "test_figures_stated_beside_the_ledger_above_their_total_fail"),
    "prior-year-scale": ("test_prior_total_within_tenfold_of_this_year_passes",
                         "test_prior_total_written_in_wan_for_yuan_warns"),
    "performance-coverage": ("test_performance_coverage_matching_the_project_forms_passes",
                             "test_performance_coverage_one_project_short_of_the_forms_fails"),
    "purpose-code": ("test_purpose_of_a_code_the_budget_spends_under_passes",
                     "test_purpose_of_a_code_the_budget_does_not_spend_under_warns"),
    "prior-by-source": ("test_prior_general_budget_by_source_equal_to_general_budget_passes",
                        "test_prior_general_budget_by_source_1_yuan_more_fails"),
    "control-total": ("test_control_totals_that_match_pass", "test_control_total_that_differs_fails"),
    "change-reason": ("test_unchanged_figure_needs_no_reason", "test_change_without_reason_fails"),
    "three-public-prior": ("test_three_public_with_prior_year_passes",
                           "test_three_public_without_prior_year_fails"),
    "prior-year-file": ("test_prior_year_matching_prior_file_passes",
                        "test_prior_year_differing_from_prior_file_fails"),
    "year-folder": ("test_file_in_its_year_folder_passes", "test_file_in_another_year_folder_fails"),
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
    "public-part": ("test_public_part_equal_to_its_entry_passes",
                    "test_public_part_1_cent_above_its_entry_fails"),
    "glossary-entry": ("test_glossary_entries_replacing_and_removing_terms_pass",
                       "test_glossary_entry_with_both_or_neither_fails"),
    "standard-unknown": ("test_a_standard_that_has_a_profile_passes",
                         "test_a_standard_without_a_profile_fails_at_its_line"),
    "standard-requires": ("test_a_budget_with_every_fact_its_standard_prints_passes",
                          "test_a_unit_without_staff_fails_in_shanxi"),
    "vehicle-category": ("test_vehicle_categories_of_the_budgets_own_standard_pass",
                         "test_a_vehicle_category_of_another_standard_fails"),
    "standard-source": ("test_sources_the_standard_has_columns_for_pass",
                        "test_a_source_the_standard_has_no_column_for_fails"),
    # in test_catalog.py:
    "catalog-unlisted": ("test_function_codes_of_the_catalogue_pass",
                         "test_an_unlisted_item_under_an_incomplete_section_is_a_warning_and_builds"),
    "catalog-year": ("test_function_codes_of_the_catalogue_pass",
                     "test_the_catalogue_year_is_compared_with_the_budgets"),
    "fund-function-code": ("test_synthetic_jiaoyu_budget_passes_and_fills_the_other_tables",
                           "test_fund_money_must_be_spent_under_fund_codes"),
}


def reported_ids(module: str) -> set[str]:
    """The ids of the checks a module of generator/ makes outside the @rule checks, read from
    its source: the id passed to self.error(where, id, …) or to Finding(where, severity, id, …);
    model.py names a catalogue's check after the catalogue (catalog-function, …)."""
    ids = set()
    for node in ast.walk(ast.parse((ROOT / "generator" / module).read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        func = ast.unparse(node.func)
        arg = (node.args[1] if func == "self.error" and len(node.args) > 1 else
               node.args[2] if func == "Finding" and len(node.args) > 2 else None)
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            ids.add(arg.value)
        elif isinstance(arg, ast.JoinedStr) and ast.unparse(arg).startswith('f"catalog-{catalog.name'):
            ids |= {f"catalog-{name.replace('_', '-')}" for name in CATALOG_NAMES}
    return ids


def model_rule_ids() -> set[str]:
    """The ids of the checks made while the model is built, read from generator/model.py."""
    return reported_ids("model.py")


def profile_rule_ids() -> set[str]:
    """The ids of the checks against the budget's disclosure standard, read from
    generator/profiles.py."""
    return reported_ids("profiles.py")


def test_model_and_profile_rule_lists_are_complete():
    assert model_rule_ids() == CATALOG_RULES | MODEL_RULES
    assert profile_rule_ids() == PROFILE_RULES


def test_every_rule_has_tests():
    ids = {r.id for r in RULES} | model_rule_ids() | profile_rule_ids()
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


# ---- project-period-scale ----------------------------------------------------------------------
# zezhou-jiaoyu has a 3-year project of 380,000 元 a year

def jiaoyu_with_period_funds(local: str) -> str:
    return edit(JIAOYU_YAML.read_text(encoding="utf-8"),
                "implementation: {central: 0, provincial: 0, local: 1140000, self_raised: 0}",
                f"implementation: {{central: 0, provincial: 0, local: {local}, self_raised: 0}}")


def test_period_funds_of_three_years_at_three_times_the_annual_pass(tmp_path):
    found = findings(write(tmp_path, jiaoyu_with_period_funds("1140000")))
    assert of_rule(found, "project-period-scale") == []


def test_period_funds_above_years_times_annual_warn(tmp_path):
    text = jiaoyu_with_period_funds("1140000.01")
    f, = of_rule(findings(write(tmp_path, text)), "project-period-scale")
    assert f.severity == WARNING and f.location.line == line_of(text, "local: 1140000.01")
    assert "1,140,000.01 元" in f.message and "380,000.00 元 × 项目期 3 年 = 1,140,000.00 元" in f.message


# ---- three-public-ledger ---------------------------------------------------------------------
# 泽州县教育督导评估中心 (zezhou-jiaoyu): 公务用车购置 150,000 元, its basic line “31013 公务用车购置”
# 150,000 元, its projects 640,000 元 of 一般公共预算: at most 790,000 元 can pay for the car.

def jiaoyu_with_vehicle_purchase(amount: str) -> str:
    return edit(JIAOYU_YAML.read_text(encoding="utf-8"),
                "        vehicle_purchase: 150000      # 购置督导检查用执法执勤用车 1 辆（编制内）",
                f"        vehicle_purchase: {amount}")


def test_three_public_up_to_the_lines_that_pay_for_it_passes(tmp_path):
    found = findings(write(tmp_path, jiaoyu_with_vehicle_purchase("790000")))
    assert of_rule(found, "three-public-ledger") == [], [f.text() for f in found]


def test_three_public_1_fen_above_the_lines_that_pay_for_it_fails(tmp_path):
    text = jiaoyu_with_vehicle_purchase("790000.01")
    f, = of_rule(findings(write(tmp_path, text)), "three-public-ledger")
    assert f.location.line == line_of(text, "vehicle_purchase: 790000.01")
    for words in ("泽州县教育督导评估中心", "公务用车购置费 790,000.01 元", "“31013 公务用车购置” 150,000.00 元",
                  "项目支出 640,000.00 元", "相差 0.01 元"):
        assert words in f.message, f.message


def test_a_three_public_figure_of_a_quadrillion_is_refused(tmp_path):
    # found by a campaign: 表十 printed 100000000038.50 万元 against a 收入总计 of 4832.36 万元
    text = jiaoyu_with_vehicle_purchase("999999999999999.99")
    assert of_rule(findings(write(tmp_path, text)), "three-public-ledger")


# ---- stated-within-total ----------------------------------------------------------------------
# the seed's 本年支出总计 is 5,432,252 元, its 上年收支总计 4,715,800 元

def test_procurement_equal_to_the_total_expenditure_passes(tmp_path):
    text = edit(seed_text(), "  total: 65200\n  goods: 65200\n", "  total: 5432252\n  goods: 5432252\n")
    passes(tmp_path, text)


@pytest.mark.parametrize("old, new, at, words", [
    ("  total: 65200\n  goods: 65200\n", "  total: 5432252.01\n  goods: 5432252.01\n",
     "total: 5432252.01", ["政府采购预算总额 5,432,252.01 元", "本年支出总计 5,432,252.00 元"]),
    ("purchased_services: []", "purchased_services: [{name: 信访接待服务, amount: 10000000000000}]",
     "purchased_services:", ["政府购买服务合计 10,000,000,000,000.00 元"]),
    ("  office_operation: 208106 ", "  office_operation: 4715800.01 ", "office_operation: 4715800.01",
     ["上年机关运行经费 4,715,800.01 元", "上年收支总计 4,715,800.00 元"]),
    ("  office_operation: 208106 ", "  office_operation: 208106\n  by_source: {政府性基金预算: 4715801}\n ",
     "by_source:", ["上年按来源填写的收入合计 4,715,801.00 元"]),
])
def test_figures_stated_beside_the_ledger_above_their_total_fail(tmp_path, old, new, at, words):
    text = edit(seed_text(), old, new)
    f, = of_rule(findings(write(tmp_path, text)), "stated-within-total")
    assert f.location.line == line_of(text, at)
    for word in words:
        assert word in f.message, f.message


# ---- prior-year-scale --------------------------------------------------------------------------

def test_prior_total_within_tenfold_of_this_year_passes(tmp_path):
    # this year's 收支总计 5,432,252 元: a prior year of 543,226 元 is less than ten times smaller
    text = edit(seed_text(), "total: 4715800", "total: 543226")
    text = edit(text, "general_budget: 4710752", "general_budget: 543226")
    found = findings(write(tmp_path, text))
    assert of_rule(found, "prior-year-scale") == [], [f.text() for f in found]


def test_prior_total_written_in_wan_for_yuan_warns(tmp_path):
    text = edit(seed_text(), "total: 4715800", "total: 471.58")  # 万元 written where 元 belongs
    text = edit(text, "general_budget: 4710752", "general_budget: 471.08")
    text = edit(text, "office_operation: 208106 ", "office_operation: 20.81 ")
    found = findings(write(tmp_path, text))
    assert {f.rule for f in found} == {"prior-year-scale"}, [f.text() for f in found]
    total, general = sorted(found, key=lambda f: f.location.line)
    assert total.severity == WARNING and total.location.line == line_of(text, "total: 471.58")
    assert "上年收支总计 471.58 元" in total.message and "本年收支总计 5,432,252.00 元" in total.message
    assert "11,519 倍" in total.message
    assert "上年一般公共预算 471.08 元" in general.message


# ---- procurement-set-aside -----------------------------------------------------------------

def with_set_aside(sme: str | None = None, small: str | None = None) -> str:
    """The seed (政府采购预算 65,200 元) with the parts set aside for small and medium-sized
    enterprises and, of those, for small and micro ones."""
    lines = "".join(f"  {key}: {value}\n" for key, value in (("sme_reserved", sme),
                                                             ("small_micro_reserved", small))
                    if value is not None)
    return edit(seed_text(), "  services: 0\n", "  services: 0\n" + lines)


def test_set_aside_equal_to_the_procurement_total_passes(tmp_path):
    # all of the 65,200 元 set aside for SMEs, and all of that for small and micro enterprises
    passes(tmp_path, with_set_aside("65200", "65200"))


def test_set_aside_1_yuan_above_the_procurement_total_fails(tmp_path):
    text = with_set_aside("65201")
    f = the_finding(tmp_path, text, "procurement-set-aside")
    assert f.location.line == line_of(text, "sme_reserved: 65201")
    assert "面向中小企业预留 65,201.00 元" in f.message
    assert "政府采购预算总额 65,200.00 元" in f.message


def test_small_and_micro_set_aside_above_the_sme_set_aside_fails(tmp_path):
    passes(tmp_path, with_set_aside("60000", "60000"))
    text = with_set_aside("60000", "60000.01")
    f = the_finding(tmp_path, text, "procurement-set-aside")
    assert f.location.line == line_of(text, "small_micro_reserved: 60000.01")
    assert "小型和微型企业的 60,000.01 元" in f.message and "面向中小企业预留的 60,000.00 元" in f.message


def test_small_and_micro_set_aside_without_an_sme_set_aside_is_compared_with_the_total(tmp_path):
    passes(tmp_path, with_set_aside(small="65200"))
    text = with_set_aside(small="65201")
    f = the_finding(tmp_path, text, "procurement-set-aside")
    assert f.location.line == line_of(text, "small_micro_reserved: 65201")
    assert "65,201.00 元" in f.message and "政府采购预算总额 65,200.00 元" in f.message


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


def test_three_public_change_explained_item_by_item_needs_no_total_reason(tmp_path):
    # Shanghai explains the “三公” changes item by item (change_reasons.three_public_items)
    text = with_three_public("\n  three_public: {outbound_travel: 0, reception: 4000,"
                             " vehicle_purchase: 0, vehicle_operation: 0}\n  ")
    passes(tmp_path, edit(text, "  three_public: 接待任务增加。\n",
                          "  three_public_items: {reception: 接待任务增加。}\n"))
    # an empty list of items explains nothing
    text = edit(text, "  three_public: 接待任务增加。\n", "  three_public_items: {}\n")
    f = the_finding(tmp_path, text, "change-reason")
    assert "“三公”经费" in f.message and "5,000.00 元" in f.message and "1,000.00 元" in f.message


def test_three_public_items_explain_only_the_items_they_name(tmp_path):
    # 公务接待费 went from 4,000 to 5,000 元: a reason for 因公出国（境）费 alone, or a blank one
    # for 公务接待费, leaves it unexplained
    text = with_three_public("\n  three_public: {outbound_travel: 0, reception: 4000,"
                             " vehicle_purchase: 0, vehicle_operation: 0}\n  ")
    for items in ("{outbound_travel: 统筹安排。}", '{outbound_travel: 统筹安排。, reception: ""}'):
        f = the_finding(tmp_path, edit(text, "  three_public: 接待任务增加。\n",
                                       f"  three_public_items: {items}\n"), "change-reason")
        assert "公务接待费本年 5,000.00 元" in f.message and "three_public_items.reception" in f.message


# ---- prior-year-file -----------------------------------------------------------------------

def prior_file(tmp_path) -> None:
    """budgets/2025/ holds last year's file: the seed as 2025 (5,432,252 元 in all,
    一般公共预算 this year 5,429,652 元, 机关运行经费 348,620 元)."""
    text = edit(seed_text(), "year: 2026", "year: 2025")
    text = edit(text, 'as_of: "2025-12-31"', 'as_of: "2024-12-31"')
    found = findings(write(tmp_path / "budgets" / "2025", text, "zezhou-xinfang.yaml"))
    # a 2025 budget checked with the 2026 catalogue says so, and nothing else
    assert [f.rule for f in found] == ["catalog-year"], [f.text() for f in found]


def test_prior_year_by_source_is_checked_against_the_prior_file(tmp_path):
    # the seed as 2025 had 一般公共预算 income of 5,429,652 元 (without carry-over)
    prior_file(tmp_path)
    line = "  office_operation: 208106    # 机关运行经费（财政拨款）\n"
    base = edit(seed_text(), "total: 4715800", "total: 5432252")
    base = edit(base, "general_budget: 4710752", "general_budget: 5429652")
    base = edit(base, "office_operation: 208106 ", "office_operation: 348620 ")
    line = line.replace("208106 ", "348620 ")
    good = edit(base, line, line + "  by_source: {一般公共预算: 5429652}\n")
    folder = tmp_path / "budgets" / "2026"
    assert of_rule(findings(write(folder, good, "zezhou-xinfang.yaml")), "prior-year-file") == []
    bad = edit(base, line, line + "  by_source: {一般公共预算: 5429653}\n")
    found = of_rule(findings(write(folder, bad, "zezhou-xinfang.yaml")), "prior-year-file")
    assert [f.location.line for f in found] == [line_of(bad, "by_source:")]
    assert "上年一般公共预算收入 5,429,653.00 元" in found[0].message and "5,429,652.00 元" in found[0].message


def test_prior_year_matching_prior_file_passes(tmp_path):
    prior_file(tmp_path)
    text = edit(seed_text(), "total: 4715800", "total: 5432252")
    text = edit(text, "general_budget: 4710752", "general_budget: 5429652")
    text = edit(text, "office_operation: 208106", "office_operation: 348620")
    passes(tmp_path / "budgets" / "2026", text, "zezhou-xinfang.yaml")


def test_prior_year_differing_from_prior_file_fails(tmp_path):
    prior_file(tmp_path)
    text = edit(seed_text(), "total: 4715800", "total: 5430000")  # ≥ its parts, ≠ the file's
    text = edit(text, "general_budget: 4710752", "general_budget: 5429652")
    text = edit(text, "office_operation: 208106", "office_operation: 348620")
    f = the_finding(tmp_path / "budgets" / "2026", text, "prior-year-file",
                    name="zezhou-xinfang.yaml")
    assert f.location.line == line_of(text, "total: 5430000")
    assert "5,430,000.00 元" in f.message and "5,432,252.00 元" in f.message
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


# ---- office-operation-stated ---------------------------------------------------------------

def with_office_operation(value: str, kind: str = "行政单位") -> str:
    """The seed with 机关运行经费 stated for the whole department, as Shanghai publishes it.
    The seed's one unit, a 行政单位, has 348,620 元 of 公用经费, all 一般公共预算. The unit is
    renamed: the whole department's money is held under the department's name, and the check
    of unit names counts that holder as a unit of the same name."""
    text = edit(seed_text(), "  - name: 泽州县信访局\n    kind: 行政单位",
                f"  - name: 泽州县信访局机关\n    kind: {kind}")
    return edit(text, "\nprior_year:  ", f"\nwhole_department:\n  office_operation: {value}\n\nprior_year:  ")


def test_office_operation_stated_equal_to_the_units_public_funds_passes(tmp_path):
    passes(tmp_path, with_office_operation("348620"))


def test_whole_department_money_beside_a_unit_of_the_departments_name_passes(tmp_path):
    # the seed's unit is named like its department (泽州县信访局): the whole department's
    # money is not a second unit of that name
    passes(tmp_path, edit(seed_text(), "\nprior_year:  ",
                          "\nwhole_department:\n  office_operation: 348620\n\nprior_year:  "))


def test_office_operation_stated_1_yuan_below_the_units_public_funds_fails(tmp_path):
    text = with_office_operation("348619")
    f = the_finding(tmp_path, text, "office-operation-stated")
    assert f.location.line == line_of(text, "office_operation: 348619")
    assert "机关运行经费填写 348,619.00 元" in f.message and "348,620.00 元" in f.message
    assert "相差 1.00 元" in f.message


def test_office_operation_stated_above_the_public_funds_fails_twice(tmp_path):
    text = with_office_operation("348621")
    found = of_rule(findings(write(tmp_path, text)), "office-operation-stated")
    assert {f.location.line for f in found} == {line_of(text, "office_operation: 348621")}
    assert len(found) == 2
    ceiling = next(f for f in found if "大于" in f.message)
    assert "机关运行经费 348,621.00 元" in ceiling.message and "公用经费 348,620.00 元" in ceiling.message
    units = next(f for f in found if f is not ceiling)
    assert "填写 348,621.00 元" in units.message and "计算为 348,620.00 元" in units.message


def test_office_operation_stated_without_administrative_units_is_at_most_the_public_funds(tmp_path):
    # a 事业单位 has no 机关运行经费 of its own: only the ceiling applies, the 公用经费 of the
    # sources the standard counts (Shanxi: all 财政拨款)
    passes(tmp_path, with_office_operation("348620", kind="事业单位"))
    passes(tmp_path, with_office_operation("100", kind="事业单位"))
    text = with_office_operation("348621", kind="事业单位")
    f = the_finding(tmp_path, text, "office-operation-stated")
    assert f.location.line == line_of(text, "office_operation: 348621")
    assert "机关运行经费 348,621.00 元" in f.message and "公用经费 348,620.00 元" in f.message
    assert "财政拨款基本支出" in f.message


# ---- performance-coverage ------------------------------------------------------------------

# the seed's six projects of this year each have a 绩效目标表: 2,228,512 元 in all
def with_coverage(projects: int, amount: str) -> str:
    return edit(seed_text(), '\nother_notes: ""',
                f'\nperformance_coverage: {{projects: {projects}, amount: {amount}}}\nother_notes: ""')


def test_performance_coverage_matching_the_project_forms_passes(tmp_path):
    passes(tmp_path, with_coverage(6, "2228512"))


def test_performance_coverage_one_project_short_of_the_forms_fails(tmp_path):
    text = with_coverage(5, "2228512")
    f = the_finding(tmp_path, text, "performance-coverage")
    assert f.location.line == line_of(text, "performance_coverage:")
    assert "5 个项目、2,228,512.00 元" in f.message and "6 个、2,228,512.00 元" in f.message


def test_performance_coverage_1_yuan_above_the_project_spending_fails(tmp_path):
    text = with_coverage(6, "2228513")
    found = of_rule(findings(write(tmp_path, text)), "performance-coverage")
    assert {f.location.line for f in found} == {line_of(text, "performance_coverage:")}
    above = next(f for f in found if "大于" in f.message)
    assert "2,228,513.00 元" in above.message and "本年项目支出 2,228,512.00 元" in above.message
    assert len(found) == 2  # and it is not what the forms add up to


def test_performance_coverage_with_money_but_no_projects_fails(tmp_path):
    text = with_coverage(0, "2228512")
    found = of_rule(findings(write(tmp_path, text)), "performance-coverage")
    assert {f.location.line for f in found} == {line_of(text, "performance_coverage:")}
    assert any("2,228,512.00 元" in f.message and "项目个数却为 0" in f.message for f in found)


PUTUO_YAML = ROOT / "budgets" / "2026" / "putuo-wenlv.yaml"


def test_performance_coverage_of_projects_not_itemised_is_compared_with_the_project_spending(tmp_path):
    """The Shanghai example publishes its 项目支出 by 功能科目 only: there are no forms to count,
    and the coverage is at most the 项目支出."""
    if not PUTUO_YAML.exists():
        pytest.skip("budgets/2026/putuo-wenlv.yaml is not written yet")
    text = PUTUO_YAML.read_text(encoding="utf-8")
    budget, derived, found = check(str(PUTUO_YAML))
    assert found == [], [f.text() for f in found]
    project = derived.figures["performance"]["project"]
    stated = re.search(r"^performance_coverage:.*\n  projects: \d+.*\n  amount: (\d+)", text, re.M)
    at_most = text.replace(stated.group(0), stated.group(0).replace(stated.group(1), str(project)))
    passes(tmp_path, at_most, "putuo.yaml")
    over = text.replace(stated.group(0), stated.group(0).replace(stated.group(1), str(project + 1)))
    f = the_finding(tmp_path, over, "performance-coverage", name="putuo.yaml")
    assert f.location.line == line_of(over, "performance_coverage:")
    assert f"{project + 1:,}.00 元" in f.message and f"本年项目支出 {project:,}.00 元" in f.message


# ---- purpose-code --------------------------------------------------------------------------

def with_purposes(*entries: str) -> str:
    return edit(seed_text(), '\nother_notes: ""',
                "\npurposes:\n" + "".join(f"  {e}\n" for e in entries) + 'other_notes: ""')


def test_purpose_of_a_code_the_budget_spends_under_passes(tmp_path):
    passes(tmp_path, with_purposes('"2014004 信访业务": 受理、办理群众来信来访',
                                   '"2014001 行政运行": 机关日常运转的人员和公用支出'))


def test_purpose_of_a_code_the_budget_does_not_spend_under_warns(tmp_path):
    text = with_purposes('"2014004 信访业务": 受理、办理群众来信来访',
                         '"2014002 一般行政管理事务": 日常行政管理')
    f = the_finding(tmp_path, text, "purpose-code", WARNING)
    assert f.location.line == line_of(text, '"2014002 一般行政管理事务"')
    assert "2014002" in f.message and "没有这一科目的支出" in f.message


# ---- prior-by-source -----------------------------------------------------------------------

def with_prior_by_source(general: str, own: str = "5048") -> str:
    """The seed's prior year (一般公共预算 4,710,752 元 of 4,715,800 元) also written by source."""
    line = "  office_operation: 208106    # 机关运行经费（财政拨款）\n"
    return edit(seed_text(), line, f"{line}  by_source: {{一般公共预算: {general}, 单位资金: {own}}}\n")


def test_prior_general_budget_by_source_equal_to_general_budget_passes(tmp_path):
    passes(tmp_path, with_prior_by_source("4710752"))


def test_prior_general_budget_by_source_1_yuan_more_fails(tmp_path):
    text = with_prior_by_source("4710753", "5047")  # the sources still add up to the total
    f = the_finding(tmp_path, text, "prior-by-source")
    assert f.location.line == line_of(text, "一般公共预算: 4710753")
    assert "4,710,753.00 元" in f.message and "4,710,752.00 元" in f.message
    assert "相差 1.00 元" in f.message


# ---- year-folder ---------------------------------------------------------------------------

def test_file_in_its_year_folder_passes(tmp_path):
    passes(tmp_path / "2026", seed_text())


def test_file_in_another_year_folder_fails(tmp_path):
    text = seed_text()
    f = the_finding(tmp_path / "2025", text, "year-folder")
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


def test_assets_date_of_a_shanghai_budget_is_31_august(tmp_path):
    text = in_shanghai(seed_text())
    assert 'as_of: "2025-08-31"' in text
    passes(tmp_path, text)
    text = edit(text, 'as_of: "2025-08-31"', 'as_of: "2025-12-31"')
    f = the_finding(tmp_path, text, "assets-date", WARNING)
    assert f.location.line == line_of(text, "as_of:")
    assert "2025-12-31" in f.message and "2025-08-31" in f.message


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


# ---- public-part (while the model is built) ------------------------------------------------

def with_public_part(entries: str) -> str:
    """The seed with a part of an economic entry of 人员经费 counted as 公用经费 (Shanghai's 表8
    lists part of 30302 退休费 so); the seed's 30302 退休费 is 167,310 元."""
    return edit(seed_text(), "        government_economic:    # 与默认对照不同的政府经济分类\n",
                f"        public_part: {{{entries}}}\n"
                "        government_economic:    # 与默认对照不同的政府经济分类\n")


def test_public_part_equal_to_its_entry_passes(tmp_path):
    text = with_public_part('"30302 退休费": 167310')
    passes(tmp_path, text)
    budget, derived, found = check(write(tmp_path, text))
    basic = derived.figures["general_basic"]
    # 348,620 元 of 公用经费 in the seed, 3,201,140 元 of 基本支出 in all
    assert (basic["public"], basic["personnel"]) == (348620 + 167310, 3201140 - 348620 - 167310)


def test_public_part_written_twice_for_one_code_fails(tmp_path):
    # two spellings of one code: the second would silently replace the first
    text = with_public_part('"30302 退休费": 1000, "30302  退休费": 2000')
    f = the_finding(tmp_path, text, "duplicate-code")
    assert "30302" in f.message and f.location.line == line_of(text, "public_part:")


def test_assets_date_follows_the_budgets_own_standard_when_rendered_in_another(tmp_path):
    # the seed counts its assets at 2025-12-31, as Shanxi does; checked for Shanghai's tables
    # it is still a Shanxi budget: no warning about Shanghai's 8-31
    path = write(tmp_path, seed_text())
    assert of_rule(check(path, "shanghai")[2], "assets-date") == []


def test_public_part_1_cent_above_its_entry_fails(tmp_path):
    text = with_public_part('"30302 退休费": 167310.01')
    f = the_finding(tmp_path, text, "public-part")
    assert f.location.line == line_of(text, "public_part:")
    assert "30302 退休费" in f.message
    assert "167,310.01 元" in f.message and "167,310.00 元" in f.message


@pytest.mark.parametrize("entry", ['"30201 办公费": 1000',  # 商品和服务支出: all 公用经费 already
                                   '"30199 其他工资福利支出": 100'])  # 301, not in by_economic
def test_public_part_of_an_entry_that_is_not_personnel_spending_of_the_budget_fails(tmp_path, entry):
    text = with_public_part(entry)
    f = the_finding(tmp_path, text, "public-part")
    assert f.location.line == line_of(text, "public_part:")
    assert entry.split('"')[1] in f.message and "by_economic" in f.message
    assert "(301)" in f.message and "(303)" in f.message


# ---- glossary-entry (while the model is built) ---------------------------------------------

GLOSSARY = ("\nglossary:\n"
            "  - {term: 单位资金, remove: true}\n"
            "  - {term: 上年结转, definition: 指2025年预算安排、结转到2026年继续使用的资金。}\n"
            "  - {term: 信访事项, definition: 指信访人提出的建议、意见或者投诉请求。}\n")


def with_glossary(text: str = GLOSSARY) -> str:
    return seed_text() + text


def test_glossary_entries_replacing_and_removing_terms_pass(tmp_path):
    passes(tmp_path, with_glossary())
    passes(tmp_path, with_glossary("\nglossary:\n  - {term: 单位资金, remove: True}\n"))


@pytest.mark.parametrize("entry", ["{term: 单位资金, remove: true, definition: 本部门没有单位资金。}",
                                   "{term: 单位资金}", "{term: 单位资金, remove: false}"])
def test_glossary_entry_with_both_or_neither_fails(tmp_path, entry):
    text = with_glossary(f"\nglossary:\n  - {entry}\n")
    f = the_finding(tmp_path, text, "glossary-entry")
    assert f.location.line == line_of(text, "  - {term: 单位资金")
    assert "“单位资金”" in f.message and "definition" in f.message and "remove: true" in f.message


@pytest.mark.parametrize("value", ["yes", "是", "1"])
def test_glossary_remove_other_than_true_fails(tmp_path, value):
    # `yes` is true in YAML 1.1 but only “true” is: a budget officer's 是 is not taken as a yes
    text = with_glossary(f"\nglossary:\n  - {{term: 单位资金, remove: {value}}}\n")
    f = the_finding(tmp_path, text, "glossary-entry")
    assert f.location.line == line_of(text, "  - {term: 单位资金")
    assert f"“{value}”" in f.message and "true" in f.message


def glossary_terms(html: str) -> dict:
    """第四部分 名词解释 as printed: term → definition, in order."""
    return dict(re.findall(r"<dt>[^<、]*、([^<]*)</dt><dd>([^<]*)</dd>", html))


def test_glossary_remove_leaves_the_standard_term_out_and_a_definition_replaces_it(tmp_path):
    seed_budget, seed_derived, _ = check(str(SEED_YAML))
    standard = glossary_terms(render_html(seed_budget, seed_derived))
    assert "单位资金" in standard and standard["上年结转"].startswith("指以前年度预算安排")
    budget, derived, found = check(write(tmp_path, with_glossary()))
    assert found == [], [f.text() for f in found]
    html = render_html(budget, derived)
    terms = glossary_terms(html)
    assert "单位资金" not in terms and "是指除政府预算资金和财政专户管理资金以外的资金" not in html
    assert terms["上年结转"] == "指2025年预算安排、结转到2026年继续使用的资金。"
    assert "指以前年度预算安排" not in html
    assert list(terms)[-1] == "信访事项"  # a new term comes after the standard's
    assert list(terms) == [t for t in standard if t != "单位资金"] + ["信访事项"]


# ---- the budget's disclosure standard (templates/<standard>/profile.yaml) ------------------

SHANXI_VEHICLES = ("      领导用车: 0\n      机要通信用车: 0\n      应急保障用车: 0\n      执法执勤用车: 0\n"
                   "      特种专业技术用车: 0\n      事业单位业务用车: 0\n      其他公务用车: 0\n")
SHANGHAI_VEHICLES = ("      部级领导干部用车: 0\n      主要领导干部用车: 0\n      机要通信用车: 0\n"
                     "      应急保障用车: 0\n      执法执勤用车: 0\n      特种专业技术用车: 0\n"
                     "      离退休干部用车: 0\n      其他用车: 0\n")


def in_shanghai(text: str) -> str:
    """The budget as published in Shanghai's standard: `standard: shanghai`, its eight vehicle
    categories and its 国有资产 date (上年 8 月 31 日)."""
    text = edit(text, "status: draft ", "standard: shanghai\nstatus: draft ")
    text = edit(text, SHANXI_VEHICLES, SHANGHAI_VEHICLES)
    return edit(text, 'as_of: "2025-12-31"', 'as_of: "2025-08-31"')


def test_the_vehicle_categories_written_here_are_the_profiles():
    categories = lambda block: tuple(line.split(":")[0].strip() for line in block.splitlines())
    assert categories(SHANXI_VEHICLES) == load_profile("shanxi").vehicle_categories
    assert categories(SHANGHAI_VEHICLES) == load_profile("shanghai").vehicle_categories
    assert (len(load_profile("shanxi").vehicle_categories),
            len(load_profile("shanghai").vehicle_categories)) == (7, 8)


# standard-unknown

def test_a_standard_that_has_a_profile_passes(tmp_path):
    passes(tmp_path, edit(seed_text(), "status: draft ", "standard: shanxi\nstatus: draft "))
    passes(tmp_path, in_shanghai(seed_text()))


def test_a_standard_without_a_profile_fails_at_its_line(tmp_path):
    text = edit(seed_text(), "status: draft ", "standard: beijing\nstatus: draft ")
    f = the_finding(tmp_path, text, "standard-unknown")
    assert f.location.line == line_of(text, "standard: beijing")
    assert "“beijing”" in f.message and "、".join(available()) in f.message
    assert {"shanghai", "shanxi"} <= set(available())


def test_budget_check_reports_an_unknown_standard_and_nothing_else(tmp_path, capsys):
    text = edit(seed_text(), "status: draft ", "standard: beijing\nstatus: draft ")
    path = write(tmp_path, text)
    assert cli.main(["check", path]) == 1
    out = capsys.readouterr().out
    assert out.splitlines() == [f"{path}:{line_of(text, 'standard: beijing')}:1: error "
                                "standard-unknown 没有名为“beijing”的公开标准；可用的有："
                                + "、".join(available())]
    # asked for by name (generator.check.check's `standard`, `budget build --standard`): the
    # file has no line for it
    [f] = check(write(tmp_path, seed_text(), "seed.yaml"), "beijing")[2]
    assert (f.rule, f.location.line) == ("standard-unknown", 1)


# standard-requires

def _unit_staff() -> str:
    """The seed unit's `staff:` block, as written."""
    text = seed_text()
    lines = text.splitlines(keepends=True)
    block = block_lines(text, line_of(text, "    staff:"))
    return "".join(lines[block.start - 1:block.stop - 1])


UNIT_STAFF = _unit_staff()


def test_a_budget_with_every_fact_its_standard_prints_passes(tmp_path):
    passes(tmp_path, seed_text())
    # Shanghai prints no unit's staff: a budget without them passes in that standard
    passes(tmp_path, in_shanghai(edit(seed_text(), UNIT_STAFF, "")))


def test_a_unit_without_staff_fails_in_shanxi(tmp_path):
    text = edit(seed_text(), UNIT_STAFF, "")
    f = the_finding(tmp_path, text, "standard-requires")
    assert f.location.line == line_of(text, "  - name: 泽州县信访局")
    assert "山西省部门预算公开格式" in f.message and "各单位的编制和在职人员" in f.message
    assert "units.0.staff" in f.message


def test_a_project_without_its_performance_form_fails_in_shanxi(tmp_path):
    text = seed_text()
    project = line_of(text, "      - name: 遗属补助")
    lines = text.splitlines(keepends=True)
    form = block_lines(text, line_of(text, "        performance:", after=project))
    text = "".join(line for n, line in enumerate(lines, 1) if n not in form)
    f = the_finding(tmp_path, text, "standard-requires")
    assert f.location.line == line_of(text, "      - name: 遗属补助")
    assert "项目支出绩效目标表" in f.message and "units.0.projects.1.performance" in f.message


def test_a_budget_without_the_department_form_fails_in_shanxi(tmp_path):
    text = seed_text()
    text = text[:text.index("\nperformance:  ") + 1]
    f = the_finding(tmp_path, text, "standard-requires")
    assert f.location.line == 1  # a top-level key: the file itself
    assert "部门整体支出绩效目标表" in f.message and f.message.endswith(" performance")


def test_budget_check_with_another_standard_asks_for_that_standards_facts(tmp_path, capsys):
    path = write(tmp_path, edit(seed_text(), UNIT_STAFF, ""))
    assert cli.main(["check", path]) == 1
    assert "error standard-requires" in capsys.readouterr().out
    assert cli.main(["check", "--standard", "shanghai", path]) == 0  # a warning of its date only
    assert "error" not in capsys.readouterr().out


# vehicle-category

def test_vehicle_categories_of_the_budgets_own_standard_pass(tmp_path):
    passes(tmp_path, seed_text())  # Shanxi's seven
    passes(tmp_path, in_shanghai(seed_text()))  # Shanghai's eight
    # rendered in another standard, the budget keeps its own standard's categories
    found = check(write(tmp_path, seed_text()), "shanghai")[2]
    assert not of_rule(found, "vehicle-category"), [f.text() for f in found]


def test_a_vehicle_category_of_another_standard_fails(tmp_path):
    text = edit(seed_text(), "      其他公务用车: 0\n", "      其他用车: 0\n")  # Shanghai's word
    found = findings(write(tmp_path, text))
    assert {f.rule for f in found} == {"vehicle-category"}, [f.text() for f in found]
    assert sorted((f.location.line, f.message) for f in found) == [
        (line_of(text, "by_category:"), "山西省部门预算公开格式的车辆类别缺少“其他公务用车”（没有请填 0）"),
        (line_of(text, "其他用车: 0"), "“其他用车”不是山西省部门预算公开格式的车辆类别；应为：领导用车、"
         "机要通信用车、应急保障用车、执法执勤用车、特种专业技术用车、事业单位业务用车、其他公务用车")]


def test_a_shanghai_budget_with_shanxis_categories_fails_for_each(tmp_path):
    text = edit(in_shanghai(seed_text()), SHANGHAI_VEHICLES, SHANXI_VEHICLES)
    found = findings(write(tmp_path, text))
    assert {f.rule for f in found} == {"vehicle-category"}, [f.text() for f in found]
    foreign = {line_of(text, f"      {c}: 0") for c in ("领导用车", "事业单位业务用车", "其他公务用车")}
    missing = [f for f in found if "缺少" in f.message]
    assert {f.location.line for f in found if f not in missing} == foreign
    assert {f.location.line for f in missing} == {line_of(text, "by_category:")}
    assert sorted(f.message.split("“")[1].split("”")[0] for f in missing) == sorted(
        ["部级领导干部用车", "主要领导干部用车", "离退休干部用车", "其他用车"])


def test_planned_vehicles_are_counted_in_the_same_categories(tmp_path):
    planned = "  planned:\n    vehicles:\n      by_category: {{{}}}\n"
    categories = ", ".join(f"{c}: 0" for c in load_profile("shanghai").vehicle_categories)
    text = edit(in_shanghai(seed_text()), "  office_area:",
                planned.format(categories) + "  office_area:")
    passes(tmp_path, text)
    text = edit(text, "{部级领导干部用车: 0,", "{领导用车: 0,")
    found = findings(write(tmp_path, text))
    assert {(f.rule, f.location.line) for f in found} == {
        ("vehicle-category", line_of(text, "{领导用车: 0,"))}
    assert any("“领导用车”不是上海" in f.message for f in found)
    assert any("缺少“部级领导干部用车”" in f.message for f in found)


# standard-source

def test_sources_the_standard_has_columns_for_pass(tmp_path):
    # Shanghai's tables show 事业收入 … apart, and no 单位资金 total
    passes(tmp_path, in_shanghai(edit(seed_text(), "funding: {一般公共预算: 450000}",
                                      "funding: {一般公共预算: 400000, 事业收入: 50000}")))
    passes(tmp_path, edit(seed_text(), "funding: {一般公共预算: 450000}",
                          "funding: {一般公共预算: 400000, 单位资金: 50000}"))  # Shanxi's


def test_a_source_the_standard_has_no_column_for_fails(tmp_path):
    text = in_shanghai(edit(seed_text(), "funding: {一般公共预算: 450000}",
                            "funding: {一般公共预算: 400000, 单位资金: 50000}"))
    f = the_finding(tmp_path, text, "standard-source")
    assert f.location.line == line_of(text, "单位资金: 50000")
    assert "上海市区级部门预算公开格式" in f.message and "“单位资金”" in f.message
    assert "事业收入" in f.message and "其他收入" in f.message


# ---- the synthetic budget of a department with several units -------------------------------

def test_synthetic_jiaoyu_budget_passes_and_fills_the_other_tables():
    if not JIAOYU_YAML.exists():
        pytest.skip("budgets/2026/zezhou-jiaoyu.yaml is not written yet")
    budget, derived, found = check(str(JIAOYU_YAML))
    assert found == [], [f.text() for f in found]
    for number in (7, 8, 10, 11, 12, 13):
        assert not derived.tables[number].empty, f"表{number}"
