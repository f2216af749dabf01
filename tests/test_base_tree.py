"""generator.base_tree: budgets as another revision's own tree (its code, catalogue and
templates) checks and renders them, in real git repositories made in tmp_path; and the text
lines of a rendered disclosure that two renderings are compared by.
"""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, edit, line_of, seed_text
from generator import base_tree
from generator.base_tree import changed_lines, document_lines, evaluate_at
from generator.check import check
from generator.findings import ERROR
from generator.render import render_html

BUDGET = "budgets/2026/zezhou-xinfang.yaml"
# A 功能分类 code the seed uses (its line 107 or so), moved from the official catalogue into
# the local additions, so that deleting the addition breaks the budget.
CODE_LINE = '  "2010399": 其他政府办公厅（室）及相关机构事务支出\n'
ADDITION = ('function:\n  "2010399": {name: 其他政府办公厅（室）及相关机构事务支出, '
            'basis: "泽州县财政局关于补充支出功能分类科目的通知（泽财预〔2026〕1号）"}\n')
# templates/shanxi/parts/part3.html.j2, under 十、绩效管理情况
HEADING = '<p>（项目绩效目标表公开情况见<a href="#project-forms">附件</a>）</p>'


# ---- repositories (as tests/test_git.py builds them) -------------------------------------------

@pytest.fixture(autouse=True)
def isolated_git(monkeypatch):
    """Git sees only the temporary repositories: no GIT_DIR or GIT_INDEX_FILE inherited (the
    suite may run inside a hook), no user or system configuration."""
    for name in list(os.environ):
        if name.startswith("GIT_") or name in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")


def git(repo: Path, *args) -> str:
    result = subprocess.run(["git", *args], cwd=repo, capture_output=True, encoding="utf-8")
    assert result.returncode == 0, f"git {args} failed:\n{result.stderr}"
    return result.stdout


