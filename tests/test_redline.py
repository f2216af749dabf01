"""`budget build --redline BASE`: the new disclosure with what changed since BASE marked in place.

Each test makes a real git repository in tmp_path with the seed budget committed, edits the
file in the working tree and builds the redline from inside the repository.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from io import BytesIO

import pytest
from pypdf import PdfReader

from generator.check import check
from generator.cli import main
from generator.diff import diff_budgets
from generator.render import render_html

from conftest import ROOT, SEED_YAML, edit, line_of, seed_text

BUDGET = "budgets/2026/zezhou-xinfang.yaml"
# +1,000 元 基本工资, −1,000 元 办公费: 表六 and 表十一 change, so do 第三部分 六 and 八
SALARY = ('"30101 基本工资": 919190', '"30101 基本工资": 920190')
OFFICE = ('"30201 办公费": 117000', '"30201 办公费": 116000')


def git(repo, *args):
    subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.invalid",
                    "-c", "commit.gpgsign=false", *args], cwd=repo, check=True,
                   capture_output=True)


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """A git repository holding the seed budget, committed; the tests run inside it."""
    (tmp_path / "budgets" / "2026").mkdir(parents=True)
    shutil.copy(SEED_YAML, tmp_path / BUDGET)
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "seed")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def change(repo, *edits):
    text = seed_text()
    for old, new in edits:
        text = edit(text, old, new)
    (repo / BUDGET).write_text(text, encoding="utf-8")


def redline(repo, *options) -> str:
    assert main(["build", BUDGET, "--redline", "HEAD", "--out", "out", *options]) == 0
    return (repo / "out" / "2026" / "zezhou-xinfang.redline.html").read_text(encoding="utf-8")


class Marks(HTMLParser):
    """What a redline page marks: changed cells per table (with their row and column index,
    counted as the table macros do) and <ins>/<del> text per section of the document."""

    def __init__(self, html: str):
        super().__init__()
        self.cells: list[dict] = []  # {table, row, column, new, old, title}
        self.flagged: list[tuple[int, int, int, str]] = []  # (table, row, column, "⚠1")
        self.texts: list[tuple[str, str, str]] = []  # (section id, "ins"/"del", text)
        self.changed = 0  # every element with class "changed"
        self.table = self.section = None
        self.row = self.column = -1
        self.cell = self.mark = None
        self.in_banner = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        if tag == "aside" and "redline-banner" in classes:
            self.in_banner = True
        if self.in_banner:
            return
        self.changed += "changed" in classes
        ident = a.get("id") or ""
        if tag == "table" and ident.startswith("table-"):
            self.table, self.row = int(ident.split("-")[1]), -1
        elif tag == "h2" and ident:
            self.section = ident
        elif tag == "section" and ident.startswith(("project-", "performance-")):
            self.section = ident
        elif self.table and tag == "tr":
            self.row, self.column = self.row + 1, -1
        elif self.table and tag == "td" and "num" in classes:
            self.column += 1
            if "changed" in classes:
                self.cell = {"table": self.table, "row": self.row, "column": self.column,
                             "new": "", "old": "", "title": a.get("title")}
                self.cells.append(self.cell)
            if "flagged" in classes:
                self.flagged.append((self.table, self.row, self.column, ""))
        elif tag == "span" and "flag" in classes and self.flagged:
            self.mark = "flag"
        elif tag in ("ins", "del"):
            self.mark = tag
            if not self.cell:
                self.texts.append((self.section, tag, ""))

    def handle_endtag(self, tag):
        if tag == "aside":
            self.in_banner = False
        elif tag == "table":
            self.table = None
        elif tag == "thead":
            self.row = -1  # rows are counted in the body
        elif tag == "td":
            self.cell = None
        elif tag in ("ins", "del") or (tag == "span" and self.mark == "flag"):
            self.mark = None

    def handle_data(self, data):
        if self.in_banner or not self.mark:
            return
        if self.mark == "flag":
            *at, text = self.flagged[-1]
            self.flagged[-1] = (*at, text + data)
            return
        if self.cell:
            self.cell["new" if self.mark == "ins" else "old"] += data
        else:
            section, kind, text = self.texts[-1]
            self.texts[-1] = (section, kind, text + data)


def test_redline_marks_exactly_the_changed_cells_and_sentences(repo):
    change(repo, SALARY, OFFICE)
    html = redline(repo)
    marks = Marks(html)
    # 14 cells: 表六 10, 表十一 4, the ones budget diff reports and no others
    assert [c["table"] for c in marks.cells].count(6) == 10
    assert [c["table"] for c in marks.cells].count(11) == 4
    diff = diff_budgets(f"HEAD:{BUDGET}", BUDGET)
    assert {(c["table"], c["row"], c["column"]) for c in marks.cells} == \
        {(c.table, c.row_index, c.column_index) for c in diff.cells}
    assert marks.changed == 14  # nothing else carries the class
    pairs = {(c["new"], c["old"]) for c in marks.cells}
    assert {("92.02", "91.92"), ("11.60", "11.70"), ("34.76", "34.86")} <= pairs
    salary = next(c for c in marks.cells if c["new"] == "92.02")
    assert salary["title"] == "原值 91.92 万元，变化 +1,000.00 元（+0.11%）"
    # 第三部分: the figures of 六 and 八 that changed, the new one first, the old one after it
    assert marks.texts == [
        ("part3-6", "ins", "285.35"), ("part3-6", "del", "285.25"),
        ("part3-6", "ins", "34.76"), ("part3-6", "del", "34.86"),
        ("part3-8", "ins", "34.76"), ("part3-8", "del", "34.86"),
        ("part3-8", "ins", "13.95"), ("part3-8", "del", "14.05"),
        ("part3-8", "ins", "67.04%"), ("part3-8", "del", "67.52%")]
    assert "比2025年增加<ins>13.95</ins><del>14.05</del>万元，增加<ins>67.04%</ins><del>67.52%</del>" in html


def test_redline_banner_says_what_changed(repo):
    change(repo, SALARY, OFFICE)
    html = redline(repo)
    banner = html[html.index('<aside id="redline"'):html.index("</aside>")]
    assert "修订对照：HEAD → 工作区" in banner
    assert "泽州县信访局 2026年：YAML 改动 2 处，14 个数字有变化（表六 10、表十一 4），文字 2 处，没有新问题" in banner
    assert 'href="#table-6-section"' in banner and 'href="#part3-8"' in banner
    # the cause first: each YAML edit, and what it changed on its own
    edits = banner[banner.index('<ul class="redline-edits">'):]
    edits = re.findall(r"<li>(.*?)</li>", edits[:edits.index("</ul>")])
    # (compared without spaces: the page drops a space between two Chinese characters)
    assert [re.sub(r"\s", "", e.split("：", 1)[1]) for e in edits] == [
        "919190→920190（+1,000.00元）→表六5格、第三部分六",
        "117000→116000（-1,000.00元）→表六5格、表十一4格、第三部分六、八"]
    assert "图例" in banner
    assert html.index('<aside id="redline"') < html.index('id="cover"')


def test_unchanged_budget_has_no_highlight(repo):
    html = redline(repo)
    marks = Marks(html)
    assert (marks.cells, marks.texts, marks.changed) == ([], [], 0)
    body = html[html.index("</aside>"):]
    assert "<ins" not in body and "<del" not in body and "redline-note" not in body
    assert "公开内容没有变化" in html


def test_the_published_output_is_left_alone(repo):
    change(repo, SALARY, OFFICE)
    assert main(["build", BUDGET, "--format", "html", "--out", "out"]) == 0
    published = (repo / "out" / "2026" / "zezhou-xinfang.html").read_bytes()
    redline(repo)
    assert sorted(p.name for p in (repo / "out" / "2026").iterdir()) == \
        ["zezhou-xinfang.html", "zezhou-xinfang.redline.html"]  # --redline means HTML only
    assert (repo / "out" / "2026" / "zezhou-xinfang.html").read_bytes() == published
    budget, derived, _ = check(BUDGET)
    plain = render_html(budget, derived)
    assert plain.encode("utf-8") == published
    assert "redline" not in plain and "<ins" not in plain and 'class="num changed"' not in plain


def test_a_file_new_since_base_is_all_new(repo):
    shutil.copy(repo / BUDGET, repo / "budgets" / "2026" / "copy.yaml")  # untracked
    assert main(["build", "budgets/2026/copy.yaml", "--redline", "HEAD", "--out", "out"]) == 0
    html = (repo / "out" / "2026" / "copy.redline.html").read_text(encoding="utf-8")
    assert "此文件在 HEAD 中不存在" in html and "新增预算文件" in html
    assert Marks(html).changed == 0 and not Marks(html).texts


def test_a_removed_sentence_is_shown_where_it_was(repo):
    notes = edit(seed_text(), 'other_notes: ""', 'other_notes: "第一句说明。第二句说明。第三句说明。"')
    (repo / BUDGET).write_text(notes, encoding="utf-8")
    git(repo, "commit", "-q", "-am", "notes")
    (repo / BUDGET).write_text(edit(notes, "第二句说明。", ""), encoding="utf-8")
    html = redline(repo)
    assert "<p>第一句说明。<del>第二句说明。</del>第三句说明。</p>" in html
    assert Marks(html).texts == [("part3-12", "del", "第二句说明。")]


def test_a_rewritten_sentence_reads_as_old_and_new_not_as_scattered_characters(repo):
    change(repo, ('other_notes: ""', 'other_notes: "第一句说明。第二句说明。"'))
    html = redline(repo)
    assert "<p><ins>第一句说明。第二句说明。</ins><del>本单位无其他需要说明的事项。</del></p>" in html


def test_changed_performance_and_duties_text_is_marked_in_place(repo):
    change(repo, ("处理群众来信", "办理群众来信"), ("资金90000元。", "资金九万元。"),
           ("上访案件覆盖面: 全县", "上访案件覆盖面: 全县各乡镇"))
    marks = Marks(redline(repo))
    assert ("part1-duties", "ins", "办") in marks.texts and ("part1-duties", "del", "处") in marks.texts
    assert ("project-1", "ins", "九万") in marks.texts and ("project-1", "del", "90000") in marks.texts
    # an indicator list is spread over a table: a note at the top of the form shows the change
    assert ("performance-department", "ins", "各乡镇") in marks.texts


def test_a_figure_in_the_chart_is_marked_and_its_old_value_noted_under_it(repo):
    change(repo, SALARY, ('"2014001 行政运行": 2140340', '"2014001 行政运行": 2141340'))
    html = redline(repo)
    marks = Marks(html)
    diff = diff_budgets(f"HEAD:{BUDGET}", BUDGET)
    assert {(c["table"], c["row"], c["column"]) for c in marks.cells} == \
        {(c.table, c.row_index, c.column_index) for c in diff.cells}
    chart = html[html.index('<svg class="chart"'):html.index("</figure>")]
    assert '<tspan class="changed">444.74</tspan>' in chart
    assert '<p class="redline-note">图中原为：<del>444.64</del></p>' in chart


def test_redline_pdf_when_asked_for(repo):
    change(repo, SALARY, OFFICE)
    redline(repo, "--format", "html,pdf")
    reader = PdfReader(BytesIO((repo / "out" / "2026" / "zezhou-xinfang.redline.pdf").read_bytes()))
    assert "修订对照：HEAD → 工作区" in reader.pages[0].extract_text()
    assert "92.02" in "".join(page.extract_text() for page in reader.pages)


def test_an_unknown_base_is_refused(repo, capsys):
    assert main(["build", BUDGET, "--redline", "no-such-branch", "--out", "out"]) == 2
    assert "no-such-branch" in capsys.readouterr().err
    assert not (repo / "out").exists()


def test_a_base_that_looks_like_an_option_is_refused(repo, capsys):
    for base in ("--output=w.txt", "-p"):
        assert main(["build", BUDGET, f"--redline={base}", "--out", "out"]) == 2
        assert f"“{base}”不是 git 中的版本" in capsys.readouterr().err
    assert sorted(p.name for p in repo.iterdir()) == [".git", "budgets"]


def test_a_renamed_budget_is_marked_against_its_old_version(repo):
    """git sees the file renamed since BASE: the redline compares it with its old name's
    version, instead of calling everything new."""
    git(repo, "mv", BUDGET, "budgets/2026/xinfang.yaml")
    text = edit(edit(seed_text(), *SALARY), *OFFICE)
    (repo / "budgets" / "2026" / "xinfang.yaml").write_text(text, encoding="utf-8")
    assert main(["build", "budgets/2026/xinfang.yaml", "--redline", "HEAD", "--out", "out"]) == 0
    html = (repo / "out" / "2026" / "xinfang.redline.html").read_text(encoding="utf-8")
    assert f"HEAD:{BUDGET} → budgets/2026/xinfang.yaml" in html
    assert Marks(html).changed == 14 and "新增预算文件" not in html


def test_a_redline_from_a_subdirectory_and_of_a_revision_instead_of_a_file(repo, monkeypatch,
                                                                          capsys):
    change(repo, SALARY, OFFICE)
    monkeypatch.chdir(repo / "budgets" / "2026")
    assert main(["build", "zezhou-xinfang.yaml", "--redline", "HEAD", "--out", "../../out"]) == 0
    html = (repo / "out" / "2026" / "zezhou-xinfang.redline.html").read_text(encoding="utf-8")
    assert Marks(html).changed == 14
    # a redline marks the working-tree file: a file of a revision is refused, in words
    assert main(["build", f"HEAD:{BUDGET}", "--redline", "HEAD~0", "--out", "../../out"]) == 1
    assert "不是工作区中的文件" in capsys.readouterr().err


def test_the_change_is_printed_in_the_cell_not_only_on_hover(repo):
    change(repo, SALARY, OFFICE)
    html = redline(repo)
    assert ('title="原值 91.92 万元，变化 +1,000.00 元（+0.11%）"><ins>92.02</ins><del>91.92</del>'
            '<span class="change">+1,000.00元</span></td>') in html
    legend = html[html.index('class="redline-legend"'):]
    legend = legend[:legend.index("</p>")]
    assert "鼠标" not in legend and "变化额（元" in legend


# ---- a change with errors ----------------------------------------------------------------------

BROKEN = ('"30101 基本工资": 919190', '"30101 基本工资": 919290')  # basic-function-economic


def test_a_change_with_an_error_still_gets_its_redline(repo, capsys):
    """The published document is withheld, the redline is not: the errors on top, numbered,
    and the figures each one compares marked ⚠N in the tables."""
    change(repo, BROKEN)
    assert main(["build", BUDGET, "--redline", "HEAD", "--out", "out", "--format", "html,pdf"]) == 1
    out = repo / "out" / "2026"
    assert sorted(p.name for p in out.iterdir()) == ["zezhou-xinfang.redline.html",
                                                     "zezhou-xinfang.redline.pdf"]
    assert "有 1 个错误，未生成公开文件；已生成修订对照页" in capsys.readouterr().err
    html = (out / "zezhou-xinfang.redline.html").read_text(encoding="utf-8")
    banner = html[html.index('<aside id="redline"'):html.index("</aside>")]
    line = line_of((repo / BUDGET).read_text(encoding="utf-8"), "by_economic:")
    assert "本版有 1 个错误，不能作为公开文件" in banner
    assert (f'<li id="redline-error-1"><span class="flag">⚠1</span> basic-function-economic '
            f"第 {line} 行：泽州县信访局一般公共预算基本支出：按经济分类合计 3,201,240.00 元（表六），"
            "按支出功能分类合计 3,201,140.00 元（表三、表五），相差 100.00 元</li>") in banner
    # The two totals it compares: 表三/表五 合计 × 基本支出 and 表六 合计 × 合计.
    marks = Marks(html)
    assert marks.flagged == [(3, 0, 1, "⚠1"), (5, 0, 1, "⚠1"), (6, 0, 0, "⚠1")]
    assert '<a href="#redline-error-1">⚠1</a>' in html
    # 表六's total both changed and flagged: new, old, change, then the mark.
    total = next(c for c in marks.cells if (c["table"], c["row"], c["column"]) == (6, 0, 0))
    assert (total["new"], total["old"]) == ("320.12", "320.11")
    assert "⚠1 basic-function-economic" in total["title"]
    reader = PdfReader(BytesIO((out / "zezhou-xinfang.redline.pdf").read_bytes()))
    assert "本版有 1 个错误" in reader.pages[0].extract_text()
    # Without --redline nothing is written: a budget with errors is not published.
    assert main(["build", BUDGET, "--out", "out"]) == 1
    assert sorted(p.name for p in out.iterdir()) == ["zezhou-xinfang.redline.html",
                                                     "zezhou-xinfang.redline.pdf"]


def test_an_error_without_a_table_cell_is_listed_only(repo):
    change(repo, ('works: 0', 'works: 100'))  # procurement-total: not a figure of a table
    assert main(["build", BUDGET, "--redline", "HEAD", "--out", "out"]) == 1
    html = (repo / "out" / "2026" / "zezhou-xinfang.redline.html").read_text(encoding="utf-8")
    assert "⚠1</span> procurement-total" in html
    assert Marks(html).flagged == []


def test_make_pr_pdf_of_a_change_with_an_error_yields_its_redline(repo):
    """The pull-request artifact has the redline even when the budget has an error; the
    target fails, so the run does too."""
    for name in ("Makefile", "pyproject.toml", "requirements.lock"):
        shutil.copy2(ROOT / name, repo / name)
    (repo / ".gitignore").write_text(".venv/\nbuild/\nout/\n", encoding="utf-8")
    (repo / ".venv").mkdir()
    for name in ("bin", "lib", "pyvenv.cfg"):
        (repo / ".venv" / name).symlink_to(ROOT / ".venv" / name)
    (repo / ".venv" / ".installed").touch()
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "project")
    change(repo, BROKEN)
    git(repo, "commit", "-q", "-am", "broken")
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("GIT_") and k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    result = subprocess.run(["make", "--no-print-directory", "pr-pdf", "BASE=HEAD~1"], cwd=repo,
                            capture_output=True, encoding="utf-8", env=env)
    assert result.returncode != 0
    assert "能读入的预算仍生成了修订对照页" in result.stderr
    out = repo / "build" / "pr" / "2026"
    assert sorted(p.name for p in out.iterdir()) == ["zezhou-xinfang.redline.html"]
    html = (out / "zezhou-xinfang.redline.html").read_text(encoding="utf-8")
    assert "本版有 1 个错误" in html and "⚠1</span> basic-function-economic" in html


@pytest.mark.parametrize("rule, cells", [
    ("basic-function-economic", [(3, 0, 1), (5, 0, 1), (6, 0, 0)]),
    ("control-total", [(1, 0, 0), (2, 0, 1)]),  # 一般公共预算: 表一 收入, 表二 合计 row
    ("project-performance-funds", [(12, None, 0)]),  # the project's row: any but the total
])
def test_the_cells_of_a_rule_are_found_in_the_tables(rule, cells):
    """Finding.cells name rows and columns as the tables do: each one is found."""
    from generator.check import analyse
    from generator.redline import locate
    budget, derived, found = analyse(str(ROOT / "tests" / "corpus" / f"rule-{rule}.yaml"))
    [finding] = [f for f in found if f.rule == rule]
    at = [locate(derived, cell) for cell in finding.cells]
    assert [(t, r if c[1] is not None else None, col) for (t, r, col), c in zip(at, cells)] == cells
    if rule == "project-performance-funds":
        table, row, _ = at[0]
        assert derived.tables[table].rows[row].level == 2  # a project, not a unit or the total
