"""Properties that hold for every input, checked on inputs hypothesis makes up.

1. A broken budget never crashes anything: the valid examples are mutated as TEXT (a value
   replaced by a nasty token, a key replaced, a line deleted, duplicated or re-indented, a
   value quoted or turned into a list or a mapping); load, check, build, diff, show and the
   `budget` command either succeed or report findings located at file:line:column.
2. Every derived total is the sum of its parts, in every table, for random VALID budgets made
   from the examples by giving every amount a random value (both classifications of 基本支出
   kept balanced, each 绩效目标表's funds kept equal to its project's amount).
3. Rounding for display never changes an exact total: to_wan is half-up and idempotent, the
   displayed total differs from the sum of displayed parts by at most 0.005 per part, and
   every figure the HTML prints is to_wan of its own exact cell, never a sum of rounded ones.

The number of examples is kept small (settings below): the whole file runs in well under a
minute. A failure prints the example (hypothesis shrinks it) and is kept in .hypothesis/ to
be tried first next time.
"""
from __future__ import annotations

import contextlib
import io
import json
import os
import re
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import JIAOYU_YAML, SEED_YAML, edit, seed_text, write
from generator import cli
from generator.build import build_one
from generator.check import check
from generator.diff import diff_budgets
from generator.diff_format import as_json, markdown, terminal
from generator.findings import ERROR, WARNING, BudgetError
from generator.loader import load_file
from generator.money import to_wan
from generator.render import render_html, wan
from generator.show import show

EXAMPLES = [SEED_YAML, JIAOYU_YAML]
SLOW = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
# BUDGET_FUZZ=20 .venv/bin/python -m pytest tests/test_properties.py: 20 times the examples
FUZZ = max(1, int(os.environ.get("BUDGET_FUZZ", "1")))


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    """One folder for the whole module (hypothesis runs many examples per test function)."""
    return tmp_path_factory.mktemp("properties")


# ==== 1. mutated budgets never crash anything ====================================================

NASTY_VALUES = [
    "", "~", "null", "-1", "1e5", "0.001", "12345.678", "1,000", "010", "0x10", "+5", "1_000",
    "９９", "99999999999999999", "0", "yes", "no", "[", "]", "{", "{a: 1}", "{}", "[]", "[1, 2]",
    '"x"', "'x'", '"unterminated', "'", "XX", "待填写", "A" * 5000, "长" * 25000,
    "201 一般公共服务支出", "20140 信访事务", "2014001 信访业务", "9999999 不存在的科目",
    "301 工资福利支出", "50501 工资福利支出", '"020"', "2025-02-30", "2026-12-31",
    "!!binary aGVsbG8=", "!!python/object:os.system x", "&a 1", "*nope", "|", ">-", "- a",
    "a: b", "%x", "@x", "`x`", "#", "<script>alert(1)</script>", "{{ 7*7 }}", "\u200b",
    "行政单位", "事业单位", "final", "draft", "一般公共预算", "特定目标类",
]
NASTY_KEYS = [
    "nmae", "", '""', '"2014001 行政运行"', '"201 一般公共服务支出"', '"20140 信访事务"',
    '"2014001 信访业务"', '"9999999 不存在"', '"30101 基本工资"', '"301 工资福利支出"', "<<",
    "? x", '"a\\nb"', "name", "year", "units", "一般公共预算", "单位资金", "[a]", "&k key",
]

mutation = st.one_of(
    st.tuples(st.just("value"), st.integers(0, 10**6), st.sampled_from(NASTY_VALUES)),
    st.tuples(st.just("key"), st.integers(0, 10**6), st.sampled_from(NASTY_KEYS)),
    st.tuples(st.sampled_from(["delete", "duplicate", "quote", "listify", "mapify"]),
              st.integers(0, 10**6), st.just("")),
    st.tuples(st.just("indent"), st.integers(0, 10**6), st.sampled_from(["", " ", "  ", "-", "+"])),
)


