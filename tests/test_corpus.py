"""Hostile and broken input: the corpus of bad budgets under tests/corpus/.

Each file of the corpus is a valid example with one defect (tests/corpus/make_corpus.py makes
them); tests/corpus/expected.yaml says which finding each must produce.  For every one:
`budget check` exits 1 with that finding at that line and never a traceback, `budget build`
writes nothing and leaves the previous output as it was, `budget diff` in both directions
reports it instead of raising, and no command changes the file.  Text that only looks
dangerous (`<script>`, entities, CSS, links) is no error: it is shown escaped, as text.
Files too large to commit (a 10 MB string, 200,000 keys, 100,000 nested brackets…) are made
here and must be refused quickly, with a located message, in bounded memory.
"""
from __future__ import annotations

import filecmp
import hashlib
import importlib.util
import re
import resource
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import markupsafe
import pytest
import yaml

from conftest import BUDGET_EXE, JIAOYU_YAML, ROOT, SEED_YAML
from generator import cli
from generator.build import build_one
from generator.check import check
from generator.diff import diff_budgets
from generator.diff_format import as_json, markdown, terminal
from generator.findings import ERROR
from generator.loader import MAX_DEPTH, MAX_FILE_BYTES, MAX_NODES, MAX_SCALAR_CHARS, MAX_TEXT_CHARS
from generator.render import render_html
from generator.rules import RULES
from generator.show import show

CORPUS = ROOT / "tests" / "corpus"
MANIFEST = yaml.safe_load((CORPUS / "expected.yaml").read_text(encoding="utf-8"))
CASES = MANIFEST["cases"]
HARMLESS = MANIFEST["harmless_text"]
HELPERS = [h["file"] for h in MANIFEST["helpers"]]
ERROR_CASES = [c for c in CASES if not c["strict"]]
GOOD = {"zezhou-xinfang.yaml": SEED_YAML, "zezhou-jiaoyu.yaml": JIAOYU_YAML}
ALL_FILES = [CORPUS / f for f in [c["file"] for c in CASES] + [h["file"] for h in HARMLESS]
             + HELPERS] + list(GOOD.values())


def fingerprints(paths) -> dict:
    return {str(p): (hashlib.sha256(Path(p).read_bytes()).hexdigest(), Path(p).stat().st_mtime_ns)
            for p in paths}


AT_START = fingerprints(ALL_FILES)  # compared after every command of this module has run


def ids(cases):
    return [c["file"] for c in cases]


def finding_line(case, path: str) -> re.Pattern:
    """`path:LINE:COL: severity rule message` of the case's expected finding."""
    return re.compile(rf"^{re.escape(path)}:{case['line']}:\d+: {case['severity']} "
                      rf"{re.escape(case['rule'])} (.+)$", re.M)


def assert_reports(case, path: str, output: str) -> None:
    match = finding_line(case, path).search(output)
    assert match, f"no {case['severity']} {case['rule']} at {path}:{case['line']} in:\n{output}"
    for word in case["words"]:
        assert word in match.group(1), (word, match.group(0))


# ---- the corpus itself ------------------------------------------------------------------------

def test_corpus_is_what_make_corpus_makes(tmp_path):
    """The committed files are exactly those the script writes: they can be regenerated."""
    spec = importlib.util.spec_from_file_location("make_corpus", CORPUS / "make_corpus.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_corpus"] = module  # for its dataclass
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules["make_corpus"]
    module.build(tmp_path)
    made = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file())
    committed = sorted(str(p.relative_to(CORPUS)) for p in CORPUS.rglob("*")
                       if p.is_file() and p.suffix == ".yaml")
    assert made == committed
    for name in made:
        assert filecmp.cmp(tmp_path / name, CORPUS / name, shallow=False), name


