"""The 13 tables and 第三部分 figures of 泽州县信访局 2026 equal the published disclosure.

Every expected value below is transcribed from the published disclosure (the draft marked
仅供内部审核 that the team keeps; every figure it prints is also in tests/data/seed_published.yaml),
not from our output.  Cells are in 万元 with two places; a blank cell of the disclosure is ""
and matches a missing or zero cell.
"""
from __future__ import annotations

from decimal import Decimal

import pytest

from conftest import cells, wan
from generator.vocabulary import EXPENDITURE_CLASSES
from generator.money import to_wan

BLANK = ""

# The 30 类 rows that 表一 and 表四 always list, as printed, with (合计, 当年/一般公共预算) of
# the rows that have money; every other row is blank.
CLASS_NAMES = [
    "一、一般公共服务支出", "二、外交支出", "三、国防支出", "四、公共安全支出", "五、教育支出",
    "六、科学技术支出", "七、文化旅游体育与传媒支出", "八、社会保障和就业支出",
    "九、社会保险基金支出", "十、卫生健康支出", "十一、节能环保支出", "十二、城乡社区支出",
    "十三、农林水支出", "十四、交通运输支出", "十五、资源勘探工业信息等支出",
    "十六、商业服务业等支出", "十七、金融支出", "十八、援助其他地区支出",
    "十九、自然资源海洋气象等支出", "二十、住房保障支出", "二十一、粮油物资储备支出",
    "二十二、国有资本经营预算支出", "二十三、灾害防治及应急管理支出", "二十四、预备费",
    "二十五、其他支出", "二十六、转移性支出", "二十七、债务还本支出", "二十八、债务付息支出",
    "二十九、债务发行费用支出", "三十、抗疫特别国债安排的支出",
]

# 表一 预算收支总表: (收入项目, 2026年, 支出项目, 2026年合计, 当年预算安排, 上年结转安排)
TABLE1_INCOME = [
    ("一、一般公共预算", "542.97"),
    ("二、政府性基金预算", ""),
    ("三、国有资本经营预算", ""),
    ("四、财政专户管理资金", ""),
    ("五、单位资金", ""),
]
TABLE1_SPENDING = {  # the 类 rows with money; the other 26 are blank
    "一、一般公共服务支出": ("444.90", "444.64", "0.26"),
    "八、社会保障和就业支出": ("56.96", "56.96", ""),
    "十、卫生健康支出": ("18.43", "18.43", ""),
    "二十、住房保障支出": ("22.94", "22.94", ""),
}
TABLE1_FOOTER = [
    ("本年收入合计", "542.97", "本年支出合计", "543.23", "542.97", "0.26"),
    ("上年结转", "0.26", "年终结转", "", "", ""),
    ("收入总计", "543.23", "支出总计", "543.23", "542.97", "0.26"),
]

# 表二 预算收入总表: (科目编码, 科目名称, 合计, 一般公共预算, 政府性基金, 国有资本经营预算,
#                      财政专户管理资金, 单位资金, 上年结转)
TABLE2 = [
    ("", "合计", "542.97", "542.97", "", "", "", "", "0.26"),
    ("201", "一般公共服务支出", "444.64", "444.64", "", "", "", "", "0.26"),
    ("20103", "政府办公厅（室）及相关机构事务", "3.45", "3.45", "", "", "", "", ""),
    ("2010399", "其他政府办公厅（室）及相关机构事务支出", "3.45", "3.45", "", "", "", "", ""),
    ("20140", "信访事务", "433.43", "433.43", "", "", "", "", "0.26"),
    ("2014001", "行政运行", "214.03", "214.03", "", "", "", "", ""),
    ("2014004", "信访业务", "219.40", "219.40", "", "", "", "", "0.26"),
    ("20141", "数据事务", "7.75", "7.75", "", "", "", "", ""),
    ("2014101", "行政运行", "7.75", "7.75", "", "", "", "", ""),
    ("208", "社会保障和就业支出", "56.96", "56.96", "", "", "", "", ""),
    ("20805", "行政事业单位养老支出", "56.96", "56.96", "", "", "", "", ""),
    ("2080501", "行政单位离退休", "16.73", "16.73", "", "", "", "", ""),
    ("2080505", "机关事业单位基本养老保险缴费支出", "26.82", "26.82", "", "", "", "", ""),
    ("2080506", "机关事业单位职业年金缴费支出", "13.41", "13.41", "", "", "", "", ""),
    ("210", "卫生健康支出", "18.43", "18.43", "", "", "", "", ""),
    ("21011", "行政事业单位医疗", "18.43", "18.43", "", "", "", "", ""),
    ("2101101", "行政单位医疗", "3.21", "3.21", "", "", "", "", ""),
    ("2101102", "事业单位医疗", "7.68", "7.68", "", "", "", "", ""),
    ("2101103", "公务员医疗补助", "7.15", "7.15", "", "", "", "", ""),
    ("2101199", "其他行政事业单位医疗支出", "0.39", "0.39", "", "", "", "", ""),
    ("221", "住房保障支出", "22.94", "22.94", "", "", "", "", ""),
    ("22102", "住房改革支出", "22.94", "22.94", "", "", "", "", ""),
    ("2210201", "住房公积金", "22.94", "22.94", "", "", "", "", ""),
]