def mutate(text: str, mutations) -> str:
    """Apply each (operation, line number, token) to the TEXT of a budget."""
    lines = text.split("\n")
    for op, number, token in mutations:
        i = number % len(lines)
        line = lines[i]
        indent = line[:len(line) - len(line.lstrip(" "))]
        key, sep, value = line.partition(": ")
        if not sep and line.lstrip().startswith("- "):
            key, sep, value = line.partition("- ")
        if op == "value":
            lines[i] = f"{key}{sep or ': '}{token}"
        elif op == "key":
            lines[i] = f"{indent}{token}:{line.partition(':')[2]}"
        elif op == "delete":
            del lines[i]
            if not lines:
                lines = [""]
        elif op == "duplicate":
            lines.insert(i, line)
        elif op == "quote" and sep:
            lines[i] = f'{key}{sep}"{value}"'
        elif op == "listify" and sep:
            lines[i] = f"{key}{sep}[{value}]"
        elif op == "mapify" and sep:
            lines[i] = f"{key}{sep}{{{value}: 1}}"
        elif op == "indent":
            body = line.lstrip(" ")
            if token == "-":
                lines[i] = indent[:-1] + body
            elif token == "+":
                lines[i] = indent + " " + body
            else:
                lines[i] = token + body
    return "\n".join(lines)


def assert_located(findings, path: str, text: str) -> None:
    """Every finding names this file and a line of it, on one line of output."""
    last = text.count("\n") + 1
    for f in findings:
        where = f.location
        assert where.path == path, f.text()
        assert 1 <= where.line <= last + 1 and where.column >= 1, f.text()
        assert f.severity in (ERROR, WARNING) and f.rule and f.message, f.text()
        assert not re.search(r"[\r\n]", f.text()), repr(f.text())
        assert "Traceback" not in f.message


