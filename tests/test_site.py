"""`budget site`: the index of every department, the county totals, and each budget's HTML,
PDF, spreadsheet and open data (CSV, JSON, Data Package), rebuilt only where inputs changed."""
from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path
from urllib.parse import unquote

import pytest

from generator.check import check
from generator.derive import BASIC, PROJECT

from conftest import BUDGET_EXE, JIAOYU_YAML, ROOT, SEED_YAML, edit

PUTUO_YAML = ROOT / "budgets" / "2026" / "putuo-wenlv.yaml"
EXAMPLES = [SEED_YAML, JIAOYU_YAML, PUTUO_YAML]


def run_site(budgets: Path, out: Path, cache: Path):
    """`budget site BUDGETS --out OUT` (a folder or a file), with its own build cache on."""
    env = {**os.environ, "BUDGET_CACHE": str(cache)}  # the cache on: rebuilds are tested
    return subprocess.run([str(BUDGET_EXE), "site", str(budgets), "--out", str(out)],
                          capture_output=True, text=True, env=env)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The three examples' site, built once (the cache kept for the rebuild test)."""
    root = tmp_path_factory.mktemp("site")
    budgets = root / "budgets" / "2026"
    budgets.mkdir(parents=True)
    for example in EXAMPLES:
        shutil.copy(example, budgets / example.name)
    result = run_site(root / "budgets", root / "out", root / "cache")
    assert result.returncode == 0, result.stderr
    return root


def budget_of(path: Path):
    budget, derived, found = check(str(path))
    assert budget is not None, found
    return budget, derived


def test_every_budget_has_its_five_outputs_and_the_index_links_them(site):
    year = site / "out" / "2026"
    for example in EXAMPLES:
        stem = example.stem
        for name in (f"{stem}.html", f"{stem}.pdf", f"{stem}.xlsx",
                     f"{stem}.data/budget.json", f"{stem}.data/datapackage.json"):
            assert (year / name).is_file(), name
        assert (year / f"{stem}.pdf").read_bytes().startswith(b"%PDF")
    index = (year / "index.html").read_text(encoding="utf-8")
    for example in EXAMPLES:
        for suffix in (".html", ".pdf", ".xlsx", ".data/budget.json"):
            assert f'href="{example.stem}{suffix}"' in index
    assert "泽州县信访局" in index and "上海市普陀区文化和旅游局" in index
    assert index.count('<span class="draft">草稿</span>') == 2  # the two Zezhou drafts
    assert "其中 2 个部门的预算是草稿，仅供内部审核" in index
    root = (site / "out" / "index.html").read_text(encoding="utf-8")
    assert 'href="2026/index.html"' in root and "泽州县 2 个部门" in root


def test_the_index_figures_are_each_departments_own(site):
    """The row of 泽州县信访局: its 收入合计 … 机关运行经费 as exact 元 (data-yuan) and as 万元."""
    budget, derived = budget_of(SEED_YAML)
    index = (site / "out" / "2026" / "index.html").read_text(encoding="utf-8")
    row = index[index.index('<tr data-search="泽州县信访局'):]
    row = row[:row.index("</tr>")]
    expected = [derived.total(), derived.total(), derived.total(BASIC), derived.total(PROJECT),
                derived.figures["three_public"]["total"], derived.figures["office_operation"]["now"]]
    found = [Decimal(v) for v in _attr_values(row, "data-yuan")]
    assert found == expected
    assert "543.23" in row  # the seed's 收支总计 in 万元, as its 表一 prints it


def _attr_values(html: str, name: str) -> list[str]:
    parts = html.split(f'{name}="')[1:]
    return [p[:p.index('"')] for p in parts]


