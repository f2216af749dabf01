"""Disclosure standards as profiles: the Shanghai example against its publication cell for
cell, and any budget rendered in another standard with the same totals."""
from __future__ import annotations

import re
from decimal import Decimal
from functools import cache
from html import unescape

import pytest
import yaml

from generator.check import check
from generator.money import to_wan
from generator.render import render_html

from conftest import JIAOYU_YAML, ROOT, SEED_YAML, edit, findings, line_of, of_rule, seed_text, write

PUTUO_YAML = ROOT / "budgets" / "2026" / "putuo-wenlv.yaml"
# The publication's figures, typed from it (its header says how): tables in 元, table 9 in 万元.
PUTUO_PUBLISHED = ROOT / "tests" / "data" / "putuo_published.yaml"


@cache
def published() -> dict:
    return yaml.safe_load(PUTUO_PUBLISHED.read_text(encoding="utf-8"))


@cache
def putuo():
    budget, derived, found = check(str(PUTUO_YAML))
    assert found == [], [f.text() for f in found]  # no false finding on a real publication
    return budget, derived


def printed(value, unit: str) -> str:
    """A cell as the publication prints it, without thousands separators: 元 whole, 万元 with
    2 places (0 printed as "0" in table 9); blank when there is nothing."""
    if value is None:
        return ""
    if unit == "万元":
        return "0" if value == 0 else str(to_wan(value))
    return "" if value == 0 else str(value.quantize(Decimal(1)) if value == value.to_integral() else value)


def in_printed_order(table) -> list:
    """Shanghai prints the 合计 row of a classified table last."""
    return table.rows[1:] + table.rows[:1] if table.rows and table.rows[0].kind == "total" else table.rows


@pytest.mark.parametrize("number", [2, 3, 5, 6, 7, 8])
def test_classified_tables_hold_the_published_cells(number):
    _, derived = putuo()
    table, expected = derived.tables[number], published()["tables"][number]
    assert table.title == expected["title"] and table.unit == expected["unit"] == "元"
    assert table.columns == expected["columns"]
    ours = [{"code": r.code, "name": r.name, "cells": [printed(c, "元") for c in r.cells]}
            for r in in_printed_order(table)]
    assert ours == expected["rows"]


@pytest.mark.parametrize("number", [1, 4])
def test_summary_tables_hold_the_published_lines(number):
    _, derived = putuo()
    table, expected = derived.tables[number], published()["tables"][number]
    assert table.title == expected["title"]
    ours = [[r.name, printed(r.cells[0], "元"), r.name2, *(printed(c, "元") for c in r.cells[1:])]
            for r in table.rows]
    assert ours == [[str(c) for c in row] for row in expected["rows"]]


def test_three_public_and_office_operation_table_holds_the_published_figures():
    _, derived = putuo()
    table, expected = derived.tables[9], published()["tables"][9]
    assert (table.title, table.unit, table.columns) == (expected["title"], "万元", expected["columns"])
    assert [[printed(c, "万元") for c in r.cells] for r in table.rows] == \
        [row["cells"] for row in expected["rows"]]


def page_text(html: str) -> str:
    text = re.sub(r"<style.*?</style>|<[^>]+>", "", html, flags=re.S)
    return re.sub(r"\s+", "", unescape(text)).replace(",", "")


# The publication's slips, which our text does not repeat (docs/上海示例说明.md): its fragment
# and ours.
CORRECTED = {
    "比2025年预算增加增加27.45万元": "比2025年预算增加27.45万元",
}


def test_every_published_figure_of_the_text_is_printed():
    budget, derived = putuo()
    text = page_text(render_html(budget, derived))
    missing = [f["text"] for f in published()["narrative"]
               if re.sub(r"\s+", "", CORRECTED.get(f["text"], f["text"])).replace(",", "") not in text]
    assert missing == []


def test_each_purpose_sentence_is_printed_with_its_amount():
    budget, derived = putuo()
    text = page_text(render_html(budget, derived))
    for p in published()["purposes"]:
        kind = "其他文化旅游体育与传媒支出" if p["kind"] == "其他文化体育与传媒支出" else p["kind"]
        sentence = f"“{p['class']}(类){kind}(款){p['item']}(项)”{p['amount']}万元，主要用于{p['purpose']}。"
        assert sentence in text, sentence


def test_the_document_names_its_standard_and_numbers_its_tables():
    budget, derived = putuo()
    html = render_html(budget, derived)
    assert '<html lang="zh-CN" data-standard="shanghai">' in html
    assert [int(n) for n in re.findall(r'<table id="table-(\d+)"', html)] == list(range(1, 10))
    assert "注:本部门2026年无政府性基金预算财政拨款安排的预算，故本表为空表。" in html


# ---- any budget in any standard ------------------------------------------------------------

def grand(derived, key: str, column: str) -> Decimal | None:
    """The 合计 (or 支出总计) row's cell under `column` of the profile's table of this key."""
    table = derived.table(key)
    if table is None:
        return None
    row = next(r for r in reversed(table.rows) if r.kind == "total") if table.left_columns else \
        next(r for r in table.rows if r.kind == "total")
    return row.cells[table.columns.index(column)]