def test_corpus_covers_every_class_and_every_rule():
    assert len(CASES) >= 60
    for entry in CASES + HARMLESS:
        assert (CORPUS / entry["file"]).is_file(), entry["file"]
    classes = {c["class"] for c in CASES}
    assert {"file", "yaml-syntax", "shape", "duplicate-key", "yaml11", "amount", "key", "code",
            "rule", "limit"} <= classes
    rules = {c["rule"] for c in CASES}
    assert {r.id for r in RULES} <= rules, {r.id for r in RULES} - rules
    # every error rule is broken at least once by a case that is an error
    assert {r.id for r in RULES if r.severity == ERROR} <= {c["rule"] for c in ERROR_CASES}
    assert {"file-bom", "file-encoding", "file-empty", "file-invalid-char", "yaml-syntax",
            "yaml-multiple-documents", "yaml-merge-key", "yaml-tag", "yaml-not-mapping",
            "yaml-complex-key", "duplicate-key", "text-too-long", "text-invalid-char",
            "yaml-too-deep", "yaml-too-large", "schema-amount", "schema-type", "schema-value",
            "schema-unknown-key", "schema-missing-key", "schema-empty", "catalog-function",
            "catalog-level", "catalog-mapping", "catalog-economic-department",
            "catalog-economic-government", "duplicate-code"} <= rules


# ---- budget check -------------------------------------------------------------------------

@pytest.mark.parametrize("case", CASES, ids=ids(CASES))
def test_check_reports_the_expected_finding(case, capsys):
    path = str(CORPUS / case["file"])
    code = cli.main(["check", path, "--strict"])  # an exception would fail the test
    out, err = capsys.readouterr()
    assert code == 1, out + err
    assert_reports(case, path, out)
    assert all(line.startswith(f"{path}:") for line in out.splitlines()), out
    code = cli.main(["check", path])
    out, err = capsys.readouterr()
    assert code == (0 if case["strict"] else 1), out + err  # a warning fails only with --strict
    assert_reports(case, path, out)


def test_all_files_at_once_in_one_process():
    """One bad file does not stop the others, and nothing ends in a traceback."""
    paths = [str(CORPUS / c["file"]) for c in CASES]
    result = subprocess.run([str(BUDGET_EXE), "check", *paths], capture_output=True, text=True,
                            cwd=ROOT, timeout=300)
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    for case, path in zip(CASES, paths):
        assert_reports(case, path, result.stdout)
    strict = sum(c["strict"] for c in CASES)
    assert f"已检查 {len(paths)} 个文件：{strict} 个通过，{len(paths) - strict} 个未通过" in result.stderr


# ---- budget build: nothing written, the previous output untouched ----------------------------

@pytest.fixture(scope="module")
def good_output(tmp_path_factory):
    """out/2026/<name>.html of each example, built from a copy named like the example."""
    folder = tmp_path_factory.mktemp("good")
    out = folder / "out"
    for name, example in GOOD.items():
        copy = folder / "2026" / name
        copy.parent.mkdir(exist_ok=True)
        shutil.copyfile(example, copy)
        ok, message = build_one(str(copy), out, ["html"])
        assert ok, message
    return out


