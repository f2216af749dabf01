"""The catalogues and the user's additions (schema/catalogs/additions.yaml)."""
from __future__ import annotations

import json
import shutil

import pytest

import generator.catalog as catalog
from generator import cli
from generator.catalog import load_catalogs
from generator.check import check
from generator.findings import ERROR, WARNING

from conftest import ROOT, edit, findings, line_of, of_rule, seed_text, write

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
    from generator.vocabulary import EXPENDITURE_CLASSES
    assert all(code in cats.function.codes for code in EXPENDITURE_CLASSES)
    for code in cats.economic_department.codes:
        if len(code) == 5:
            assert set(cats.mapping[code]) == {"机关", "事业单位"}, code
            assert all(g in cats.economic_government.codes for g in cats.mapping[code].values())


def test_an_added_code_with_its_basis_can_be_used(catalogs_dir, tmp_path):
    (catalogs_dir / "additions.yaml").write_text(
        'function:\n'
        '  "20197": {name: 营商环境事务, basis: "财预〔2025〕1号"}\n'
        '  "2019701": {name: 行政运行, basis: "财预〔2025〕1号"}\n'
        'economic_department:\n'
        '  "30311": {name: 代缴社会保险费, basis: "财预〔2025〕1号", mapping: {机关: "50999", 事业单位: "50999"}}\n'
        'economic_government: {}\n', encoding="utf-8")
    text = edit(seed_text(), '"2014101 行政运行": 77500', '"2019701 行政运行": 77500')
    text = edit(text, '"30112 其他社会保障缴费": 3900', '"30311 代缴社会保险费": 3900')
    assert findings(write(tmp_path, text)) == []