# 表三 预算支出总表: (科目编码, 科目名称, 合计, 基本支出, 项目支出)
TABLE3 = [
    ("", "合计", "543.23", "320.11", "223.11"),
    ("201", "一般公共服务支出", "444.90", "221.78", "223.11"),
    ("20103", "政府办公厅（室）及相关机构事务", "3.45", "", "3.45"),
    ("2010399", "其他政府办公厅（室）及相关机构事务支出", "3.45", "", "3.45"),
    ("20140", "信访事务", "433.69", "214.03", "219.66"),
    ("2014001", "行政运行", "214.03", "214.03", ""),
    ("2014004", "信访业务", "219.66", "", "219.66"),
    ("20141", "数据事务", "7.75", "7.75", ""),
    ("2014101", "行政运行", "7.75", "7.75", ""),
    ("208", "社会保障和就业支出", "56.96", "56.96", ""),
    ("20805", "行政事业单位养老支出", "56.96", "56.96", ""),
    ("2080501", "行政单位离退休", "16.73", "16.73", ""),
    ("2080505", "机关事业单位基本养老保险缴费支出", "26.82", "26.82", ""),
    ("2080506", "机关事业单位职业年金缴费支出", "13.41", "13.41", ""),
    ("210", "卫生健康支出", "18.43", "18.43", ""),
    ("21011", "行政事业单位医疗", "18.43", "18.43", ""),
    ("2101101", "行政单位医疗", "3.21", "3.21", ""),
    ("2101102", "事业单位医疗", "7.68", "7.68", ""),
    ("2101103", "公务员医疗补助", "7.15", "7.15", ""),
    ("2101199", "其他行政事业单位医疗支出", "0.39", "0.39", ""),
    ("221", "住房保障支出", "22.94", "22.94", ""),
    ("22102", "住房改革支出", "22.94", "22.94", ""),
    ("2210201", "住房公积金", "22.94", "22.94", ""),
]

# 表四 财政拨款收支总表: (收入项目, 金额) and (支出项目, 小计, 一般公共预算, 政府性基金预算,
# 国有资本经营预算)
TABLE4_INCOME = [
    ("一、一般公共预算", "542.97"),
    ("二、政府性基金预算", ""),
    ("三、国有资本经营预算", ""),
]
TABLE4_SPENDING = {
    "一、一般公共服务支出": ("444.90", "444.90", "", ""),
    "八、社会保障和就业支出": ("56.96", "56.96", "", ""),
    "十、卫生健康支出": ("18.43", "18.43", "", ""),
    "二十、住房保障支出": ("22.94", "22.94", "", ""),
}
TABLE4_FOOTER = [
    ("本年收入合计", "542.97", "本年支出合计", "543.23", "543.23", "", ""),
    ("上年财政拨款结转", "0.26", "年终结转", "", "", "", ""),
    ("一、一般公共预算", "0.26", "", "", "", "", ""),
    ("二、政府性基金预算", "", "", "", "", "", ""),
    ("三、国有资本经营预算", "", "", "", "", "", ""),
    ("收入总计", "543.23", "支出总计", "543.23", "543.23", "", ""),
]

