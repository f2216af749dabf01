"""The catalogues and the user's additions (schema/catalogs/additions.yaml)."""
from __future__ import annotations

import shutil

import pytest

import generator.catalog as catalog
from generator.catalog import load_catalogs

from conftest import ROOT, edit, findings, of_rule, seed_text, write

ADDITIONS_HEAD = "function: {}\neconomic_department: {}\neconomic_government: {}\n"


@pytest.fixture
def catalogs_dir(tmp_path, monkeypatch):
    """A copy of schema/catalogs whose additions.yaml a test rewrites."""
    folder = tmp_path / "catalogs"
    shutil.copytree(ROOT / "schema" / "catalogs", folder)
    monkeypatch.setattr(catalog, "CATALOG_DIR", folder)
    load_catalogs.cache_clear()
    yield folder
    load_catalogs.cache_clear()


def test_every_code_has_its_parent_and_the_fixed_classes_exist():
    cats = load_catalogs()
    for cat in (cats.function, cats.economic_department, cats.economic_government):
        for code in cat.codes:
            for parent in cat.parents(code)[:-1]:
                assert parent in cat.codes, f"{cat.name}: {code} lacks its parent {parent}"
    from generator.derive import EXPENDITURE_CLASSES
    assert all(code in cats.function.codes for code in EXPENDITURE_CLASSES)
    for code in cats.economic_department.codes:
        if len(code) == 5:
            assert set(cats.mapping[code]) == {"机关", "事业单位"}, code
            assert all(g in cats.economic_government.codes for g in cats.mapping[code].values())


def test_an_added_code_with_its_basis_can_be_used(catalogs_dir, tmp_path):
    (catalogs_dir / "additions.yaml").write_text(
        'function:\n'
        '  "20139": {name: 社会工作事务, basis: "财预〔2025〕1号"}\n'
        '  "2013901": {name: 行政运行, basis: "财预〔2025〕1号"}\n'
        'economic_department:\n'
        '  "30311": {name: 代缴社会保险费, basis: "财预〔2025〕1号", mapping: {机关: "50999", 事业单位: "50999"}}\n'
        'economic_government: {}\n', encoding="utf-8")
    text = edit(seed_text(), '"2014101 行政运行": 77500', '"2013901 行政运行": 77500')
    text = edit(text, '"30112 其他社会保障缴费": 3900', '"30311 代缴社会保险费": 3900')
    assert findings(write(tmp_path, text)) == []


@pytest.mark.parametrize("additions, line, words", [
    ('function:\n  "2013901": {name: 行政运行, basis: x}\n', 2, "上级科目 20139"),
    ('function:\n  "201": {name: 一般公共服务支出, basis: x}\n', 2, "已在官方目录中"),
    ('function:\n  "20139": {name: 社会工作事务}\n', 2, "basis"),
    ('function:\n  "2013": {name: x, basis: y}\n', 2, "位数字"),
    ('economic_department:\n  "30398": {name: 测试, basis: y}\n', 2, "mapping"),
    ('economic_department:\n  "30398": {name: 测试, basis: y, mapping: {机关: "50998", 事业单位: "50999"}}\n',
     2, "50998"),
])
def test_a_wrong_addition_is_a_located_finding(catalogs_dir, tmp_path, additions, line, words):
    (catalogs_dir / "additions.yaml").write_text(additions, encoding="utf-8")
    found = of_rule(findings(write(tmp_path, seed_text())), "catalog-additions")
    assert len(found) == 1, found
    assert found[0].location.path.endswith("additions.yaml")
    assert found[0].location.line == line
    assert words in found[0].message


def test_an_empty_amount_says_write_zero(tmp_path):
    text = edit(seed_text(), '"30101 基本工资": 919190', '"30101 基本工资":')
    found = of_rule(findings(write(tmp_path, text)), "schema-amount")
    assert len(found) == 1 and "没有就写 0" in found[0].message


def test_an_override_of_an_entry_that_is_not_there_is_reported(tmp_path):
    text = edit(seed_text(), '          "30107 绩效工资": "50501 工资福利支出"\n',
                '          "30107 绩效工资": "50501 工资福利支出"\n          "30114 医疗费": "50199 其他工资福利支出"\n')
    found = of_rule(findings(write(tmp_path, text)), "catalog-mapping")
    assert len(found) == 1 and "30114" in found[0].message


def test_a_date_that_does_not_exist_is_refused(tmp_path):
    found = findings(write(tmp_path, edit(seed_text(), "as_of: \"2025-12-31\"", "as_of: 2025-13-45")))
    assert [f.rule for f in found] == ["schema-type"] and "日期" in found[0].message


@pytest.mark.parametrize("old, new", [
    ("name: 遗属补助", "name: " + "长" * 201),
    ("plan: 批复后该资金由财政部门统一拨付。", "plan: " + "长" * 1501),
    ("信访资金覆盖乡镇数: 16个", "信访资金覆盖乡镇数: " + "长" * 201),
])
def test_a_text_too_long_for_its_table_cell_is_refused(tmp_path, old, new):
    """A pasted essay in a table cell would take WeasyPrint minutes to lay out."""
    found = of_rule(findings(write(tmp_path, edit(seed_text(), old, new))), "schema-too-long")
    assert found and "最多" in found[0].message
