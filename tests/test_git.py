"""Git integration, with real repositories made in tmp_path: `budget diff --git`, the textconv
driver behind `git diff`, the pre-commit hook, `make git-setup` and the `make pr-*` targets the
pull-request workflow runs, and the workflow and pre-commit configuration themselves.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import BUDGET_EXE, JIAOYU_YAML, ROOT, edit, line_of, seed_text
from generator import cli

BUDGET = "budgets/2026/zezhou-xinfang.yaml"
MARKER = "<!-- budget-diff -->"


# ---- repositories --------------------------------------------------------------------------

@pytest.fixture(autouse=True)
def isolated_git(monkeypatch):
    """Git sees only the temporary repositories: no GIT_DIR or GIT_INDEX_FILE inherited (the
    suite may run inside a hook), no user or system configuration, no outer make's flags."""
    for name in list(os.environ):
        if name.startswith("GIT_") or name in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")


def run(repo: Path, *args, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run([str(a) for a in args], cwd=repo, capture_output=True,
                            encoding="utf-8")
    if check and result.returncode:
        raise AssertionError(f"{args} failed ({result.returncode}):\n{result.stdout}"
                             f"\n{result.stderr}")
    return result


def git(repo: Path, *args, check: bool = True) -> subprocess.CompletedProcess:
    return run(repo, "git", *args, check=check)


def commit(repo: Path, message: str, check: bool = True) -> subprocess.CompletedProcess:
    git(repo, "add", "-A")
    return git(repo, "commit", "-q", "-m", message, check=check)


def write_budget(repo: Path, text: str, path: str = BUDGET) -> None:
    (repo / path).parent.mkdir(parents=True, exist_ok=True)
    (repo / path).write_text(text, encoding="utf-8")


@pytest.fixture
def repo(tmp_path) -> Path:
    """A repository on branch main with the seed budget and this project's .gitattributes."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.name", "预算科")
    git(repo, "config", "user.email", "yusuan@example.org")
    git(repo, "config", "commit.gpgsign", "false")
    write_budget(repo, seed_text())
    shutil.copy(ROOT / ".gitattributes", repo / ".gitattributes")
    (repo / ".gitignore").write_text(".venv/\nbuild/\n", encoding="utf-8")
    commit(repo, "2026年预算初稿")
    return repo


def diff_git(repo: Path, monkeypatch, capsys, base: str = "HEAD~1", fmt: str = "markdown"):
    """`budget diff --git BASE --format FMT` run in `repo`."""
    monkeypatch.chdir(repo)
    assert cli.main(["diff", "--git", base, "--format", fmt]) == 0
    out = capsys.readouterr().out
    return json.loads(out)[0] if fmt == "json" else out


# The edits the tests commit; each is a text edit of the seed (the YAML is never re-dumped).

def moved_1000(text: str) -> str:
    """基本工资 +1000 and 办公费 −1000: the same basic expenditure, split differently."""
    text = edit(text, '"30101 基本工资": 919190', '"30101 基本工资": 920190')
    return edit(text, '"30201 办公费": 117000', '"30201 办公费": 116000')


def basic_salary_plus_100(text: str) -> str:
    """By economic classification 100 元 more than by function: basic-function-economic."""
    return edit(text, '"30101 基本工资": 919190', '"30101 基本工资": 919290')


def with_new_project(text: str) -> str:
    """A copy of 遗属补助 (with its whole 绩效目标表) as 困难群众慰问金, 20,000 元."""
    start = text.index("      - name: 遗属补助")
    end = text.index("      - name: 农校遗留问题经费")
    block = text[start:end].replace("遗属补助", "困难群众慰问金", 1).replace("34512", "20000")
    block = block.replace("-yishu", "-weiwen")  # its own YAML anchors
    assert block.count("20000") == 4  # funding, 资金总额 ×2, and the overview's total
    return text[:end] + block + text[end:]


# ---- budget diff --git ---------------------------------------------------------------------

MOVED_1000_MARKDOWN = """\
**泽州县信访局 2026年：YAML 改动 2 处，14 个数字有变化（表六 10、表十一 4），文字 2 处，没有新问题**（`budgets/2026/zezhou-xinfang.yaml`）

YAML 改动（2 处）：

- 第 {salary} 行 单位 › “泽州县信访局” › 基本支出 › 一般公共预算 › 按经济分类 › 30101 基本工资：919190 → 920190（+1,000.00 元） → 表六 5 格、第三部分 六
- 第 {office} 行 单位 › “泽州县信访局” › 基本支出 › 一般公共预算 › 按经济分类 › 30201 办公费：117000 → 116000（-1,000.00 元） → 表六 5 格、表十一 4 格、第三部分 六、八

主要合计（万元）

| 合计 | 原值 | 新值 |
| --- | ---: | ---: |
| 机关运行经费 | 34.86 | 34.76 |

表六 一般公共预算安排基本支出分经济科目表（不含上年结转）（万元）

| 行 | 列 | 原值 | 新值 | 变化（元） | 变化率 |
| --- | --- | ---: | ---: | ---: | ---: |
| 合计 | 人员经费 | 285.25 | 285.35 | +1,000.00 | +0.04% |
| 合计 | 公用经费 | 34.86 | 34.76 | -1,000.00 | -0.29% |
| 301 工资福利支出 | 合计 | 266.40 | 266.50 | +1,000.00 | +0.04% |
| 301 工资福利支出 | 人员经费 | 266.40 | 266.50 | +1,000.00 | +0.04% |
| 30101 基本工资 \\| 工资奖金津补贴 | 合计 | 91.92 | 92.02 | +1,000.00 | +0.11% |
| 30101 基本工资 \\| 工资奖金津补贴 | 人员经费 | 91.92 | 92.02 | +1,000.00 | +0.11% |
| 302 商品和服务支出 | 合计 | 28.94 | 28.84 | -1,000.00 | -0.35% |
| 302 商品和服务支出 | 公用经费 | 28.94 | 28.84 | -1,000.00 | -0.35% |
| 30201 办公费 \\| 办公经费 | 合计 | 11.70 | 11.60 | -1,000.00 | -0.85% |
| 30201 办公费 \\| 办公经费 | 公用经费 | 11.70 | 11.60 | -1,000.00 | -0.85% |

表十一 财政拨款安排机关运行经费预算表（万元）

| 行 | 列 | 原值 | 新值 | 变化（元） | 变化率 |
| --- | --- | ---: | ---: | ---: | ---: |
| 部门合计 | 合计 | 34.86 | 34.76 | -1,000.00 | -0.29% |
| 部门合计 | 一般公共预算 | 34.86 | 34.76 | -1,000.00 | -0.29% |
| 泽州县信访局 | 合计 | 34.86 | 34.76 | -1,000.00 | -0.29% |
| 泽州县信访局 | 一般公共预算 | 34.86 | 34.76 | -1,000.00 | -0.29% |

文字（~~删除~~ **新增**）：

- **第三部分 六、一般公共预算基本支出情况说明**：人员经费~~285.25~~**285.35**万元，主要包括：基本工资、津贴补贴、…积金、退休费、医疗费补助等；公用经费~~34.86~~**34.76**万元，主要包括：办公费、印刷费、邮电…
- **第三部分 八、机关运行经费增减变动原因说明**：本部门2026年机关运行经费财政拨款预算~~34.86~~**34.76**万元，比2025年增加~~14.05~~**13.95**万元，增加~~67.52%~~**67.04%**，原因是：人员增加3人,公用经费增加。
""".format(salary=line_of(seed_text(), '"30101 基本工资"'),
                   office=line_of(seed_text(), '"30201 办公费"'))


def test_moving_1000_yuan_between_economic_codes(repo, monkeypatch, capsys):
    write_budget(repo, moved_1000(seed_text()))
    commit(repo, "基本工资 +1000，办公费 −1000")
    assert diff_git(repo, monkeypatch, capsys) == MOVED_1000_MARKDOWN
    # The same, counted: 14 cells (表六 10, 表十一 4: 机关运行经费 is the 公用经费), the two
    # sections of 第三部分 that print 人员经费/公用经费/机关运行经费, nothing else.
    d = diff_git(repo, monkeypatch, capsys, fmt="json")
    assert [(c["table"], c["row"], c["column"], c["change"]) for c in d["cells"]][:2] == [
        (6, "合计", "人员经费", "1000"), (6, "合计", "公用经费", "-1000")]
    assert {t: sum(c["table"] == t for c in d["cells"]) for t in (6, 11)} == {6: 10, 11: 4}
    assert len(d["cells"]) == 14
    assert [t["where"] for t in d["texts"]] == ["第三部分 六、一般公共预算基本支出情况说明",
                                                "第三部分 八、机关运行经费增减变动原因说明"]
    assert d["projects"] == {"added": [], "removed": [], "renamed": []}
    assert d["findings_introduced"] == d["findings_fixed"] == []
    # 表六's total is unchanged: the money moved, it did not grow.
    assert not [c for c in d["cells"] if c["table"] == 6 and c["column"] == "合计"
                and c["row"] == "合计"]


def test_new_project_is_listed_with_the_cells_it_changes(repo, monkeypatch, capsys):
    write_budget(repo, with_new_project(seed_text()))
    commit(repo, "新增项目：困难群众慰问金")
    md = diff_git(repo, monkeypatch, capsys)
    # 文字 11 处: ten runs of sentences of 第三部分 (五's two paragraphs are apart: the unchanged
    # heading （二） is between them) and the department form's 项目支出成本, which refers to
    # 项目支出 ({≤: 项目支出}) and so follows it
    assert md.startswith("**泽州县信访局 2026年：YAML 改动 1 处，48 个数字有变化（表一 9、表二 8、"
                         "表三 8、表四 9、表五 8、表十二 6），项目增 1、删 0、改名 0，文字 11 处，没有新问题**")
    assert "项目支出成本：≤~~222.85~~**224.85**万元" in md
    assert "\n- 新增项目：困难群众慰问金\n" in md
    assert "删除项目" not in md and "项目改名" not in md and "❌" not in md

    d = diff_git(repo, monkeypatch, capsys, fmt="json")
    assert d["projects"] == {"added": ["困难群众慰问金"], "removed": [], "renamed": []}
    cells = {(c["table"], c["row"], c["column"]): (c["old"], c["new"]) for c in d["cells"]}
    # Every changed cell is the 20,000 元 of the new project, in the tables that show projects.
    assert {c["change"] for c in d["cells"]} == {"20000"}
    assert {c["table"] for c in d["cells"]} == {1, 2, 3, 4, 5, 12}
    assert cells[(12, "困难群众慰问金", "合计")] == (None, "20000")
    assert cells[(12, "泽州县信访局（部门合计）", "合计")] == ("2228512", "2248512")
    assert cells[(12, "泽州县信访局", "合计")] == ("2228512", "2248512")  # the unit's row
    # 表三 and 表五 at the project's 功能分类 code and its parents, 项目支出 and 合计.
    assert cells[(3, "2010399 其他政府办公厅（室）及相关机构事务支出", "项目支出")] == ("34512", "54512")
    assert cells[(5, "合计", "项目支出")] == ("2228512", "2248512")
    assert cells[(1, "支出总计", "合计")] == ("5432252", "5452252")  # each side its own row
    assert cells[(1, "收入总计", "收入")] == ("5432252", "5452252")
    # 基本支出 did not change: no cell of 表六 or 表十一.
    assert not {6, 11} & {c["table"] for c in d["cells"]}
    # 第三部分 counts the project: 6 → 7 projects under 绩效管理.
    assert any("二级项目~~6~~**7**个" in line for line in md.splitlines())


def test_renamed_project_is_a_rename_not_added_and_removed(repo, monkeypatch, capsys):
    write_budget(repo, edit(seed_text(), "- name: 遗属补助", "- name: 遗属生活困难补助"))
    commit(repo, "项目改名")
    line = line_of(seed_text(), "- name: 遗属补助")
    assert diff_git(repo, monkeypatch, capsys) == (
        "**泽州县信访局 2026年：YAML 改动 1 处，项目增 0、删 0、改名 1，没有新问题**"
        "（`budgets/2026/zezhou-xinfang.yaml`）\n"
        "\n"
        "YAML 改动（1 处）：\n"
        "\n"
        f"- 第 {line} 行 单位 › “泽州县信访局” › 项目 › “遗属生活困难补助” › 名称：遗属**生活困难**补助\n"
        "\n"
        "- 项目改名：遗属补助 → 遗属生活困难补助\n")
    d = diff_git(repo, monkeypatch, capsys, fmt="json")
    assert d["projects"] == {"added": [], "removed": [],
                             "renamed": [["遗属补助", "遗属生活困难补助"]]}
    assert d["cells"] == [] and d["texts"] == []  # 表十二's row is the same row, renamed


def test_renamed_project_with_a_new_amount_shows_the_amount_on_its_new_name(
        repo, monkeypatch, capsys):
    text = edit(seed_text(), "- name: 遗属补助", "- name: 遗属生活困难补助")
    write_budget(repo, edit(text, "34512", "36000", count=4))
    commit(repo, "项目改名并调整金额")
    d = diff_git(repo, monkeypatch, capsys, fmt="json")
    assert d["projects"]["renamed"] == [["遗属补助", "遗属生活困难补助"]]
    rows = [(c["row"], c["column"], c["old"], c["new"]) for c in d["cells"] if c["table"] == 12]
    assert ("遗属生活困难补助", "合计", "34512", "36000") in rows
    assert not [r for r in rows if r[0] == "遗属补助"]


def test_broken_rule_is_a_new_finding_and_its_revert_solves_it(repo, monkeypatch, capsys):
    broken = basic_salary_plus_100(seed_text())
    write_budget(repo, broken)
    commit(repo, "基本工资 +100（未改功能分类）")
    md = diff_git(repo, monkeypatch, capsys)
    assert md.startswith("**泽州县信访局 2026年：YAML 改动 1 处，6 个数字有变化（表六 6），文字 1 处，新问题 1 个**")
    finding = [line for line in md.splitlines() if line.startswith("- ❌")]
    assert finding == [
        f"- ❌ 新问题 `basic-function-economic` 第 {line_of(broken, 'by_economic:')} 行："
        "泽州县信访局一般公共预算基本支出：按经济分类合计 3,201,240.00 元（表六），"
        "按支出功能分类合计 3,201,140.00 元（表三、表五），相差 100.00 元"]
    assert "已解决" not in md

    git(repo, "revert", "--no-edit", "HEAD")
    md = diff_git(repo, monkeypatch, capsys)
    assert md.startswith("**泽州县信访局 2026年：YAML 改动 1 处，6 个数字有变化（表六 6），文字 1 处，"
                         "没有新问题，解决问题 1 个**")
    assert [line for line in md.splitlines() if line.startswith("- ✅")] == [
        "- ✅ 已解决 `basic-function-economic`：泽州县信访局一般公共预算基本支出："
        "按经济分类合计 3,201,240.00 元（表六），按支出功能分类合计 3,201,140.00 元（表三、表五），"
        "相差 100.00 元"]
    assert "❌" not in md
    # Across both commits the file is as it was: no budget to report.
    assert cli.main(["diff", "--git", "HEAD~2", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_diff_git_includes_uncommitted_edits_and_new_and_chinese_named_files(
        repo, monkeypatch, capsys):
    write_budget(repo, moved_1000(seed_text()))  # not committed
    write_budget(repo, seed_text(), "budgets/2026/泽州县信访局副本.yaml")  # new, untracked…
    git(repo, "add", "budgets/2026/泽州县信访局副本.yaml")  # …until added
    monkeypatch.chdir(repo)
    assert cli.main(["diff", "--git", "HEAD", "--format", "json"]) == 0
    diffs = json.loads(capsys.readouterr().out)
    assert [(x["old"], x["new"], x["added"]) for x in diffs] == [
        ("HEAD:budgets/2026/zezhou-xinfang.yaml", "budgets/2026/zezhou-xinfang.yaml", False),
        (None, "budgets/2026/泽州县信访局副本.yaml", True)]  # listed as named, not "\346…"
    by_file = {x["new"]: x for x in diffs}
    assert len(by_file["budgets/2026/zezhou-xinfang.yaml"]["cells"]) == 14
    assert by_file["budgets/2026/泽州县信访局副本.yaml"]["summary"] == \
        "泽州县信访局 2026年：新增预算文件，收支总计 543.23 万元，没有问题"


# ---- git diff through the textconv driver --------------------------------------------------

def test_git_diff_shows_the_published_lines_not_yaml(repo):
    git(repo, "config", "diff.budget.textconv", f"{BUDGET_EXE} show")
    git(repo, "config", "diff.budget.cachetextconv", "false")
    write_budget(repo, moved_1000(seed_text()))
    commit(repo, "基本工资 +1000，办公费 −1000")
    out = git(repo, "diff", "HEAD~1", "--", "budgets/").stdout
    changed = [line for line in out.splitlines() if line[:1] in "+-"
               and not line.startswith(("+++", "---"))]
    assert "-  表六 30101 基本工资 | 工资奖金津补贴: 合计=919,190.00  人员经费=919,190.00" in changed
    assert "+  表六 30101 基本工资 | 工资奖金津补贴: 合计=920,190.00  人员经费=920,190.00" in changed
    assert "-  表六 30201 办公费 | 办公经费: 合计=117,000.00  公用经费=117,000.00" in changed
    assert "+  表六 30201 办公费 | 办公经费: 合计=116,000.00  公用经费=116,000.00" in changed
    assert "+  表十一 部门合计: 合计=347,620.00  一般公共预算=347,620.00" in changed
    assert any(line.startswith("+第三部分 八、机关运行经费增减变动原因说明: ") and "34.76万元" in line
               for line in changed)
    # 14 cells in 7 rows (表六 5, 表十一 2; a row per line) and 3 sentences, old and new each.
    assert len(changed) == 2 * (5 + 2 + 3)
    assert not [line for line in changed if "919190" in line or '"30101' in line]  # no YAML
    # Without the driver, the same diff is of the YAML lines.
    plain = git(repo, "diff", "--no-textconv", "HEAD~1", "--", "budgets/").stdout
    assert '-          "30101 基本工资": 919190' in plain.splitlines()


# ---- the pre-commit hook -------------------------------------------------------------------

@pytest.fixture
def hooked(repo) -> Path:
    shutil.copy(ROOT / "generator" / "hooks" / "pre-commit", repo / ".git" / "hooks")
    git(repo, "config", "budget.program", str(BUDGET_EXE))
    return repo


def test_hook_stops_a_commit_of_a_broken_budget(hooked):
    broken = basic_salary_plus_100(seed_text())
    write_budget(hooked, broken)
    result = commit(hooked, "坏的", check=False)
    assert result.returncode != 0
    where = f":{BUDGET}:{line_of(broken, 'by_economic:')}:"  # the staged version, located
    assert re.search(rf"^{re.escape(where)}\d+: error basic-function-economic .*相差 100\.00 元$",
                     result.stderr, re.M), result.stderr
    assert "提交已取消" in result.stderr
    assert git(hooked, "log", "--format=%s").stdout == "2026年预算初稿\n"


def test_hook_checks_a_budget_named_in_chinese_with_a_space(hooked):
    path = "budgets/2026/泽州县 信访局.yaml"
    write_budget(hooked, basic_salary_plus_100(seed_text()), path)
    result = commit(hooked, "坏的", check=False)
    assert result.returncode != 0
    assert f"\n:{path}:{line_of(seed_text(), 'by_economic:')}:9: error basic-function-economic " \
        in "\n" + result.stderr


def test_hook_lets_a_good_budget_through(hooked):
    write_budget(hooked, moved_1000(seed_text()))
    result = commit(hooked, "基本工资 +1000，办公费 −1000")
    assert "已检查 1 个文件：1 个通过" in result.stderr
    assert git(hooked, "log", "-1", "--format=%s").stdout == "基本工资 +1000，办公费 −1000\n"


def test_hook_checks_the_staged_version_not_the_working_tree(hooked):
    good, broken = moved_1000(seed_text()), basic_salary_plus_100(seed_text())
    # A staged error is not hidden by a fixed, unstaged working tree…
    write_budget(hooked, broken)
    git(hooked, "add", BUDGET)
    write_budget(hooked, good)
    assert git(hooked, "commit", "-q", "-m", "x", check=False).returncode != 0
    # …and an unstaged error does not block a good staged version.
    git(hooked, "add", BUDGET)
    write_budget(hooked, broken)
    git(hooked, "commit", "-q", "-m", "staged good")
    assert git(hooked, "show", f"HEAD:{BUDGET}").stdout == good
    # `git commit -a` commits the working tree: the hook checks that.
    result = git(hooked, "commit", "-q", "-a", "-m", "all", check=False)
    assert result.returncode != 0 and "basic-function-economic" in result.stderr


def test_hook_checks_a_budget_whose_name_holds_a_line_break(hooked):
    write_budget(hooked, "year: 2026\nbad: [\n", FORGED)
    result = commit(hooked, "坏的", check=False)
    assert result.returncode != 0 and "yaml-syntax" in result.stderr, result.stderr
    assert "提交已取消" in result.stderr


def test_hook_checks_nothing_when_no_budget_is_concerned(hooked):
    (hooked / "说明.txt").write_text("会议纪要\n", encoding="utf-8")
    write_budget(hooked, basic_salary_plus_100(seed_text()))  # changed, not staged
    git(hooked, "add", "说明.txt")
    result = git(hooked, "commit", "-q", "-m", "只有说明")
    assert result.stderr == ""  # nothing checked, nothing said
    # A deleted budget is not checked either.
    git(hooked, "rm", "-qf", BUDGET)
    assert git(hooked, "commit", "-q", "-m", "删除预算").stderr == ""
    # The hook asks the program which budgets a change concerns (generator/changes.py): without
    # it, it says so rather than passing silently.
    git(hooked, "config", "budget.program", "/nonexistent/budget")
    write_budget(hooked, seed_text())
    result = commit(hooked, "恢复", check=False)
    assert result.returncode != 0 and "找不到检查程序 /nonexistent/budget" in result.stderr


# ---- make git-setup and make pr-* in a repository laid out like this one --------------------

@pytest.fixture
def project(repo) -> Path:
    """The repository with this project's Makefile, hook and set-up files, and a .venv that
    is this checkout's (its stamp newer than pyproject.toml: make installs nothing)."""
    for name in ("Makefile", "pyproject.toml", "requirements.lock", "generator/hooks/pre-commit"):
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, repo / name)
    commit(repo, "项目文件")
    return with_venv(repo)


