"""Loading a budget file: what YAML would get wrong, and files that are not budgets at all.

Every broken file makes `budget check` exit 1 with `path:line:col: error RULE-ID message` and
never a traceback.
"""
from __future__ import annotations

import os
import re
import subprocess
from decimal import Decimal

import pytest

from conftest import BUDGET_EXE, JIAOYU_YAML, ROOT, SEED_YAML, edit, line_of, seed_text, write
from generator import cli
from generator.check import check
from generator.loader import (MAX_DEPTH, MAX_FILE_BYTES, MAX_SCALAR_CHARS, MAX_TEXT_CHARS, Scalar,
                              load_text)
from generator.schema import load_schema


def run_cli(capsys, *args) -> tuple[int, str, str]:
    code = cli.main(["check", *args])
    out, err = capsys.readouterr()
    return code, out, err


def assert_reported(capsys, path: str, line: int, column: int | None, rule: str,
                    *words: str) -> str:
    """`budget check path` exits 1 and reports `rule` at path:line(:column); returns the line."""
    code, out, err = run_cli(capsys, path)
    assert code == 1, out + err
    assert "Traceback" not in out + err
    col = str(column) if column else r"\d+"
    pattern = re.compile(rf"^{re.escape(path)}:{line}:{col}: error {re.escape(rule)} (.+)$", re.M)
    match = pattern.search(out)
    assert match, f"no {rule} at {path}:{line}:{column} in:\n{out}"
    for word in words:
        assert word in match.group(1), (word, match.group(0))
    return match.group(0)


# ---- duplicate keys ----------------------------------------------------------------------

def test_duplicate_top_level_key_names_both_lines(tmp_path, capsys):
    text = edit(seed_text(), "status: draft ", "status: draft\nstatus: final ")
    first = line_of(text, "status: draft")
    second = line_of(text, "status: final")
    path = write(tmp_path, text)
    assert_reported(capsys, path, second, 1, "duplicate-key", "status",
                    f"第 {first} 行", f"第 {second} 行")


def test_duplicate_nested_key_names_both_lines(tmp_path, capsys):
    text = edit(seed_text(), '          "30202 印刷费": 10000\n',
                '          "30202 印刷费": 10000\n          "30201 办公费": 117000\n')
    first = line_of(text, '"30201 办公费"')
    second = line_of(text, '"30201 办公费"', after=first)
    path = write(tmp_path, text)
    assert_reported(capsys, path, second, 11, "duplicate-key", "30201 办公费",
                    f"第 {first} 行", f"第 {second} 行")


def test_every_duplicate_key_is_reported_not_only_the_first(tmp_path):
    text = edit(seed_text(), "status: draft ", "status: draft\nstatus: final ")
    text = edit(text, "  region: 泽州县\n", "  region: 泽州县\n  region: 晋城市\n")
    found = check(write(tmp_path, text))[2]
    assert sorted(f.location.line for f in found if f.rule == "duplicate-key") == [
        line_of(text, "status: final"), line_of(text, "region: 晋城市")]


# ---- scalars stay the text that was written ------------------------------------------------

def test_scalars_are_text_not_yaml_guesses():
    doc = load_text("x.yaml", "a: 010\nb: no\nc: yes\nd: on\ne: 1.10\nf: 0x1F\ng: 1e3\n"
                              "h: 2026-01-01\ni: '010'\n")
    assert doc.data == {"a": "010", "b": "no", "c": "yes", "d": "on", "e": "1.10", "f": "0x1F",
                        "g": "1e3", "h": "2026-01-01", "i": "010"}
    assert all(type(v) is Scalar for v in doc.data.values())
    assert doc.data["a"].plain and not doc.data["i"].plain


@pytest.mark.parametrize("written", ["010", '"010"'])
def test_octal_looking_department_code_stays_010(tmp_path, capsys, written):
    path = write(tmp_path, edit(seed_text(), 'code: "020"', f"code: {written}"))
    budget, derived, found = check(path)
    assert found == []
    assert budget.department["code"] == "010"
    assert run_cli(capsys, path)[0] == 0