def shanxi_totals(d) -> dict:
    """What each total is in Shanxi's tables: 表二 and 表五 leave out the 上年结转 that the
    other standards' tables include, so those are read where Shanxi prints them with it."""
    return {"收入": grand(d, "income", "合计") + grand(d, "income", "上年结转"),
            "支出": grand(d, "expenditure", "合计"), "基本支出": grand(d, "expenditure", "基本支出"),
            "项目支出": grand(d, "expenditure", "项目支出"),
            "一般公共预算支出": grand(d, "fiscal_summary", "一般公共预算"),
            "一般公共预算基本支出": grand(d, "general_economic", "合计"),
            "人员经费": grand(d, "general_economic", "人员经费"),
            "公用经费": grand(d, "general_economic", "公用经费"),
            "收入总计": d.table("summary").rows[-1].cells[0]}


def other_totals(d) -> dict:
    return {"收入": grand(d, "income", "合计"), "支出": grand(d, "expenditure", "合计"),
            "基本支出": grand(d, "expenditure", "基本支出"),
            "项目支出": grand(d, "expenditure", "项目支出"),
            "一般公共预算支出": grand(d, "general_function", "合计"),
            "一般公共预算基本支出": grand(d, "general_economic", "合计"),
            "人员经费": grand(d, "general_economic", "人员经费"),
            "公用经费": grand(d, "general_economic", "公用经费"),
            "收入总计": d.table("summary").rows[-1].cells[0]}


@pytest.mark.parametrize("standard, path", [("shanghai", SEED_YAML), ("mof", SEED_YAML),
                                            ("mof", JIAOYU_YAML)], ids=["shanghai", "mof", "mof-jiaoyu"])
def test_a_budget_in_another_standard_has_the_same_totals(standard, path):
    _, shanxi, _ = check(str(path))
    _, other, found = check(str(path), standard)
    assert not [f for f in found if f.severity == "error"], [f.text() for f in found]
    assert other.profile.name == standard
    assert other_totals(other) == shanxi_totals(shanxi)
    # “三公” of every 财政拨款 source, in whichever table the standard prints them
    items = ("outbound_travel", "reception", "vehicle_purchase", "vehicle_operation")
    assert other.three_public(items, "财政拨款") == shanxi.three_public(items)


def test_build_in_another_standard_writes_beside_the_own_one(tmp_path):
    from generator.build import build_one
    ok, message = build_one(str(SEED_YAML), tmp_path, ["html"], standard="shanghai")
    assert ok, message
    html = (tmp_path / "2026" / "zezhou-xinfang.shanghai.html").read_text(encoding="utf-8")
    assert 'data-standard="shanghai"' in html and "2026年部门收入预算总表" in html


def test_an_unknown_standard_is_a_located_error(tmp_path):
    text = edit(seed_text(), "status: draft", "status: draft\nstandard: beijing")
    path = write(tmp_path, text)
    [found] = of_rule(findings(path), "standard-unknown")
    assert found.location.line == line_of(text, "standard: beijing")
    assert "beijing" in found.message and "shanghai" in found.message and "shanxi" in found.message


def test_a_fact_the_standard_prints_and_the_budget_lacks_is_named(tmp_path):
    text = edit(seed_text(), '  code: "020"\n', "")
    path = write(tmp_path, text)
    [found] = of_rule(findings(path), "standard-requires")
    assert "department.code" in found.message and "山西" in found.message
    assert found.location.line == line_of(text, "department:")
    # the same budget in a standard that does not print it is fine
    assert not of_rule(check(path, "shanghai")[2], "standard-requires")


def test_a_source_the_standard_has_no_column_for_is_named_where_it_is_written():
    """教育局 writes 单位资金 and 财政专户管理资金: Shanghai's tables show 事业收入, 其他收入 …
    and no such column, so the money would drop out of their rows."""
    text = JIAOYU_YAML.read_text(encoding="utf-8")
    found = of_rule(check(str(JIAOYU_YAML), "shanghai")[2], "standard-source")
    assert {f.location.line for f in found} >= {line_of(text, "      单位资金:"),
                                                line_of(text, "funding: {财政专户管理资金: 1080000}")}
    unit_funds = [f for f in found if "“单位资金”" in f.message]
    assert unit_funds and all("请按事业收入、事业单位经营收入" in f.message for f in unit_funds)
    assert all("不能列出" in f.message for f in found if "财政专户管理资金" in f.message)


# ---- review in every standard: diff, show and the redline ----------------------------------

# +1,000 元 行政运行 and 基本工资 in the Shanghai example: tables 1–5 and 8, and the 编制说明
PUTUO_EDITS = (('"2070101 行政运行": 4614597', '"2070101 行政运行": 4615597'),
               ('"30101 基本工资": 11040048', '"30101 基本工资": 11041048'))