def with_venv(repo: Path) -> Path:
    """This checkout's virtual environment, linked: .venv/bin/python is a working venv python
    (it finds pyvenv.cfg and lib/ beside its bin/), the stamp is the repository's own."""
    (repo / ".venv").mkdir()
    for name in ("bin", "lib", "pyvenv.cfg"):
        (repo / ".venv" / name).symlink_to(BUDGET_EXE.parent.parent / name)
    (repo / ".venv" / ".installed").touch()
    return repo


def make(repo: Path, *args, check: bool = True) -> subprocess.CompletedProcess:
    return run(repo, "make", "--no-print-directory", *args, check=check)


def test_make_git_setup_configures_the_driver_and_installs_the_hook(project):
    result = make(project, "git-setup")
    assert "已安装 pre-commit 钩子：.git/hooks/pre-commit" in result.stdout
    config = git(project, "config", "--get-regexp", r"^diff\.budget\.").stdout.splitlines()
    assert f"diff.budget.textconv {project}/.venv/bin/budget show" in config
    assert "diff.budget.cachetextconv false" in config
    hook = project / ".git" / "hooks" / "pre-commit"
    assert hook.read_bytes() == (ROOT / "generator/hooks/pre-commit").read_bytes()
    assert os.access(hook, os.X_OK)
    assert "已是最新" in make(project, "git-setup").stdout  # a second run changes nothing

    # It works: git diff shows table rows, its hunk headers name the table; the hook checks.
    write_budget(project, moved_1000(seed_text()))
    out = git(project, "diff", "--", "budgets/").stdout
    assert re.search(r"^@@ .* @@ 表[五六]", out, re.M), out
    assert "+  表六 30201 办公费 | 办公经费: 合计=116,000.00  公用经费=116,000.00" in out
    write_budget(project, basic_salary_plus_100(seed_text()))
    assert "basic-function-economic" in commit(project, "坏的", check=False).stderr