# 表五 一般公共预算支出预算表（不含上年结转）: (科目编码, 科目名称, 合计, 基本支出, 项目支出)
TABLE5 = [
    ("", "合计", "542.97", "320.11", "222.85"),
    ("201", "一般公共服务支出", "444.64", "221.78", "222.85"),
    ("20103", "政府办公厅（室）及相关机构事务", "3.45", "", "3.45"),
    ("2010399", "其他政府办公厅（室）及相关机构事务支出", "3.45", "", "3.45"),
    ("20140", "信访事务", "433.43", "214.03", "219.40"),
    ("2014001", "行政运行", "214.03", "214.03", ""),
    ("2014004", "信访业务", "219.40", "", "219.40"),
    ("20141", "数据事务", "7.75", "7.75", ""),
    ("2014101", "行政运行", "7.75", "7.75", ""),
    ("208", "社会保障和就业支出", "56.96", "56.96", ""),
    ("20805", "行政事业单位养老支出", "56.96", "56.96", ""),
    ("2080501", "行政单位离退休", "16.73", "16.73", ""),
    ("2080505", "机关事业单位基本养老保险缴费支出", "26.82", "26.82", ""),
    ("2080506", "机关事业单位职业年金缴费支出", "13.41", "13.41", ""),
    ("210", "卫生健康支出", "18.43", "18.43", ""),
    ("21011", "行政事业单位医疗", "18.43", "18.43", ""),
    ("2101101", "行政单位医疗", "3.21", "3.21", ""),
    ("2101102", "事业单位医疗", "7.68", "7.68", ""),
    ("2101103", "公务员医疗补助", "7.15", "7.15", ""),
    ("2101199", "其他行政事业单位医疗支出", "0.39", "0.39", ""),
    ("221", "住房保障支出", "22.94", "22.94", ""),
    ("22102", "住房改革支出", "22.94", "22.94", ""),
    ("2210201", "住房公积金", "22.94", "22.94", ""),
]

# 表六 一般公共预算安排基本支出分经济科目表（不含上年结转）:
# (部门预算支出经济科目名称, 政府预算支出经济科目名称, 合计, 人员经费, 公用经费)
TABLE6 = [
    ("合计", "", "320.11", "285.25", "34.86"),
    ("工资福利支出", "", "266.40", "266.40", ""),
    ("基本工资", "工资奖金津补贴", "91.92", "91.92", ""),
    ("津贴补贴", "工资奖金津补贴", "25.19", "25.19", ""),
    ("奖金", "工资奖金津补贴", "20.18", "20.18", ""),
    ("绩效工资", "工资福利支出", "49.63", "49.63", ""),
    ("机关事业单位基本养老保险缴费", "社会保障缴费", "26.82", "26.82", ""),
    ("职业年金缴费", "社会保障缴费", "13.41", "13.41", ""),
    ("职工基本医疗保险缴费", "社会保障缴费", "10.89", "10.89", ""),
    ("公务员医疗补助缴费", "社会保障缴费", "5.03", "5.03", ""),
    ("其他社会保障缴费", "社会保障缴费", "0.39", "0.39", ""),
    ("住房公积金", "住房公积金", "22.94", "22.94", ""),
    ("商品和服务支出", "", "28.94", "", "28.94"),
    ("办公费", "办公经费", "11.70", "", "11.70"),
    ("印刷费", "办公经费", "1.00", "", "1.00"),
    ("邮电费", "办公经费", "0.20", "", "0.20"),
    ("差旅费", "办公经费", "2.00", "", "2.00"),
    ("工会经费", "办公经费", "4.48", "", "4.48"),
    ("其他交通费用", "办公经费", "4.23", "", "4.23"),
    ("其他商品和服务支出", "其他商品和服务支出", "5.33", "", "5.33"),
    ("对个人和家庭的补助", "", "18.86", "18.86", ""),
    ("退休费", "离退休费", "16.73", "16.73", ""),
    ("医疗费补助", "社会福利和救助", "2.12", "2.12", ""),
    ("资本性支出", "", "5.93", "", "5.93"),
    ("办公设备购置", "设备购置", "5.93", "", "5.93"),
]

# 表十 财政拨款安排“三公”经费支出预算表: the row labels printed even though it has no data.
TABLE10_LABELS = ["因公出国（境）费", "公务接待费", "公务用车购置及运行费", "①公务用车购置费",
                  "②公务用车运行维护费", "合计"]

# 表十一 财政拨款安排机关运行经费预算表: (单位名称, 合计, 一般公共预算, 政府性基金预算, 国有资本经营预算)
TABLE11 = [
    ("部门合计", "34.86", "34.86", "", ""),
    ("泽州县信访局", "34.86", "34.86", "", ""),
]

