"""Departments of other kinds write their budgets with codes from the catalogue alone.

Each case is the seed budget re-booked to another kind of department: its 行政运行 and its
business 项 in that department's 类 (公安, 文旅, 城乡社区, 农林水, 工信), its projects under
that 类's 项.  The codes are those real disclosures of such departments print; none is
registered in additions.yaml, and the check finds nothing at all.
"""
from __future__ import annotations

import pytest

from conftest import edit, findings, seed_text, write
from generator.check import check

DEPARTMENTS = {
    # 类: (行政运行, a business 项 for the second basic line, the projects' 项)
    "204": ("2040201 行政运行", "2040220 执法办案", "2040299 其他公安支出"),
    "207": ("2070101 行政运行", "2070109 群众文化", "2070104 图书馆"),
    "212": ("2120101 行政运行", "2120501 城乡社区环境卫生", "2120501 城乡社区环境卫生"),
    "213": ("2130101 行政运行", "2130112 行业业务管理", "2130106 科技转化与推广服务"),
    "215": ("2150501 行政运行", "2150899 其他支持中小企业发展和管理支出",
            "2150899 其他支持中小企业发展和管理支出"),
}


def rebooked(operation: str, business: str, project: str) -> str:
    text = edit(seed_text(), '"2014001 行政运行": 2140340', f'"{operation}": 2140340')
    text = edit(text, '"2014101 行政运行": 77500', f'"{business}": 77500')
    text = edit(text, 'function: "2014004 信访业务"', f'function: "{project}"', count=6)
    return edit(text, 'function: "2010399 其他政府办公厅（室）及相关机构事务支出"',
                f'function: "{project}"')


@pytest.mark.parametrize("klass", sorted(DEPARTMENTS))
def test_a_department_of_another_kind_needs_no_addition(tmp_path, klass):
    path = write(tmp_path, rebooked(*DEPARTMENTS[klass]))
    assert [f.text() for f in findings(path)] == []
    budget, derived, _ = check(path)
    # its 类 is one of the 30 lines of 表一, with the money that was booked there
    [row] = [r for r in derived.tables[1].rows if r.code == klass]
    assert row.cells[1] == 2140340 + 77500 + sum(p.total for p in budget.projects() + budget.projects(True))
    # and 表二 prints its 款 and 项 with the catalogue's names
    codes = {r.code: r.name for r in derived.tables[2].rows}
    for entry in DEPARTMENTS[klass]:
        code, name = entry.split(" ", 1)
        assert codes[code] == name and codes[code[:5]] and codes[klass]


def test_the_codes_real_disclosures_use_are_in_the_catalogue(tmp_path):
    """Codes named in the issue from published Shanghai and Shanxi disclosures."""
    from generator.catalog import load_catalogs
    names = load_catalogs().function.codes
    for code, name in [("2070101", "行政运行"), ("2070104", "图书馆"), ("2070109", "群众文化"),
                       ("2079903", "文化产业发展专项支出"), ("2150899", "其他支持中小企业发展和管理支出"),
                       ("2210203", "购房补贴")]:
        assert names.get(code) == name, code