def test_no_stays_text_and_is_reported_as_a_wrong_value(tmp_path, capsys):
    text = edit(seed_text(), "status: draft ", "status: no ")
    path = write(tmp_path, text)
    assert_reported(capsys, path, line_of(text, "status: no"), 9, "schema-value", "“no”",
                    "draft", "final")


def test_yes_and_no_are_kept_as_indicator_text(tmp_path):
    text = edit(seed_text(), "绩效管理制度健全性: 健全", "绩效管理制度健全性: yes")
    text = edit(text, "党风廉政建设情况: 无违规", "党风廉政建设情况: no")
    budget, derived, found = check(write(tmp_path, text))
    assert found == []
    quality = budget.performance["indicators"]["产出指标"]["质量指标"]
    assert (quality["绩效管理制度健全性"], quality["党风廉政建设情况"]) == ("yes", "no")


def test_float_looking_amounts_are_exact_decimals(tmp_path):
    # 0.1 + 0.2 == 0.3 only in exact decimals: moving 0.3 元 out of one function row is
    # matched by 0.1 + 0.2 元 out of two economic rows, and the balance rule must agree.
    text = edit(seed_text(), '"2101199 其他行政事业单位医疗支出": 3940',
                '"2101199 其他行政事业单位医疗支出": 3939.7')
    text = edit(text, '"30112 其他社会保障缴费": 3900', '"30112 其他社会保障缴费": 3899.9')
    text = edit(text, '"30201 办公费": 117000', '"30201 办公费": 116999.8')
    budget, derived, found = check(write(tmp_path, text))
    assert found == []
    block = budget.units[0].basic["一般公共预算"]
    amounts = {e.code: e.amount for e in block.by_economic}
    assert amounts["30112"] == Decimal("3899.9") and amounts["30201"] == Decimal("116999.8")
    assert sum(e.amount for e in block.by_function) == Decimal("3201139.7")
    assert sum(e.amount for e in block.by_economic) == Decimal("3201139.7")


def test_trailing_zero_amount_keeps_its_text(tmp_path):
    text = edit(seed_text(), '"30202 印刷费": 10000', '"30202 印刷费": 9999.90')
    text = edit(text, '"30207 邮电费": 2000', '"30207 邮电费": 2000.10')
    budget, derived, found = check(write(tmp_path, text))
    assert found == []
    assert budget.doc.data["units"][0]["basic"]["一般公共预算"]["by_economic"]["30202 印刷费"] == "9999.90"


@pytest.mark.parametrize("written, words", [
    ("10000.123", ["10000.123", "两位小数"]),
    ('"10000"', ["不要加引号"]),
    ("1e4", ["1e4"]),
    ("10,000", ["千分位"]),
    ("-10000", ["负数"]),
])
def test_amount_that_is_not_plain_yuan_is_reported(tmp_path, capsys, written, words):
    text = edit(seed_text(), '"30202 印刷费": 10000', f'"30202 印刷费": {written}')
    path = write(tmp_path, text)
    assert_reported(capsys, path, line_of(text, '"30202 印刷费"'), 24, "schema-amount", *words)


# ---- misspelt keys -------------------------------------------------------------------------

def test_misspelt_asset_key_suggests_the_valid_one(tmp_path, capsys):
    text = edit(seed_text(), "office_area: 248", "office_aera: 248")
    path = write(tmp_path, text)
    assert_reported(capsys, path, line_of(text, "office_aera"), 3, "schema-unknown-key",
                    "office_aera", "是否应为“office_area”")


def test_misspelt_amount_key_suggests_amount(tmp_path, capsys):
    text = edit(seed_text(), "purchased_services: []",
                "purchased_services:\n  - name: 信访信息系统运维\n    amout: 30000")
    path = write(tmp_path, text)
    assert_reported(capsys, path, line_of(text, "amout:"), 5, "schema-unknown-key",
                    "amout", "是否应为“amount”")