def test_make_git_setup_does_not_overwrite_another_hook(project):
    hook = project / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\nexec lint-everything\n", encoding="utf-8")
    result = make(project, "git-setup", check=False)
    assert result.returncode != 0
    assert "是另一个钩子，没有覆盖它" in result.stderr
    assert hook.read_text(encoding="utf-8") == "#!/bin/sh\nexec lint-everything\n"
    assert git(project, "config", "diff.budget.cachetextconv").stdout == "false\n"  # still set


def test_make_pr_targets_with_no_changed_budget(project):
    (project / "会议纪要.txt").write_text("预算编制会议纪要\n", encoding="utf-8")
    commit(project, "会议纪要")  # neither a budget nor a file every budget depends on
    result = make(project, "pr-check", "BASE=HEAD~1")
    assert "自 HEAD~1 以来没有改动的预算文件：无需检查" in result.stdout
    result = make(project, "pr-diff", "BASE=HEAD~1")
    assert (project / "build/pr/diff.md").read_text(encoding="utf-8") == (
        f"{MARKER}\n自 `HEAD~1` 以来没有改动的预算文件。\n")
    result = make(project, "pr-pdf", "BASE=HEAD~1")
    assert "没有要生成的 PDF" in result.stdout
    assert not list((project / "build/pr").rglob("*.pdf"))
    result = make(project, "pr-diff", "BASE=no-such-branch", check=False)
    assert result.returncode != 0 and "BASE=no-such-branch 不是" in result.stderr