@pytest.fixture
def putuo_repo(tmp_path, monkeypatch):
    """A git repository with the Shanghai example committed, then edited in the work tree."""
    import shutil
    import subprocess

    def git(*args):
        subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.invalid",
                        "-c", "commit.gpgsign=false", *args], cwd=tmp_path, check=True,
                       capture_output=True)
    path = tmp_path / "budgets" / "2026" / "putuo-wenlv.yaml"
    path.parent.mkdir(parents=True)
    shutil.copy(PUTUO_YAML, path)
    git("init", "-q")
    git("add", ".")
    git("commit", "-q", "-m", "普陀区文旅局")
    text = PUTUO_YAML.read_text(encoding="utf-8")
    for old, new in PUTUO_EDITS:
        text = edit(text, old, new)
    path.write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_diff_names_the_standards_tables_and_parts(putuo_repo):
    from generator.diff import diff_budgets
    from generator.diff_format import summary
    d = diff_budgets("HEAD:budgets/2026/putuo-wenlv.yaml", "budgets/2026/putuo-wenlv.yaml")
    assert {c.label for c in d.cells} == {"表1", "表2", "表3", "表4", "表5", "表8"}
    assert {c.unit for c in d.cells} == {"元"}
    assert summary(d).startswith("上海市普陀区文化和旅游局 2026年：YAML 改动 2 处")
    [explanation] = {t.where for t in d.texts if "27,807" in t.old}
    assert explanation == "四、部门预算编制说明"
    assert any("27,807.61" in t.old and "27,807.71" in t.new for t in d.texts)
    joint = " ".join(e.effects and " ".join(e.effects) or "" for e in d.edits)
    assert "表3" in joint and "表8" in joint  # each edit names the tables it moves


def test_show_lists_the_standards_tables_and_text(putuo_repo):
    from generator.show import show
    lines = show("budgets/2026/putuo-wenlv.yaml").splitlines()
    assert "表3 部门支出预算总表" in lines
    assert "  表8 30101 基本工资: 合计=11,041,048.00  人员经费=11,041,048.00" in lines
    assert any(line.startswith("四、部门预算编制说明: 2026年，上海市普陀区文化和旅游局收入预算27,807.71万元")
               for line in lines)
    assert not any(line.startswith("绩效目标表") for line in lines)  # Shanghai prints none


def test_redline_marks_cells_in_yuan_and_the_changed_words(putuo_repo):
    from generator.cli import main
    assert main(["build", "budgets/2026/putuo-wenlv.yaml", "--redline", "HEAD", "--out", "out"]) == 0
    html = (putuo_repo / "out" / "2026" / "putuo-wenlv.redline.html").read_text(encoding="utf-8")
    assert ('title="原值 4,654,597 元，变化 +1,000.00 元（+0.02%）"><ins>4,655,597</ins>'
            '<del>4,654,597</del>') in html
    explanation = html[html.index('id="text-explanation"'):html.index('id="part2"')]
    assert "redline-note" not in explanation  # found in place, not noted above the section
    assert "收入预算<ins>27,807.71</ins><del>27,807.61</del>万元" in explanation


def test_diff_and_show_of_a_budget_in_the_mof_standard(tmp_path):
    """A standard with tables only (no narrative module): show lists its tables, diff its cells."""
    from generator.diff import diff_budgets
    from generator.show import show
    text = edit(seed_text(), "status: draft", "status: draft\nstandard: mof")
    text = edit(text, "      领导用车: 0\n", "      领导用车: 0\n      其他用车: 0\n")
    for category in ("事业单位业务用车", "其他公务用车"):
        text = edit(text, f"      {category}: 0\n", "")
    old = write(tmp_path, text, "old.yaml")
    new = write(tmp_path, edit(text, '"30101 基本工资": 919190', '"30101 基本工资": 920190'), "new.yaml")
    assert [f.text() for f in findings(old) if f.severity == "error"] == []
    lines = show(new).splitlines()
    assert "表6 一般公共预算基本支出表" in lines and not any(l.startswith("第三部分") for l in lines)
    d = diff_budgets(old, new)
    assert {c.label for c in d.cells} == {"表6"} and d.texts == []  # 基本工资 is in 表6 only


@pytest.mark.parametrize("path", [SEED_YAML, PUTUO_YAML], ids=["shanxi", "shanghai"])
def test_each_paragraph_of_the_narrative_carries_the_figures_it_prints(path):
    """Sections → sentences → figures: every figure a block records is printed in its text
    as the exact value rounded once, and every 万元 amount its text prints was recorded."""
    from generator.money import pct, wan0, wan_grouped
    from generator.narratives import narrative
    budget, derived, _ = check(str(path))
    blocks = [b for s in narrative(budget, derived) for b in s.blocks if b.text and not b.entered]
    assert sum(len(b.figures) for b in blocks) >= 40
    for block in blocks:
        printed = [f for f in block.figures
                   if wan0(f) in block.text or pct(f) in block.text or wan_grouped(f) in block.text]
        assert printed == list(block.figures), block.text
        amounts = re.findall(r"(?<![\d.,])([\d,]+\.\d{2}|0)(?=万元)", block.text)
        assert len(amounts) <= len(block.figures), block.text