# 表十二 项目支出预算表（本年预算）: (项目名称, 合计, 一般公共预算, 政府性基金预算,
# 国有资本经营预算, 财政专户管理资金, 单位资金); the first row is the department, the second
# the unit (both 泽州县信访局).
TABLE12 = [
    ("泽州县信访局", "222.85", "222.85", "", "", "", ""),
    ("泽州县信访局", "222.85", "222.85", "", "", "", ""),
    ("关于提前下达2026年中央解决特殊疑难信访问题资金", "9.00", "9.00", "", "", "", ""),
    ("遗属补助", "3.45", "3.45", "", "", "", ""),
    ("农校遗留问题经费", "8.40", "8.40", "", "", "", ""),
    ("县访调对接人民调解委员会工作经费", "13.00", "13.00", "", "", "", ""),
    ("信访案件办理业务费", "45.00", "45.00", "", "", "", ""),
    ("信访案件化解专项资金", "144.00", "144.00", "", "", "", ""),
]
# The seed spells one project two ways: 表十二 "县访调对接…", its own 绩效目标表 "县信访对接…".
# The budget enters the name once, as the 绩效目标表 has it; this is the only allowed difference.
PUBLISHED_NAME_TO_BUDGET_NAME = {"县访调对接人民调解委员会工作经费": "县信访对接人民调解委员会工作经费"}

# 表十三 项目支出预算表（上年结转）: (项目名称, 合计, 一般公共预算, 政府性基金预算, 国有资本经营预算)
TABLE13 = [
    ("泽州县信访局", "0.26", "0.26", "", ""),
    ("泽州县信访局", "0.26", "0.26", "", ""),
    ("2025年市级解决特殊疑难信访问题资金预算的通知", "0.26", "0.26", "", ""),
]


def coded_rows(table) -> list[tuple]:
    return [(r.code, r.name, *cells(r)) for r in table.rows]


def named_rows(table) -> list[tuple]:
    return [(r.name, *cells(r)) for r in table.rows]


def test_thirteen_tables_are_derived(seed_derived):
    assert sorted(seed_derived.tables) == list(range(1, 14))


def test_table1_income_and_the_30_class_rows(seed_derived):
    rows = seed_derived.tables[1].rows
    assert len(rows) == 30 + 3
    class_rows = rows[:30]
    assert [r.name2 for r in class_rows] == CLASS_NAMES
    assert [r.code for r in class_rows] == list(EXPENDITURE_CLASSES)
    for i, row in enumerate(class_rows):
        income_name, income = TABLE1_INCOME[i] if i < len(TABLE1_INCOME) else ("", "")
        spending = TABLE1_SPENDING.get(row.name2, ("", "", ""))
        assert (row.name, *cells(row)) == (income_name, income, *spending), row.name2


def test_table1_footer_rows(seed_derived):
    footer = seed_derived.tables[1].rows[30:]
    assert [(r.name, wan(r.cells[0]), r.name2, *cells(r)[1:]) for r in footer] == TABLE1_FOOTER


def test_table2_income_by_function(seed_derived):
    assert coded_rows(seed_derived.tables[2]) == TABLE2


def test_table3_expenditure_by_function(seed_derived):
    assert coded_rows(seed_derived.tables[3]) == TABLE3


def test_table4_fiscal_income_and_the_30_class_rows(seed_derived):
    rows = seed_derived.tables[4].rows
    assert len(rows) == 30 + 6
    class_rows = rows[:30]
    assert [r.name2 for r in class_rows] == CLASS_NAMES
    for i, row in enumerate(class_rows):
        income_name, income = TABLE4_INCOME[i] if i < len(TABLE4_INCOME) else ("", "")
        spending = TABLE4_SPENDING.get(row.name2, ("", "", "", ""))
        assert (row.name, *cells(row)) == (income_name, income, *spending), row.name2


def test_table4_footer_rows(seed_derived):
    footer = seed_derived.tables[4].rows[30:]
    assert [(r.name, wan(r.cells[0]), r.name2, *cells(r)[1:]) for r in footer] == TABLE4_FOOTER


def test_table5_general_budget_by_function(seed_derived):
    assert coded_rows(seed_derived.tables[5]) == TABLE5