def test_make_pr_check_annotates_and_fails_on_errors(project):
    broken = basic_salary_plus_100(seed_text())
    write_budget(project, broken)
    commit(project, "坏的")
    result = make(project, "pr-check", "BASE=HEAD~1", check=False)
    assert result.returncode != 0
    annotations = [line for line in result.stdout.splitlines() if line.startswith("::")]
    assert annotations == [
        f"::error file={BUDGET},line={line_of(broken, 'by_economic:')},col=9,"
        "title=basic-function-economic::泽州县信访局一般公共预算基本支出：按经济分类合计 "
        "3,201,240.00 元（表六），按支出功能分类合计 3,201,140.00 元（表三、表五），相差 100.00 元"]
    write_budget(project, moved_1000(seed_text()))  # fixed in the working tree: passes
    assert make(project, "pr-check", "BASE=HEAD~1").returncode == 0


def test_make_pr_check_takes_a_name_with_a_space_or_a_dash_as_one_file(project):
    # the budget commands get the list through xargs -0 … --: a space does not split a name,
    # a leading "-" does not make it an option
    folder = project / "budgets" / "2026"
    broken = basic_salary_plus_100(seed_text())
    for name in ("信访 局.yaml", "-x.yaml"):
        (folder / name).write_text(broken, encoding="utf-8")
    commit(project, "两个坏的")
    result = make(project, "pr-check", "BASE=HEAD~1", check=False)
    assert result.returncode != 0
    annotated = sorted(re.findall(r"^::error file=([^,]+),", result.stdout, re.M))
    assert annotated == ["budgets/2026/-x.yaml", "budgets/2026/信访 局.yaml"], result.stdout + result.stderr


def test_make_pr_targets_never_run_what_base_holds(project, tmp_path):
    # found by a tester: $(BASE) was pasted into the recipes' shell text, inside "…"
    for i, base in enumerate(("`touch {}`", "$$(touch {})", 'HEAD"; touch {}; echo "')):
        pwned = tmp_path / f"pwned{i}"
        for target in ("pr-check", "pr-diff", "pr-pdf"):
            result = make(project, target, "BASE=" + base.format(pwned), check=False)
            assert result.returncode != 0, (target, base)
            assert "不是当前分支可比较的 git 版本" in result.stderr, result.stderr
            assert not pwned.exists(), (target, base)


