"""`budget diff` of two files: the YAML edits lead and say what each caused, two-sided tables
name each side's own row, a new budget shows its totals, and a figure typed in free text that
still states an old total is pointed out.  (Diffs against git revisions: test_git.py.)"""
from __future__ import annotations

import json
from decimal import Decimal

from conftest import SEED_YAML, edit, line_of, seed_text, write
from generator import cli
from generator.diff import MAX_WORD_DIFF, diff_budgets, word_diff
from generator.diff_format import markdown, terminal
from generator.show import show


def moved_1000(text: str) -> str:
    """基本工资 +1000 and 办公费 −1000: the same basic expenditure, split differently."""
    text = edit(text, '"30101 基本工资": 919190', '"30101 基本工资": 920190')
    return edit(text, '"30201 办公费": 117000', '"30201 办公费": 116000')


def basic_plus_10000(text: str) -> str:
    """基本支出 +10,000 元, by function (行政运行) and by economic code (基本工资) alike."""
    text = edit(text, '"2014001 行政运行": 2140340', '"2014001 行政运行": 2150340')
    return edit(text, '"30101 基本工资": 919190', '"30101 基本工资": 929190')


def pair(tmp_path, old: str, new: str) -> tuple[str, str]:
    return write(tmp_path, old, "old/x.yaml"), write(tmp_path, new, "new/x.yaml")


def test_markdown_starts_with_the_yaml_edits_and_what_each_caused(tmp_path):
    new_text = moved_1000(seed_text())
    old, new = pair(tmp_path, seed_text(), new_text)
    lines = markdown([diff_budgets(old, new)]).splitlines()
    salary, office = line_of(new_text, '"30101 基本工资"'), line_of(new_text, '"30201 办公费"')
    path = "单位 › “泽州县信访局” › 基本支出 › 一般公共预算 › 按经济分类"
    assert lines[0].startswith("**泽州县信访局 2026年：YAML 改动 2 处，14 个数字有变化")
    assert lines[2:7] == [
        "YAML 改动（2 处）：", "",
        # alone, +1,000 on 基本工资 moves 合计/人员经费, 301 and 30101 (合计 and 人员经费 each),
        # and the 人员经费 sentence of 第三部分 六
        f"- 第 {salary} 行 {path} › 30101 基本工资：919190 → 920190（+1,000.00 元） → 表六 5 格、第三部分 六",
        f"- 第 {office} 行 {path} › 30201 办公费：117000 → 116000（-1,000.00 元） → "
        "表六 5 格、表十一 4 格、第三部分 六、八",
        ""]


def test_changes_that_only_edits_together_make_are_called_joint(tmp_path):
    # 行政运行 +10,000 alone breaks no table of its own... but the two edits each move 合计
    # rows of their own tables; 表三/表五's 基本支出 move with 行政运行 only: nothing is joint.
    old, new = pair(tmp_path, seed_text(), basic_plus_10000(seed_text()))
    d = diff_budgets(old, new)
    assert [e.label.rsplit(" › ", 1)[1] for e in d.edits] == ["2014001 行政运行", "30101 基本工资"]
    function, economic = d.edits
    assert "表一 9 格" in function.effects and "表六 6 格" in economic.effects
    assert not any("表六" in e for e in function.effects)
    assert d.joint == []


def test_two_sided_tables_label_each_side_with_its_own_row(tmp_path):
    old, new = pair(tmp_path, seed_text(), basic_plus_10000(seed_text()))
    cells = {(c.table, c.row, c.column): c.change for c in diff_budgets(old, new).cells}
    # 表一's first line: income 一、一般公共预算 beside spending 201 一般公共服务支出
    assert cells[(1, "一、一般公共预算", "收入")] == Decimal(10000)
    assert cells[(1, "201 一、一般公共服务支出", "合计")] == Decimal(10000)
    assert cells[(1, "本年收入合计", "收入")] == Decimal(10000)
    assert cells[(1, "本年支出合计", "当年预算安排")] == Decimal(10000)
    assert not [key for key in cells if key[0] == 1 and "|" in key[1]]
    assert cells[(4, "一、一般公共预算", "收入")] == Decimal(10000)


def test_a_new_budget_shows_its_totals_and_findings(tmp_path, monkeypatch, capsys):
    new = write(tmp_path, edit(seed_text(), '"30101 基本工资": 919190', '"30101 基本工资": 919290'))
    d = diff_budgets(None, new)
    assert d.added
    totals = {name: new_value for name, _, new_value in d.totals}
    assert totals["收支总计"] == Decimal("5432252") and totals["基本支出"] == Decimal("3201140")
    assert totals["“三公”经费"] == 0 and totals["机关运行经费"] == Decimal("348620")
    text = markdown([d])
    assert text.startswith("**泽州县信访局 2026年：新增预算文件，收支总计 543.23 万元，1 个问题**")
    assert "| 基本支出 | — | 320.11 |" in text and "`basic-function-economic`" in text
    # and a deleted one the same, from the other side
    d = diff_budgets(new, None)
    assert d.removed and ("收支总计", Decimal("5432252"), None) in d.totals