def run_cli(*args: str) -> tuple[int, str]:
    """`budget ARGS` in this process; an exception escaping it fails the test."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(list(args))
    output = out.getvalue() + err.getvalue()
    assert code in (0, 1), (args, code, output)
    assert "Traceback" not in output, output
    return code, out.getvalue()


def exercise(path: str, source: Path, text: str, out: Path, formats=("html",)) -> None:
    """Load, check, build, diff and show one (possibly broken) budget: nothing may escape."""
    try:
        load_file(path)
    except BudgetError as exc:
        assert exc.findings
        assert_located(exc.findings, path, text)
    budget, derived, found = check(path)
    assert_located(found, path, text)
    errors = [f for f in found if f.severity == ERROR]
    assert (budget is None) == bool(errors), [f.text() for f in found]

    ok, message = build_one(path, out, list(formats))
    assert ok == (budget is not None), message
    if ok:
        for fmt in formats:
            assert (out / str(budget.year) / f"{Path(path).stem}.{fmt}").stat().st_size > 0
    else:
        assert message.strip() and "Traceback" not in message

    for old, new in ((str(source), path), (path, str(source))):
        d = diff_budgets(old, new)
        terminal([d], False), markdown([d]), json.loads(as_json([d]))
        if budget is None:
            assert d.unreadable or d.findings_introduced or d.findings_fixed
    assert show(path).endswith("\n")

    code, stdout = run_cli("check", path)
    assert code == (1 if errors else 0)
    assert stdout == "".join(f"{f.text()}\n" for f in sorted(found, key=_key))
    code, stdout = run_cli("check", "--format", "json", path)
    assert len(json.loads(stdout)) == len(found)
    run_cli("check", "--format", "github", path)
    run_cli("diff", str(source), path, "--format", "markdown")
    run_cli("show", path)
    code, _ = run_cli("build", path, "--format", "html", "--out", str(out / "cli"))
    assert code == (1 if errors else 0)


def _key(f):
    return (f.location, f.rule, f.message)


@settings(SLOW, max_examples=60 * FUZZ)
@given(source=st.sampled_from(EXAMPLES), mutations=st.lists(mutation, min_size=1, max_size=3))
def test_a_mutated_budget_is_either_fine_or_reported_with_file_and_line(workdir, source,
                                                                         mutations):
    text = mutate(source.read_text(encoding="utf-8"), mutations)
    path = workdir / "2026" / source.name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    exercise(str(path), source, text, workdir / "out")


# Lines whose value is free text: replacing it keeps the budget buildable more often than not,
# so that the PDF (slow: a handful of examples only) is made of a mutated budget.
TEXT_VALUES = ["yes", "010", "1e5", '"x"', "XX", "A" * 3000, "{{ 7*7 }}", "<b>粗</b>", "~~", "0.001"]


@settings(SLOW, max_examples=3)
@given(source=st.sampled_from(EXAMPLES), number=st.integers(0, 10**6),
       token=st.sampled_from(TEXT_VALUES))
def test_a_mutated_budget_builds_a_pdf_or_reports(workdir, source, number, token):
    original = source.read_text(encoding="utf-8")
    texts = [i for i, line in enumerate(original.split("\n"))
             if re.match(r"\s+(name|overview|basis|necessity|plan|duties|annual_goal|"
                         r"[^\x00-\x7f]+指标|[^\x00-\x7f]+): [^\d{\[\"&*]", line)]
    text = mutate(original, [("value", texts[number % len(texts)], token)])
    path = workdir / "pdf" / "2026" / source.name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    exercise(str(path), source, text, workdir / "pdf-out", formats=("html", "pdf"))


# Two problems found by the test above, kept as examples.

def test_a_list_where_the_indicators_belong_is_reported_not_a_crash(tmp_path):
    text = edit(seed_text(), "            annual: *ind-teshu", "            annual: [*ind-teshu]")
    path = write(tmp_path, text)
    found = check(path)[2]
    assert found and {f.rule for f in found} <= {"schema-type"}, [f.text() for f in found]
    assert_located(found, path, text)


@pytest.mark.parametrize("old, new", [
    ("  plan: 批复后该资金由财政部门统一拨付。", "  plan: |\n            第一行\n            XX待定"),
    ("year: 2026", '"ye\\nar": 2026\nyear: 2026'),
    ('status: draft', 'status: "dr\\naft"'),
])
def test_a_finding_quoting_a_line_break_is_still_one_line(tmp_path, old, new):
    path = write(tmp_path, edit(seed_text(), old, new))
    found = check(path)[2]
    assert found and all("\n" not in f.text() for f in found), [f.text() for f in found]


# ==== 2. every derived total is the sum of its parts ============================================

def _child(node, key):
    return next(v for k, v in node.value if k.value == key)


def _at(node, *keys):
    for key in keys:
        node = node.value[key] if isinstance(key, int) else _child(node, key)
    return node


def _has(node, key) -> bool:
    return isinstance(node, yaml.MappingNode) and any(k.value == key for k, _ in node.value)


def yuan_text(cents: int) -> str:
    return str(cents // 100) if cents % 100 == 0 else f"{cents // 100}.{cents % 100:02d}"


amount_cents = st.one_of(st.integers(0, 10**11), st.integers(0, 10**6),
                         st.sampled_from([0, 1, 49, 50, 5000, 4999, 15000, 10**8 + 50]))


def random_valid_budget(text: str, draw) -> tuple[str, dict]:
    """`text` with every amount that feeds the 13 tables replaced by a random one, kept valid;
    and the exact sums the tables must show (the oracle), in cents."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    edits = {}  # start index of a scalar -> (end index, new text)
    oracle = {"lines": [], "economic": [], "projects": []}

    def put(node, cents):
        edits[node.start_mark.index] = (node.end_mark.index, yuan_text(cents))

    current_by_source: dict[str, int] = {}
    units = _at(root, "units")
    for u, unit in enumerate(units.value):
        name = _at(unit, "name").value
        for source_key, block in _at(unit, "basic").value:
            source = source_key.value
            function = _at(block, "by_function").value
            economic = _at(block, "by_economic").value
            amounts = [draw(amount_cents) for _ in function]
            for (code, node), cents in zip(function, amounts):
                put(node, cents)
                oracle["lines"].append((name, source, code.value.split()[0], True, False, cents))
            total = sum(amounts)
            cuts = sorted(draw(st.lists(st.integers(0, total), min_size=len(economic) - 1,
                                        max_size=len(economic) - 1)))
            parts = [b - a for a, b in zip([0] + cuts, cuts + [total])]
            for (code, node), cents in zip(economic, parts):
                put(node, cents)
                oracle["economic"].append((name, source, code.value.split()[0], cents))
            current_by_source[source] = current_by_source.get(source, 0) + total
        for key, carryover in (("projects", False), ("carryover_projects", True)):
            if not _has(unit, key):
                continue
            for project in _at(unit, key).value:
                function = _at(project, "function").value.split()[0]
                funding = {}
                for source_key, node in _at(project, "funding").value:
                    cents = draw(amount_cents)
                    put(node, cents)
                    funding[source_key.value] = cents
                    oracle["lines"].append((name, source_key.value, function, False, carryover,
                                            cents))
                    if not carryover:
                        current_by_source[source_key.value] = \
                            current_by_source.get(source_key.value, 0) + cents
                oracle["projects"].append((name, _at(project, "name").value, carryover, funding))
                if _has(project, "performance"):  # the form's funds = the project's amount
                    for period in ("implementation", "annual"):
                        funds = _at(project, "performance", "funds", period).value
                        for i, (_, node) in enumerate(funds):
                            put(node, sum(funding.values()) if i == 0 else 0)
        if _has(unit, "three_public_costs"):  # bounded by the lines above: 0 fits any
            for _, items in _at(unit, "three_public_costs").value:
                for _, node in items.value:
                    put(node, 0)
    for _, node in _at(root, "procurement").value:  # bounded by the total spent: 0 fits any
        put(node, 0)
    if _has(root, "purchased_services"):
        for service in _at(root, "purchased_services").value:
            put(_at(service, "amount"), 0)
    if _has(root, "control_totals"):  # the bureau's control figures follow the new amounts
        for source_key, node in _at(root, "control_totals").value:
            put(node, current_by_source.get(source_key.value, 0))
    for start in sorted(edits, reverse=True):
        end, new = edits[start]
        text = text[:start] + new + text[end:]
    return text, oracle


