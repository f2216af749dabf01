"""The `budget check` command: output formats, exit codes, folders."""
from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from conftest import BUDGET_EXE, ROOT, SEED_YAML, edit, line_of, seed_text, write
from generator import cli

FIELDS = {"path", "line", "column", "severity", "rule", "message"}


def with_warning() -> str:
    """A budget that passes with one warning (assets-date)."""
    return edit(seed_text(), 'as_of: "2025-12-31"', 'as_of: "2025-06-30"')


def with_error() -> str:
    """A budget with one error: 100 元 more by economic than by function."""
    return edit(seed_text(), '"30101 基本工资": 919190', '"30101 基本工资": 919290')


def run(capsys, *args) -> tuple[int, str, str]:
    code = cli.main(["check", *args])
    out, err = capsys.readouterr()
    return code, out, err


# ---- exit codes ----------------------------------------------------------------------------

def test_real_budget_exits_0_with_nothing_on_stdout(capsys):
    code, out, err = run(capsys, str(SEED_YAML))
    assert (code, out) == (0, "")
    assert "已检查 1 个文件：1 个通过，0 个未通过" in err


def test_error_exits_1_with_text_line(tmp_path, capsys):
    text = with_error()
    path = write(tmp_path, text)
    code, out, err = run(capsys, path)
    assert code == 1
    assert re.fullmatch(rf"{re.escape(path)}:{line_of(text, 'by_economic:')}:\d+: error "
                        r"basic-function-economic \S.*\n", out)
    assert "共 1 个错误、0 个警告" in err


def test_warning_alone_exits_0_and_strict_makes_it_fail(tmp_path, capsys):
    path = write(tmp_path, with_warning())
    code, out, err = run(capsys, path)
    assert code == 0
    assert f"{path}:{line_of(with_warning(), 'as_of:')}:" in out and " warning assets-date " in out
    code, out, err = run(capsys, "--strict", path)
    assert code == 1
    assert " warning assets-date " in out


# ---- --format json -------------------------------------------------------------------------

def test_json_lists_every_finding_with_its_location(tmp_path, capsys):
    text = edit(with_error(), 'as_of: "2025-12-31"', 'as_of: "2025-06-30"')
    path = write(tmp_path, text)
    code, out, err = run(capsys, "--format", "json", path)
    assert code == 1
    data = json.loads(out)
    assert isinstance(data, list) and len(data) == 2
    for item in data:
        assert set(item) == FIELDS
        assert isinstance(item["line"], int) and isinstance(item["column"], int)
        assert item["path"] == path
    by_rule = {item["rule"]: item for item in data}
    assert by_rule["basic-function-economic"]["severity"] == "error"
    assert by_rule["basic-function-economic"]["line"] == line_of(text, "by_economic:")
    assert "3,201,240.00 元" in by_rule["basic-function-economic"]["message"]
    assert by_rule["assets-date"]["severity"] == "warning"
    assert by_rule["assets-date"]["line"] == line_of(text, "as_of:")


def test_json_of_a_good_file_is_an_empty_list(capsys):
    code, out, err = run(capsys, "--format", "json", str(SEED_YAML))
    assert code == 0
    assert json.loads(out) == []


def test_json_keeps_chinese_readable(tmp_path, capsys):
    run_out = run(capsys, "--format", "json", write(tmp_path, with_error()))[1]
    assert "泽州县信访局" in run_out  # not \\uXXXX escapes


# ---- --format github -----------------------------------------------------------------------

def test_github_annotations(tmp_path, capsys):
    text = edit(with_error(), 'as_of: "2025-12-31"', 'as_of: "2025-06-30"')
    path = write(tmp_path, text)
    code, out, err = run(capsys, "--format", "github", path)
    assert code == 1
    lines = out.splitlines()
    assert len(lines) == 2
    error = next(l for l in lines if "basic-function-economic" in l)
    assert error.startswith(f"::error file={path},line={line_of(text, 'by_economic:')},col=")
    assert ",title=basic-function-economic::" in error and "3,201,240.00 元" in error
    assert any(l.startswith(f"::warning file={path},line={line_of(text, 'as_of:')},") for l in lines)


def test_github_escapes_percent_and_newlines(tmp_path, capsys):
    text = edit(seed_text(), 'other_notes: ""', 'other_notes: "完成率100%\\n待填写"')
    path = write(tmp_path, text)
    code, out, err = run(capsys, "--format", "github", path)
    assert code == 0  # a placeholder in a draft is a warning
    assert out.count("\n") == 1
    assert out.startswith(f"::warning file={path},line={line_of(text, 'other_notes:')},")
    assert "100%25%0A待填写" in out


# ---- folders and several files --------------------------------------------------------------