def test_table6_economic_classification_with_government_names(seed_derived):
    table = seed_derived.tables[6]
    assert [(r.name, r.name2, *cells(r)) for r in table.rows] == TABLE6


def test_table6_displayed_parts_may_differ_from_their_total_by_a_cent(seed_derived):
    # 退休费 16.73 + 医疗费补助 2.12 = 18.85, printed total 18.86: each cell rounds its own value.
    table = seed_derived.tables[6]
    parts = [to_wan(table.row(n).cells[0]) for n in ("退休费", "医疗费补助")]
    assert sum(parts) == Decimal("18.85")
    assert to_wan(table.row("对个人和家庭的补助").cells[0]) == Decimal("18.86")


@pytest.mark.parametrize("yuan, shown", [
    ("50", "0.01"), ("49.99", "0.00"), ("150", "0.02"), ("250", "0.03"), ("4449050", "444.91"),
    ("4449049.99", "444.90"),
])
def test_display_rounds_half_up_to_the_cent_of_wan(yuan, shown):
    assert str(to_wan(Decimal(yuan))) == shown


@pytest.mark.parametrize("number", [7, 8, 9, 10])
def test_tables_7_to_10_are_empty(seed_derived, number):
    table = seed_derived.tables[number]
    assert table.empty
    assert all(c in (None, 0) for row in table.rows for c in row.cells)


@pytest.mark.parametrize("number", [7, 8, 9])
def test_empty_fund_tables_print_only_the_total_row(seed_derived, number):
    assert [r.name for r in seed_derived.tables[number].rows] == ["合计"]


def test_table10_lists_the_three_public_rows_even_when_empty(seed_derived):
    assert [r.name for r in seed_derived.tables[10].rows] == TABLE10_LABELS


@pytest.mark.parametrize("number", [1, 2, 3, 4, 5, 6, 11, 12, 13])
def test_tables_with_data_are_not_empty(seed_derived, number):
    assert not seed_derived.tables[number].empty


def test_table11_office_operation(seed_derived):
    assert named_rows(seed_derived.tables[11]) == TABLE11


def test_table12_projects_this_year(seed_derived):
    expected = [(PUBLISHED_NAME_TO_BUDGET_NAME.get(name, name), *rest) for name, *rest in TABLE12]
    assert named_rows(seed_derived.tables[12]) == expected


def test_table13_carried_over_projects(seed_derived):
    assert named_rows(seed_derived.tables[13]) == TABLE13


# ---- 第三部分 情况说明 ---------------------------------------------------------------------

def w(amount) -> str:
    return str(to_wan(amount))


def test_part3_total_and_change(seed_derived):
    f = seed_derived.figures
    # 预算收入总计543.23万元，其中：本年收入542.97万元，上年结转0.26万元，比上年增长71.65万元，增长15.19%
    assert w(f["total"]["now"]) == "543.23"
    assert w(f["current"]) == "542.97"
    assert w(f["carryover"]) == "0.26"
    assert w(f["total"]["change"]) == "71.65"
    assert f["total"]["percent"] == Decimal("15.19")


def test_part3_income_shares(seed_derived):
    shares = seed_derived.figures["income_shares"]
    # 一般公共预算拨款收入542.97万元，占99.95%；…0万元，占0%；上年结转0.26万元，占0.05%
    assert (w(shares["一般公共预算"]["amount"]), shares["一般公共预算"]["percent"]) == \
        ("542.97", Decimal("99.95"))
    assert (w(shares["上年结转"]["amount"]), shares["上年结转"]["percent"]) == ("0.26", Decimal("0.05"))
    for source in ("政府性基金预算", "国有资本经营预算", "财政专户管理资金", "单位资金"):
        assert (shares[source]["amount"], shares[source]["percent"]) == (0, 0), source


def test_part3_expenditure_shares(seed_derived):
    shares = seed_derived.figures["expenditure_shares"]
    # 基本支出320.11万元，占58.93%；项目支出223.11万元，占41.07%
    assert (w(shares["基本支出"]["amount"]), shares["基本支出"]["percent"]) == ("320.11", Decimal("58.93"))
    assert (w(shares["项目支出"]["amount"]), shares["项目支出"]["percent"]) == ("223.11", Decimal("41.07"))