def test_misspelt_key_inside_a_project_suggests_the_valid_one(tmp_path, capsys):
    text = edit(seed_text(), "        category: 其他运转类\n        funding: {一般公共预算: 34512}",
                "        catgory: 其他运转类\n        funding: {一般公共预算: 34512}")
    path = write(tmp_path, text)
    assert_reported(capsys, path, line_of(text, "catgory"), 9, "schema-unknown-key",
                    "catgory", "是否应为“category”")


@pytest.mark.parametrize("old, typo, valid", [
    ("        by_function:", "by_functon", "by_function"),          # under a funding source
    ("          sign_off: {filed_at: \"20260109141857\"}", "sign_of", "sign_off"),
    ("annual: {central: 0, provincial: 0, local: 90000", "provincal", "provincial"),
    ("  region: 泽州县", "regoin", "region"),
])
def test_misspelt_key_anywhere_suggests_the_valid_one(tmp_path, capsys, old, typo, valid):
    new = old.replace(valid, typo, 1)
    assert new != old
    text = edit(seed_text(), old, new)
    path = write(tmp_path, text)
    assert_reported(capsys, path, line_of(text, typo), None, "schema-unknown-key",
                    f"“{typo}”", f"是否应为“{valid}”")


def test_misspelt_vehicle_category_suggests_the_valid_one(tmp_path, capsys):
    # the categories are the profile's (checked later); the schema allows those of any profile
    text = edit(seed_text(), "      领导用车: 0", "      领导车: 0")
    path = write(tmp_path, text)
    assert_reported(capsys, path, line_of(text, "领导车"), None, "schema-value",
                    "“领导车”", "是否应为“领导用车”")


def test_misspelt_three_public_item_suggests_the_valid_one(tmp_path, capsys):
    text = edit(seed_text(), "\nprior_year:  ",
                "    three_public_costs:\n      一般公共预算: {outbound_travel: 0, recption: 5000,"
                " vehicle_purchase: 0, vehicle_operation: 0}\n\nprior_year:  ")
    path = write(tmp_path, text)
    assert_reported(capsys, path, line_of(text, "recption"), None, "schema-unknown-key",
                    "“recption”", "是否应为“reception”")


# ---- files that are not (UTF-8) YAML mappings -------------------------------------------

def test_tab_indentation(tmp_path, capsys):
    text = edit(seed_text(), "    kind: 行政单位", "\tkind: 行政单位")
    path = write(tmp_path, text)
    assert_reported(capsys, path, line_of(text, "\tkind"), 1, "yaml-syntax", "制表符")


def test_gbk_file_reports_the_line_of_the_first_bad_byte(tmp_path, capsys):
    path = tmp_path / "gbk.yaml"
    path.write_bytes("year: 2026\nstatus: draft\ndepartment:\n  name: 泽州县信访局\n".encode("gbk"))
    assert_reported(capsys, str(path), 4, 9, "file-encoding", "UTF-8", "GBK")


def test_gbk_fragment_in_a_utf8_file_reports_the_column_in_characters(tmp_path, capsys):
    # Text pasted from a GBK document into a UTF-8 file: 泽州县 is UTF-8, 信访局 is GBK.
    path = tmp_path / "mixed.yaml"
    path.write_bytes(b"year: 2026\ndepartment:\n  name: " + "泽州县".encode("utf-8")
                     + "信访局".encode("gbk") + b"\n")
    assert_reported(capsys, str(path), 3, 12, "file-encoding", "UTF-8")


def test_byte_order_mark(tmp_path, capsys):
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + seed_text().encode("utf-8"))
    assert_reported(capsys, str(path), 1, 1, "file-bom", "BOM")


@pytest.mark.parametrize("content", ["", "\n\n  \n", "# 只有注释\n"])
def test_empty_file(tmp_path, capsys, content):
    path = write(tmp_path, content)
    assert_reported(capsys, path, 1, 1, "file-empty", "文件为空")