def test_folder_checks_every_yaml_below_it(tmp_path, capsys):
    files = [write(tmp_path / "budgets" / "2026", with_warning(), "a.yaml"),
             write(tmp_path / "budgets" / "2026" / "units", with_warning(), "b.yaml"),
             write(tmp_path / "budgets" / "archive" / "old", with_warning(), "c.yaml")]
    (tmp_path / "budgets" / "README.txt").write_text("不是预算", encoding="utf-8")
    code, out, err = run(capsys, "--format", "json", str(tmp_path / "budgets"))
    assert code == 0
    assert sorted(item["path"] for item in json.loads(out)) == sorted(files)


def test_one_bad_file_among_good_ones(tmp_path, capsys):
    folder = tmp_path / "budgets" / "2026"
    first = write(folder, with_warning(), "a-first.yaml")
    bad = write(folder, with_error(), "b-bad.yaml")
    last = write(folder, with_warning(), "c-last.yaml")
    code, out, err = run(capsys, str(tmp_path / "budgets"))
    assert code == 1
    reported = [line.split(":")[0] for line in out.splitlines()]
    assert reported == [first, bad, last]
    assert " error basic-function-economic " in out.splitlines()[1]
    assert "已检查 3 个文件：2 个通过，1 个未通过" in err
    assert "共 1 个错误、2 个警告" in err


def test_files_and_folders_mixed(tmp_path, capsys):
    bad = write(tmp_path / "x", with_error(), "bad.yaml")
    code, out, err = run(capsys, str(SEED_YAML), str(tmp_path / "x"))
    assert code == 1
    assert [line.split(":")[0] for line in out.splitlines()] == [bad]
    assert "已检查 2 个文件：1 个通过，1 个未通过" in err