def test_a_figure_left_behind_from_the_old_total_is_pointed_out(tmp_path):
    typed = edit(seed_text(), "基本支出成本: {≤: 基本支出}", "基本支出成本: ≤320.11万元")
    old, new = pair(tmp_path, typed, basic_plus_10000(typed))
    d = diff_budgets(old, new)
    assert [(s.line, s.text, s.total, s.old, s.new) for s in d.stale] == [
        (line_of(typed, "基本支出成本"), "320.11万元", "基本支出", Decimal("3201140"),
         Decimal("3211140"))]
    assert "等于上一版的基本支出（320.11 万元），本版基本支出是 321.11 万元" in markdown([d])
    # written as a reference, the indicator follows the total: nothing is left behind
    old, new = pair(tmp_path, seed_text(), basic_plus_10000(seed_text()))
    d = diff_budgets(old, new)
    assert d.stale == []
    [indicators] = [t for t in d.texts if t.where.endswith("年度绩效指标")]
    assert "基本支出成本：≤320.11万元" in indicators.old
    assert "基本支出成本：≤321.11万元" in indicators.new


def test_a_new_project_is_one_edit_not_a_shift_of_every_later_one(tmp_path):
    text = seed_text()
    start, end = text.index("      - name: 遗属补助"), text.index("      - name: 农校遗留问题经费")
    block = text[start:end].replace("遗属补助", "困难群众慰问金", 1).replace("-yishu", "-weiwen")
    new_text = text[:start] + block + text[start:]  # inserted before 遗属补助, not at the end
    old, new = pair(tmp_path, text, new_text)
    d = diff_budgets(old, new)
    assert [(e.kind, e.label.rsplit(" › ", 1)[1]) for e in d.edits] == [("added", "“困难群众慰问金”")]
    assert d.edits[0].line == line_of(new_text, "- name: 困难群众慰问金")
    assert "表十二 " in " ".join(d.edits[0].effects)


def test_json_carries_the_edits(tmp_path, monkeypatch, capsys):
    old, new = pair(tmp_path, seed_text(), moved_1000(seed_text()))
    assert cli.main(["diff", old, new, "--format", "json"]) == 0
    [d] = json.loads(capsys.readouterr().out)
    assert [(e["old"], e["new"], e["change"]) for e in d["edits"]] == [
        ("919190", "920190", "1000"), ("117000", "116000", "-1000")]
    assert d["edits"][0]["effects"] == ["表六 5 格", "第三部分 六"]


def test_two_long_unrelated_texts_are_shown_replaced_not_compared_character_by_character():
    # found by a campaign: two budgets with unrelated 5,000-character texts took 20 s to diff
    # (SequenceMatcher's work is the product of the lengths); the part between the common
    # beginning and end is then shown replaced whole
    old, new = "前言。" + "甲乙丙丁" * 1250 + "。结语", "前言。" + "戊己庚辛" * 1250 + "。结语"
    assert len(old) * len(new) > MAX_WORD_DIFF
    assert word_diff(old, new) == [("=", "前言。"), ("-", "甲乙丙丁" * 1250), ("+", "戊己庚辛" * 1250),
                                   ("=", "。结语")]


def test_one_word_changed_in_a_long_text_is_still_shown_alone():
    old = "信访" * 2500 + "办理群众来信" + "接待" * 2500
    new = "信访" * 2500 + "处理群众来信" + "接待" * 2500
    assert word_diff(old, new) == [("=", "信访" * 2500), ("-", "办"), ("+", "处"),
                                   ("=", "理群众来信" + "接待" * 2500)]


INJECTED = '"国务院《通知》\\r第二行\\n表一 第三行 | 表 | 格 |\\n<!-- budget-diff -->\\n@someone [x](http://e.com)"'


def test_budget_text_never_makes_a_line_or_markup_of_its_own(tmp_path):
    # found by a campaign: a text with line breaks, a table row, an HTML comment (the marker the
    # workflow finds its comment by), an @mention and a link came out of diff and show as
    # lines and markup of their own
    text = edit(seed_text(), "basis: 三方方案:泽州县信访局职能配置、内设机构和人员编制规定。", f"basis: {INJECTED}")
    new = write(tmp_path / "2026", text, "zezhou-xinfang.yaml")
    diff = diff_budgets(str(SEED_YAML), new)
    md = markdown([diff])
    assert "\r" not in md and "\n<!--" not in md and "\n表一" not in md
    assert "\\<!-- budget-diff --\\>" in md and "\\@someone \\[x\\]" in md and "\\| 表 \\|" in md
    term = terminal([diff], False)
    assert "\r" not in term and len(term.splitlines()) == 3, term  # headline, the edit, the text
    shown = show(new)
    assert "\r" not in shown and not any(line.startswith(("表一 第三行", "<!--", "@")) for line in shown.splitlines())
    assert "立项依据: 国务院《通知》\\r第二行\\n表一 第三行" in shown


def test_a_code_fence_in_the_document_lines_cannot_be_closed_by_budget_text():
    from generator.diff_format import _fence
    assert _fence(["+ 说明 ``` 结束", "- `x`"]) == "````"
    assert _fence(["+ 没有反引号"]) == "```"