def test_county_totals_add_up_the_departments_exactly(site):
    """泽州县's totals: each figure the exact sum of its departments' own tables (表三 by 类,
    the 三公 items, 机关运行经费), in 元, and the departments listed once each."""
    doc = json.loads((site / "out" / "2026" / "汇总-泽州县.data" / "budget.json").read_text())
    departments = [budget_of(SEED_YAML), budget_of(JIAOYU_YAML)]
    assert sorted(d["name"] for d in doc["departments"]) == ["泽州县信访局", "泽州县教育局"]
    tables = {t["key"]: t for t in doc["tables"]}
    # by 类: the sum of each department's 预算支出总表 类 rows (合计 column)
    by_class: dict[str, Decimal] = {}
    for _, derived in departments:
        for row in derived.table("expenditure").rows:
            if row.level == 1:
                by_class[row.code] = by_class.get(row.code, Decimal(0)) + row.cells[0]
    function = tables["function"]
    found = {row[0]: Decimal(str(row[2])) for row in function["rows"] if row[0] and len(row[0]) == 3}
    assert found == by_class
    three = {row[0]: Decimal(str(row[1])) for row in tables["three_public"]["rows"]}
    assert three["公务接待费"] == sum(d.figures["three_public"]["items"]["reception"]
                                 for _, d in departments)
    assert three["合计"] == sum(d.figures["three_public"]["total"] for _, d in departments)
    office = {row[0]: Decimal(str(row[1])) for row in tables["office_operation"]["rows"]}
    assert office["合计"] == sum(d.figures["office_operation"]["now"] for _, d in departments)
    sources = {row[0]: Decimal(str(row[1])) for row in tables["sources"]["rows"]}
    assert sources["合计"] == sum(d.total() for _, d in departments)
    assert sum(v for k, v in sources.items() if k != "合计") == sources["合计"]
    page = (site / "out" / "2026" / "汇总-泽州县.html").read_text(encoding="utf-8")
    assert "其中 2 个部门的预算是草稿" in page
    # the totals' spreadsheet: 表2 (by 功能分类) with its 合计 as printed, 5375.58 万元
    from openpyxl import load_workbook
    book = load_workbook(site / "out" / "2026" / "汇总-泽州县.xlsx")
    assert book.sheetnames == ["表1", "表2", "表3", "表4", "表5"]
    cells = [c.value for row in book["表2"].iter_rows() for c in row]
    grand = sum(d.total() for _, d in departments)
    assert grand == Decimal("53755812") and 5375.58 in cells and "合计" in cells


def test_the_open_data_is_exact_and_the_data_packages_validate(site):
    """Every Data Package (each budget's, each region's) passes frictionless' validation, and
    each CSV figure is the derived table's exact 元 (not the printed 万元)."""
    from frictionless import validate

    year = site / "out" / "2026"
    packages = sorted(year.glob("*.data/datapackage.json"))
    assert len(packages) == 5  # three budgets, two regions
    for package in packages:
        report = validate(str(package))
        assert report.valid, report.flatten(["resourcePath", "rowNumber", "fieldNumber", "note"])
    budget, derived = budget_of(SEED_YAML)
    table = derived.tables[3]  # 预算支出总表
    with open(year / "zezhou-xinfang.data" / "03-expenditure.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["项目/科目编码", "项目/科目名称", "2026年预算数/合计（元）",
                       "2026年预算数/基本支出（元）", "2026年预算数/项目支出（元）"]
    assert not rows[0][0].startswith("\ufeff")  # UTF-8 without a byte-order mark
    assert len(rows) - 1 == len(table.rows)
    for written, row in zip(rows[1:], table.rows):
        assert written[:2] == [row.code, row.name]
        assert [Decimal(v) for v in written[2:]] == row.cells
    doc = json.loads((year / "zezhou-xinfang.data" / "budget.json").read_text(encoding="utf-8"))
    assert doc["department"] == "泽州县信访局" and doc["draft"] is True and doc["unit"] == "元"
    assert [t["number"] for t in doc["tables"]] == sorted(derived.tables)
    json_rows = doc["tables"][2]["rows"]
    assert [[Decimal(str(v)) for v in r[2:]] for r in json_rows] == [r.cells for r in table.rows]


def test_the_regions_long_table_holds_every_figure_of_every_department(site):
    """all-figures.csv of 泽州县: one row per printed figure of each department's tables (none
    lost, none added), each exact, named by its table, row and column."""
    path = site / "out" / "2026" / "汇总-泽州县.data" / "all-figures.csv"
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    for yaml_path in (SEED_YAML, JIAOYU_YAML):
        budget, derived = budget_of(yaml_path)
        mine = [r for r in rows if r["部门"] == budget.name]
        printed = sum(c is not None for t in derived.tables.values() for r in t.rows for c in r.cells)
        assert len(mine) == printed
        assert {r["部门代码"] for r in mine} == {budget.department["code"]}
    total = next(r for r in rows if r["部门"] == "泽州县信访局" and r["表"] == "表三"
                 and r["行"] == "合计" and r["列"] == "2026年预算数/合计")
    assert Decimal(total["金额（元）"]) == budget_of(SEED_YAML)[1].tables[3].rows[0].cells[0]
    # a 收支总表 row names the figure's own side: 收入 figures by the 收入 label
    income = next(r for r in rows if r["部门"] == "泽州县信访局" and r["表"] == "表一"
                  and r["列"] == "收入/2026年")
    assert income["行"] == "一、一般公共预算" and Decimal(income["金额（元）"]) == Decimal("5429652")