def test_folder_without_budgets_fails(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    code, out, err = run(capsys, str(tmp_path / "empty"))
    assert code == 1
    assert ".yaml" in err


def test_repository_budgets_folder_passes(capsys):
    code, out, err = run(capsys, str(SEED_YAML.parent.parent))
    assert code == 0, out


def test_folder_skips_what_is_no_file_and_says_so(tmp_path):
    """A folder holding, under a budget's name, a named pipe (which once made `check` wait
    forever), a link to nowhere and a folder: the pipe and the link are named and skipped, the
    folder's budgets are checked; the check fails, in a few seconds, without a traceback."""
    folder = tmp_path / "budgets"
    good = write(folder / "2026", with_warning(), "a.yaml")
    inner = write(folder / "2026" / "d.yaml", with_warning(), "b.yaml")
    os.mkfifo(folder / "2026" / "p.yaml")
    (folder / "2026" / "gone.yaml").symlink_to(tmp_path / "nowhere.yaml")
    result = subprocess.run([str(BUDGET_EXE), "check", "--format", "json", str(folder)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert sorted({item["path"] for item in json.loads(result.stdout)}) == sorted([good, inner])
    assert result.stderr.splitlines() == [
        f"budget check：跳过 {folder / '2026' / 'gone.yaml'}：它是失效的链接（指向的位置不存在），"
        "不是预算文件（预算文件是普通的 .yaml 文件）",
        f"budget check：跳过 {folder / '2026' / 'p.yaml'}：它是命名管道（FIFO），"
        "不是预算文件（预算文件是普通的 .yaml 文件）"]


def test_a_file_named_twice_is_checked_once(tmp_path, monkeypatch, capsys):
    path = write(tmp_path / "budgets" / "2026", with_warning(), "a.yaml")
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, path, "budgets/2026/a.yaml", "./budgets/../budgets/2026/a.yaml",
                         "budgets")
    assert code == 0
    assert out.count(" warning assets-date ") == 1 and out.startswith(f"{path}:")
    assert "已检查 1 个文件：1 个通过" in err
    (tmp_path / "b.yaml").symlink_to(path)  # a link under another name is a budget of its own
    code, out, err = run(capsys, path, "b.yaml")
    assert code == 0 and "已检查 2 个文件" in err


# ---- missing paths are said as such ---------------------------------------------------------

def test_missing_path_is_said_as_such(tmp_path, capsys):
    missing = str(tmp_path / "x.yaml")
    code, out, err = run(capsys, missing)
    assert (code, out) == (1, "")
    assert f"找不到文件 {missing}" in err and f"{missing}:1:1" not in err


def test_link_to_nowhere_is_said_as_such(tmp_path, capsys):
    link = tmp_path / "x.yaml"
    link.symlink_to(tmp_path / "gone.yaml")
    code, out, err = run(capsys, str(link))
    assert (code, out) == (1, "")
    assert f"budget check：{link} 是失效的链接（指向的位置不存在）：请改正链接或给出文件本身" in err


def test_link_loop_is_said_as_such(tmp_path, monkeypatch, capsys):
    # found by a tester: a loop was called a link to nowhere
    monkeypatch.chdir(tmp_path)
    Path("loop.yaml").symlink_to("loop.yaml")
    code, out, err = run(capsys, "loop.yaml")
    assert (code, out) == (1, "")
    assert "budget check：loop.yaml 是循环的链接（链接循环指向自己）：请改正链接或给出文件本身" in err
    assert cli.main(["build", str(SEED_YAML), "--format", "html", "--out", "loop.yaml"]) == 1
    assert "无法写入输出文件夹 loop.yaml：它是循环的链接（链接循环指向自己），不是文件夹" \
        in capsys.readouterr().err


def test_a_name_too_long_is_said_as_such(tmp_path, monkeypatch, capsys):
    # found by a tester: ENAMETOOLONG from Path.is_dir was a traceback
    monkeypatch.chdir(tmp_path)
    name = "a" * 300 + ".yaml"
    for argv in (["check", name], ["build", name, "--format", "html"]):
        assert cli.main(argv) == 1
        out, err = capsys.readouterr()
        assert err.splitlines()[0] == f"budget {argv[0]}：无法使用 {name}：文件名太长（超过 255 字节），请改短"
    for out, why in (("a" * 300, "文件名太长（超过 255 字节）"),
                     (str(tmp_path / ("a/" * 2100)), "路径太长（超过 4096 字节）")):
        assert cli.main(["build", str(SEED_YAML), "--format", "html", f"--out={out}"]) == 1
        assert f"无法写入输出文件夹 {out}：{why}；请换一个 --out" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_empty_folder_beside_a_good_file_still_fails(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    code, out, err = run(capsys, str(SEED_YAML), str(tmp_path / "empty"))
    assert (code, out) == (1, "")
    assert f"文件夹 {tmp_path / 'empty'} 中没有预算文件" in err
    assert "已检查 1 个文件：1 个通过" in err


def test_build_says_a_missing_path_too(tmp_path, capsys):
    missing = str(tmp_path / "x.yaml")
    assert cli.main(["build", missing, "--format", "html", "--out", str(tmp_path / "out")]) == 1
    out, err = capsys.readouterr()
    assert f"找不到文件 {missing}" in err and not (tmp_path / "out").exists()


# ---- --version ------------------------------------------------------------------------------

def pyproject_version() -> str:
    import tomllib
    with open(ROOT / "pyproject.toml", "rb") as f:
        return tomllib.load(f)["project"]["version"]


def test_version(capsys):
    with pytest.raises(SystemExit) as exit:
        cli.main(["--version"])
    assert exit.value.code == 0
    assert capsys.readouterr().out == f"budget {pyproject_version()}\n"


def test_version_without_package_metadata_comes_from_pyproject(monkeypatch):
    from importlib import metadata

    def not_installed(name):
        raise metadata.PackageNotFoundError(name)
    monkeypatch.setattr(metadata, "version", not_installed)
    assert cli.version() == pyproject_version()


# ---- argparse speaks Chinese ------------------------------------------------------------------

def usage_error(capsys, *argv) -> str:
    """argparse refuses the command line: exit status 2, Chinese on stderr, nothing on stdout."""
    with pytest.raises(SystemExit) as exit:
        cli.main(list(argv))
    out, err = capsys.readouterr()
    assert exit.value.code == 2 and out == ""
    assert err.startswith("用法：budget") and "usage:" not in err and "error:" not in err
    return err.splitlines()[-1]


@pytest.mark.parametrize("argv, words", [
    ([], ["budget：缺少命令", "check", "build"]),
    (["chek", "x.yaml"], ["命令“chek”不存在", "是否应为“check”", "可用："]),
    (["check"], ["budget check：缺少参数 PATH"]),
    (["check", "--format", "xml", "x.yaml"], ["--format 的值“xml”不存在", "text、json、github"]),
    (["check", "x.yaml", "--format"], ["--format 后面要写一个值"]),
    (["check", "x.yaml", "--strcit"], ["无法识别的参数：--strcit"]),
    (["diff", "--color", "blue"], ["--color 的值“blue”不存在", "auto、always、never"]),
])
def test_usage_errors_in_chinese(capsys, argv, words):
    line = usage_error(capsys, *argv)
    for word in words:
        assert word in line, (word, line)
    assert "-h 查看用法" in line


@pytest.mark.parametrize("argv, words", [
    # found by a tester: Path("") is ".", and an empty --out or --redline meant the default
    (["check", ""], "PATH：不能为空，请写出预算文件或文件夹的路径"),
    (["build", "", "--out", "x"], "PATH：不能为空"),
    (["build", "x.yaml", "--out", ""], "--out：不能为空，请写出输出文件夹，例如 build"),
    (["build", "x.yaml", "--redline", ""], "--redline：不能为空，请写出 git 版本"),
    (["diff", "", "x.yaml"], "OLD NEW：不能为空，请写出文件的路径"),
    (["diff", "", ""], "OLD NEW：不能为空"),
    (["diff", "--git", ""], "--git：不能为空，请写出 git 版本，例如 HEAD 或 origin/main"),
    (["changed", ""], "BASE：不能为空"),
    (["show", ""], "PATH：不能为空"),
    (["rollover", ""], "FILE：不能为空"),
    (["rollover", "x.yaml", "--out", ""], "--out：不能为空，请写出新文件的路径"),
    (["new", "--out", ""], "--out：不能为空"),
    (["catalog", "   "], "QUERY：不能为空，请写出要查的编码开头或名称中的词"),
])
def test_an_empty_value_is_a_usage_error(tmp_path, monkeypatch, capsys, argv, words):
    monkeypatch.chdir(tmp_path)
    line = usage_error(capsys, *argv)
    assert line.startswith(f"budget {argv[0]}：{words}"), line
    assert list(tmp_path.iterdir()) == []  # nothing built or written


def test_an_empty_build_format_is_refused(tmp_path, capsys):
    assert cli.main(["build", str(SEED_YAML), "--format", "", "--out", str(tmp_path / "o")]) == 2
    assert "--format 只能是 html,pdf,xlsx,data 中的一个或多个" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("argv", [["-h"], ["check", "-h"], ["build", "--help"]])
def test_help_in_chinese(capsys, argv):
    with pytest.raises(SystemExit) as exit:
        cli.main(argv)
    out = capsys.readouterr().out
    assert exit.value.code == 0
    assert out.startswith("用法：budget") and "选项：" in out and "显示本说明并退出" in out
    for english in ("usage:", "options:", "positional arguments", "show this help", "optional arguments"):
        assert english not in out, english


def test_unknown_message_is_still_chinese():
    parser = cli.ChineseParser(prog="budget")
    assert parser.chinese("something new in a later Python") == "命令行有误：something new in a later Python"


def test_installed_command_usage_error_without_traceback():
    result = subprocess.run([str(BUDGET_EXE), "chek"], capture_output=True, text=True, cwd=ROOT,
                            timeout=60)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "命令“chek”不存在，是否应为“check”？" in result.stderr


def test_a_file_name_with_a_line_break_keeps_every_message_on_its_line(tmp_path, capsys):
    # found by a campaign: a newline in a file name split a finding over two lines; the same
    # holds for build's progress lines and diff's headers
    name = str(write(tmp_path / "2026", edit(seed_text(), "goods: 65200", "goods: 65100"), "两\n行.yaml"))
    shown = name.replace("\n", "\\n")

    def run(capsys, *args):
        code = cli.main(list(args))
        return (code, *capsys.readouterr())
    code, out, err = run(capsys, "build", name, "--format", "html", "--out", str(tmp_path / "out"))
    assert code == 1
    assert f"[1/1] {shown} …" in err.splitlines() and f"{shown}: 有 1 个错误，未生成公开文件" in err
    for fmt in ("terminal", "markdown"):
        code, out, err = run(capsys, "diff", str(SEED_YAML), name, "--format", fmt)
        assert code == 0 and shown in out
        assert not any(line.endswith("两") for line in out.splitlines()), out


def test_ctrl_c_during_a_build_ends_in_one_line_and_leaves_no_partial_file(tmp_path):
    # found by a campaign: SIGINT printed a KeyboardInterrupt traceback
    import signal
    import time
    out = tmp_path / "out"
    process = subprocess.Popen([str(BUDGET_EXE), "build", str(SEED_YAML), "--format", "pdf",
                                "--out", str(out)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    time.sleep(1.5)  # inside the render
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stdout + stderr
    assert "Traceback" not in stdout + stderr and "已中断" in stderr
    assert not [p for p in out.rglob("*") if p.is_file()]


def test_a_file_name_that_is_no_utf8_is_printed_escaped_not_a_crash(tmp_path):
    # a strict UTF-8 stdout (a zh_CN.UTF-8 locale) raised UnicodeEncodeError on such a name
    folder = tmp_path / "2026"
    folder.mkdir()
    name = os.fsencode(folder) + b"/\xff.yaml"
    with open(name, "wb") as f:
        f.write(edit(seed_text(), "goods: 65200", "goods: 65100").encode("utf-8"))
    env = {**os.environ, "PYTHONUTF8": "0", "PYTHONIOENCODING": "utf-8:strict"}
    result = subprocess.run([str(BUDGET_EXE), "check", str(folder)], capture_output=True,
                            env=env, timeout=60)
    assert result.returncode == 1 and b"Traceback" not in result.stdout + result.stderr
    assert b"\\udcff.yaml:" in result.stdout and b"procurement-total" in result.stdout