@pytest.mark.parametrize("content", ["- year: 2026\n- status: draft\n", "2026\n", "~\n"])
def test_top_level_must_be_a_mapping(tmp_path, capsys, content):
    path = write(tmp_path, content)
    assert_reported(capsys, path, 1, 1, "yaml-not-mapping", "映射")


def test_second_document_is_reported(tmp_path, capsys):
    text = seed_text() + "---\nyear: 2027\n"
    path = write(tmp_path, text)
    assert_reported(capsys, path, line_of(text, "---"), 1, "yaml-multiple-documents")


def test_merge_key_is_refused(tmp_path, capsys):
    text = edit(seed_text(), "prior_year:  ", "defaults: &d {total: 1}\nprior_year:  ")
    text = edit(text, "  total: 4715800 ", "  <<: *d\n  total: 4715800 ")
    path = write(tmp_path, text)
    assert_reported(capsys, path, line_of(text, "<<: *d"), 3, "yaml-merge-key", "<<")


def test_missing_file_is_said_as_such_not_as_a_finding(tmp_path, capsys):
    missing = str(tmp_path / "nowhere.yaml")
    code, out, err = run_cli(capsys, missing)
    assert code == 1 and out == ""
    assert f"找不到文件 {missing}" in err and ":1:1" not in err and "Traceback" not in err


def test_missing_file_beside_a_good_one(tmp_path, capsys):
    missing = str(tmp_path / "nowhere.yaml")
    code, out, err = run_cli(capsys, missing, str(SEED_YAML))
    assert code == 1 and out == ""  # the good one was checked and passed; the missing one fails
    assert f"找不到文件 {missing}" in err and "已检查 1 个文件：1 个通过" in err


def test_unreadable_file_is_still_a_finding(tmp_path, capsys):
    folder = tmp_path / "budget.yaml"
    folder.mkdir()
    (folder / "x.txt").write_text("x", encoding="utf-8")  # a folder named .yaml holds no budget
    code, out, err = run_cli(capsys, str(folder))
    assert code == 1 and "中没有预算文件" in err


# ---- files that are not budgets at all: one finding that says so -------------------------