def test_a_figure_too_large_for_a_float_is_exact_in_the_json():
    from generator.opendata import _json
    assert _json({"a": [Decimal("999999999999999.99")]}) == '{"a": [999999999999999.99]}'


def test_adding_a_budget_rebuilds_only_it_and_the_pages_that_list_it(site):
    """A fourth department: built; the three others come from the cache and their files keep
    their times; the index and the county totals now count it."""
    year = site / "out" / "2026"
    before = {p: p.stat().st_mtime_ns for p in year.glob("*.pdf")}
    text = edit(SEED_YAML.read_text(encoding="utf-8"), 'code: "020"', 'code: "099"')
    text = text.replace("泽州县信访局", "泽州县来访局")
    (site / "budgets" / "2026" / "zezhou-laifang.yaml").write_text(text, encoding="utf-8")
    result = run_site(site / "budgets", site / "out", site / "cache")
    assert result.returncode == 0, result.stderr
    assert "（其中 3 个输入未变，取自缓存）" in result.stderr
    assert {p: p.stat().st_mtime_ns for p in before} == before
    assert (year / "zezhou-laifang.pdf").is_file()
    index = (year / "index.html").read_text(encoding="utf-8")
    assert "泽州县来访局" in index and "合计（3 个部门）" in index
    doc = json.loads((year / "汇总-泽州县.data" / "budget.json").read_text(encoding="utf-8"))
    assert len(doc["departments"]) == 3
    # and taken away again: its files leave the site, the index forgets it
    (site / "budgets" / "2026" / "zezhou-laifang.yaml").unlink()
    result = run_site(site / "budgets", site / "out", site / "cache")
    assert result.returncode == 0, result.stderr
    assert not (year / "zezhou-laifang.pdf").exists()
    assert not (year / "zezhou-laifang.data").exists()
    assert "泽州县来访局" not in (year / "index.html").read_text(encoding="utf-8")


def test_a_department_twice_is_refused_for_its_totals(tmp_path):
    """Two files of one department (same code): both named, no totals for that region."""
    budgets = tmp_path / "budgets" / "2026"
    budgets.mkdir(parents=True)
    shutil.copy(SEED_YAML, budgets / "a.yaml")
    shutil.copy(SEED_YAML, budgets / "b.yaml")
    result = run_site(tmp_path / "budgets", tmp_path / "out", tmp_path / "cache")
    assert result.returncode == 1
    assert "代码为 020 的部门“泽州县信访局”出现了 2 次" in result.stderr
    assert "a.yaml" in result.stderr and "b.yaml" in result.stderr
    assert not (tmp_path / "out" / "2026" / "汇总-泽州县.html").exists()
    index = (tmp_path / "out" / "2026" / "index.html").read_text(encoding="utf-8")
    assert "出现了 2 次" in index


def test_a_budget_named_like_the_totals_is_not_overwritten_by_them(tmp_path):
    budgets = tmp_path / "budgets" / "2026"
    budgets.mkdir(parents=True)
    shutil.copy(SEED_YAML, budgets / "汇总-泽州县.yaml")
    result = run_site(tmp_path / "budgets", tmp_path / "out", tmp_path / "cache")
    assert result.returncode == 1
    assert "泽州县的汇总文件名 汇总-泽州县 已被预算文件" in result.stderr
    page = (tmp_path / "out" / "2026" / "汇总-泽州县.html").read_text(encoding="utf-8")
    assert "年度部门预算公开" in page  # the department's disclosure, not the totals


def test_a_folder_the_site_did_not_make_is_left_alone(tmp_path):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.html").write_text("mine", encoding="utf-8")
    result = run_site(ROOT / "budgets", out, tmp_path / "cache")
    assert result.returncode == 2
    assert "不是 budget site 生成的" in result.stderr
    assert (out / "notes.html").read_text(encoding="utf-8") == "mine"