def commit(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


def change(repo: Path, path: str, old: str, new: str, message: str) -> None:
    """Commit `path` with `old` replaced by `new` (which must occur once)."""
    file = repo / path
    file.write_text(edit(file.read_text(encoding="utf-8"), old, new), encoding="utf-8")
    commit(repo, message)


@pytest.fixture
def repo(tmp_path, monkeypatch) -> Path:
    """A copy of this project (generator/, schema/, templates/, pyproject.toml, the seed) whose
    first commit has the seed's code 2010399 in schema/catalogs/additions.yaml; the current
    directory is the repository."""
    repo = tmp_path / "repo"
    repo.mkdir()
    for folder in ("generator", "schema", "templates"):
        shutil.copytree(ROOT / folder, repo / folder,
                        ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", repo / "pyproject.toml")
    (repo / BUDGET).parent.mkdir(parents=True)
    (repo / BUDGET).write_text(seed_text(), encoding="utf-8")
    catalogs = repo / "schema" / "catalogs"
    # 20103 marked complete: without the addition, 2010399 is then an error, not a warning
    function = (catalogs / "function" / "201.yaml").read_text(encoding="utf-8")
    function = edit(edit(function, CODE_LINE, ""), "{name: 政府办公厅（室）及相关机构事务, ",
                    "{name: 政府办公厅（室）及相关机构事务, complete: true, ")
    (catalogs / "function" / "201.yaml").write_text(function, encoding="utf-8")
    additions = (catalogs / "additions.yaml").read_text(encoding="utf-8")
    (catalogs / "additions.yaml").write_text(edit(additions, "function: {}\n", ADDITION),
                                             encoding="utf-8")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.name", "预算科")
    git(repo, "config", "user.email", "yusuan@example.org")
    git(repo, "config", "commit.gpgsign", "false")
    commit(repo, "2026年预算初稿")
    monkeypatch.chdir(repo)
    return repo


def errors(result) -> list:
    return [f for f in result.findings if f.severity == ERROR]


# ---- evaluate_at -----------------------------------------------------------------------------

def test_deleted_catalogue_entry_breaks_the_budget_only_at_the_new_revision(repo):
    change(repo, "schema/catalogs/additions.yaml", ADDITION, "function: {}\n", "删除补充科目")
    old = evaluate_at("HEAD~1", [BUDGET])[BUDGET]
    assert (errors(old), old.problem) == ([], "")
    assert "<h1 class=\"cover-department\">泽州县信访局</h1>" in old.html

    new = evaluate_at("HEAD", [BUDGET])[BUDGET]
    assert new.html is None and new.problem == ""
    [error] = errors(new)
    assert (error.location.path, error.location.line) == (BUDGET, line_of(seed_text(), "2010399"))
    assert "2010399" in error.message and "additions.yaml" in error.message


def test_template_change_differs_in_exactly_that_line(repo):
    change(repo, "templates/shanxi/parts/part3.html.j2", HEADING,
           HEADING.replace("见", "详见"), "改说法")
    old = evaluate_at("HEAD~1", [BUDGET])[BUDGET]
    new = evaluate_at("HEAD", [BUDGET])[BUDGET]
    assert changed_lines(document_lines(old.html), document_lines(new.html)) == [
        ("-", "第三部分 十、绩效管理情况 | （项目绩效目标表公开情况见附件）"),
        ("+", "第三部分 十、绩效管理情况 | （项目绩效目标表公开情况详见附件）")]


def test_the_revisions_own_code_runs(repo):
    """Not the editable install of this project that the interpreter has: a visible change
    to the revision's check shows, and a module the revision lacks is not taken from it."""
    check_py = repo / "generator" / "check.py"
    check_py.write_text(check_py.read_text(encoding="utf-8") + '''

_check = check


def check(path, *options):  # the revision's own marker
    from .findings import WARNING, Location
    budget, derived, found = _check(path, *options)
    return budget, derived, found + [Finding(Location(path, 1, 1), WARNING, "this-tree", "本版本")]
''', encoding="utf-8")
    commit(repo, "check 多报一条")
    [marker] = [f for f in evaluate_at("HEAD", [BUDGET])[BUDGET].findings if f.rule == "this-tree"]
    assert marker.location.path == BUDGET
    assert not [f for f in evaluate_at("HEAD~1", [BUDGET])[BUDGET].findings
                if f.rule == "this-tree"]

    (repo / "generator" / "money.py").unlink()  # the current code has it: must not be used
    commit(repo, "删除 money.py")
    result = evaluate_at("HEAD", [BUDGET])[BUDGET]
    assert (result.findings, result.html) == ([], None)
    assert "版本 HEAD 的 budget check 没有给出结果" in result.problem and "money" in result.problem


def test_a_revision_without_the_tool_is_a_problem(repo):
    shutil.rmtree(repo / "generator")
    commit(repo, "没有代码")
    result = evaluate_at("HEAD", [BUDGET])[BUDGET]
    assert (result.findings, result.html) == ([], None)
    assert result.problem == "版本 HEAD 没有 budget 命令（generator/cli.py），无法用该版本检查和生成"


def test_crash_and_timeout_are_problems_not_tracebacks(repo, monkeypatch):
    cli = repo / "generator" / "cli.py"
    cli.write_text('raise RuntimeError("代码坏了")\n', encoding="utf-8")
    commit(repo, "坏了")
    result = evaluate_at("HEAD", [BUDGET])[BUDGET]
    assert (result.findings, result.html) == ([], None)
    assert result.problem == "版本 HEAD 的 budget check 没有给出结果：RuntimeError: 代码坏了"

    cli.write_text("import time\ntime.sleep(60)\n", encoding="utf-8")
    commit(repo, "慢了")
    monkeypatch.setattr(base_tree, "TIMEOUT", 1)
    assert evaluate_at("HEAD", [BUDGET])[BUDGET].problem == \
        "版本 HEAD 的 budget check 超过 1 秒仍未完成"


def test_broken_catalogue_is_every_budgets_finding(repo):
    change(repo, "schema/catalogs/additions.yaml", "economic_government: {}\n",
           "economic_government: [\n", "目录写坏了")
    other = "budgets/2026/zezhou-jiaoyu.yaml"
    shutil.copy(ROOT / other, repo / other)
    commit(repo, "教育局")
    results = evaluate_at("HEAD", [BUDGET, other])
    assert results[BUDGET].findings == results[other].findings  # once each, not once per budget
    [error] = results[BUDGET].findings
    assert (error.severity, error.location.path) == (ERROR, "schema/catalogs/additions.yaml")
    assert all(r.html is None and r.problem == "" for r in results.values())


def test_works_from_a_subdirectory(repo, monkeypatch):
    monkeypatch.chdir(repo / "budgets" / "2026")
    result = evaluate_at("HEAD", [BUDGET])
    assert list(result) == [BUDGET]
    assert result[BUDGET].html and not errors(result[BUDGET])


def test_bad_revisions_are_refused_in_chinese(repo, tmp_path, monkeypatch):
    for revision in ("没有这个版本", "--output=x.tar", "-h", "HEAD~5"):
        with pytest.raises(ValueError, match=f"^“{revision}”不是 git 中的版本（分支、标签或提交）$"):
            evaluate_at(revision, [BUDGET])
    assert sorted(p.name for p in repo.iterdir()) == [".git", "budgets", "generator",
                                                      "pyproject.toml", "schema", "templates"]
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    with pytest.raises(ValueError, match="不在 git 仓库中"):
        evaluate_at("HEAD", [BUDGET])


def test_absent_budgets_are_absent_and_same_names_are_not_mixed_up(repo):
    """A budget the revision lacks is not in the result.  Two budgets named alike in two year
    folders (both `year: 2026`, so both would be DIR/2026/zezhou-xinfang.html) keep their own
    pages. (The copy's folder is no year: in budgets/2027/ a 2026 budget is an error.)"""
    copy = "budgets/copy/zezhou-xinfang.yaml"
    (repo / copy).parent.mkdir()
    (repo / copy).write_text(edit(seed_text(), "贯彻落实上级党委", "【副本】贯彻落实上级党委"),
                             encoding="utf-8")
    commit(repo, "副本")
    assert list(evaluate_at("HEAD~1", [BUDGET, copy])) == [BUDGET]
    assert evaluate_at("HEAD~1", [copy]) == {}

    both = evaluate_at("HEAD", [copy, BUDGET])
    assert list(both) == [copy, BUDGET]
    assert "【副本】" in both[copy].html and "【副本】" not in both[BUDGET].html


# ---- document_lines and changed_lines --------------------------------------------------------

@pytest.fixture(scope="module")
def seed_lines() -> list[str]:
    budget, derived, _ = check(str(ROOT / BUDGET))
    return document_lines(render_html(budget, derived))


def test_lines_say_where_they_are(seed_lines):
    lines = set(seed_lines)
    table6 = "第二部分 预算公开表6 2026年一般公共预算安排基本支出分经济科目表（不含上年结转）"
    assert table6 in lines  # the heading's own line
    # a row: blank cells kept, so the columns stay aligned
    assert f"{table6} | 基本工资 | 工资奖金津补贴 | 91.92 | 91.92 | " in lines
    # header rows, with a rowspan's cell repeated in the row below
    assert f"{table6} | 部门预算支出经济科目名称 | 政府预算支出经济科目名称 | 合计 | 人员经费 | 公用经费" \
        in lines
    section6 = "第三部分 六、一般公共预算基本支出情况说明"
    assert any(line.startswith(f"{section6} | 人员经费285.25万元，主要包括：") for line in lines)
    # the chart: each bar's label with its figure
    assert ("第三部分 五、一般公共预算支出情况说明 一般公共预算当年拨款结构图 | "
            "一般公共服务支出 | 444.64万元　81.89%") in lines
    # a 绩效目标表 names its project; each indicator its 一级/二级指标
    assert ("第三部分 十、绩效管理情况 项目支出绩效目标表：遗属补助 | 项目资金(元) | "
            "实施期资金总额： | 34,512 | 年度资金总额： | 34,512") in lines
    assert ("第三部分 十、绩效管理情况 部门整体支出绩效目标申报表 | 年度绩效指标 | 产出指标 | "
            "数量指标 | 上级政策落实情况 | 100%") in lines
    assert "第四部分 一、基本支出 | 指为保障机构正常运转、完成日常工作任务而发生的人员支出和公用支出。" \
        in lines
    # no CSS, no <head>, no SVG geometry; whitespace collapsed
    assert not [line for line in seed_lines if "{" in line or "  " in line.replace(" |  | ", "")
                or "<" in line or "泽州县信访局2026年度部门预算公开" == line]


def test_lines_of_a_small_page():
    html = """<html><head><title>标题</title><style>p { color: red }</style></head><body>
    <script>var x = 1;</script>
    <section><h1>第一部分 概况</h1><h2>一、职责</h2><p>第一句，
      <a href="#x">附件</a>。</p><ul><li>甲</li><li>乙<ol><li>乙一</li></ol></li></ul>
    <table><caption>表</caption>
    <tr><th rowspan="2">A</th><td colspan="2">B</td><td></td></tr>
    <tr><td>c</td><td>d</td><td>e</td></tr>
    <tr><td>f</td><td></td><td>g</td></tr></table>
    <svg><rect x="1" y="2"/><text y="5">标签</text><text y="5">1.00万元</text></svg>
    </section><p>后记</p></body></html>"""
    assert document_lines(html) == [
        "第一部分 概况",
        "第一部分 一、职责",
        "第一部分 一、职责 | 第一句， 附件。",
        "第一部分 一、职责 | 甲",
        "第一部分 一、职责 | 乙",
        "第一部分 一、职责 | 乙一",
        "第一部分 一、职责 表",
        "第一部分 一、职责 表 | A | B | ",
        "第一部分 一、职责 表 | A | c | d | e",
        "第一部分 一、职责 表 | f |  | g",
        "第一部分 一、职责 | 标签 | 1.00万元",
        "后记"]


def test_changed_lines_in_order():
    old = ["a", "b", "c", "d"]
    new = ["a", "B", "c", "d", "e"]
    assert changed_lines(old, new) == [("-", "b"), ("+", "B"), ("+", "e")]
    assert changed_lines(old, old) == []