def test_part3_fiscal_overview(seed_derived):
    fiscal = seed_derived.figures["fiscal"]
    # 财政拨款收支总预算543.23万元。其中：一般公共预算拨款543.23万元，政府性基金预算拨款0万元，
    # 国有资本经营预算拨款0万元。其中：当年拨款收入542.97万元，上年结转收入0.26万元。
    assert w(fiscal["total"]) == "543.23"
    assert {k: w(v) for k, v in fiscal["by_source"].items()} == \
        {"一般公共预算": "543.23", "政府性基金预算": "0.00", "国有资本经营预算": "0.00"}
    assert (w(fiscal["current"]), w(fiscal["carryover"])) == ("542.97", "0.26")
    # 支出包括：一般公共服务支出444.90万元、社会保障和就业支出56.96万元、卫生健康支出18.43万元、
    # 住房保障支出22.94万元
    assert [(r.name2 or r.name, w(r.cells[0])) for r in fiscal["by_class"]] == [
        ("一、一般公共服务支出", "444.90"), ("八、社会保障和就业支出", "56.96"),
        ("十、卫生健康支出", "18.43"), ("二十、住房保障支出", "22.94")]


def test_part3_general_budget_change_and_structure(seed_derived):
    f = seed_derived.figures
    # 一般公共预算当年支出542.97万元,比上年增加71.89万元,增长15.26%
    assert w(f["general"]["now"]) == "542.97"
    assert w(f["general"]["change"]) == "71.89"
    assert f["general"]["percent"] == Decimal("15.26")
    # 主要用于：444.64万元（一般公共服务）；社会保障和就业支出56.96万元；卫生健康支出18.43万元；
    # 住房保障支出22.94万元
    assert [(r.code, w(r.cells[0])) for r in f["general_by_class"]] == [
        ("201", "444.64"), ("208", "56.96"), ("210", "18.43"), ("221", "22.94")]


def test_part3_general_basic_personnel_and_public(seed_derived):
    basic = seed_derived.figures["general_basic"]
    # 一般公共预算安排基本支出320.11万元，其中：人员经费285.25万元…；公用经费34.86万元…
    assert w(basic["total"]) == "320.11"
    assert w(basic["personnel"]) == "285.25"
    assert w(basic["public"]) == "34.86"
    assert set(basic["personnel_items"]) == {
        "其他社会保障缴费", "公务员医疗补助缴费", "绩效工资", "基本工资", "医疗费补助",
        "机关事业单位基本养老保险缴费", "住房公积金", "退休费", "奖金", "津贴补贴",
        "职工基本医疗保险缴费", "职业年金缴费"}
    assert set(basic["public_items"]) == {
        "办公费", "印刷费", "邮电费", "办公设备购置", "其他商品和服务支出", "其他交通费用",
        "工会经费", "差旅费"}


def test_part3_no_three_public_costs(seed_derived):
    # 本部门无“三公”经费预算。
    three = seed_derived.figures["three_public"]
    assert three["total"] == 0
    assert all(v == 0 for v in three["items"].values())


def test_part3_office_operation(seed_derived):
    office = seed_derived.figures["office_operation"]
    # 机关运行经费财政拨款预算34.86万元,比2025年增加14.05万元,增加67.52%
    assert w(office["now"]) == "34.86"
    assert w(office["change"]) == "14.05"
    assert office["percent"] == Decimal("67.52")


def test_part3_procurement(seed_derived):
    p = seed_derived.figures["procurement"]
    # 政府采购预算总额6.52万元。其中：货物6.52万元、工程0万元、服务0万元。
    assert (w(p["total"]), w(p["goods"]), p["works"], p["services"]) == ("6.52", "6.52", 0, 0)


def test_part3_performance(seed_derived):
    perf = seed_derived.figures["performance"]
    # 涉及部门预算资金542.97万元，其中基本支出320.11万元，项目支出222.85万元；预算单位1个
    assert (w(perf["total"]), w(perf["basic"]), w(perf["project"])) == ("542.97", "320.11", "222.85")
    assert perf["units"] == 1
    # 纳入绩效目标管理的二级项目6个，共计金额222.85万元。其中：其他运转类项目5个，涉及金额
    # 213.85万元；特定目标类项目1个，涉及金额9.00万元。
    assert (perf["projects"], w(perf["projects_amount"])) == (6, "222.85")
    assert {k: (n, w(a)) for k, (n, a) in perf["by_category"].items()} == {
        "其他运转类": (5, "213.85"), "特定目标类": (1, "9.00")}