def _cents(value) -> int:
    return int((value or 0) * 100)


def _sum_where(lines, test) -> int:
    return sum(line[-1] for line in lines if test(line))


def assert_function_table(table, columns) -> None:
    """合计 = Σ 类, each 类 = Σ its 款, each 款 = Σ its 项, in every column; and each column
    equals its oracle sum (a list of cents per column, for the 合计 row)."""
    rows = table.rows
    total = rows[0]
    assert total.kind == "total" and total.level == 0
    by_level = {level: [r for r in rows if r.level == level] for level in (1, 2, 3)}
    for i in range(len(table.columns)):
        assert _cents(total.cells[i]) == columns[i], (table.number, table.columns[i])
        assert total.cells[i] == sum(r.cells[i] for r in by_level[1])
        for parent_level, child_level in ((1, 2), (2, 3)):
            for parent in by_level[parent_level]:
                children = [r for r in by_level[child_level] if r.code.startswith(parent.code)]
                assert parent.cells[i] == sum(r.cells[i] for r in children), \
                    (table.number, parent.code, table.columns[i])
    for row in rows:  # every 项 of the ledger sits under its 款 and 类
        if row.level > 1:
            assert any(r.code == row.code[:3 if row.level == 2 else 5] for r in rows)


@settings(SLOW, max_examples=25 * FUZZ)
@given(source=st.sampled_from(EXAMPLES), data=st.data())
def test_every_derived_total_is_the_sum_of_its_parts(workdir, source, data):
    text, oracle = random_valid_budget(source.read_text(encoding="utf-8"), data.draw)
    path = workdir / "valid" / "2026" / source.name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    budget, derived, found = check(str(path))
    assert budget is not None, [f.text() for f in found]
    t = derived.tables
    lines = oracle["lines"]
    general = "一般公共预算"
    fund = "政府性基金预算"
    sources = ["一般公共预算", "政府性基金预算", "国有资本经营预算", "财政专户管理资金", "单位资金"]

    def current(line):
        return not line[4]

    # 表二: 合计 (this year's money) = Σ sources; 上年结转 apart
    assert_function_table(t[2], [_sum_where(lines, current)]
                          + [_sum_where(lines, lambda l, s=s: current(l) and l[1] == s)
                             for s in sources]
                          + [_sum_where(lines, lambda l: l[4])])
    # 表三, 表五, 表八: 合计 = 基本支出 + 项目支出
    for number, test in ((3, lambda l: True), (5, lambda l: l[1] == general and current(l)),
                         (8, lambda l: l[1] == fund and current(l))):
        assert_function_table(t[number], [_sum_where(lines, test),
                                           _sum_where(lines, lambda l: test(l) and l[3]),
                                           _sum_where(lines, lambda l: test(l) and not l[3])])
        for row in t[number].rows:
            assert row.cells[0] == row.cells[1] + row.cells[2], (number, row.name)
    for row in t[2].rows:
        assert row.cells[0] == sum(row.cells[1:6]), row.name
    assert_function_table(t[7], [_sum_where(lines, lambda l: l[1] == fund and current(l))])

    # 表一: income side, expenditure side, and 收入总计 = 支出总计
    one = t[1]
    classes = [r for r in one.rows if r.code]
    assert len(classes) == 30
    ending = {r.name: r for r in one.rows if not r.code}
    this_year, carried = _sum_where(lines, current), _sum_where(lines, lambda l: l[4])
    assert sum(_cents(r.cells[0]) for r in classes[:5]) == this_year
    for i, expected in ((1, this_year + carried), (2, this_year), (3, carried)):
        assert sum(_cents(r.cells[i]) for r in classes) == expected
        assert _cents(ending["本年收入合计"].cells[i]) == expected
    for r in classes:
        assert r.cells[1] == r.cells[2] + r.cells[3]
    assert ending["本年收入合计"].cells[0] + ending["上年结转"].cells[0] == ending["收入总计"].cells[0]
    assert ending["收入总计"].cells[0] == ending["收入总计"].cells[1]
    assert _cents(ending["收入总计"].cells[0]) == this_year + carried

    # 表四: the same for 财政拨款
    four = t[4]
    fiscal = sources[:3]
    classes = [r for r in four.rows if r.code]
    ending = {r.name: r for r in four.rows if not r.code}
    spent = _sum_where(lines, lambda l: l[1] in fiscal)
    assert sum(_cents(r.cells[0]) for r in classes[:3]) == \
        _sum_where(lines, lambda l: l[1] in fiscal and current(l))
    assert sum(_cents(r.cells[1]) for r in classes) == spent
    for r in classes:
        assert r.cells[1] == sum(r.cells[2:5])
    assert _cents(ending["本年收入合计"].cells[0]) == \
        _sum_where(lines, lambda l: l[1] in fiscal and current(l))
    assert _cents(ending["上年财政拨款结转"].cells[0]) == \
        _sum_where(lines, lambda l: l[1] in fiscal and l[4])
    assert ending["收入总计"].cells[0] == \
        ending["本年收入合计"].cells[0] + ending["上年财政拨款结转"].cells[0]
    assert ending["收入总计"].cells[0] == ending["收入总计"].cells[1]
    assert _cents(ending["收入总计"].cells[1]) == spent

    # 表六: 合计 = 人员经费 + 公用经费; 类 = Σ 款; 合计 = Σ 类 = 一般公共预算 基本支出
    six = t[6]
    general_economic = sum(c for _, s, _, c in oracle["economic"] if s == general)
    assert _cents(six.rows[0].cells[0]) == general_economic
    assert six.rows[0].cells[0] == t[5].rows[0].cells[1]
    for row in six.rows:
        personnel, public = (c or 0 for c in row.cells[1:])
        assert row.cells[0] == personnel + public, row.name
    classes = [r for r in six.rows if r.level == 1]
    assert six.rows[0].cells[0] == sum(r.cells[0] for r in classes)
    for parent in classes:
        children = [r for r in six.rows if r.level == 2 and r.code[:3] == parent.code]
        assert parent.cells[0] == sum(r.cells[0] for r in children), parent.name

    # 表十二 (本年) and 表十三 (上年结转): department = Σ units = Σ projects; 合计 = Σ sources
    for number, carryover in ((12, False), (13, True)):
        table = t[number]
        department, units = table.rows[0], [r for r in table.rows if r.level == 1]
        projects = [r for r in table.rows if r.level == 2]
        expected = sum(sum(f.values()) for _, _, c, f in oracle["projects"] if c == carryover)
        assert _cents(department.cells[0]) == expected
        for i in range(len(table.columns)):
            assert department.cells[i] == sum(r.cells[i] for r in units)
            assert department.cells[i] == sum(r.cells[i] for r in projects)
        for row in table.rows:
            assert row.cells[0] == sum(row.cells[1:]), (number, row.name)
    # 表十一: 部门合计 = Σ units
    eleven = t[11]
    for i in range(len(eleven.columns)):
        assert eleven.rows[0].cells[i] == sum(r.cells[i] for r in eleven.rows[1:])

    # What the HTML prints: each cell to_wan of its own exact value (3. below, on real tables)
    assert_printed_cells_are_rounded_exact_cells(render_html(budget, derived), derived)


