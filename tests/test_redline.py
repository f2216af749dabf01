"""`budget build --redline BASE`: the new disclosure with what changed since BASE marked in place.

Each test makes a real git repository in tmp_path with the seed budget committed, edits the
file in the working tree and builds the redline from inside the repository.
"""
from __future__ import annotations

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

from conftest import SEED_YAML, edit, seed_text

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
        elif tag in ("ins", "del"):
            self.mark = None

    def handle_data(self, data):
        if self.in_banner or not self.mark:
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
    assert "泽州县信访局 2026年：14 个数字有变化（表六 10、表十一 4），文字 2 处，没有新问题" in banner
    assert 'href="#table-6-section"' in banner and 'href="#part3-8"' in banner
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
    (repo / "budgets" / "2027").mkdir()
    shutil.copy(repo / BUDGET, repo / "budgets" / "2027" / "copy.yaml")
    assert main(["build", "budgets/2027/copy.yaml", "--redline", "HEAD", "--out", "out"]) == 0
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