# A folder named so that `budget changed`'s lines would read as two budgets, both the good
# seed: "budget budgets/2026/zezhou-xinfang.yaml" twice (found by a tester).
FORGED = "budgets/2026/zezhou-xinfang.yaml\nbudget budgets/2026/zezhou-xinfang.yaml"


def test_a_line_break_in_a_budget_name_forges_no_line(project, monkeypatch, capsys):
    write_budget(project, "year: 2026\nbad: [\n", FORGED)
    monkeypatch.chdir(project)
    assert cli.main(["changed", "HEAD"]) == 0  # for people: one line, the break written \n
    assert capsys.readouterr().out == "budget " + FORGED.replace("\n", "\\n") + "\n"
    assert cli.main(["changed", "-z", "HEAD"]) == 0  # for scripts: the name as it is
    assert capsys.readouterr().out == f"budget {FORGED}\0"
    result = make(project, "pr-check", "BASE=HEAD", check=False)
    assert result.returncode != 0  # the broken file is the one checked
    assert "title=yaml-syntax::" in result.stdout, result.stdout + result.stderr
    assert "检查自 HEAD 以来改动的预算文件： " + FORGED.replace("\n", "\\n") + "\n" \
        in result.stdout


def test_make_pr_diff_in_a_clone_compares_with_the_merge_base(project, tmp_path):
    """As in CI: a clone, a branch, BASE=origin/main, and main has moved on meanwhile."""
    git(tmp_path, "clone", "-q", project, "clone")
    clone = with_venv(tmp_path / "clone")
    for key, value in (("user.name", "信访局"), ("user.email", "xinfang@example.org")):
        git(clone, "config", key, value)
    git(clone, "switch", "-q", "-c", "feature")
    write_budget(clone, moved_1000(seed_text()))
    commit(clone, "基本工资 +1000，办公费 −1000")
    # Meanwhile main gained a budget that this branch did not add.
    write_budget(project, seed_text(), "budgets/2026/zezhou-jiaoyu.yaml")
    commit(project, "教育局预算")
    git(clone, "fetch", "-q")

    result = make(clone, "pr-diff", "BASE=origin/main")
    comment = (clone / "build/pr/diff.md").read_text(encoding="utf-8")
    assert comment == f"{MARKER}\n{MOVED_1000_MARKDOWN}"  # one budget: the branch's
    assert result.stdout == comment  # printed too, for a local run
    result = make(clone, "pr-check", "BASE=origin/main")
    assert "检查自 origin/main 以来改动的预算文件： budgets/2026/zezhou-xinfang.yaml" in result.stdout


def test_make_pr_pdf_builds_the_changed_budgets(project):
    write_budget(project, moved_1000(seed_text()))
    commit(project, "基本工资 +1000，办公费 −1000")
    (project / "build/pr/2025").mkdir(parents=True)
    (project / "build/pr/2025/old.pdf").write_bytes(b"%PDF- from an earlier run")
    make(project, "pr-pdf", "BASE=HEAD~1")
    out = project / "build" / "pr"
    assert sorted(p.relative_to(out) for p in out.rglob("*.pdf")) == [Path("2026/zezhou-xinfang.pdf")]
    assert (project / "build/pr/2026/zezhou-xinfang.pdf").read_bytes().startswith(b"%PDF-")


# ---- a change to what every budget depends on: every budget is concerned ------------------

@pytest.fixture
def whole(project) -> Path:
    """`project` with this checkout's schema/, templates/ and generator/ committed: `make pr-*`
    and the hook then run the repository's own code, catalogue and templates."""
    for name in ("schema", "templates", "generator"):
        shutil.copytree(ROOT / name, project / name, dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns("__pycache__"))
    with open(project / ".gitignore", "a", encoding="utf-8") as f:
        f.write("__pycache__/\n")
    commit(project, "代码、科目目录和模板")
    return project


ADDITIONS = "schema/catalogs/additions.yaml"
NEW_CODE_LINE = '"2019701 行政运行": 2140340'  # the budget's line that uses it
NEW_CODE = '  "2019701": {name: 行政运行, basis: "财政部关于修订2026年政府收支分类科目的通知"}\n'


def use_a_new_code(repo: Path) -> str:
    """Register 20197 营商环境事务 / 2019701 行政运行 in additions.yaml (the official catalogue
    lacks them) and book the seed's 行政运行 there; the budget text."""
    additions = (repo / ADDITIONS).read_text(encoding="utf-8")
    (repo / ADDITIONS).write_text(edit(additions, "function: {}\n", (
        'function:\n  "20197": {name: 营商环境事务, basis: "财政部关于修订2026年政府收支分类科目的通知"}\n'
        + NEW_CODE)), encoding="utf-8")
    text = edit(seed_text(), '"2014001 行政运行": 2140340', '"2019701 行政运行": 2140340')
    write_budget(repo, text)
    return text


def delete_the_new_code(repo: Path) -> None:
    additions = (repo / ADDITIONS).read_text(encoding="utf-8")
    (repo / ADDITIONS).write_text(edit(additions, NEW_CODE, ""), encoding="utf-8")


def test_deleting_a_catalogue_code_a_budget_uses_fails_pr_check(whole):
    """The issue's scenario: only schema/ changed, yet a budget no longer checks."""
    text = use_a_new_code(whole)
    commit(whole, "登记并使用新科目 2019701")
    delete_the_new_code(whole)
    commit(whole, "删除补充科目 2019701")
    result = make(whole, "pr-check", "BASE=HEAD~1", check=False)
    assert result.returncode != 0
    assert f"改动了所有预算共用的文件 {ADDITIONS}：检查全部 1 个预算文件" in result.stdout
    [annotation] = [line for line in result.stdout.splitlines() if line.startswith("::")]
    line = line_of(text, NEW_CODE_LINE)
    assert annotation.startswith(
        f"::error file={BUDGET},line={line},col=11,"
        "title=catalog-function::科目编码 2019701 不在"), annotation
    # Reverting the catalogue in the working tree (uncommitted) is what pr-check sees.
    git(whole, "checkout", "HEAD~1", "--", ADDITIONS)
    assert make(whole, "pr-check", "BASE=HEAD~1").returncode == 0


def install_hook(repo: Path, tmp_path: Path, monkeypatch) -> Path:
    """The hook as `make git-setup` installs it, the program found as .venv/bin/budget; the
    hook's temporary export goes to a folder of its own, to see that it is removed."""
    shutil.copy(ROOT / "generator" / "hooks" / "pre-commit", repo / ".git" / "hooks")
    exports = tmp_path / "tmp"
    exports.mkdir()
    monkeypatch.setenv("TMPDIR", str(exports))
    return exports