NOT_BUDGETS = {
    # name: (bytes, words of the one finding)
    "report.pdf": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< >>\n", ["PDF 文件"]),
    "report.yaml": (b"%PDF-1.4\n%\xc7\xec\x8f\xa2\n", ["PDF 文件"]),  # whatever its name
    "screenshot.png": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", ["PNG 图片"]),
    "photo.jpg": (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", ["JPEG 图片"]),
    "budget.docx": (b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00", ["Word"]),
    "budget.xls": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 40, ["旧版 Word/Excel/WPS"]),
    "data.bin": (bytes(range(256)) * 8, ["二进制文件"]),
    "page.yaml": (b"<!DOCTYPE html>\n<html><body>\xe9\xa2\x84\xe7\xae\x97</body></html>\n",
                  ["网页"]),
    "notes.txt": ("会议记录：\n  预算: 要在周五前报送\n- 第一项\n".encode(), ["notes.txt 是文本文件"]),
    "README.md": (None, ["README.md 是 Markdown 文档"]),  # this repository's own
    "格式说明.md": (None, ["格式说明.md 是 Markdown 文档"]),
}


@pytest.mark.parametrize("name", list(NOT_BUDGETS))
def test_a_file_that_is_not_a_budget_gets_one_finding_saying_so(tmp_path, capsys, name):
    content, words = NOT_BUDGETS[name]
    path = tmp_path / name
    if content is None:
        source = ROOT / ("README.md" if name == "README.md" else "docs/格式说明.md")
        content = source.read_bytes()
    path.write_bytes(content)
    line = assert_reported(capsys, str(path), 1, 1, "file-not-budget", "这不是预算文件", *words,
                           ".yaml 文本文件")
    code, out, err = run_cli(capsys, str(path))
    assert out.strip() == line  # one finding, no YAML or encoding advice
    for advice in ("UTF-8 保存", "GBK", "缩进", "引号", "冒号"):
        assert advice not in out, advice


def test_a_budget_under_another_name_is_still_checked(tmp_path, capsys):
    path = write(tmp_path, seed_text(), "budget.txt")
    code, out, err = run_cli(capsys, path)
    assert (code, out) == (0, "")


def test_a_broken_budget_named_txt_is_not_a_budget_file(tmp_path, capsys):
    path = write(tmp_path, edit(seed_text(), "    kind: 行政单位", "\tkind: 行政单位"), "budget.txt")
    assert_reported(capsys, path, 1, 1, "file-not-budget", "budget.txt 是文本文件")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_is_a_budget_in_the_wrong_encoding(tmp_path, capsys, encoding):
    path = tmp_path / "budget.yaml"
    path.write_bytes(seed_text().encode(encoding))
    assert_reported(capsys, str(path), 1, 1, "file-encoding", "UTF-16", "UTF-8")


def test_a_stray_nul_is_an_invalid_character_not_a_binary_file(tmp_path, capsys):
    text = edit(seed_text(), "  region: 泽州县", "  region: 泽州\x00县")
    path = write(tmp_path, text)
    assert_reported(capsys, path, line_of(text, "region:"), 13, "file-invalid-char", "U+0000")


@pytest.mark.parametrize("content, words", [
    ("# 说明\n\n泽州县信访局2026年部门预算\n", ["这不是预算文件", "一段文字", "泽州县信访局2026年部门预算"]),
    ("- zezhou-xinfang.yaml\n- zezhou-jiaoyu.yaml\n", ["这不是预算文件", "列表（2 项", "zezhou-xinfang.yaml"]),
    ("- year: 2026\n- status: draft\n", ["不要写“- ”"]),
    ("~\n", ["这不是预算文件", "空值"]),
])
def test_what_was_found_instead_of_a_mapping_is_named(tmp_path, capsys, content, words):
    assert_reported(capsys, write(tmp_path, content), 1, 1, "yaml-not-mapping", "映射", *words)


# ---- " #" in a text: YAML starts a comment there and cuts the text ---------------------------

def test_examples_trailing_comments_do_not_warn():
    # e.g. `status: draft                 # draft：…` and `authorized: 20          # 核定的人员编制数`
    for path in (SEED_YAML, JIAOYU_YAML):
        assert " #" in path.read_text(encoding="utf-8")
        assert check(str(path))[2] == []


def cut(tmp_path, old: str, new: str):
    text = edit(seed_text(), old, new)
    budget, derived, found = check(write(tmp_path, text))
    return text, budget, found


def test_text_cut_by_a_comment_is_a_warning_on_its_line(tmp_path, capsys):
    text, budget, found = cut(tmp_path, "plan: 批复后该资金由财政部门统一拨付。",
                              "plan: 批复后该资金由财政部门统一拨付 #2号文件规定")
    line = line_of(text, "#2号文件规定")
    column = text.splitlines()[line - 1].index("#") + 1
    assert [(f.rule, f.severity, f.location.line, f.location.column) for f in found] == [
        ("text-cut-by-comment", "warning", line, column)]
    message = found[0].message
    assert "#2号文件规定" in message and "加双引号" in message and "两格" in message
    # what YAML does, and why it is worth a warning: the published text stops before " #"
    project = next(p for p in budget.projects() if p.performance and
                   p.performance["plan"].startswith("批复后该资金"))
    assert project.performance["plan"] == "批复后该资金由财政部门统一拨付"
    path = write(tmp_path, text)
    assert run_cli(capsys, path)[0] == 0  # a warning: passes …
    assert run_cli(capsys, "--strict", path)[0] == 1  # … unless --strict


@pytest.mark.parametrize("old, new", [
    # two or more spaces: a trailing comment, as in the examples
    ("plan: 批复后该资金由财政部门统一拨付。", "plan: 批复后该资金由财政部门统一拨付。  # 见批复文件"),
    # a number, a code or an English word before the "#": never a sentence going on
    ("authorized: 20 ", "authorized: 20 # 编制 "),
    ("status: draft ", "status: draft # 草稿 "),
    # no space before "#": part of the text; quoted text: nothing is cut
    ("plan: 批复后该资金由财政部门统一拨付。", "plan: 批复后该资金由财政部门统一拨付#2号文件"),
    ("plan: 批复后该资金由财政部门统一拨付。", 'plan: "批复后该资金由财政部门统一拨付 #2号文件"'),
])
def test_a_comment_that_cuts_no_text_does_not_warn(tmp_path, old, new):
    text, budget, found = cut(tmp_path, old, new)
    assert found == []


def test_the_warning_does_not_stop_the_check(tmp_path):
    # with an error of the schema stage, of the catalogue stage and of the rules
    for old, new, rule in [("year: 2026\n", 'year: "2026"\n', "schema-type"),
                           ('"30201 办公费": 117000', '"30201 办公经费": 117000',
                            "catalog-economic-department"),
                           ('"30201 办公费": 117000', '"30201 办公费": 117100', "basic-function-economic")]:
        text = edit(seed_text(), "plan: 批复后该资金由财政部门统一拨付。",
                    "plan: 批复后该资金由财政部门统一拨付 #2号文件规定")
        found = check(write(tmp_path, edit(text, old, new)))[2]
        assert sorted(f.rule for f in found) == sorted([rule, "text-cut-by-comment"]), found


def test_a_multi_line_text_cut_on_its_last_line(tmp_path):
    text = "a: 第一行\n  第二行 #注\n"
    doc = load_text("x.yaml", text)
    assert doc.data == {"a": "第一行 第二行"}
    assert [(w.rule, w.location.line, w.location.column) for w in doc.warnings] == [
        ("text-cut-by-comment", 2, 7)]


# ---- hostile files are stopped before they blow up -----------------------------------------

def billion_laughs() -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi"):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def test_alias_bomb_stops_with_a_finding(tmp_path, capsys):
    # 9^9 = 387,420,489 strings once expanded; the loader must count, not expand.
    path = write(tmp_path, billion_laughs())
    line = assert_reported(capsys, path, r"\d+", None, "yaml-too-large", "200,000")
    assert int(line.split(":")[1]) <= 9


def test_deep_flow_nesting(tmp_path, capsys):
    path = write(tmp_path, "other_notes: " + "[" * 200 + "]" * 200 + "\n")
    assert_reported(capsys, path, 1, None, "yaml-too-deep", str(MAX_DEPTH))


def test_deep_block_nesting(tmp_path, capsys):
    depth = MAX_DEPTH + 5
    text = "".join("  " * i + f"k{i}:\n" for i in range(depth)) + "  " * depth + "x: 1\n"
    path = write(tmp_path, text)
    assert_reported(capsys, path, r"\d+", None, "yaml-too-deep", str(MAX_DEPTH))


@pytest.mark.parametrize("length", [MAX_SCALAR_CHARS + 1, 100_000])
def test_very_long_string(tmp_path, capsys, length):
    assert MAX_SCALAR_CHARS <= 50_000  # a budget's longest text is a few thousand characters
    text = edit(seed_text(), 'other_notes: ""', "other_notes: " + "长" * length)
    path = write(tmp_path, text)
    assert_reported(capsys, path, line_of(text, "other_notes:"), 14, "text-too-long",
                    f"{length:,}")


def test_string_at_the_limit_is_loaded(tmp_path):
    # the loader's limit; the schema then bounds each field far below it
    text = edit(seed_text(), 'other_notes: ""', "other_notes: " + "长" * MAX_SCALAR_CHARS)
    assert load_text("x.yaml", text).data["other_notes"] == "长" * MAX_SCALAR_CHARS


def test_aliases_of_a_long_text_are_counted_as_the_text_they_repeat(tmp_path, capsys):
    # found by a campaign: 629 KB of aliases of one 1,500-character goal passed `check`, and the
    # HTML came to 679 MB. Counted as text, the file stops at the line where the total passes.
    goal = "化解信访积案" * 250
    aliases = "\n".join(["    - *goal"] * 1000)
    text = edit(seed_text(), "  strategic_goals: [矛盾排解及信访工作协调, 信访疑难专项, 保障信访工作正常运转]",
                f"  strategic_goals:\n    - &goal {goal}\n{aliases}")
    path = write(tmp_path, text)
    found = assert_reported(capsys, path, r"\d+", 7, "yaml-too-large", f"{MAX_TEXT_CHARS:,}", "别名")
    # at the alias where the whole file's text passes the most (the rest of the file counts too)
    last = line_of(text, "strategic_goals:") + 1 + MAX_TEXT_CHARS // len(goal)
    assert last - 20 < int(found.split(":")[1]) <= last


def test_every_text_and_list_of_the_schema_has_a_bound():
    # WeasyPrint's work grows with the text of a cell and the rows of a table: a field without
    # a most is a build that can be made to run for minutes (one 6,000-character 联系电话
    # tripled a build). A mapping whose keys are a fixed vocabulary is bounded by it.
    unbounded = []

    def walk(rules, path):
        kind = rules.get("type")
        keys = rules.get("keysrules") or {}
        if kind == "text" and "maxlength" not in rules and "allowed" not in rules:
            unbounded.append("/".join(path))
        if (kind == "list" or (kind == "dict" and "valuesrules" in rules and "allowed" not in keys)) \
                and "maxlength" not in rules:
            unbounded.append("/".join(path))
        for part in ("keysrules", "valuesrules"):
            if isinstance(rules.get(part), dict):
                walk(rules[part], path + (part,))
        inner = rules.get("schema")
        if isinstance(inner, dict):
            if "type" in inner:
                walk(inner, path + ("[]",))
            else:
                for name, sub in inner.items():
                    walk(sub, path + (name,))

    schema = load_schema()
    definitions = schema.pop("definitions")
    for name, rules in schema.items():
        walk(rules, (name,))
    for name, definition in definitions.items():
        if "type" in definition:
            walk(definition, (name,))
        else:
            for field, rules in definition.items():
                walk(rules, (name, field))
    assert unbounded == []


@pytest.mark.parametrize("field", ["responsible", "handler", "phone", "filed_at"])
def test_a_sign_off_field_is_one_line_of_the_form(tmp_path, capsys, field):
    text = edit(seed_text(), 'sign_off: {filed_at: "20260109141857"}',
                f'sign_off: {{filed_at: "20260109141857", {field}: "{"1" * 6000}"}}'
                if field != "filed_at" else f'sign_off: {{filed_at: "{"1" * 6000}"}}')
    path = write(tmp_path, text)
    assert_reported(capsys, path, line_of(text, "1" * 6000), None, "schema-too-long", "6,000", "50")


def test_strategic_goals_beyond_their_most_are_refused(tmp_path, capsys):
    goals = ", ".join(f"目标{i}" for i in range(21))
    text = edit(seed_text(), "[矛盾排解及信访工作协调, 信访疑难专项, 保障信访工作正常运转]", f"[{goals}]")
    path = write(tmp_path, text)
    assert_reported(capsys, path, line_of(text, "strategic_goals"), None, "schema-too-long",
                    "21 项", "最多 20 项")


@pytest.mark.parametrize("code", ['"020\\n"', '"020\\r"', '"0201\\n"'])
def test_a_code_with_a_trailing_line_break_is_refused(tmp_path, capsys, code):
    # cerberus's regex ends with "$", which matches before a final newline
    text = edit(seed_text(), 'code: "020"', f"code: {code}")
    path = write(tmp_path, text)
    assert_reported(capsys, path, line_of(text, "code: "), None, "schema-format", "code")


def test_a_bad_byte_after_cr_only_line_ends_is_located_by_those_lines(tmp_path, capsys):
    # old Mac line ends: YAML counts "\r" as a line break, so must the location
    path = tmp_path / "cr.yaml"
    path.write_bytes(b"year: 2026\rstatus: draft\rdepartment:\r  name: \xd0\xc5\r")
    assert_reported(capsys, str(path), 4, 9, "file-encoding", "UTF-8")


def test_a_named_pipe_is_refused_at_once_not_waited_on(tmp_path):
    # found by a campaign: a FIFO hung check, build, show and diff (open() waits for a writer)
    fifo = tmp_path / "budget.yaml"
    os.mkfifo(fifo)
    for given in (fifo, tmp_path):  # the file itself, and the folder it is in
        result = subprocess.run([str(BUDGET_EXE), "check", str(given)], capture_output=True,
                                text=True, timeout=60)
        assert result.returncode == 1
        said = result.stdout + result.stderr
        assert "命名管道" in said and "Traceback" not in said


@pytest.mark.parametrize("path, words", [("/dev/zero", "设备文件"), ("/dev/null", "设备文件")])
def test_a_device_is_refused(capsys, path, words):
    assert_reported(capsys, path, 1, 1, "file-unreadable", words)


def test_a_line_break_in_a_file_name_stays_inside_its_finding(tmp_path, capsys):
    path = write(tmp_path, edit(seed_text(), "goods: 65200", "goods: 65100"), "两\n行.yaml")
    code, out, _ = run_cli(capsys, path)
    assert code == 1
    line, = [line for line in out.splitlines() if "procurement-total" in line]
    assert line.startswith(path.replace("\n", "\\n") + ":")


def test_oversized_file(tmp_path, capsys):
    path = write(tmp_path, seed_text() + "#" * (MAX_FILE_BYTES + 1) + "\n")
    assert_reported(capsys, path, 1, 1, "file-too-large", f"{MAX_FILE_BYTES:,}")


# ---- the installed command, as CI runs it ---------------------------------------------------

def test_installed_command_exits_1_without_traceback(tmp_path):
    broken = {
        "bom.yaml": b"\xef\xbb\xbf" + seed_text().encode("utf-8"),
        "gbk.yaml": seed_text().encode("gbk"),
        "empty.yaml": b"",
        "list.yaml": b"- a\n- b\n",
        "bomb.yaml": billion_laughs().encode(),
        "deep.yaml": ("x: " + "[" * 200 + "]" * 200 + "\n").encode(),
        "tab.yaml": edit(seed_text(), "    kind: 行政单位", "\tkind: 行政单位").encode(),
        "dup.yaml": edit(seed_text(), "status: draft ", "status: draft\nstatus: final ").encode(),
    }
    paths = []
    for name, content in broken.items():
        (tmp_path / name).write_bytes(content)
        paths.append(str(tmp_path / name))
    result = subprocess.run([str(BUDGET_EXE), "check", *paths], capture_output=True,
                            text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    for path in paths:
        assert re.search(rf"^{re.escape(path)}:\d+:\d+: error [a-z-]+ \S", result.stdout, re.M), path


def test_aliases_may_repeat_a_list_but_not_copy_the_file_over(tmp_path, capsys):
    # found by a campaign: 500 projects written as `- *project` (99 KB) built a 543-page PDF in
    # 93 s and 2.7 GB. Aliases may add at most as many values as the file writes, plus 1,000.
    items = ", ".join(str(i) for i in range(1500))
    once = f"other_notes: x\nglossary: &g [{items}]\npurposes: [*g]\n"
    assert load_text("x.yaml", once).data["purposes"] == [[str(i) for i in range(1500)]]
    path = write(tmp_path, f"other_notes: x\nglossary: &g [{items}]\npurposes: [*g, *g]\n")
    assert_reported(capsys, path, 3, 16, "yaml-too-large", "3,002", "不要用来成批复制项目")