def snapshot(folder: Path) -> dict:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.mark.parametrize("case", ERROR_CASES, ids=ids(ERROR_CASES))
def test_build_of_a_bad_file_writes_nothing(case, good_output, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(good_output, out)
    before = snapshot(out)
    assert f"2026/{Path(case['source']).stem}.html" in before
    # the bad file under the good file's name, in the folder it has in the corpus
    bad = tmp_path / "budgets" / Path(case["file"]).parent.name / case["source"]
    bad.parent.mkdir(parents=True)
    shutil.copyfile(CORPUS / case["file"], bad)
    if case.get("prior"):
        prior = tmp_path / "budgets" / Path(case["prior"]).parent.name / case["source"]
        prior.parent.mkdir(parents=True)
        shutil.copyfile(CORPUS / case["prior"], prior)
    ok, message = build_one(str(bad), out, ["html", "pdf"])
    assert not ok
    assert case["rule"] in message and "未生成公开文件" in message
    assert snapshot(out) == before  # same files, same bytes: no new, partial or temporary file


# ---- budget diff: both directions report, never raise -----------------------------------------

@pytest.mark.parametrize("case", CASES, ids=ids(CASES))
def test_diff_with_a_good_version_reports_the_findings(case):
    good, bad = str(GOOD[case["source"]]), str(CORPUS / case["file"])
    forward, backward = diff_budgets(good, bad), diff_budgets(bad, good)
    introduced = forward.unreadable + forward.findings_introduced
    fixed = backward.unreadable + backward.findings_fixed
    assert any(f.rule == case["rule"] and f.location.line == case["line"] for f in introduced)
    assert any(f.rule == case["rule"] and f.location.line == case["line"] for f in fixed)
    for text in (terminal([forward, backward], False), markdown([forward, backward]),
                 as_json([forward, backward])):
        assert case["rule"] in text


def test_diff_command_in_both_directions(capsys):
    case = next(c for c in CASES if c["file"] == "file-gbk.yaml")
    good, bad = str(GOOD[case["source"]]), str(CORPUS / case["file"])
    for sides in ((good, bad), (bad, good)):
        assert cli.main(["diff", *sides, "--color", "never"]) == 0
        out, err = capsys.readouterr()
        assert "file-encoding" in out and "Traceback" not in out + err


# ---- budget show (git's textconv) reports them too ------------------------------------------------

def test_show_reports_the_findings_of_every_case():
    for case in CASES:
        assert case["rule"] in show(str(CORPUS / case["file"])), case["file"]


# ---- text that only looks dangerous is shown as text --------------------------------------------

# attributes whose value is a URL, a style or a script: text must never end up in one
ACTIVE_ATTRIBUTES = {"href", "src", "srcset", "action", "formaction", "style", "xlink:href",
                     "data", "poster", "background", "content-security-policy"}


class _Markup(HTMLParser):
    """Every tag, every attribute and the content of <style> elements, apart from the text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.attributes, self.styles, self.text = [], [], [], []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes += [(name, value or "") for name, value in attrs]
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        (self.styles if self._in_style else self.text).append(data)


@pytest.fixture(scope="module")
def control_markup():
    budget, derived, found = check(str(SEED_YAML))
    parser = _Markup()
    parser.feed(render_html(budget, derived))
    return parser


@pytest.mark.parametrize("case", HARMLESS, ids=ids(HARMLESS))
def test_harmless_text_passes_and_is_shown_escaped(case, control_markup, capsys):
    path = str(CORPUS / case["file"])
    assert cli.main(["check", "--strict", path]) == 0
    assert capsys.readouterr().out == ""  # not even a warning
    budget, derived, found = check(path)
    html = render_html(budget, derived)
    text = case["text"]
    assert str(markupsafe.escape(text)) in html  # shown, escaped
    if markupsafe.escape(text) != text:
        assert text not in html  # never as markup
    parser = _Markup()
    parser.feed(html)
    assert "".join(text.split()) in "".join("".join(parser.text).split())  # the reader sees it
    # it added no element, no kind of attribute and no style rule to the page; where it is in
    # an attribute (a <meta> description, an aria-label) that attribute is plain text
    assert set(parser.tags) == set(control_markup.tags)
    assert {n for n, _ in parser.attributes} == {n for n, _ in control_markup.attributes}
    for marker in ("evil.example", "etc/passwd", "alert(", "onerror", "display:none", "7*7"):
        assert not any(marker in value for name, value in parser.attributes
                       if name in ACTIVE_ATTRIBUTES or name.startswith("on")), marker
        assert not any(marker in style for style in parser.styles), marker


# ---- files too big to commit, made here ---------------------------------------------------------

def _memory_limit():
    limit = 512 * 1024 * 1024  # address space: the whole process, libraries included
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _key(i: int) -> str:
    """a 4-letter key: 200,000 of them fit under the file size limit."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    return "".join(letters[i // 26 ** n % 26] for n in range(4))


OTHER_NOTES = next(n for n, line in enumerate(SEED_YAML.read_text(encoding="utf-8").splitlines(), 1)
                   if line.startswith("other_notes:"))  # the line the edits below put text on

BIG = {
    # name: (content, rule, line of the finding: int, or None for "any")
    "string-10mb": (lambda t: t.replace('other_notes: ""', 'other_notes: "' + "长" * 3_500_000 + '"'),
                    "file-too-large", 1),
    "string-under-the-size-limit": (
        lambda t: t.replace('other_notes: ""', "other_notes: " + "长" * 600_000), "text-too-long",
        OTHER_NOTES),
    "file-3mb": (lambda t: t + ("# " + "填充" * 40 + "\n") * 13_000, "file-too-large", 1),
    "billion-laughs": (lambda t: 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
                       + "".join(f"{n}: &{n} [" + ",".join([f"*{p}"] * 9) + "]\n"
                                 for p, n in zip("abcdefgh", "bcdefghi")), "yaml-too-large", None),
    "nesting-10000": (lambda t: t.replace('other_notes: ""', "other_notes: " + "[" * 10_000
                                          + "]" * 10_000), "yaml-too-deep", OTHER_NOTES),
    "nesting-100000": (lambda t: t.replace('other_notes: ""', "other_notes: " + "[" * 100_000
                                           + "]" * 100_000), "yaml-too-deep", OTHER_NOTES),
    "nesting-100000-unclosed": (lambda t: "other_notes: " + "[" * 100_000 + "\n",
                                "yaml-too-deep", 1),
    "nesting-block-2000": (lambda t: "".join(" " * i + f"k{i}:\n" for i in range(2000)),
                           "yaml-too-deep", MAX_DEPTH + 2),
    "keys-200000": (lambda t: "".join(f"{_key(i)}: 0\n" for i in range(200_000)),
                    "yaml-too-large", None),
    "keys-200000-flow": (lambda t: "x: {" + ", ".join(f"{_key(i)}: 0" for i in range(200_000))
                         + "}\n", "yaml-too-large", 1),
}


@pytest.mark.parametrize("name", list(BIG))
def test_big_input_is_refused_with_a_located_message_in_bounded_memory(name, tmp_path):
    make, rule, line = BIG[name]
    path = tmp_path / f"{name}.yaml"
    path.write_text(make(SEED_YAML.read_text(encoding="utf-8")), encoding="utf-8")
    result = subprocess.run([str(BUDGET_EXE), "check", str(path)], capture_output=True, text=True,
                            cwd=ROOT, timeout=120, preexec_fn=_memory_limit)
    assert result.returncode == 1, result.stderr[-2000:]
    assert "Traceback" not in result.stdout + result.stderr and "MemoryError" not in result.stderr
    pattern = rf"^{re.escape(str(path))}:{line or r'[0-9]+'}:[0-9]+: error {rule} \S"
    assert re.search(pattern, result.stdout, re.M), result.stdout[:2000]
    assert len(result.stdout) < 10_000  # one finding, not the file echoed back


def test_the_limits_are_those_documented():
    docs = (ROOT / "docs" / "安全.md").read_text(encoding="utf-8")
    for value in (f"{MAX_FILE_BYTES:,}", str(MAX_DEPTH), f"{MAX_NODES:,}", f"{MAX_SCALAR_CHARS:,}",
                  f"{MAX_TEXT_CHARS:,}"):
        assert value in docs, value
    for test in re.findall(r"def (test_\w+)", Path(__file__).read_text(encoding="utf-8")):
        assert test in docs, f"docs/安全.md does not name {test}"
    assert sys.getrecursionlimit() > 10 * MAX_DEPTH  # the composer recurses once per level


# ---- last: no command changed a budget file ------------------------------------------------------

def test_no_command_modified_a_budget_file(tmp_path, capsys):
    """check, build, diff and show ran on every file above (build of the warning-only cases
    writes its output here); all of them left every file as it was, to the byte and mtime."""
    assert cli.main(["check", "--strict", *map(str, ALL_FILES)]) == 1
    for case in CASES:
        if case["strict"]:
            ok, message = build_one(str(CORPUS / case["file"]), tmp_path / "out", ["html"])
            assert ok, message
    capsys.readouterr()
    assert fingerprints(ALL_FILES) == AT_START