@pytest.mark.parametrize("additions, line, words", [
    ('function:\n  "2019701": {name: 行政运行, basis: x}\n', 2, "上级科目 20197"),
    ('function:\n  "201": {name: 一般公共服务支出, basis: x}\n', 2, "已在官方目录中"),
    ('function:\n  "20197": {name: 营商环境事务}\n', 2, "basis"),
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


# ---- severity follows certainty --------------------------------------------------------------

def _xinfang_section(catalogs_dir, complete: bool) -> None:
    """The 款 20140 信访事务 with or without `complete` (a per-类 file read after the real ones)."""
    flag = ", complete: true" if complete else ""
    (catalogs_dir / "function" / "zz-test.yaml").write_text(
        'class: {code: "201", name: 一般公共服务支出}\n'
        f'codes:\n  "20140": {{name: 信访事务{flag}}}\n', encoding="utf-8")


UNLISTED = ('"2014001 行政运行": 2140340', '"2014001 行政运行": 2130340\n          "2014005 信访督查": 10000')


def test_an_unlisted_item_under_an_incomplete_section_is_a_warning_and_builds(catalogs_dir, tmp_path):
    _xinfang_section(catalogs_dir, complete=False)
    text = edit(seed_text(), *UNLISTED)
    budget, derived, found = check(write(tmp_path, text))
    [f] = found
    assert (f.rule, f.severity, f.location.line) == ("catalog-unlisted", WARNING,
                                                    line_of(text, "2014005 信访督查"))
    assert "20140 信访事务 款下的项目录尚未收全" in f.message and "additions.yaml" in f.message
    # the budget is built and its tables print the 项 under the name written
    assert budget is not None
    assert ("2014005", "信访督查") in [(r.code, r.name) for r in derived.tables[2].rows]


def test_an_unlisted_item_under_a_complete_section_is_an_error(catalogs_dir, tmp_path):
    _xinfang_section(catalogs_dir, complete=True)
    text = edit(seed_text(), *UNLISTED)
    [f] = findings(write(tmp_path, text))
    assert (f.rule, f.severity) == ("catalog-function", ERROR)
    assert "20140 信访事务 款下的" in f.message and "已全部收录" in f.message


def test_an_unknown_section_or_a_siblings_name_is_an_error(tmp_path):
    text = edit(seed_text(), '"2014101 行政运行": 77500', '"2019801 行政运行": 77500')
    [f] = findings(write(tmp_path, text))
    assert (f.rule, f.severity) == ("catalog-function", ERROR) and "款 20198 也不在目录中" in f.message
    text = edit(seed_text(), '"2014101 行政运行": 77500', '"2014198 行政运行": 77500')
    [f] = findings(write(tmp_path, text))
    assert (f.rule, f.severity) == ("catalog-function", ERROR) and "是 2014101 的名称" in f.message


def test_the_catalogue_year_is_compared_with_the_budgets(tmp_path):
    text = edit(edit(seed_text(), "year: 2026", "year: 2027"), 'as_of: "2025-12-31"', 'as_of: "2026-12-31"')
    found = findings(write(tmp_path, text))
    [f] = of_rule(found, "catalog-year")
    assert f.severity == WARNING and f.location.line == line_of(text, "year: 2027")
    assert "2027 年" in f.message and "2026 年" in f.message
    assert not [x for x in found if x.severity == ERROR], [x.text() for x in found]


def test_fund_money_must_be_spent_under_fund_codes(tmp_path):
    text = edit(seed_text(), "funding: {一般公共预算: 34512}", "funding: {政府性基金预算: 34512}")
    found = of_rule(findings(write(tmp_path, text)), "fund-function-code")
    [f] = found
    assert f.location.line == line_of(text, "2010399 其他政府办公厅", after=line_of(text, "- name: 遗属补助"))
    assert "政府性基金预算资金列在 2010399" in f.message and "一般公共预算支出科目" in f.message


def test_fund_codes_are_marked_in_the_catalogue():
    function = load_catalogs().function
    assert function.budget_of("2296004") == "政府性基金预算"  # 用于教育事业的彩票公益金支出
    assert function.budget_of("2120801") == "政府性基金预算"  # 国有土地使用权出让收入安排的支出
    assert function.budget_of("2014001") == "一般公共预算"
    assert function.budget_of("22301") == "国有资本经营预算"


# ---- budget catalog QUERY -----------------------------------------------------------------------

def test_catalog_finds_codes_by_words_and_by_prefix(capsys):
    assert cli.main(["catalog", "信访 业务"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [line for line in out if "信访" in line]
    [line] = [line for line in out if line.startswith("2014004 ")]
    assert "2014004 信访业务  [项]  201 一般公共服务支出 › 20140 信访事务  一般公共预算" in line
    assert cli.main(["catalog", "20140", "--format", "json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert found[0]["code"] == "20140" and all(m["code"].startswith("20140") for m in found)
    assert {"code", "name", "level", "parents", "budget", "status"} <= set(found[0])
    # a code and a word together: the codes under 201 named 行政运行
    assert cli.main(["catalog", "201 行政运行", "--format", "json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert found and all(m["code"].startswith("201") and "行政运行" in m["name"] for m in found)
    assert "2010101" in {m["code"] for m in found}


def test_catalog_economic_shows_the_mapping_both_ways(capsys):
    assert cli.main(["catalog", "30201", "--economic"]) == 0
    assert "30201 办公费  [款]  302 商品和服务支出  部门预算支出经济分类  对应政府经济分类：" \
           "机关→50201；事业单位→50502" in capsys.readouterr().out
    assert cli.main(["catalog", "50201", "--economic"]) == 0
    assert "含部门经济分类：机关的→30201、30202" in capsys.readouterr().out


def test_catalog_with_no_match_says_so(capsys):
    assert cli.main(["catalog", "没有这种科目"]) == 1
    assert "没有与“没有这种科目”相符的科目" in capsys.readouterr().err


# ---- the function catalogue's data ---------------------------------------------------------------

PUBLISHED = sorted((ROOT / "tests" / "data" / "published_codes").glob("*.yaml"))
BUDGETS = ("一般公共预算", "政府性基金预算", "国有资本经营预算")


def test_every_code_printed_in_a_published_document_is_in_the_catalogue_with_its_name():
    """tests/data/published_codes/ holds codes transcribed with their names from public
    disclosures and code lists (each row names its source): the catalogue must agree."""
    import yaml
    names = load_catalogs().function.codes
    rows = 0
    for path in PUBLISHED:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for code, (name, source) in data["codes"].items():
            assert source in data["sources"], f"{path.name}: {code} cites unknown source {source}"
            assert names.get(str(code)) == name, \
                f"{path.name}: {code} {name} ({data['sources'][source]}) — catalogue: {names.get(str(code))}"
            rows += 1
    assert rows >= 20, "the published list is the catalogue's test: it must not shrink to nothing"


def test_function_catalogue_entries_are_well_formed():
    function = load_catalogs().function
    for code, name in function.codes.items():
        assert len(code) in (3, 5, 7) and code.isdigit(), code
        assert name == name.strip() and "(" not in name and ")" not in name, f"{code} {name!r}"
    for code, info in function.info.items():
        assert set(info) <= {"complete", "budget", "confirmed", "note"}, (code, info)
        assert info.get("budget", "一般公共预算") in BUDGETS, (code, info)
        assert info.get("complete", True) in (True, False), (code, info)
        for key in info.get("confirmed") or []:
            assert key in function.sources, f"{code} is confirmed by unknown source {key}"
    assert len(function.codes) > 1500, "the complete catalogue has every 款 and 项 of the 30 类"