def test_hook_checks_every_budget_with_the_staged_catalogue(whole, tmp_path, monkeypatch):
    text = use_a_new_code(whole)
    commit(whole, "登记并使用新科目 2019701")
    exports = install_hook(whole, tmp_path, monkeypatch)
    delete_the_new_code(whole)
    result = commit(whole, "删除补充科目 2019701", check=False)
    assert result.returncode != 0
    where = f"{BUDGET}:{line_of(text, NEW_CODE_LINE)}:11:"
    assert re.search(rf"^{re.escape(where)} error catalog-function 科目编码 2019701 不在",
                     result.stderr, re.M), result.stderr
    assert f"改动了所有预算共用的文件 {ADDITIONS}：按暂存区中的版本检查全部 1 个预算文件" \
        in result.stderr
    assert "提交已取消" in result.stderr
    assert git(whole, "log", "-1", "--format=%s").stdout == "登记并使用新科目 2019701\n"
    # The staged catalogue is checked, not the working tree's: a harmless staged edit passes
    # while the deletion waits unstaged.
    git(whole, "checkout", "HEAD", "--", ADDITIONS)
    with open(whole / ADDITIONS, "a", encoding="utf-8") as f:
        f.write("# 2026年补充科目\n")
    git(whole, "add", ADDITIONS)
    delete_the_new_code(whole)
    git(whole, "commit", "-q", "-m", "补充科目的说明")
    assert list(exports.iterdir()) == []  # the export is removed


def test_hook_runs_the_staged_code(whole, tmp_path, monkeypatch):
    """The code is the index's too: a rule staged in generator/ is applied (the exported
    generator/ is imported, not this checkout's installed one)."""
    install_hook(whole, tmp_path, monkeypatch)
    with open(whole / "generator" / "rules.py", "a", encoding="utf-8") as f:
        f.write('\n\n@rule("staged-rule", ERROR, "暂存区中的规则")\ndef _staged(b, d):\n'
                '    yield b.doc.where("year"), "暂存区中的代码在检查"\n')
    git(whole, "add", "generator/rules.py")
    result = git(whole, "commit", "-q", "-m", "新规则", check=False)
    assert result.returncode != 0
    line = line_of(seed_text(), "year:")
    assert f"\n{BUDGET}:{line}:7: error staged-rule 暂存区中的代码在检查\n" in "\n" + result.stderr
    # Unstaged, the same rule is not run: only the staged change counts.
    git(whole, "reset", "-q", "generator/rules.py")
    (whole / "会议纪要.txt").write_text("纪要\n", encoding="utf-8")
    git(whole, "add", "会议纪要.txt")
    git(whole, "commit", "-q", "-m", "纪要")


def test_a_template_change_concerns_every_budget(whole):
    write_budget(whole, JIAOYU_YAML.read_text(encoding="utf-8"), "budgets/2026/zezhou-jiaoyu.yaml")
    commit(whole, "教育局预算")
    with open(whole / "templates" / "style.css", "a", encoding="utf-8") as f:
        f.write("/* 表格行距 */\n")
    commit(whole, "改模板")
    why = "改动了所有预算共用的文件 templates/style.css"
    result = make(whole, "pr-check", "BASE=HEAD~1")
    assert f"{why}：检查全部 2 个预算文件" in result.stdout
    result = make(whole, "pr-diff", "BASE=HEAD~1")
    assert f"{why}：比较全部 2 个预算文件" in result.stderr
    assert "没有改动的预算文件" not in (whole / "build/pr/diff.md").read_text(encoding="utf-8")
    result = make(whole, "pr-pdf", "BASE=HEAD~1")
    assert f"{why}：生成全部 2 个预算文件的 PDF 和修订对照页" in result.stdout
    out = whole / "build" / "pr" / "2026"
    assert sorted(p.name for p in out.iterdir()) == [
        "zezhou-jiaoyu.pdf", "zezhou-jiaoyu.redline.html",
        "zezhou-xinfang.pdf", "zezhou-xinfang.redline.html"]


def test_a_wording_change_shows_the_lines_it_changes_in_each_document(whole):
    """A reviewer sees what a change of the standard's wording (its narrative module, shared
    by every budget like the templates) does to the published documents: each side is
    rendered by its own revision's code, and the lines that differ are listed."""
    write_budget(whole, JIAOYU_YAML.read_text(encoding="utf-8"), "budgets/2026/zezhou-jiaoyu.yaml")
    commit(whole, "教育局预算")
    wording = whole / "generator" / "narratives" / "shanxi.py"
    wording.write_text(wording.read_text(encoding="utf-8").replace(
        "本部门无“三公”经费预算。", "本部门本年度无“三公”经费预算。"), encoding="utf-8")
    commit(whole, "改“三公”经费的说法")
    make(whole, "pr-diff", "BASE=HEAD~1")
    comment = (whole / "build/pr/diff.md").read_text(encoding="utf-8")
    # Only the seed has no 三公 and prints the sentence; 教育局 has 三公 and is unchanged.
    assert "**泽州县信访局 2026年：公开文件 1 行有变化，没有新问题**" in comment
    assert "泽州县教育局" not in comment
    changed = [line for line in comment.splitlines() if line[:2] in ("- ", "+ ")]
    assert changed == ["- 第三部分 七、“三公”经费增减变动原因说明 | 本部门无“三公”经费预算。",
                       "+ 第三部分 七、“三公”经费增减变动原因说明 | 本部门本年度无“三公”经费预算。"]
    make(whole, "pr-pdf", "BASE=HEAD~1")
    redline = (whole / "build/pr/2026/zezhou-xinfang.redline.html").read_text(encoding="utf-8")
    assert "本部门本年度无“三公”经费预算。</li>" in redline.split('class="redline-document"')[1]


# ---- generator.changes: which budgets a change concerns ------------------------------------

def test_changes_lists_added_changed_and_deleted_budgets(repo, monkeypatch, capsys):
    from generator.changes import changes
    write_budget(repo, seed_text(), "budgets/2025/zezhou-xinfang.yaml")
    # another department: deleting it and adding a copy of the seed is no rename
    write_budget(repo, JIAOYU_YAML.read_text(encoding="utf-8"), "budgets/2026/other.yml")
    commit(repo, "两个预算")
    monkeypatch.chdir(repo)
    assert changes("HEAD").pairs == [] and changes("HEAD").shared == []
    write_budget(repo, moved_1000(seed_text()))  # changed, not staged
    git(repo, "rm", "-q", "budgets/2026/other.yml")  # deleted
    write_budget(repo, seed_text(), "budgets/2027/新 预算.yaml")  # added (staged)
    git(repo, "add", "budgets/2027")
    (repo / "budgets" / "说明.md").write_text("不是预算\n", encoding="utf-8")
    git(repo, "add", "budgets/说明.md")
    change = changes("HEAD")
    assert change.shared == []
    assert change.pairs == [("HEAD:budgets/2026/other.yml", None), (f"HEAD:{BUDGET}", BUDGET),
                            (None, "budgets/2027/新 预算.yaml")]
    # Staged: the index against HEAD, the new side read from the index.
    assert changes("HEAD", staged=True).pairs == [
        ("HEAD:budgets/2026/other.yml", None), (None, ":budgets/2027/新 预算.yaml")]
    assert cli.main(["changed", "HEAD"]) == 0
    assert capsys.readouterr().out == (f"deleted budgets/2026/other.yml\nbudget {BUDGET}\n"
                                       "budget budgets/2027/新 预算.yaml\n")