# ==== 3. rounding for display ===================================================================

cents_amounts = st.integers(0, 10**14).map(lambda c: Decimal(c).scaleb(-2))  # 0.00 … 10^12 元


@settings(max_examples=300 * FUZZ, deadline=None)
@given(st.lists(cents_amounts, min_size=1, max_size=40))
def test_displayed_total_differs_from_sum_of_displayed_parts_by_at_most_half_a_cent_each(parts):
    total = to_wan(sum(parts))
    displayed = sum(to_wan(p) for p in parts)
    assert abs(total - displayed) <= Decimal("0.005") * len(parts)
    assert total == to_wan(sum(parts, Decimal(0)))  # the exact sum, never the rounded one


@settings(max_examples=300 * FUZZ, deadline=None)
@given(cents_amounts)
def test_to_wan_is_half_up_on_the_exact_value(yuan):
    cents = int(yuan * 100)  # 元 in cents; 1 分 of 万元 = 10,000 cents
    expected = Decimal((cents + 5000) // 10000).scaleb(-2)  # half-up on the exact integer
    assert to_wan(yuan) == expected
    assert to_wan(yuan).as_tuple().exponent == -2


@settings(max_examples=300 * FUZZ, deadline=None)
@given(st.integers(0, 10**10).map(lambda c: Decimal(c).scaleb(-2)))
def test_to_wan_is_idempotent_on_rounded_values(shown):
    """A figure already rounded to 0.01 万元, turned back into 元, shows as itself."""
    assert to_wan(shown * 10000) == shown
    assert to_wan(to_wan(shown * 10000) * 10000) == to_wan(shown * 10000)


@pytest.mark.parametrize("yuan, shown", [("50", "0.01"), ("49.99", "0.00"), ("4449050", "444.91"),
                                         ("4449049.99", "444.90"), ("0.01", "0.00"),
                                         ("999999999999.99", "100000000.00")])
def test_to_wan_at_the_half(yuan, shown):
    assert str(to_wan(Decimal(yuan))) == shown


class _Cells(HTMLParser):
    """The figure cells (<td class="num…">) of each table's body rows, as printed."""

    def __init__(self):
        super().__init__()
        self.tables: dict[int, list[list[str]]] = {}
        self.table = None
        self.in_body = False
        self.cell: list[str] | None = None
        self.depth = 0  # inside a figure cell: its <ins> holds the figure, <del> the old one

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        m = re.fullmatch(r"table-(\d+)", attrs.get("id") or "")
        if tag == "table" and m:
            self.table = int(m.group(1))
            self.tables[self.table] = []
        elif tag == "tbody" and self.table:
            self.in_body = True
        elif tag == "tr" and self.in_body:
            self.tables[self.table].append([])
        elif tag == "td" and self.in_body and "num" in (attrs.get("class") or "").split():
            self.cell = []
        elif tag == "del" and self.cell is not None:
            self.depth += 1

    def handle_endtag(self, tag):
        if tag == "table":
            self.table, self.in_body = None, False
        elif tag == "td" and self.cell is not None:
            self.tables[self.table][-1].append("".join(self.cell).strip())
            self.cell = None
        elif tag == "del" and self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.cell is not None and not self.depth:
            self.cell.append(data)


def assert_printed_cells_are_rounded_exact_cells(html: str, derived) -> None:
    parsed = _Cells()
    parsed.feed(html)
    for number, table in derived.tables.items():
        printed = parsed.tables[number]
        assert len(printed) == len(table.rows), number
        for row, cells in zip(table.rows, printed):
            assert cells == [wan(c) for c in row.cells], (number, row.name)
            for c, shown in zip(row.cells, cells):  # wan is to_wan, blank only for zero
                assert shown == ("" if not c else f"{to_wan(c):.2f}")


@pytest.mark.parametrize("source", EXAMPLES, ids=lambda p: p.stem)
def test_every_printed_figure_of_the_examples_is_its_own_exact_cell_rounded(source):
    budget, derived, found = check(str(source))
    assert budget is not None
    html = render_html(budget, derived)
    assert_printed_cells_are_rounded_exact_cells(html, derived)
    # and the seed's own witness: 表六 shows 16.73 + 2.12 under 18.86, not 18.85
    if source == SEED_YAML:
        row = derived.tables[6].row("对个人和家庭的补助")
        assert wan(row.cells[0]) == "18.86"
        parts = [wan(r.cells[0]) for r in derived.tables[6].rows if r.code in ("30302", "30307")]
        assert parts == ["16.73", "2.12"]


# ==== 4. no figure without a bound ==============================================================
# Every amount the budget states beside the ledger (the 基本支出 and 项目 lines every table adds
# up) is tied to something: a rule compares it with the ledger or with another stated figure.
# Found by a campaign: 三公 of 10^15 元 passed `check`, and 表十 printed it beside a 收入总计
# of 4,832.36 万元. Set to an absurd amount, each one must be reported.

PUTUO_YAML = SEED_YAML.parent / "putuo-wenlv.yaml"
LEDGER = {"by_function", "by_economic", "funding", "project_spending"}
STATED = re.compile(r"performance/funds/|three_public|prior_year/|procurement/|purchased_services/"
                    r"|office_operation$|public_part/|performance_coverage/amount|control_totals/")
ABSURD = "900000000000000"  # 9 × 10^14 元, under the amount format's 10^15


def stated_amounts(source: Path) -> list[tuple[str, int, int, str]]:
    """(path, line, column, text) of every amount stated beside the ledger."""
    doc = load_file(str(source))
    found = []
    for path, text in doc.texts():
        joined = "/".join(map(str, path))
        if STATED.search(joined) and not LEDGER & set(map(str, path)) \
                and re.fullmatch(r"[0-9]+(\.[0-9]{1,2})?", text):
            where = doc.where(*path)
            found.append((joined, where.line, where.column, str(text)))
    return found


STATED_CASES = [(source, *case) for source in (*EXAMPLES, PUTUO_YAML)
                for case in stated_amounts(source)]


def test_the_examples_state_figures_of_every_kind():
    paths = [path for _, path, *_ in STATED_CASES]
    for kind in ("three_public_costs", "prior_year", "procurement", "purchased_services", "funds",
                 "whole_department/office_operation", "performance_coverage", "control_totals"):
        assert any(kind in path for path in paths), kind


@pytest.mark.parametrize("source, path, line, column, text", STATED_CASES,
                         ids=[f"{s.stem}:{p}" for s, p, *_ in STATED_CASES])
def test_a_stated_amount_set_absurdly_high_is_reported(tmp_path, source, path, line, column, text):
    lines = source.read_text(encoding="utf-8").split("\n")
    at = lines[line - 1]
    assert at[column - 1:column - 1 + len(text)] == text, (at, column, text)
    lines[line - 1] = at[:column - 1] + ABSURD + at[column - 1 + len(text):]
    budget_path = write(tmp_path / "2026", "\n".join(lines), source.name)
    _, _, found = check(budget_path)
    at_value = [f for f in found if f.location.line == line or ABSURD[:3] in f.message.replace(",", "")]
    assert at_value, (path, [f.text() for f in found])