def test_build_writes_the_spreadsheet_and_open_data_alone(tmp_path):
    """`budget build --format xlsx,data`: no PDF needed for them; a redline has none."""
    result = subprocess.run([str(BUDGET_EXE), "build", str(PUTUO_YAML), "--format", "xlsx,data",
                             "--out", str(tmp_path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "2026").iterdir()) == [
        "putuo-wenlv.data", "putuo-wenlv.xlsx"]
    names = sorted(p.name for p in (tmp_path / "2026" / "putuo-wenlv.data").iterdir())
    assert names[:2] == ["01-summary.csv", "02-income.csv"] and "datapackage.json" in names
    refused = subprocess.run([str(BUDGET_EXE), "build", str(PUTUO_YAML), "--format", "xlsx",
                              "--redline", "HEAD", "--out", str(tmp_path)],
                             capture_output=True, text=True)
    assert refused.returncode == 2 and "修订对照页只生成 html 或 pdf" in refused.stderr


# ---- the index in a real browser (the set-up of tests/test_browser.py) ------------------------

from test_browser import AXE, VIEWPORTS, browser, open_page  # noqa: E402,F401  (fixture)


def zezhou_rows(page) -> list[str]:
    """The department names of 泽州县's table, top to bottom, as shown."""
    return page.evaluate("""[...document.querySelectorAll('table.departments')[1].tBodies[0].rows]
        .filter(r => !r.hidden).map(r => r.cells[0].firstChild.textContent.trim())""")


def test_the_index_sorts_by_a_column_and_back(browser, site):
    context, page = open_page(browser, site / "out" / "2026" / "index.html", "desktop")
    assert page.problems == []
    assert zezhou_rows(page) == ["泽州县教育局", "泽州县信访局"]  # by code: 005, 020
    header = page.locator("table.departments").nth(1).locator("th", has_text="支出合计")
    header.get_by_role("button").click()
    assert header.get_attribute("aria-sort") == "ascending"
    assert zezhou_rows(page) == ["泽州县信访局", "泽州县教育局"]  # 543.23 < 4832.36 万元
    header.get_by_role("button").click()
    assert header.get_attribute("aria-sort") == "descending"
    assert zezhou_rows(page) == ["泽州县教育局", "泽州县信访局"]
    # the 合计 row stays last, whatever the order
    assert page.locator("table.departments").nth(1).locator("tfoot th").inner_text().startswith("合计")
    # by name, keyboard only: the header buttons are reachable and work with Enter
    name = page.locator("table.departments").nth(1).get_by_role("button", name="部门")
    name.focus()
    page.keyboard.press("Enter")
    assert name.locator("xpath=..").get_attribute("aria-sort") == "ascending"
    context.close()


def test_the_index_finds_departments_as_one_types(browser, site):
    context, page = open_page(browser, site / "out" / "2026" / "index.html", "phone")
    page.get_by_label("查找部门").fill("信访")
    assert zezhou_rows(page) == ["泽州县信访局"]
    assert page.locator("#search-status").inner_text() == "找到 1 个部门（共 3 个）"
    page.get_by_label("查找部门").fill("005")  # a department code
    assert zezhou_rows(page) == ["泽州县教育局"]
    page.get_by_label("查找部门").fill("")
    assert zezhou_rows(page) == ["泽州县教育局", "泽州县信访局"]
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS["phone"]["width"]
    context.close()


def test_every_link_of_the_site_leads_to_a_file_of_it(browser, site):
    """Each link of the root, year and totals pages resolves to a file of the site (nothing
    outside it), and a department's link opens its disclosure."""
    out = site / "out"
    pages = [out / "index.html", out / "2026" / "index.html", *sorted((out / "2026").glob("汇总-*.html"))]
    for path in pages:
        context, page = open_page(browser, path, "desktop")
        assert page.problems == [] and page.requests == [path.as_uri()]  # nothing fetched
        targets = page.evaluate("[...document.querySelectorAll('a[href]')].map(a => a.href)")
        assert targets
        for target in targets:
            assert target.startswith(out.as_uri() + "/"), target
            assert Path(unquote(target.removeprefix("file://").split("#")[0])).is_file(), target
        context.close()
    context, page = open_page(browser, out / "2026" / "index.html", "desktop")
    page.get_by_role("link", name="泽州县信访局 网页").click()
    page.wait_for_load_state()
    assert page.title() == "泽州县信访局2026年度部门预算公开"
    context.close()


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_site_pages_have_no_serious_accessibility_violation(browser, site, viewport):
    out = site / "out"
    for path in (out / "index.html", out / "2026" / "index.html", out / "2026" / "汇总-泽州县.html"):
        # (the pages allow only their own script, by its hash: this context lets axe in)
        context, page = open_page(browser, path, viewport, bypass_csp=True)
        page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
        result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        serious = [(v["id"], v["help"], [n["target"] for n in v["nodes"][:3]])
                   for v in result["violations"]
                   if v["impact"] in ("serious", "critical")]
        assert serious == [], path.name
        context.close()


def test_a_page_that_cannot_be_written_is_one_line_not_a_traceback(tmp_path):
    """A folder stands where the year's index goes: one line naming it, status 1."""
    out = tmp_path / "out"
    (out / "2026" / "index.html").mkdir(parents=True)
    (out / ".budget-site").touch()
    result = run_site(PUTUO_YAML, out, tmp_path / "cache")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"budget site：无法写入 {out / '2026' / 'index.html'}：那里是一个同名的文件夹" in result.stderr