def test_changes_of_a_shared_file_concern_every_budget(repo, monkeypatch, capsys):
    from generator.changes import SHARED_INPUTS, changes
    write_budget(repo, seed_text(), "budgets/2025/zezhou-xinfang.yaml")
    commit(repo, "上年预算")
    monkeypatch.chdir(repo)
    (repo / "templates").mkdir()
    (repo / "templates" / "style.css").write_text("body {}\n", encoding="utf-8")
    (repo / "Makefile.local").write_text("# 不是 Makefile\n", encoding="utf-8")
    git(repo, "add", "templates", "Makefile.local")
    git(repo, "rm", "-q", "budgets/2025/zezhou-xinfang.yaml")
    change = changes("HEAD")
    assert change.shared == ["templates/style.css"]  # Makefile.local is not the Makefile
    assert change.pairs == [("HEAD:budgets/2025/zezhou-xinfang.yaml", None),
                            (f"HEAD:{BUDGET}", BUDGET)]  # unchanged, but concerned
    assert cli.main(["changed", "HEAD"]) == 0
    assert capsys.readouterr().out == ("shared templates/style.css\n"
                                       "deleted budgets/2025/zezhou-xinfang.yaml\n"
                                       f"budget {BUDGET}\n")
    assert "schema/" in SHARED_INPUTS and "requirements.lock" in SHARED_INPUTS


def test_changes_refuses_what_is_not_a_revision(repo, monkeypatch, capsys):
    from generator.changes import changes
    monkeypatch.chdir(repo)
    for base in ("no-such-branch", "--output=written.txt", "-p"):
        with pytest.raises(ValueError, match="不是 git 中的版本"):
            changes(base)
    assert not (repo / "written.txt").exists()  # "--output=…" never reached git as an option
    assert cli.main(["changed", "--", "--output=written.txt"]) == 2
    assert "“--output=written.txt”不是 git 中的版本" in capsys.readouterr().err
    monkeypatch.chdir(repo.parent)
    with pytest.raises(ValueError, match="不在 git 仓库中"):
        changes("HEAD")


# ---- reliability: what the user types, what git lists, where it is run from (issue 12) -----

