"""`budget new` (a new department's file) and `budget rollover` (next year's file from this year's)."""
from __future__ import annotations

import os
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import BUDGET_EXE, JIAOYU_YAML, ROOT, SEED_YAML, edit, findings, of_rule, seed_text, write
from generator import cli
from generator.authoring import marker, yaml_text
from generator.check import check, load_budget
from generator.derive import Derived
from generator.findings import ERROR
from generator.loader import load_text

SCHEMA_JSON = ROOT / "schema" / "budget.schema.json"
MARK = marker(2027)


def run(capsys, *args) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def errors(found) -> list:
    return [f.text() for f in found if f.severity == ERROR]


# ---- budget new -----------------------------------------------------------------------------

NEW = ["new", "--name", "泽州县文化和旅游局", "--code", "031", "--year", "2026", "--region", "泽州县"]


def new_budget(tmp_path, monkeypatch, capsys, *units: str, extra=()) -> tuple[Path, str]:
    monkeypatch.chdir(tmp_path)
    args = NEW + [a for u in units for a in ("--unit", u)] + ["--file", "zezhou-wenlv", *extra]
    code, out, err = run(capsys, *args)
    assert code == 0, err
    path = tmp_path / "budgets" / "2026" / "zezhou-wenlv.yaml"
    assert "已写入 budgets/2026/zezhou-wenlv.yaml" in err and "0 个错误" in err
    return path, path.read_text(encoding="utf-8")


def assert_passes_with_placeholder_warnings(path: Path):
    budget, derived, found = check(str(path))
    assert errors(found) == []
    assert {f.rule for f in found} == {"placeholder-text"}  # says what is left to fill in
    assert all(f.severity == "warning" and "待填写" in f.message for f in found)
    from generator.render import render_html
    html = render_html(budget, derived)
    assert "泽州县文化和旅游局" in html and "待填写" in html
    return budget


def test_new_with_one_unit_passes_the_check_with_warnings_only_and_renders(tmp_path, monkeypatch, capsys):
    path, text = new_budget(tmp_path, monkeypatch, capsys, "泽州县文化和旅游局:行政单位")
    budget = assert_passes_with_placeholder_warnings(path)
    assert (budget.year, budget.status, budget.department["code"]) == (2026, "draft", "031")
    assert [(u.name, u.kind) for u in budget.units] == [("泽州县文化和旅游局", "行政单位")]
    assert str(budget.assets["as_of"]) == "2025-12-31"
    assert all(v == 0 for v in budget.prior_year.values() if not isinstance(v, dict))
    assert run(capsys, "check", str(path))[0] == 0  # `budget new … && budget check FILE`
    # a template with comments, not a dump: the first line points editors at the JSON Schema
    first = text.splitlines()[0]
    assert first == "# yaml-language-server: $schema=../../" + os.path.relpath(
        SCHEMA_JSON, tmp_path).replace(os.sep, "/")
    relative = first.split("$schema=")[1]
    assert (path.parent / relative).resolve() == SCHEMA_JSON.resolve()
    for optional in ("# projects:", "# carryover_projects:", "# three_public_costs:",
                     "# government_economic:", "  # three_public:", "# change_reasons:",
                     "# control_totals:", "# purchased_services:", "# other_notes:", "# glossary:"):
        line = next(l for l in text.splitlines() if l.lstrip().startswith(optional.strip()))
        assert "# " in line[line.index(optional.strip()) + 2:], line  # each with its explanation
    assert "year: 2026                    # 预算年度" in text


def test_new_with_three_units_passes_the_check_with_warnings_only_and_renders(tmp_path, monkeypatch,
                                                                              capsys):
    path, text = new_budget(tmp_path, monkeypatch, capsys, "泽州县文化和旅游局:行政单位",
                            "泽州县图书馆：事业单位", "泽州县文物保护中心:参公事业单位")
    budget = assert_passes_with_placeholder_warnings(path)
    assert [(u.name, u.kind) for u in budget.units] == [
        ("泽州县文化和旅游局", "行政单位"), ("泽州县图书馆", "事业单位"), ("泽州县文物保护中心", "参公事业单位")]
    # the economic mapping follows each unit's kind: 机关 and 事业单位 sides both exist
    assert [u.basic["一般公共预算"].by_economic[0].government_code for u in budget.units] == \
        ["50101", "50501", "50101"]