def diffs_json(where: Path, monkeypatch, capsys, base: str = "HEAD") -> list[dict]:
    """Every diff of `budget diff --git BASE --format json` run in `where`."""
    monkeypatch.chdir(where)
    assert cli.main(["diff", "--git", base, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_no_revision_or_path_the_user_types_reaches_git_as_an_option(repo, monkeypatch, capsys):
    from generator.findings import BudgetError
    from generator.loader import read_source
    monkeypatch.chdir(repo)
    before = (repo / BUDGET).read_bytes()
    assert cli.main(["diff", f"--git=--output={BUDGET}"]) == 2
    assert "“--output=budgets/2026/zezhou-xinfang.yaml”不是 git 中的版本" in capsys.readouterr().err
    for argv, status in ((["check", "--", "--output=w.txt:y"], 1),
                         (["show", "--", "--output=w.txt:y"], 2),
                         (["diff", "--", "--output=w.txt:y", BUDGET], 2),
                         (["diff", "--", BUDGET, f"--output=w.txt:{BUDGET}"], 2)):
        assert cli.main(argv) == status, argv
        assert "Traceback" not in capsys.readouterr().err
    for spec in ("--output=w.txt:y", f"-p:{BUDGET}", f"--textconv:{BUDGET}"):
        with pytest.raises(BudgetError) as info:
            read_source(spec)
        assert "不是 git 中的版本" in info.value.findings[0].message, spec
    assert (repo / BUDGET).read_bytes() == before
    assert sorted(p.name for p in repo.iterdir()) == [".git", ".gitattributes", ".gitignore",
                                                      "budgets"]  # no w.txt of any kind


def test_a_side_that_cannot_be_read_is_an_error_not_a_diff(repo, monkeypatch, capsys):
    monkeypatch.chdir(repo)
    for old, why in (("nosuchrev:p", "“nosuchrev”不是 git 中的版本"),
                     ("HEAD:budgets/2026/nope.yaml", "版本 HEAD 中没有 budgets/2026/nope.yaml"),
                     (":budgets/2026/nope.yaml", "暂存区中没有 budgets/2026/nope.yaml"),
                     ("HEAD:budgets", "版本 HEAD 中的 budgets 是文件夹"),
                     ("missing.yaml", "找不到文件 missing.yaml")):
        for sides in ([old, BUDGET], [BUDGET, old]):
            assert cli.main(["diff", *sides]) == 2, sides
            out, err = capsys.readouterr()
            assert out == "" and err.startswith("budget diff：") and why in err, (sides, err)
    # a side that reads but does not build is still compared: its errors are the news
    (repo / "broken.yaml").write_text("year: [\n", encoding="utf-8")
    assert cli.main(["diff", BUDGET, "broken.yaml"]) == 0
    assert "yaml-syntax" in capsys.readouterr().out


def test_an_untracked_budget_is_a_change_and_an_ignored_one_is_not(repo, monkeypatch, capsys):
    from generator.changes import changes
    (repo / ".gitignore").write_text(".venv/\nbuild/\n*.draft.yaml\n", encoding="utf-8")
    commit(repo, "草稿不入库")
    write_budget(repo, seed_text(), "budgets/2027/新 预算.yaml")  # new, never `git add`ed
    write_budget(repo, seed_text(), "budgets/2027/x.draft.yaml")  # ignored
    monkeypatch.chdir(repo)
    assert changes("HEAD").pairs == [(None, "budgets/2027/新 预算.yaml")]
    assert changes("HEAD", staged=True).pairs == []  # not in the index: not staged
    assert cli.main(["changed", "HEAD"]) == 0
    assert capsys.readouterr().out == "budget budgets/2027/新 预算.yaml\n"
    [d] = diffs_json(repo, monkeypatch, capsys)
    assert (d["old"], d["new"], d["added"]) == (None, "budgets/2027/新 预算.yaml", True)


def test_diff_git_and_changed_work_from_a_subdirectory(repo, monkeypatch, capsys):
    write_budget(repo, moved_1000(seed_text()))
    write_budget(repo, seed_text(), "budgets/2027/new.yaml")
    [changed, added] = diffs_json(repo / "budgets" / "2026", monkeypatch, capsys)
    # git reads "REV:path" from the top; the working-tree file is opened from here
    assert (changed["old"], changed["new"]) == (f"HEAD:{BUDGET}", "zezhou-xinfang.yaml")
    assert len(changed["cells"]) == 14
    assert (added["old"], added["new"]) == (None, "../2027/new.yaml")
    # `budget changed` names files from the top, as the hook and the Makefile use them
    assert cli.main(["changed", "HEAD"]) == 0
    assert capsys.readouterr().out == f"budget {BUDGET}\nbudget budgets/2027/new.yaml\n"


def test_a_renamed_budget_is_compared_with_its_old_version(repo, monkeypatch, capsys):
    from generator.changes import changes
    new = "budgets/2026/xinfang.yaml"
    git(repo, "mv", BUDGET, new)
    write_budget(repo, moved_1000(seed_text()), new)
    monkeypatch.chdir(repo)
    assert changes("HEAD").pairs == [(f"HEAD:{BUDGET}", new)]
    git(repo, "add", new)
    assert changes("HEAD", staged=True).pairs == [(f"HEAD:{BUDGET}", f":{new}")]
    assert cli.main(["changed", "HEAD"]) == 0  # the new name is to check; the old one is gone
    assert capsys.readouterr().out == f"budget {new}\ndeleted {BUDGET}\n"
    [d] = diffs_json(repo, monkeypatch, capsys)
    assert (d["old"], d["new"], d["added"], d["removed"]) == (f"HEAD:{BUDGET}", new, False, False)
    assert d["renamed_from"] == BUDGET and len(d["cells"]) == 14
    md = diff_git(repo, monkeypatch, capsys, "HEAD")
    assert md.startswith("**泽州县信访局 2026年：YAML 改动 2 处，14 个数字有变化")
    assert f"（`{new}`，由 `{BUDGET}` 改名）" in md.splitlines()[0]
    # renamed and nothing else: still listed, as a rename
    write_budget(repo, seed_text(), new)
    assert cli.main(["diff", "--git", "HEAD", "--color", "never"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == (
        f"泽州县信访局 2026年：公开内容没有变化（由 {BUDGET} 改名）  HEAD:{BUDGET} → {new}")


def test_names_git_would_quote_are_listed(repo, monkeypatch, capsys):
    from generator.changes import changes
    quoted, tab, fresh = 'budgets/2026/引号"名.yaml', "budgets/2026/制表\t符.yaml", 'budgets/2027/"新".yml'
    write_budget(repo, seed_text(), quoted)
    commit(repo, "引号")
    git(repo, "mv", quoted, tab)  # renamed
    write_budget(repo, seed_text(), fresh)  # untracked
    monkeypatch.chdir(repo)
    assert changes("HEAD").pairs == [(f"HEAD:{quoted}", tab), (None, fresh)]
    assert cli.main(["changed", "HEAD"]) == 0
    assert capsys.readouterr().out == f"budget {tab}\ndeleted {quoted}\nbudget {fresh}\n"
    diffs = diffs_json(repo, monkeypatch, capsys)
    assert [(d["old"], d["new"], d["renamed_from"]) for d in diffs] == [
        (f"HEAD:{quoted}", tab, quoted), (None, fresh, None)]


# ---- budget show of what cannot be read ------------------------------------------------------

def test_show_of_what_cannot_be_read_says_so_without_a_traceback(repo, monkeypatch, capsys):
    monkeypatch.chdir(repo)
    for source, why in (("missing.yaml", "找不到文件 missing.yaml"),
                        ("budgets", "文件夹"),
                        ("HEAD:budgets/2026/nope.yaml", "版本 HEAD 中没有 budgets/2026/nope.yaml"),
                        ("nosuchrev:p", "“nosuchrev”不是 git 中的版本")):
        assert cli.main(["show", source]) == 2, source
        out, err = capsys.readouterr()
        assert out == "" and err.startswith("budget show：") and why in err, (source, err)
    # a file that reads but does not build: its own text, then its findings (git diff shows it)
    (repo / "broken.yaml").write_text("year: [\n", encoding="utf-8")
    assert cli.main(["show", "broken.yaml"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("year: [\n\n# budget check:\n# broken.yaml:") and "yaml-syntax" in out


def test_show_of_an_old_revision_in_a_shallow_clone_says_why(repo, tmp_path, monkeypatch, capsys):
    write_budget(repo, moved_1000(seed_text()))
    commit(repo, "第二版")
    shallow = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo}", shallow)
    monkeypatch.chdir(shallow)
    assert cli.main(["show", f"HEAD~1:{BUDGET}"]) == 2
    err = capsys.readouterr().err
    assert "“HEAD~1”不是 git 中的版本" in err and "浅克隆" in err and "Traceback" not in err
    assert cli.main(["show", f"HEAD:{BUDGET}"]) == 0
    assert "920,190.00" in capsys.readouterr().out


# ---- the configuration files ---------------------------------------------------------------

def test_gitattributes_route_budgets_to_the_driver(repo):
    out = git(repo, "check-attr", "diff", "--", BUDGET, "budgets/x.yml", "budgets/2026/a/b.yaml",
              "schema/budget.schema.yaml", "README.md").stdout.splitlines()
    assert out == [f"{BUDGET}: diff: budget", "budgets/x.yml: diff: budget",
                   "budgets/2026/a/b.yaml: diff: budget",
                   "schema/budget.schema.yaml: diff: unspecified", "README.md: diff: unspecified"]


def test_pre_commit_framework_config():
    """The framework runs the very hook script (which asks generator/changes.py what to check),
    on every commit: it decides itself between the staged budgets and all of them."""
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    [repo] = config["repos"]
    [hook] = repo["hooks"]
    assert repo["repo"] == "local"
    assert (hook["language"], hook["entry"]) == ("script", "generator/hooks/pre-commit")
    assert hook["pass_filenames"] is False and hook["always_run"] is True
    assert os.access(ROOT / hook["entry"], os.X_OK)


def test_workflow_runs_only_make_targets_and_comments_once():
    text = (ROOT / ".github" / "workflows" / "budget-pr.yml").read_text(encoding="utf-8")
    workflow = yaml.safe_load(text)
    assert set(workflow[True]["pull_request"]["paths"]) >= {
        "budgets/**", "templates/**", "schema/**", "generator/**"}
    job = workflow["jobs"]["budget"]
    steps = job["steps"]
    assert steps[0]["uses"].startswith("actions/checkout@")
    assert steps[0]["with"]["fetch-depth"] == 0
    runs = [s["run"] for s in steps if "run" in s]
    assert runs == ['make pr-check BASE="$BASE"', 'make pr-diff BASE="$BASE"',
                    'make pr-pdf BASE="$BASE"']
    assert job["env"]["BASE"] == "origin/${{ github.base_ref }}"
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["with"]["path"] == "build/pr/"
    # After the check every step runs even when one before it failed: the comment and the
    # artifact (the redline of a budget with errors) are there when the check fails.
    check = next(i for i, s in enumerate(steps) if s.get("run", "").startswith("make pr-check"))
    assert all(s.get("if") == "${{ !cancelled() }}" for s in steps[check + 1:])
    assert steps.index(upload) > next(i for i, s in enumerate(steps)
                                      if s.get("run", "").startswith("make pr-pdf"))
    assert {"requirements.lock", "pyproject.toml", "Makefile"} <= set(
        workflow[True]["pull_request"]["paths"])  # the shared inputs of generator/changes.py
    script = next(s for s in steps if s.get("uses", "").startswith("actions/github-script@"))
    code = script["with"]["script"]
    assert f"'{MARKER}'" in code and "build/pr/diff.md" in code
    assert "updateComment" in code and "createComment" in code
    assert workflow["permissions"]["pull-requests"] == "write"