def test_new_writes_an_awkward_name_so_that_it_reads_back_as_given(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    name = "泽州县文化: 旅游局 #2"
    code, _, err = run(capsys, "new", "--name", name, "--code", "031", "--year", "2026",
                       "--region", "null", "--unit", f"{name}:行政单位", "--out", "x/a.yaml")
    assert code == 0, err
    budget, findings_ = load_budget(str(tmp_path / "x" / "a.yaml"))
    assert budget.name == name and budget.department["region"] == "null"
    assert budget.units[0].name == name
    for text in ["泽州县", "yes", "- 甲", "[乙]", "a: b", "c #d", "'引号'", '"双引号"', "反\\斜线", "~"]:
        assert load_text("x", f"k: {yaml_text(text)}\n").data == {"k": text}


def test_new_refuses_to_overwrite(tmp_path, monkeypatch, capsys):
    path, text = new_budget(tmp_path, monkeypatch, capsys, "泽州县文化和旅游局:行政单位")
    path.write_text(text + "# 已经改过\n", encoding="utf-8")
    code, out, err = run(capsys, *NEW, "--unit", "泽州县文化和旅游局:行政单位", "--file", "zezhou-wenlv")
    assert code == 2 and "已经存在，不会覆盖" in err
    assert path.read_text(encoding="utf-8").endswith("# 已经改过\n")
    code, out, err = run(capsys, *NEW, "--unit", "泽州县文化和旅游局:行政单位", "--out", str(path))
    assert code == 2 and "已经存在，不会覆盖" in err


OPTIONS = {"--name": "泽州县文化和旅游局", "--code": "031", "--year": "2026", "--region": "泽州县",
           "--file": "zezhou-wenlv"}
ONE_UNIT = ["泽州县文化和旅游局:行政单位"]


@pytest.mark.parametrize("changes, units, message", [
    ({}, ["泽州县图书馆:行政机关"], "单位性质“行政机关”不是允许的取值；允许：行政单位、参公事业单位、事业单位"),
    ({}, ["泽州县图书馆"], "缺少单位性质"),
    ({}, [], "请用 --unit 给出至少一个单位"),
    ({}, ["甲:行政单位", "甲:事业单位"], "单位“甲”写了两次"),
    ({"--year": "二〇二六"}, ONE_UNIT, "--year（预算年度）应为四位数字的年份，如 2026；不是“二〇二六”"),
    ({"--year": "2026年"}, ONE_UNIT, "应为四位数字的年份"),
    ({"--year": None}, ONE_UNIT, "请用 --year 给出预算年度"),
    ({"--code": "12"}, ONE_UNIT, "--code（部门代码）应为 3–6 位数字，如 031；不是“12”"),
    ({"--code": "1234567"}, ONE_UNIT, "应为 3–6 位数字"),
    ({"--code": "03a"}, ONE_UNIT, "应为 3–6 位数字"),
    ({"--file": "Zezhou_Wenlv"}, ONE_UNIT, "文件名只用小写英文字母、数字和短横线"),
    ({"--file": None}, ONE_UNIT, "请用 --file 给出文件名"),
    ({"--file": None, "--out": "x.txt"}, ONE_UNIT, "应以 .yaml 结尾"),
    ({"--name": "  "}, ONE_UNIT, "请用 --name（部门名称） 给出内容"),
    ({"--name": "甲\n乙"}, ONE_UNIT, "含有换行或不可见的控制字符"),
])
def test_new_bad_options_are_refused_in_chinese_with_status_2(tmp_path, monkeypatch, capsys, changes,
                                                               units, message):
    monkeypatch.chdir(tmp_path)
    options = {**OPTIONS, **changes}
    argv = ["new"] + [a for k, v in options.items() if v is not None for a in (k, v)]
    argv += [a for unit in units for a in ("--unit", unit)]
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert message in err and err.startswith("budget new：")
    assert "Traceback" not in err and out == ""
    assert not (tmp_path / "budgets").exists() and not (tmp_path / "x.txt").exists()


def test_new_bad_year_in_a_real_process_has_no_traceback(tmp_path):
    result = subprocess.run([str(BUDGET_EXE), *NEW[:5], "--year", "abc", "--region", "泽州县",
                             "--unit", "甲:行政单位", "--file", "a"], cwd=tmp_path,
                            capture_output=True, text=True)
    assert result.returncode == 2
    assert result.stderr == "budget new：--year（预算年度）应为四位数字的年份，如 2026；不是“abc”\n"
    result = subprocess.run([str(BUDGET_EXE), "new", "--year"], cwd=tmp_path, capture_output=True,
                            text=True)
    assert result.returncode == 2 and "Traceback" not in result.stderr and "--year" in result.stderr


# ---- budget rollover ------------------------------------------------------------------------

def copy_2026(tmp_path: Path, source: Path, text: str | None = None) -> Path:
    path = tmp_path / "budgets" / "2026" / source.name
    path.parent.mkdir(parents=True, exist_ok=True)
    if text is None:
        shutil.copyfile(source, path)
    else:
        path.write_text(text, encoding="utf-8", newline="")
    return path


def rollover(capsys, old: Path, *extra) -> tuple[Path, str, str]:
    new = old.parent.parent / "2027" / old.name
    code, out, err = run(capsys, "rollover", str(old), "--out", str(new), *extra)
    assert code == 0, err
    return new, new.read_text(encoding="utf-8"), err


def derived_prior(path: Path) -> dict:
    """What the prior-year-file rule compares, computed from the 2026 file."""
    budget, _ = load_budget(str(path))
    f = Derived(budget).figures
    return {"total": f["total"]["now"], "general_budget": f["general"]["now"],
            "office_operation": f["office_operation"]["now"],
            "three_public": {k: v for k, v in f["three_public"]["items"].items()}, "by_source": {}}


def assert_kept(old_text: str, new_text: str, replaced: set[str]):
    """Every line of the old file is in the new one: as it was, with the marker put in,
    commented out (the carry-overs), or one of the value lines `replaced` on purpose."""
    new_lines = new_text.splitlines()
    unmarked = {line.replace(MARK, "") for line in new_lines}
    commented = {line.replace("# ", "", 1) for line in new_lines if line.lstrip().startswith("# ")}
    for line in old_text.splitlines():
        key = line.strip().split(":")[0]
        if key == "# yaml-language-server":  # written anew: the path is relative to the new file
            assert new_lines[0].startswith("# yaml-language-server: $schema=")
            continue
        assert line in unmarked or line in commented or key in replaced, line


def test_rollover_of_the_seed(tmp_path, capsys):
    old = copy_2026(tmp_path, SEED_YAML)
    new, text, err = rollover(capsys, old)
    budget, derived, found = check(str(new))
    assert errors(found) == []
    assert budget.year == 2027 and str(budget.assets["as_of"]) == "2026-12-31"
    # prior_year is the 2026 file's derived totals, exactly (收支总计 includes its carry-over)
    assert budget.prior_year == {"total": Decimal("5432252"), "general_budget": Decimal("5429652"),
                                 "office_operation": Decimal("348620"), "three_public": {},
                                 "by_source": {}}
    prior = derived_prior(old)
    assert [budget.prior_year[k] for k in ("total", "general_budget", "office_operation")] == \
        [prior["total"], prior["general_budget"], prior["office_operation"]]
    assert "prior_year:                   # 2026年预算数（元）\n  total: 5432252              # 收支总计" in text
    # ... which the prior-year-file rule, comparing with the 2026 file beside it, accepts
    assert of_rule(found, "prior-year-file") == [] and of_rule(found, "assets-date") == []
    wrong = write(new.parent, edit(text, "total: 5432252", "total: 5432253"), "zezhou-xinfang.yaml")
    assert [f.message for f in of_rule(findings(wrong), "prior-year-file")] == [
        f"上年收支总计 5,432,253.00 元，上年预算文件 {old} 为 5,432,252.00 元，相差 1.00 元"]
    write(new.parent, text, "zezhou-xinfang.yaml")
    # the 2025 carry-over is a comment now; the amounts of 2026 are kept as the starting point
    assert budget.projects(carryover=True) == []
    assert "    # carryover_projects:\n    #   - name: 2025年市级解决特殊疑难信访问题资金预算的通知\n" in text
    assert "2027 年不再列入，已改成注释" in text and "上年结转项目改成了注释" in err
    assert derived.figures["total"]["now"] == prior["total"] - 2600
    # texts bound to 2026 are kept, marked, and warned about; a comment line above each says why
    marked = [f for f in found if f.rule == "placeholder-text"]
    assert marked and all(MARK in f.message for f in marked)
    assert {f.rule for f in found} - {"placeholder-text", "catalog-year"} == set()
    lines = text.splitlines()
    goal = lines.index("  annual_goal: >-")
    assert lines[goal - 1].startswith("  # 【2027年请核实】2026 年的年度目标") and \
        lines[goal + 1].startswith(f"    {MARK}2026年,县信访局")
    assert f"  total: {MARK}人员经费增加，2025年调入2人，考录1人。" in lines
    assert f"            implementation: &goal-yishu {MARK}保障本单位" in text  # the anchor, once
    assert f"          sign_off: {{filed_at: \"{MARK}20260109141857\"}}" in lines
    assert "      # 【2027年请核实】一次性项目（1 年结束）" in text
    assert "necessity: 保障已故职工遗属的基本生活。" in text  # nothing year-bound: untouched
    assert_kept(SEED_YAML.read_text(encoding="utf-8"), text,
                {"year", "as_of", "prior_year", "total", "general_budget", "office_operation"})
    # a final version could not keep the markers: placeholder-text is an error there
    final = write(tmp_path / "final" / "2027", edit(text, "status: draft", "status: final"), "x.yaml")
    assert of_rule(findings(final), "placeholder-text")[0].severity == ERROR


def test_rollover_of_a_budget_with_three_public_costs_units_and_carryovers(tmp_path, capsys):
    old = copy_2026(tmp_path, JIAOYU_YAML)
    source_errors = {f.rule for f in findings(str(old)) if f.severity == ERROR}
    new, text, err = rollover(capsys, old)
    found = findings(str(new))
    # no error of its own (an error the 2026 example itself has would be carried over)
    assert [f.text() for f in found if f.severity == ERROR and f.rule not in source_errors] == []
    assert of_rule(found, "prior-year-file") == [] and of_rule(found, "three-public-prior") == []
    budget, _ = load_budget(str(new))
    assert budget.prior_year == {
        "total": Decimal("48323560"), "general_budget": Decimal("43665060"),
        "office_operation": Decimal("1873200"),
        "three_public": {"outbound_travel": Decimal("85000"), "reception": Decimal("48000"),
                         "vehicle_purchase": Decimal("330000"), "vehicle_operation": Decimal("102000")},
        "by_source": {}}  # rollover writes the totals; by source is the officer's to add
    assert budget.prior_year == derived_prior(old)
    assert [len(u.carryover_projects) for u in budget.units] == [0, 0, 0]
    assert [len(u.projects) for u in budget.units] == [4, 2, 3]  # this year's projects are kept
    assert [u.three_public for u in budget.units] == \
        [u.three_public for u in load_budget(str(old))[0].units]
    assert "（2025 年结转来的，2026 年已列支）" in text
    assert text.count("# 【2027年请核实】一次性项目（1 年结束）") == 2
    assert f"时效指标: {{项目完成时间: {MARK}2026年8月底前}}" in text
    assert "control_totals 是 2026 年批复的控制数" in text
    assert "prior_year:                   # 2026年预算数（元），虚构" in text
    assert_kept(JIAOYU_YAML.read_text(encoding="utf-8"), text,
                {"year", "as_of", "prior_year", "total", "general_budget", "office_operation",
                 "outbound_travel", "reception", "vehicle_purchase", "vehicle_operation"})
    from generator.check import analyse
    from generator.render import render_html
    b, d, _ = analyse(str(new))  # renders even if the example's own errors were carried over
    assert "2027年" in render_html(b, d)


def test_rollover_adds_what_the_rules_need_when_the_old_file_lacks_it(tmp_path, capsys):
    # no change_reasons (the carry-over leaves the total short), final, CRLF line ends
    text = edit(SEED_YAML.read_text(encoding="utf-8"), "change_reasons:\n  total: 人员经费增加，2025年调入2人，考录1人。\n"
                "  office_operation: 人员增加3人,公用经费增加。\n\n", "")
    text = edit(text, "status: draft ", "status: final ").replace("\n", "\r\n")
    old = copy_2026(tmp_path, SEED_YAML, text)
    new, new_text, err = rollover(capsys, old)
    assert "注意：" in err  # the 2026 file itself has errors (no change reasons)
    assert new.read_bytes().count(b"\r\n") == new.read_bytes().count(b"\n")
    budget, _, found = check(str(new))
    assert errors(found) == []
    assert budget.status == "draft"
    assert budget.change_reasons["total"].startswith("待填写：收支总计比上年减少 2,600.00 元")
    # the 2026 file without prior_year.three_public: the block is written
    jiaoyu = JIAOYU_YAML.read_text(encoding="utf-8")
    start = jiaoyu.index("  three_public:\n    outbound_travel: 40000")
    end = jiaoyu.index("change_reasons:")
    old = copy_2026(tmp_path / "b", JIAOYU_YAML, jiaoyu[:start] + "\n" + jiaoyu[end:])
    new, new_text, err = rollover(capsys, old)
    assert "  three_public:               # 2026年“三公”经费（budget rollover 从上年文件算出）\n" \
           "    outbound_travel: 85000    # 因公出国（境）费\n" in new_text
    assert of_rule(findings(str(new)), "prior-year-file") == []


def test_rollover_writes_next_to_the_old_year_and_never_overwrites(tmp_path, capsys):
    old = copy_2026(tmp_path, SEED_YAML)
    code, out, err = run(capsys, "rollover", str(old))
    new = tmp_path / "budgets" / "2027" / "zezhou-xinfang.yaml"
    assert code == 0 and new.is_file() and f"已写入 {new}" in err
    new.write_text("# 已经改过\n", encoding="utf-8")
    for args in ([str(old)], [str(old), "--out", str(new)]):
        code, out, err = run(capsys, "rollover", *args)
        assert code == 2 and "已经存在，不会覆盖" in err and "Traceback" not in err
        assert new.read_text(encoding="utf-8") == "# 已经改过\n"


def test_rollover_refusals(tmp_path, capsys):
    elsewhere = tmp_path / "drafts" / "x.yaml"
    elsewhere.parent.mkdir()
    shutil.copyfile(SEED_YAML, elsewhere)
    code, out, err = run(capsys, "rollover", str(elsewhere))
    assert code == 2 and "不在 2026 文件夹中" in err and "--out" in err
    broken = write(tmp_path / "budgets" / "2026", "year: 2026\nunits: [\n", "broken.yaml")
    code, out, err = run(capsys, "rollover", broken)
    assert code == 1 and "无法转入下一年" in err and "yaml-syntax" in err and "Traceback" not in err
    code, out, err = run(capsys, "rollover", str(tmp_path / "nope.yaml"))
    assert code == 1 and "找不到文件" in err
    assert not (tmp_path / "budgets" / "2027").exists()


def test_rollover_of_a_rolled_over_file_marks_each_text_once(tmp_path, capsys):
    old = copy_2026(tmp_path, SEED_YAML)
    middle, _, _ = rollover(capsys, old)
    last = middle.parent.parent / "2028" / middle.name
    code, out, err = run(capsys, "rollover", str(middle), "--out", str(last))
    assert code == 0, err
    text = last.read_text(encoding="utf-8")
    assert "year: 2028" in text and "as_of: \"2027-12-31\"" in text
    assert marker(2028) not in text.replace(f"带“{marker(2028)}”", "")  # the 2027 markers stay
    assert text.count("# 【budget rollover】本文件由") == 1  # the header is replaced, not repeated
    assert errors(findings(str(last))) == []


def test_new_where_a_file_stands_in_the_way_says_so(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "budgets").write_text("", encoding="utf-8")
    code, out, err = run(capsys, *NEW, "--unit", "甲:行政单位", "--file", "a")
    assert (code, err) == (1, "budget new：无法写入 budgets/2026/a.yaml：路径中有一段是文件，不是文件夹\n")


def test_new_and_rollover_refuse_what_stands_where_the_file_goes(tmp_path, monkeypatch, capsys):
    """A named pipe, a folder or a link to nowhere at the new file's path: refused, named as
    what it is; nothing is written, not even where the link points."""
    monkeypatch.chdir(tmp_path)
    old = copy_2026(tmp_path, SEED_YAML)
    os.mkfifo("pipe.yaml")
    os.mkdir("folder.yaml")
    os.symlink(tmp_path / "elsewhere" / "x.yaml", "gone.yaml")
    for name, kind in (("pipe.yaml", "命名管道（FIFO）"), ("folder.yaml", "文件夹"),
                       ("gone.yaml", "失效的链接（指向的位置不存在）")):
        for command in ([*NEW, "--unit", "甲:行政单位"], ["rollover", str(old)]):
            code, out, err = run(capsys, *command, "--out", name)
            assert (code, out) == (2, ""), err
            assert err == (f"budget {command[0]}：{name} 已经存在，是{kind}，不能写成预算文件："
                           "请换一个文件名（--out）\n")
    assert not (tmp_path / "elsewhere").exists()
    assert sorted(os.listdir(tmp_path)) == ["budgets", "folder.yaml", "gone.yaml", "pipe.yaml"]


def test_rollover_of_what_is_no_file_says_what_it_is(tmp_path, capsys):
    pipe, link = tmp_path / "pipe.yaml", tmp_path / "gone.yaml"
    os.mkfifo(pipe)
    link.symlink_to(tmp_path / "nowhere.yaml")
    (tmp_path / "2026").mkdir()
    for path, kind in ((pipe, "命名管道（FIFO）"), (link, "失效的链接（指向的位置不存在）"),
                       (tmp_path / "2026", "文件夹")):
        code, out, err = run(capsys, "rollover", str(path))
        assert code == 1
        assert err == f"budget rollover：{path} 是{kind}，不是预算文件：请给出本年的预算文件（.yaml）\n"


# ---- what the tester found: prior year by source, odd characters, year folders, line ends ----

PUTUO_YAML = ROOT / "budgets" / "2026" / "putuo-wenlv.yaml"


def test_rollover_of_a_budget_whose_prior_year_is_by_source(tmp_path, capsys):
    """Shanghai states the prior year by source, without 收支总计: the new file keeps that form."""
    from generator.check import profile_for
    old = copy_2026(tmp_path, PUTUO_YAML)
    new, text, err = rollover(capsys, old)
    budget, _, found = check(str(new))
    assert errors(found) == [] and budget.standard == "shanghai"
    assert {f.rule for f in found} <= {"placeholder-text", "catalog-year"}  # no assets-date
    source, _ = load_budget(str(old))
    figures = Derived(source, profile_for(source)[0]).figures
    income = {s: figures["income_shares"][s]["amount"] for s in source.prior_year["by_source"]}
    assert income == {"一般公共预算": Decimal("278076101"), "政府性基金预算": 0, "国有资本经营预算": 0}
    assert budget.prior_year == {"by_source": income, "office_operation": Decimal("1826500"),
                                 "three_public": figures["three_public"]["items"]}
    # the 2026 file's comments stay as written: they are true of the 2026 figures
    assert "    一般公共预算: 278076101         # 比2025年预算增加27.45万元\n" in text
    assert "  office_operation: 1826500         # 2026年机关运行经费（budget rollover 从上年文件算出）\n" in text
    assert str(budget.assets["as_of"]) == "2026-08-31"  # Shanghai counts assets to 8 月 31 日
    assert "按来源的本年收入" in text
    # Shanghai's texts bound to a year are marked too: “三公” reasons item by item, project texts
    assert f"    vehicle_purchase: {MARK}2025年无公车购置计划" in text
    assert f"    period: {MARK}2025年10月正式开工，合同工期490天。" in text


def test_rollover_adds_a_prior_year_figure_the_old_file_lacks(tmp_path, capsys):
    # Shanghai requires none of them: a file with 收支总计 only gets the other two
    putuo = PUTUO_YAML.read_text(encoding="utf-8")
    start, end = putuo.index("  by_source:\n"), putuo.index("  three_public:  ")
    old = copy_2026(tmp_path, PUTUO_YAML, putuo[:start] + "  total: 277801601\n" + putuo[end:])
    new, new_text, err = rollover(capsys, old)
    budget, _, found = check(str(new))
    assert errors(found) == []
    assert [budget.prior_year[k] for k in ("total", "general_budget", "office_operation")] == \
        [278076101, 278076101, 1826500]
    assert "  general_budget: 278076101         # 2026年一般公共预算当年拨款（" in new_text
    # an anchored amount: the anchor stays, the value after it is replaced
    text = edit(seed_text(), "  total: 4715800 ", "  total: &t 4715800 ")
    old = copy_2026(tmp_path / "b", SEED_YAML, text)
    new, new_text, err = rollover(capsys, old)
    assert "  total: &t 5432252 " in new_text and errors(check(str(new))[2]) == []


@pytest.mark.parametrize("option, value, shown", [
    ("--name", "局\uffff", "U+FFFF"), ("--name", "局\x90", "U+0090"), ("--region", "县\x7f", "U+007F"),
    ("--region", "县\ufeff", "U+FEFF"), ("--name", "局\udcff", "0xFF"),
    ("--unit", "甲\u2028:行政单位", "U+2028"), ("--unit", "甲:行政单位\udcff", "0xFF"),
])
def test_new_refuses_a_character_a_budget_file_cannot_hold(tmp_path, monkeypatch, capsys, option,
                                                           value, shown):
    monkeypatch.chdir(tmp_path)
    options = {**OPTIONS, "--unit": "甲:行政单位", option: value}
    code, out, err = run(capsys, "new", *[a for kv in options.items() for a in kv])
    assert code == 2 and out == "" and "Traceback" not in err
    assert err.startswith(f"budget new：{option}") and shown in err
    assert os.listdir(tmp_path) == []


def test_new_with_bytes_that_are_no_utf8_in_a_real_process(tmp_path):
    result = subprocess.run([str(BUDGET_EXE), "new", "--name", b"\xff", "--code", "031", "--year",
                             "2026", "--region", "县", "--unit", "a:行政单位", "--out", "a.yaml"],
                            cwd=tmp_path, capture_output=True)
    assert result.returncode == 2 and b"Traceback" not in result.stderr
    assert "--name" in result.stderr.decode() and os.listdir(tmp_path) == []


def test_new_and_rollover_refuse_an_out_in_the_folder_of_another_year(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, *NEW, "--unit", "甲:行政单位", "--out", "budgets/2025/x.yaml")
    assert code == 2 and "2025" in err and "year-folder" in err and "budgets/2026/x.yaml" in err
    assert not (tmp_path / "budgets").exists()
    old = copy_2026(tmp_path, SEED_YAML)
    code, out, err = run(capsys, "rollover", str(old), "--out", "budgets/2028/x.yaml")
    assert code == 2 and "2028" in err and "budgets/2027/x.yaml" in err
    assert os.listdir(tmp_path / "budgets") == ["2026"]
    # a folder that is no year is anybody's choice
    assert run(capsys, *NEW, "--unit", "甲:行政单位", "--out", "drafts/x.yaml")[0] == 0


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_rollover_writes_every_line_with_the_old_files_line_ending(tmp_path, capsys, newline):
    text = JIAOYU_YAML.read_text(encoding="utf-8").replace("\n", newline)
    old = copy_2026(tmp_path, JIAOYU_YAML, text)
    new, _, _ = rollover(capsys, old)  # inserts the header, notes, carry-over comments
    raw = new.read_bytes()
    assert raw.count(newline.encode()) == len(raw.splitlines()) > 100
    assert raw.count(b"\r") + raw.count(b"\n") == len(raw.splitlines()) * len(newline)
    source_errors = {f.rule for f in findings(str(old)) if f.severity == ERROR}
    assert [f for f in findings(str(new)) if f.severity == ERROR and f.rule not in source_errors] == []


def test_rollover_keeps_line_breaks_of_paths_and_names_out_of_its_comments(tmp_path, capsys):
    text = edit(seed_text(), "      - name: 2025年市级解决特殊疑难信访问题资金预算的通知\n",
                '      - name: "2025年市级解决\\r特殊疑难\\n信访问题资金"\n')
    old = copy_2026(tmp_path / "a\nb\rc", SEED_YAML, text)
    new, new_text, err = rollover(capsys, old)
    assert "a\\nb\\rc/budgets/2026/zezhou-xinfang.yaml 生成" in new_text
    assert "#   2025年市级解决\\r特殊疑难\\n信访问题资金（2,600.00 元）" in new_text
    assert errors(check(str(new))[2]) == []


def test_rollover_marks_a_text_after_its_blank_lines_or_its_anchor_line(tmp_path, capsys):
    text = edit(seed_text(), "  annual_goal: >-\n", "  annual_goal: |-\n\n")  # begins with a blank line
    text = edit(text, "implementation: &goal-yishu 保障", "implementation: &goal-yishu\n              2026年保障")
    old = copy_2026(tmp_path, SEED_YAML, text)
    new, new_text, err = rollover(capsys, old)
    budget, _, found = check(str(new))
    assert errors(found) == []
    assert budget.performance["annual_goal"].startswith(f"\n{MARK}2026年,县信访局")
    assert f"            implementation: &goal-yishu\n              {MARK}2026年保障" in new_text
