"""Make the corpus of bad budgets in this folder, and its manifest expected.yaml.

Every file is one of the two valid examples (budgets/2026/zezhou-xinfang.yaml, the real
泽州县信访局 draft, or budgets/2026/zezhou-jiaoyu.yaml, the synthetic one) with ONE defect,
made by one text edit of the example: no budget is ever re-dumped, so every other line stays
as it was written.  The manifest says, for each file, the finding `budget check` must report:
rule id, line, and a few words of the message.  tests/test_corpus.py checks them all.

    .venv/bin/python tests/corpus/make_corpus.py            # rewrite this folder
    .venv/bin/python tests/corpus/make_corpus.py OUT_DIR    # write elsewhere (the test does,
                                                            # to prove the folder is current)

To add a case, add a Case below and run the script; `git diff tests/corpus` shows the result.
The expected line is found in the edited text (`at`: a text on that line), so the manifest
stays right when the examples change; the edit itself must still match exactly once.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
EXAMPLES = {"xinfang": ROOT / "budgets" / "2026" / "zezhou-xinfang.yaml",
            "jiaoyu": ROOT / "budgets" / "2026" / "zezhou-jiaoyu.yaml"}



def example_line(needle: str, source: str = "xinfang") -> int:
    """The line of the example on which `needle` first occurs (for words naming a line)."""
    lines = EXAMPLES[source].read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if needle in line)


@dataclass
class Case:
    file: str  # path under the corpus folder
    group: str  # the class of defect (docs/安全.md lists them)
    defect: str  # what was done to the example, in words
    rule: str  # the rule id of the expected finding
    at: str | None  # a text on the line of the finding (its first line, or the nth)
    words: list[str]  # words the message contains
    old: str | None = None  # the edit: `old` (must occur exactly once) becomes `new`
    new: str | None = None
    raw: Callable[[str], bytes] | None = None  # or: the bytes of the file, from the example
    source: str = "xinfang"
    nth: int = 1  # the finding is on the nth line containing `at`
    line: int | None = None  # or: the line itself
    severity: str = "error"  # "warning": `budget check` exits 1 only with --strict
    prior: str | None = None  # a file the case needs beside it (the prior-year file)

    @property
    def strict(self) -> bool:
        return self.severity == "warning"


def first_chinese_line(source: str = "xinfang") -> int:
    """The first line of the example that is not all ASCII (where a GBK file stops being UTF-8)."""
    lines = EXAMPLES[source].read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if not line.isascii())


def gbk_name(text: str) -> bytes:
    """The department's name pasted from a GBK document into the UTF-8 file."""
    head, tail = text.encode("utf-8").split("  name: 泽州县信访局\n".encode("utf-8"), 1)
    return head + b"  name: " + "泽州县信访局".encode("gbk") + b"\n" + tail


def header(text: str) -> str:
    """The example's header: its comment lines (the editor's schema line included) and the
    blank line after them, for files that are nothing else."""
    lines = text.splitlines(keepends=True)
    body = next(n for n, line in enumerate(lines) if line.strip() and not line.startswith("#"))
    return "".join(lines[:body])


def alias_bomb() -> str:
    """Nine levels of nine aliases: 9^9 = 387,420,489 values if anything expanded them."""
    items = ["&a0 [哈, 哈, 哈, 哈, 哈, 哈, 哈, 哈, 哈]"]
    items += [f"&a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 9)]
    return "other_notes: [" + ", ".join(items) + "]"


def alias_depth() -> str:
    """Each anchor nests the one before 30 levels deeper: 30 levels written, 1,200 composed."""
    items = ["&d0 " + "[" * 30 + "深" + "]" * 30]
    items += [f"&d{i} " + "[" * 30 + f"*d{i - 1}" + "]" * 30 for i in range(1, 40)]
    return "other_notes: [" + ", ".join(items) + "]"


HTML_SNIPPETS = {
    "script": "<script>alert('泽州')</script>",
    "entities": "&lt;b&gt;粗体&lt;/b&gt; &amp;amp; &#60;script&#62; &nbsp;",
    "css": "</style><style>body{display:none}</style><div style=\"background:url(file:///etc/passwd)\">",
    "file-url": "url(file:///etc/passwd) <img src='file:///etc/passwd' onerror=alert(1)>",
    "http-link": "详见 http://evil.example/phish 和 <a href=\"http://evil.example/x\">点击领取</a>",
    "template": "{{ 7*7 }} {% for x in range(9) %}x{% endfor %} ${7*7}",
}


def quoted(text: str) -> str:
    """`text` as a YAML double-quoted scalar."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


UNIT_STAFF = """\
    staff:
      authorized: 20          # 核定的人员编制数
      on_post:                # 在编在职人员，按类别
        行政人员: 6
        全额事业人员: 4
        参照全额事业人员: 9
      other: 0                # 编外等其他人员
"""


def _replace(text: str, old: str, new: str) -> str:
    if text.count(old) != 1:
        raise SystemExit(f"{old[:60]!r} occurs {text.count(old)} times in the example, not once")
    return text.replace(old, new)


def office_operation_stated(text: str) -> bytes:
    """机关运行经费 stated for the whole department 1 元 below the 348,620 元 of 公用经费 of the
    example's one 行政单位. The unit is renamed 泽州县信访局机关: the whole department's money is
    held under the department's name, which the check of unit names would take for a second
    unit of that name."""
    text = _replace(text, "  - name: 泽州县信访局\n    kind: 行政单位", "  - name: 泽州县信访局机关\n    kind: 行政单位")
    text = _replace(text, "\nprior_year:  ", "\nwhole_department:\n  office_operation: 348619\n\nprior_year:  ")
    return text.encode("utf-8")


SHANXI_VEHICLES = ("      领导用车: 0\n      机要通信用车: 0\n      应急保障用车: 0\n      执法执勤用车: 0\n"
                   "      特种专业技术用车: 0\n      事业单位业务用车: 0\n      其他公务用车: 0\n")
SHANGHAI_VEHICLES = ("      部级领导干部用车: 0\n      主要领导干部用车: 0\n      机要通信用车: 0\n"
                     "      应急保障用车: 0\n      执法执勤用车: 0\n      特种专业技术用车: 0\n"
                     "      离退休干部用车: 0\n      其他用车: 0\n")


def shanghai_with_unit_funds(text: str) -> bytes:
    """The example as a Shanghai budget (`standard: shanghai`, Shanghai's eight vehicle categories,
    国有资产 as of 8 月 31 日), whose 信访案件办理业务费 is partly 单位资金: Shanghai's tables
    show 事业收入, 其他收入 … and have no column for that total."""
    text = _replace(text, "status: draft ", "standard: shanghai\nstatus: draft ")
    text = _replace(text, SHANXI_VEHICLES, SHANGHAI_VEHICLES)
    text = _replace(text, 'as_of: "2025-12-31"', 'as_of: "2025-08-31"')
    text = _replace(text, "funding: {一般公共预算: 450000}", "funding: {一般公共预算: 400000, 单位资金: 50000}")
    return text.encode("utf-8")


CASES = [
    # ---- the file itself: encoding, emptiness, characters ------------------------------------
    Case("file-bom.yaml", "file", "文件开头加了 UTF-8 BOM（记事本“带 BOM 的 UTF-8”）",
         "file-bom", None, ["BOM"], line=1, raw=lambda t: b"\xef\xbb\xbf" + t.encode("utf-8")),
    Case("file-gbk.yaml", "file", "整个文件存成 GBK 编码", "file-encoding", None, ["UTF-8", "GBK"],
         line=first_chinese_line(), raw=lambda t: t.encode("gbk")),
    Case("file-gbk-fragment.yaml", "file", "部门名称是从 GBK 文档粘贴来的字节", "file-encoding",
         "  name: ", ["UTF-8"], raw=gbk_name),
    Case("file-empty.yaml", "file", "空文件（0 字节）", "file-empty", None, ["文件为空"], line=1,
         raw=lambda t: b""),
    Case("file-whitespace-only.yaml", "file", "只有空格、制表符和空行", "file-empty", None,
         ["文件为空"], line=1, raw=lambda t: b"\n   \n\t\n  \t  \n\n"),
    Case("file-comments-only.yaml", "file", "只剩开头的注释", "file-empty", None, ["文件为空"],
         line=1, raw=lambda t: header(t).encode("utf-8")),
    Case("file-utf16.yaml", "file", "整个文件存成 UTF-16（记事本的“Unicode”）", "file-encoding", None,
         ["UTF-16", "UTF-8"], line=1, raw=lambda t: t.encode("utf-16")),
    Case("file-not-budget-pdf.yaml", "file", "公开稿 PDF 存成了 .yaml", "file-not-budget", None,
         ["这不是预算文件", "PDF"], line=1,
         raw=lambda t: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"),
    Case("file-not-budget-png.yaml", "file", "截图（PNG 图片）存成了 .yaml", "file-not-budget", None,
         ["这不是预算文件", "PNG"], line=1,
         raw=lambda t: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x02\x80\x00\x00\x01\xe0\x08\x06"),
    Case("file-not-budget-binary.yaml", "file", "没有可识别文件头的二进制数据", "file-not-budget", None,
         ["这不是预算文件", "二进制"], line=1, raw=lambda t: bytes(range(256)) * 4),
    Case("file-nul-byte.yaml", "file", "地区名称中有一个 NUL 字节", "file-invalid-char",
         "  region: ", ["U+0000"], old="  region: 泽州县", new="  region: 泽州\x00县"),
    Case("file-terminal-escape.yaml", "file", "说明中有从终端复制来的颜色控制符 ESC[31m",
         "file-invalid-char", "  total: \x1b[31m", ["U+001B", "控制字符"],
         old="  total: 人员经费增加，", new="  total: \x1b[31m人员经费增加\x1b[0m，"),
    Case("file-line-separator.yaml", "file", "项目概况中有从网页复制来的 U+2028 行分隔符",
         "file-invalid-char", "  plan: 批复后该资金", ["U+2028", "换行"],
         old="plan: 批复后该资金由财政部门统一拨付。", new="plan: 批复后该资金\u2028由财政部门统一拨付。"),

    # ---- YAML syntax ---------------------------------------------------------------------------
    Case("syntax-unclosed-double-quote.yaml", "yaml-syntax", "部门代码的双引号没有闭合",
         "yaml-syntax", '  code: "020', ["引号没有闭合", "第 %d 行" % example_line('code: "020"')],
         old='  code: "020"', new='  code: "020'),
    Case("syntax-unclosed-single-quote.yaml", "yaml-syntax", "地区的单引号没有闭合", "yaml-syntax",
         "  region: '", ["引号没有闭合"], old="  region: 泽州县", new="  region: '泽州县"),
    Case("syntax-unclosed-bracket.yaml", "yaml-syntax", "内设机构列表缺少“]”", "yaml-syntax",
         "internal_divisions:", ["方括号", "没有闭合"],
         old="登记受理科, 信访接待科]", new="登记受理科, 信访接待科"),
    Case("syntax-unclosed-brace.yaml", "yaml-syntax", "项目资金来源缺少“}”", "yaml-syntax",
         "funding: {一般公共预算: 34512", ["花括号", "没有闭合"],
         old="funding: {一般公共预算: 34512}", new="funding: {一般公共预算: 34512"),
    Case("syntax-indent-too-deep.yaml", "yaml-syntax", "一个键多缩进了一格", "yaml-syntax",
         "   region: 泽州县", ["键: 值"], old="  region: 泽州县", new="   region: 泽州县"),
    Case("syntax-indent-too-shallow.yaml", "yaml-syntax", "一个键少缩进了一格", "yaml-syntax",
         "   kind: 行政单位", ["缩进不一致"], old="    kind: 行政单位", new="   kind: 行政单位"),
    Case("syntax-list-item-misaligned.yaml", "yaml-syntax", "单位列表项多缩进了一格", "yaml-syntax",
         "    kind: 行政单位", ["缩进不一致"],
         old="  - name: 泽州县信访局\n    kind", new="   - name: 泽州县信访局\n    kind"),
    Case("syntax-key-without-colon.yaml", "yaml-syntax", "键后面漏了冒号", "yaml-syntax",
         "  region 泽州县", ["缺少冒号"], old="  region: 泽州县", new="  region 泽州县"),
    Case("syntax-stray-colon.yaml", "yaml-syntax", "不加引号的文字中有“: ”", "yaml-syntax",
         "plan: 批复后: ", ["键: 值", "引号"],
         old="plan: 批复后该资金由财政部门统一拨付。", new="plan: 批复后: 该资金由财政部门统一拨付。"),
    Case("syntax-tab-indent.yaml", "yaml-syntax", "用制表符缩进", "yaml-syntax", "\tkind:",
         ["制表符"], old="    kind: 行政单位", new="\tkind: 行政单位"),
    Case("syntax-second-document.yaml", "yaml-syntax", "文件末尾多了“---”和第二个文档",
         "yaml-multiple-documents", "---", ["一个文件只能有一个文档"],
         old="        机关人员满意度: ≥90%\n", new="        机关人员满意度: ≥90%\n---\nyear: 2027\n"),
    Case("syntax-document-end-marker.yaml", "yaml-syntax", "文件中间有一行文档结束符“...”",
         "yaml-multiple-documents", "...", ["一个文件只能有一个文档", "..."],
         old="\nprior_year:  ", new="\n...\nprior_year:  "),
    Case("syntax-undefined-alias.yaml", "yaml-syntax", "别名拼错，引用了不存在的锚点", "yaml-syntax",
         "*goal-teshuu", ["*goal-teshuu"], old="annual: *goal-teshu\n", new="annual: *goal-teshuu\n"),
    Case("syntax-merge-key.yaml", "yaml-syntax", "用合并键“<<”引用绩效指标", "yaml-merge-key",
         "<<: *ind-yishu", ["<<"], old="            annual: *ind-yishu\n",
         new="            annual:\n              <<: *ind-yishu\n"),
    Case("syntax-bad-escape.yaml", "yaml-syntax", "双引号内有无效的转义“\\1”", "yaml-syntax",
         'filed_at: "2025\\1', ["转义"], old='{filed_at: "20251020121705"}',
         new='{filed_at: "2025\\1020121705"}'),
    Case("syntax-reserved-character.yaml", "yaml-syntax", "不加引号的文字以“@”开头", "yaml-syntax",
         "plan: @", ["加引号"], old="plan: 批复后该资金由财政部门统一拨付。",
         new="plan: @财政部门 批复后统一拨付。"),
    Case("syntax-text-after-quote.yaml", "yaml-syntax", "引号只括住了文字的开头", "yaml-syntax",
         'plan: "批复后"', ["引号后面还有文字"], old="plan: 批复后该资金由财政部门统一拨付。",
         new='plan: "批复后"该资金由财政部门统一拨付。'),
    Case("syntax-complex-key.yaml", "yaml-syntax", "用“? ”写了一个列表作键", "yaml-complex-key",
         "  ? [综合科]", ["键必须是简单的文字"], old="  region: 泽州县\n",
         new="  region: 泽州县\n  ? [综合科]\n  : 1\n"),
    Case("syntax-python-tag.yaml", "yaml-syntax", "YAML 标签 !!python/object/apply（PyYAML 会执行它）",
         "yaml-tag", "other_notes: !!python", ["!!python/object/apply:os.system", "标签"],
         old='other_notes: ""', new='other_notes: !!python/object/apply:os.system ["echo pwned"]'),
    Case("syntax-escaped-control-char.yaml", "yaml-syntax", "双引号内用“\\e”转义写进了控制字符",
         "text-invalid-char", "other_notes: ", ["U+001B"], old='other_notes: ""',
         new='other_notes: "\\e[2J无"'),
    Case("warn-text-cut-by-comment.yaml", "yaml-syntax", "项目实施计划中有“ #”：井号后的文字被当成注释丢掉",
         "text-cut-by-comment", "plan: 批复后该资金", ["#2号文件规定", "加双引号", "两格"],
         old="plan: 批复后该资金由财政部门统一拨付。", new="plan: 批复后该资金由财政部门统一拨付 #2号文件规定",
         severity="warning"),
    Case("syntax-bad-alias-name.yaml", "yaml-syntax", "“*”后面多了空格", "yaml-syntax",
         "annual: * goal-yishu", ["锚点或别名"], old="annual: *goal-yishu\n",
         new="annual: * goal-yishu\n"),

    # ---- shape: a list where a mapping belongs and the other way round --------------------------
    Case("shape-list-for-mapping.yaml", "shape", "人员（staff）写成了列表", "schema-type",
         "    staff: [", ["staff", "映射"],
         old="    staff:\n      authorized: 20          # 核定的人员编制数\n"
             "      on_post:                # 在编在职人员，按类别\n        行政人员: 6\n"
             "        全额事业人员: 4\n        参照全额事业人员: 9\n      other: 0                # 编外等其他人员\n",
         new="    staff: [20, 6, 4, 9, 0]\n"),
    Case("shape-mapping-for-list.yaml", "shape", "内设机构写成了映射", "schema-type",
         "internal_divisions:", ["internal_divisions", "列表"],
         old="internal_divisions: [综合科, 督查督办一科, 督查督办二科, 登记受理科, 信访接待科]",
         new="internal_divisions: {综合科: 1, 督查督办一科: 2}"),
    Case("shape-text-for-list.yaml", "shape", "战略目标写成了一段文字", "schema-type",
         "strategic_goals:", ["strategic_goals", "列表"],
         old="strategic_goals: [矛盾排解及信访工作协调, 信访疑难专项, 保障信访工作正常运转]",
         new="strategic_goals: 矛盾排解及信访工作协调"),
    Case("shape-number-for-mapping.yaml", "shape", "项目资金来源只写了一个数", "schema-type",
         "funding: 84000", ["funding", "映射"],
         old="funding: {一般公共预算: 84000}", new="funding: 84000"),
    Case("shape-top-level-list.yaml", "shape", "文件内容是一个列表（误存了文件清单）",
         "yaml-not-mapping", None, ["映射"], line=1,
         raw=lambda t: (header(t) + "- zezhou-xinfang.yaml\n- zezhou-jiaoyu.yaml\n").encode()),
    Case("shape-top-level-text.yaml", "shape", "文件内容只是一行文字", "yaml-not-mapping", None,
         ["映射"], line=1, raw=lambda t: (header(t) + "泽州县信访局2026年部门预算\n").encode()),

    # ---- a duplicate key at every level -------------------------------------------------------
    Case("dup-top-level.yaml", "duplicate-key", "顶层 status 写了两次", "duplicate-key",
         "status: final", ["status", f"第 {example_line('status: draft')} 行"], old="status: draft ",
         new="status: draft\nstatus: final "),
    Case("dup-department.yaml", "duplicate-key", "department 下 name 写了两次", "duplicate-key",
         "  name: 泽州县信访办", ["name"], old="  name: 泽州县信访局\n  region",
         new="  name: 泽州县信访局\n  name: 泽州县信访办\n  region"),
    Case("dup-unit.yaml", "duplicate-key", "单位下 kind 写了两次", "duplicate-key",
         "    kind: 事业单位", ["kind"], old="    kind: 行政单位\n",
         new="    kind: 行政单位\n    kind: 事业单位\n"),
    Case("dup-basic-source.yaml", "duplicate-key", "基本支出的资金来源“一般公共预算”写了两次",
         "duplicate-key", "      一般公共预算:", ["一般公共预算"], nth=2,
         old='          "30107 绩效工资": "50501 工资福利支出"\n',
         new='          "30107 绩效工资": "50501 工资福利支出"\n      一般公共预算:\n'
             "        by_function: {}\n        by_economic: {}\n"),
    Case("dup-by-function.yaml", "duplicate-key", "by_function 中同一科目写了两行", "duplicate-key",
         '"2101101 行政单位医疗"', ["2101101 行政单位医疗"], nth=2,
         old='          "2101101 行政单位医疗": 32060\n',
         new='          "2101101 行政单位医疗": 32060\n          "2101101 行政单位医疗": 32060\n'),
    Case("dup-project.yaml", "duplicate-key", "项目下 category 写了两次", "duplicate-key",
         "        category: 特定目标类", ["category"], nth=2,
         old="        category: 其他运转类\n        funding: {一般公共预算: 34512}",
         new="        category: 其他运转类\n        category: 特定目标类\n        funding: {一般公共预算: 34512}"),
    Case("dup-performance.yaml", "duplicate-key", "绩效目标表中 plan 写了两次", "duplicate-key",
         "          plan: 按年发放。", ["plan"],
         old="          plan: 遗属补助按月发放,取暖费按年发放。\n",
         new="          plan: 遗属补助按月发放,取暖费按年发放。\n          plan: 按年发放。\n"),
    Case("dup-indicators.yaml", "duplicate-key", "同一行花括号内一个绩效指标写了两次", "duplicate-key",
         "{遗属补助发放人数: 3人, 遗属补助发放人数", ["遗属补助发放人数"],
         old="{遗属补助发放人数: 3人, 取暖费发放人数: 3人}", new="{遗属补助发放人数: 3人, 遗属补助发放人数: 4人}"),
    Case("dup-department-indicators.yaml", "duplicate-key", "部门整体绩效指标写了两次",
         "duplicate-key", "        信访人满意度:", ["信访人满意度"], nth=2,
         old="        信访人满意度: ≥85%\n", new="        信访人满意度: ≥85%\n        信访人满意度: ≥90%\n"),
    Case("dup-funding.yaml", "duplicate-key", "项目资金来源写了两次", "duplicate-key",
         "funding: {一般公共预算: 84000, 一般公共预算", ["一般公共预算"],
         old="funding: {一般公共预算: 84000}", new="funding: {一般公共预算: 84000, 一般公共预算: 8400}"),
    Case("dup-vehicles.yaml", "duplicate-key", "车辆类别写了两次", "duplicate-key",
         "      领导用车: 1", ["领导用车"], old="      领导用车: 0\n",
         new="      领导用车: 0\n      领导用车: 1\n"),

    # ---- what YAML 1.1 would read differently --------------------------------------------------
    Case("yaml11-status-no.yaml", "yaml11", "status: no（YAML 1.1 读成 false）", "schema-value",
         "status: no", ["“no”", "draft"], old="status: draft ", new="status: no "),
    Case("yaml11-octal-amount.yaml", "yaml11", "金额写成 010000（YAML 1.1 读成八进制 4096）",
         "schema-amount", '"30202 印刷费"', ["010000", "0 开头"],
         old='"30202 印刷费": 10000', new='"30202 印刷费": 010000'),
    Case("yaml11-sexagesimal-amount.yaml", "yaml11", "金额写成 1:30（YAML 1.1 读成六十进制 90）",
         "schema-amount", '"30207 邮电费"', ["1:30"], old='"30207 邮电费": 2000', new='"30207 邮电费": 1:30'),
    Case("yaml11-inf.yaml", "yaml11", "金额写成 .inf（无穷大）", "schema-amount", '"30202 印刷费"',
         [".inf"], old='"30202 印刷费": 10000', new='"30202 印刷费": .inf'),
    Case("yaml11-nan.yaml", "yaml11", "金额写成 .nan", "schema-amount", '"30202 印刷费"', [".nan"],
         old='"30202 印刷费": 10000', new='"30202 印刷费": .nan'),
    Case("yaml11-hex.yaml", "yaml11", "金额写成 0x10（十六进制）", "schema-amount", '"30202 印刷费"',
         ["0x10"], old='"30202 印刷费": 10000', new='"30202 印刷费": 0x10'),
    Case("yaml11-underscore.yaml", "yaml11", "金额写成 1_000（YAML 1.1 读成 1000）", "schema-amount",
         '"30207 邮电费"', ["1_000"], old='"30207 邮电费": 2000', new='"30207 邮电费": 1_000'),
    Case("yaml11-exponent.yaml", "yaml11", "金额写成 1e5（浮点数）", "schema-amount", "  total: 1e5",
         ["1e5"], old="  total: 65200", new="  total: 1e5"),

    # ---- amounts -------------------------------------------------------------------------------
    Case("amount-negative.yaml", "amount", "金额为负数", "schema-amount", '"30202 印刷费"', ["负数"],
         old='"30202 印刷费": 10000', new='"30202 印刷费": -10000'),
    Case("amount-huge.yaml", "amount", "金额 10^15 元（多敲了一串 0）", "schema-amount",
         "funding: {一般公共预算: 1000000000000000", ["10^15"],
         old="funding: {一般公共预算: 450000}", new="funding: {一般公共预算: 1000000000000000}"),
    Case("amount-over-precise.yaml", "amount", "金额精确到厘（0.001 元）", "schema-amount",
         '"30202 印刷费"', ["两位小数"], old='"30202 印刷费": 10000', new='"30202 印刷费": 10000.001'),
    Case("amount-non-numeric.yaml", "amount", "金额写成汉字", "schema-amount", '"30202 印刷费"',
         ["一万", "不是以元为单位的数字"], old='"30202 印刷费": 10000', new='"30202 印刷费": 一万'),
    Case("amount-quoted-decimal.yaml", "amount", "金额加了引号（\"123.45\"）", "schema-amount",
         '"30207 邮电费"', ["不要加引号"], old='"30207 邮电费": 2000', new='"30207 邮电费": "123.45"'),
    Case("amount-thousands-separator.yaml", "amount", "金额用了千分位逗号（在流式映射外）",
         "schema-amount", '"30201 办公费"', ["千分位"], old='"30201 办公费": 117000',
         new='"30201 办公费": 117,000'),
    Case("amount-wan.yaml", "amount", "金额写成万元", "schema-amount", '"30201 办公费"',
         ["11.7万元"], old='"30201 办公费": 117000', new='"30201 办公费": 11.7万元'),
    Case("amount-empty.yaml", "amount", "金额空着", "schema-amount", '"30201 办公费"', ["不能为空"],
         old='"30201 办公费": 117000', new='"30201 办公费":'),
    Case("amount-list.yaml", "amount", "金额写成列表", "schema-amount", '"30201 办公费"',
         ["必须是一个数字"], old='"30201 办公费": 117000', new='"30201 办公费": [100000, 17000]'),

    # ---- keys: unknown, misspelt, missing; values not allowed ---------------------------------
    Case("key-unknown.yaml", "key", "顶层多了一个不存在的键", "schema-unknown-key", "remarks:",
         ["remarks", "可用的键", "other_notes"], old='other_notes: ""', new='other_notes: ""\nremarks: 无'),
    Case("key-misspelt-department.yaml", "key", "region 拼成 regoin", "schema-unknown-key",
         "regoin", ["regoin", "region"], old="  region: 泽州县", new="  regoin: 泽州县"),
    Case("key-misspelt-project.yaml", "key", "项目的 category 拼成 catgory", "schema-unknown-key",
         "catgory", ["catgory", "category"],
         old="        category: 其他运转类\n        funding: {一般公共预算: 34512}",
         new="        catgory: 其他运转类\n        funding: {一般公共预算: 34512}"),
    Case("key-misspelt-indicator-level.yaml", "key", "二级指标“可持续影响”写成“可持续发展影响”",
         "schema-unknown-key", "可持续发展影响", ["可持续影响"],
         old="      可持续影响:\n        人才队伍建设", new="      可持续发展影响:\n        人才队伍建设"),
    Case("key-missing-department.yaml", "key", "删去了 department 的 region", "schema-missing-key",
         "  code: ", ["region"], old="  region: 泽州县\n", new=""),
    Case("key-missing-performance.yaml", "key", "删去了项目绩效目标表的 plan", "schema-missing-key",
         "attribute: 一次性项目(1年结束)", ["plan"],
         old="          plan: 批复后该资金由财政部门统一拨付。\n", new=""),
    Case("key-missing-top-level.yaml", "key", "删去了整个 procurement", "schema-missing-key",
         "year: 2026", ["procurement"],
         old="procurement:                  # 政府采购预算（元）\n  total: 65200\n  goods: 65200\n"
             "  works: 0\n  services: 0\n", new=""),
    Case("key-funding-source-not-allowed.yaml", "key", "资金来源写成“一般公共预算资金”", "schema-value",
         "funding: {一般公共预算资金", ["一般公共预算资金", "允许"],
         old="funding: {一般公共预算: 84000}", new="funding: {一般公共预算资金: 84000}"),
    Case("key-value-full-width.yaml", "key", "项目属性用了全角括号", "schema-value",
         "attribute: 经常性项目（长期开展）", ["经常性项目(长期开展)"],
         old="          attribute: 经常性项目(长期开展)\n          period_years: 99\n          funds:\n"
             "            implementation: {central: 0, provincial: 0, local: 34512",
         new="          attribute: 经常性项目（长期开展）\n          period_years: 99\n          funds:\n"
             "            implementation: {central: 0, provincial: 0, local: 34512"),
    Case("key-empty-name.yaml", "key", "部门名称为空", "schema-empty", '  name: ""', ["name", "不能为空"],
         old="  name: 泽州县信访局\n  region", new='  name: ""\n  region'),
    Case("key-impossible-date.yaml", "key", "资产截止日是不存在的 2 月 30 日", "schema-type",
         "as_of:", ["as_of", "真实的日期"], old='as_of: "2025-12-31"', new='as_of: "2025-02-30"'),
    Case("key-negative-count.yaml", "key", "编制数为负数", "schema-type", "authorized: -20",
         ["authorized", "整数"], old="authorized: 20 ", new="authorized: -20 "),
    Case("key-quoted-year.yaml", "key", "year 加了引号", "schema-type", 'year: "2026"', ["year", "整数"],
         old="year: 2026\n", new='year: "2026"\n'),
    Case("key-glossary-remove.yaml", "key", "名词解释 remove 写成“是”（只能写 true）", "glossary-entry",
         "- {term: 单位资金", ["remove", "“是”"], old='other_notes: ""',
         new='glossary:\n  - {term: 单位资金, remove: 是}\nother_notes: ""'),
    Case("key-standard-unknown.yaml", "key", "standard 写了没有的公开标准 beijing", "standard-unknown",
         "standard: beijing", ["“beijing”", "shanxi"], old="status: draft ",
         new="standard: beijing\nstatus: draft "),
    Case("key-standard-requires.yaml", "key", "删去了单位的编制和人员（山西标准要印）", "standard-requires",
         "  - name: 泽州县信访局", ["units.0.staff", "编制"], old=UNIT_STAFF, new=""),
    Case("key-vehicle-category.yaml", "key", "山西预算的车辆类别写成上海的“其他用车”", "vehicle-category",
         "      其他用车: 0", ["“其他用车”", "山西"], old="      其他公务用车: 0\n", new="      其他用车: 0\n"),
    Case("key-standard-source.yaml", "key", "上海格式的预算把项目资金写成单位资金（上海的表没有这一栏）",
         "standard-source", "单位资金: 50000", ["“单位资金”", "事业收入"], raw=shanghai_with_unit_funds),

    # ---- classification codes -------------------------------------------------------------------
    Case("code-function-unknown.yaml", "code", "功能科目编码不存在", "catalog-function",
         '"2101198 ', ["2101198", "不在"], old='"2101199 其他行政事业单位医疗支出": 3940',
         new='"2101198 其他行政事业单位医疗支出": 3940'),
    Case("code-function-class-level.yaml", "code", "by_function 填了类级科目（应为项）", "catalog-level",
         '"201 一般公共服务支出"', ["类级", "项级"], old='"2014101 行政运行": 77500',
         new='"201 一般公共服务支出": 77500'),
    Case("code-function-section-level.yaml", "code", "by_function 填了款级科目（应为项）",
         "catalog-level", '"20140 信访事务"', ["款级", "项级"], old='"2014001 行政运行": 2140340',
         new='"20140 信访事务": 2140340'),
    Case("code-economic-class-level.yaml", "code", "by_economic 填了类级科目（应为款）", "catalog-level",
         '"302 商品和服务支出"', ["类级", "款级"], old='"30201 办公费": 117000',
         new='"302 商品和服务支出": 117000'),
    Case("code-function-wrong-parent.yaml", "code", "项目的功能科目放到了另一个款下（20141 数据事务下的 2014104）",
         "catalog-function", 'function: "2014104', ["2014104", "2014004"],
         old='        function: "2014004 信访业务"\n        category: 其他运转类\n        funding: {一般公共预算: 84000}',
         new='        function: "2014104 信访业务"\n        category: 其他运转类\n        funding: {一般公共预算: 84000}'),
    Case("code-function-other-section-name.yaml", "code", "2014101（数据事务 行政运行）配了信访事务款下的名称",
         "catalog-function", '"2014101 信访业务"', ["行政运行", "2014004"],
         old='"2014101 行政运行": 77500', new='"2014101 信访业务": 77500'),
    Case("code-function-name.yaml", "code", "功能科目名称与编码不符", "catalog-function",
         '"2014001 行政运行费"', ["行政运行费", "“行政运行”"], old='"2014001 行政运行": 2140340',
         new='"2014001 行政运行费": 2140340'),
    Case("code-economic-name.yaml", "code", "经济科目名称与编码不符", "catalog-economic-department",
         '"30201 办公经费"', ["办公经费", "“办公费”"], old='"30201 办公费": 117000',
         new='"30201 办公经费": 117000'),
    Case("code-government-name.yaml", "code", "政府经济科目名称与编码不符", "catalog-economic-government",
         '"30107 绩效工资": "50501 工资福利"', ["工资福利支出"],
         old='"30107 绩效工资": "50501 工资福利支出"', new='"30107 绩效工资": "50501 工资福利"'),
    Case("code-mapping.yaml", "code", "部门经济科目对应了对照表不允许的政府经济科目", "catalog-mapping",
         '"30107 绩效工资": "50201', ["50201", "对照表允许"],
         old='"30107 绩效工资": "50501 工资福利支出"', new='"30107 绩效工资": "50201 办公经费"'),
    Case("code-mapping-absent-entry.yaml", "code", "government_economic 改了 by_economic 中没有的科目",
         "catalog-mapping", "government_economic:", ["30199", "by_economic 中没有"],
         old='"30107 绩效工资": "50501 工资福利支出"', new='"30199 其他工资福利支出": "50501 工资福利支出"'),
    Case("code-without-name.yaml", "code", "只写了编码没写名称", "catalog-function", '"2014001":',
         ["科目编码 科目名称"], old='"2014001 行政运行": 2140340', new='"2014001": 2140340'),
    Case("code-duplicate.yaml", "code", "同一经济科目写了两行（名称中多一个空格）", "duplicate-code",
         '"30201  办公费"', ["30201", "重复"], old='          "30201 办公费": 117000\n',
         new='          "30201 办公费": 117000\n          "30201  办公费": 0\n'),
    Case("code-public-part.yaml", "code", "退休费列为公用经费的部分比退休费本身多 0.01 元", "public-part",
         "public_part:", ["167,310.01 元", "167,310.00 元"],
         old="        government_economic:    # 与默认对照不同的政府经济分类\n",
         new='        public_part: {"30302 退休费": 167310.01}\n'
             "        government_economic:    # 与默认对照不同的政府经济分类\n"),

    # ---- the arithmetic and consistency rules of generator/rules.py ----------------------------
    Case("rule-basic-function-economic.yaml", "rule", "基本工资多录 100 元：按经济分类合计 ≠ 按功能分类合计",
         "basic-function-economic", "        by_economic:", ["相差 100.00 元"],
         old='"30101 基本工资": 919190', new='"30101 基本工资": 919290'),
    Case("rule-project-performance-funds.yaml", "rule", "绩效目标表年度资金少写 12 元",
         "project-performance-funds", "annual: {central: 0, provincial: 0, local: 34500",
         ["遗属补助", "相差 12.00 元"], old="annual: {central: 0, provincial: 0, local: 34512",
         new="annual: {central: 0, provincial: 0, local: 34500"),
    Case("rule-project-period-funds.yaml", "rule", "一次性项目的实施期资金小于年度资金",
         "project-period-funds", "implementation: {central: 0, provincial: 0, local: 80000",
         ["80,000.00 元", "90,000.00 元"], old="implementation: {central: 0, provincial: 0, local: 90000",
         new="implementation: {central: 0, provincial: 0, local: 80000"),
    Case("rule-project-duplicate.yaml", "rule", "两个项目同名", "project-duplicate",
         "      - name: 遗属补助", ["遗属补助", "重复"], nth=2,
         old="      - name: 农校遗留问题经费", new="      - name: 遗属补助"),
    Case("rule-project-unit.yaml", "rule", "实施单位不是本部门的单位", "project-unit",
         "implementing_unit: 泽州县教育厅", ["泽州县教育厅"], source="jiaoyu",
         old="          implementing_unit: 泽州县教育局", new="          implementing_unit: 泽州县教育厅"),
    Case("rule-unit-duplicate.yaml", "rule", "两个单位同名", "unit-duplicate", "  - name: 泽州县教育局",
         ["泽州县教育局", "重复"], nth=2, source="jiaoyu",
         old="  - name: 泽州县实验中学", new="  - name: 泽州县教育局"),
    Case("rule-staff-authorized.yaml", "rule", "在编在职 19 人超过编制（改为 18）", "staff-authorized",
         "行政人员: 6", ["19", "18"], old="authorized: 20 ", new="authorized: 18 "),
    Case("rule-vehicles-authorized.yaml", "rule", "没有车辆编制却有 1 辆领导用车", "vehicles-authorized",
         "领导用车: 1", ["1 辆", "0 辆"], old="      领导用车: 0", new="      领导用车: 1"),
    Case("rule-procurement-total.yaml", "rule", "采购货物与总额不符", "procurement-total", "  total: 65200",
         ["相差 5,200.00 元"], old="  goods: 65200", new="  goods: 60000"),
    Case("rule-control-total.yaml", "rule", "一般公共预算控制数与汇总数不符", "control-total",
         "  一般公共预算: 4366.52万元", ["4366.52万元"], source="jiaoyu",
         old="  一般公共预算: 4366.51万元", new="  一般公共预算: 4366.52万元"),
    Case("rule-change-reason.yaml", "rule", "机关运行经费有增减，删去了原因说明", "change-reason",
         "change_reasons:", ["机关运行经费", "change_reasons.office_operation"],
         old="  office_operation: 人员增加3人,公用经费增加。\n", new=""),
    Case("rule-three-public-prior.yaml", "rule", "有“三公”经费却删去了上年“三公”经费", "three-public-prior",
         "prior_year:", ["prior_year.three_public"], source="jiaoyu",
         old="  three_public:\n    outbound_travel: 40000\n    reception: 56000\n    vehicle_purchase: 0\n"
             "    vehicle_operation: 110000\n", new=""),
    Case("2026/rule-prior-year-file.yaml", "rule",
         "上年数与上年预算文件（2025/rule-prior-year-file.yaml）算出的数不符", "prior-year-file",
         "  total: 4715800", ["上年收支总计", "2025"], old="year: 2026\n", new="year: 2026\n",
         prior="2025/rule-prior-year-file.yaml"),
    Case("2025/rule-year-folder.yaml", "rule", "2026 年的预算放在了 2025 文件夹中", "year-folder",
         "year: 2026", ["2025 文件夹", "互相覆盖"], old="year: 2026\n", new="year: 2026\n"),
    Case("warn-assets-date.yaml", "rule", "资产截止日不是上年 12 月 31 日", "assets-date", "as_of:",
         ["2025-06-30", "2025-12-31"], old='as_of: "2025-12-31"', new='as_of: "2025-06-30"',
         severity="warning"),
    Case("warn-placeholder-draft.yaml", "rule", "草稿中有占位文字“待填写”", "placeholder-text",
         "plan: 待填写", ["待填写"], old="plan: 批复后该资金由财政部门统一拨付。", new="plan: 待填写",
         severity="warning"),
    Case("rule-placeholder-final.yaml", "rule", "正式稿（status: final）中地区仍是占位文字“待填写”",
         "placeholder-text", "region: 待填写", ["待填写"],
         old="status: draft                 # draft：每页印“仅供内部审核”；final：正式公开\n\n"
             "department:\n  code: \"020\"\n  name: 泽州县信访局\n  region: 泽州县\n",
         new="status: final                 # draft：每页印“仅供内部审核”；final：正式公开\n\n"
             "department:\n  code: \"020\"\n  name: 泽州县信访局\n  region: 待填写\n"),
    Case("warn-final-sign-off.yaml", "rule", "正式稿的绩效目标表没有填负责人、经办人、电话",
         "final-sign-off", "attribute: 一次性项目(1年结束)", ["负责人"],
         old="status: draft ", new="status: final ", severity="warning"),
    Case("rule-indicator-reference.yaml", "rule", "项目绩效指标引用了部门表的合计数“基本支出”",
         "indicator-reference", "{资金总额: {≤: 基本支出}}", ["基本支出", "年度资金总额"],
         old="{资金总额: {≤: 年度资金总额}}", new="{资金总额: {≤: 基本支出}}"),
    Case("warn-indicator-copies-total.yaml", "rule", "把基本支出的数字 320.11万元 照抄进绩效指标",
         "indicator-copies-total", "基本支出成本:", ["320.11万元", "{≤: 基本支出}"],
         old="基本支出成本: {≤: 基本支出}", new="基本支出成本: ≤320.11万元", severity="warning"),

    Case("rule-fund-function-code.yaml", "rule", "遗属补助改成政府性基金预算资金，科目仍是一般公共预算科目",
         "fund-function-code", 'function: "2010399', ["政府性基金预算资金", "2010399"],
         old="funding: {一般公共预算: 34512}", new="funding: {政府性基金预算: 34512}"),
    Case("rule-procurement-set-aside.yaml", "rule", "面向中小企业预留的采购额比采购总额多 1 元",
         "procurement-set-aside", "sme_reserved: 65201", ["65,201.00 元", "65,200.00 元"],
         old="  services: 0\n", new="  services: 0\n  sme_reserved: 65201\n"),
    Case("rule-office-operation-stated.yaml", "rule",
         "为整个部门填写的机关运行经费比单位的公用经费少 1 元", "office-operation-stated",
         "office_operation: 348619", ["348,619.00 元", "348,620.00 元"], raw=office_operation_stated),
    Case("rule-performance-coverage.yaml", "rule", "绩效目标覆盖写成 5 个项目（有绩效目标表的是 6 个）",
         "performance-coverage", "performance_coverage:", ["5 个项目", "6 个"], old='other_notes: ""',
         new='performance_coverage: {projects: 5, amount: 2228512}\nother_notes: ""'),
    Case("rule-prior-by-source.yaml", "rule", "按来源填的上年一般公共预算比 general_budget 多 1 元",
         "prior-by-source", "by_source:", ["4,710,753.00 元", "4,710,752.00 元"],
         old="  office_operation: 208106    # 机关运行经费（财政拨款）\n",
         new="  office_operation: 208106    # 机关运行经费（财政拨款）\n"
             "  by_source: {一般公共预算: 4710753}\n"),
    Case("warn-purpose-code.yaml", "rule", "用途说明写了本预算没有支出的科目 2014002", "purpose-code",
         '"2014002 一般行政管理事务"', ["2014002", "没有这一科目的支出"], severity="warning",
         old='other_notes: ""', new='purposes:\n  "2014002 一般行政管理事务": 日常行政管理\nother_notes: ""'),
    Case("warn-catalog-year.yaml", "rule", "2027 年的预算用 2026 年的科目目录检查", "catalog-year",
         "year: 2027", ["2027 年", "2026 年"], severity="warning",
         raw=lambda t: t.replace("year: 2026\n", "year: 2027\n", 1)
         .replace('as_of: "2025-12-31"', 'as_of: "2026-12-31"', 1).encode("utf-8")),
    Case("warn-code-unlisted.yaml", "code", "用了目录中没有收录的项（其款未标明项已收全）", "catalog-unlisted",
         '"2014005 信访督查"', ["2014005", "尚未收全", "additions.yaml"], severity="warning",
         old='"2014101 行政运行": 77500', new='"2014101 行政运行": 67500\n          "2014005 信访督查": 10000'),
    Case("rule-three-public-ledger.yaml", "rule", "“三公”的公务用车购置费写成 900000000000000 元",
         "three-public-ledger", "vehicle_purchase: 900000000000000",
         ["公务用车购置费 900,000,000,000,000.00 元", "31013 公务用车购置"], source="jiaoyu",
         old="        vehicle_purchase: 180000 ", new="        vehicle_purchase: 900000000000000 "),
    Case("rule-stated-within-total.yaml", "rule", "政府采购预算总额多打了几位数（10^13 元）",
         "stated-within-total", "total: 10000000000000",
         ["政府采购预算总额 10,000,000,000,000.00 元", "本年支出总计"],
         old="  total: 65200\n  goods: 65200\n", new="  total: 10000000000000\n  goods: 10000000000000\n"),
    Case("warn-prior-year-scale.yaml", "rule", "上年数按万元填写（收支总计 471.58）", "prior-year-scale",
         "total: 471.58", ["471.58 元", "11,519 倍"], severity="warning",
         raw=lambda t: _replace(_replace(_replace(t, "  total: 4715800 ", "  total: 471.58 "),
                                         "general_budget: 4710752", "general_budget: 471.08"),
                                "office_operation: 208106 ", "office_operation: 20.81 ").encode("utf-8")),
    Case("warn-project-period-scale.yaml", "rule", "三年期项目的实施期资金多打了一个 0（11,400,000 元）",
         "project-period-scale", "local: 11400000", ["11,400,000.00 元", "项目期 3 年"],
         severity="warning", source="jiaoyu",
         old="implementation: {central: 0, provincial: 0, local: 1140000,",
         new="implementation: {central: 0, provincial: 0, local: 11400000,"),
    Case("format-code-trailing-newline.yaml", "format", "部门代码带着一个换行符（\"020\\n\"）",
         "schema-format", 'code: "020\\n"', ["code"], old='code: "020"', new='code: "020\\n"'),
    # ---- limits --------------------------------------------------------------------------------
    Case("limit-sign-off-too-long.yaml", "limit", "绩效目标表的联系电话有 6,000 个字", "schema-too-long",
         "phone:", ["6,000", "50"], old='sign_off: {filed_at: "20260109141857"}',
         new='sign_off: {filed_at: "20260109141857", phone: "' + "1" * 6000 + '"}'),
    Case("limit-too-many-goals.yaml", "limit", "部门战略目标有 21 个", "schema-too-long",
         "strategic_goals:", ["21 项", "最多 20 项"],
         old="[矛盾排解及信访工作协调, 信访疑难专项, 保障信访工作正常运转]",
         new="[" + ", ".join(f"目标{i}" for i in range(21)) + "]"),
    Case("limit-alias-text.yaml", "limit", "用别名把一段 1,500 字的目标重复 1,000 次", "yaml-too-large",
         "- *goal", ["1,000,000", "别名"], nth=660,
         old="  strategic_goals: [矛盾排解及信访工作协调, 信访疑难专项, 保障信访工作正常运转]",
         new="  strategic_goals:\n    - &goal " + "化解信访积案" * 250 + "\n" + "\n".join(["    - *goal"] * 1000)),
    Case("limit-text-too-long.yaml", "limit", "其他说明有 20,001 个字", "text-too-long", "other_notes:",
         ["20,001", "20,000"], old='other_notes: ""', new="other_notes: " + "长" * 20_001),
    Case("limit-key-too-long.yaml", "limit", "一个绩效指标的名称有 20,001 个字", "text-too-long",
         "长长长长", ["20,001"], old="        机关人员满意度: ≥90%",
         new="        ? " + "长" * 20_001 + "\n        : ≥90%"),
    Case("limit-too-deep.yaml", "limit", "其他说明是 40 层嵌套的方括号", "yaml-too-deep", "other_notes:",
         ["32"], old='other_notes: ""', new="other_notes: " + "[" * 40 + "]" * 40),
    Case("limit-alias-bomb.yaml", "limit", "“十亿笑声”：九层、每层九个别名", "yaml-too-large",
         "other_notes:", ["200,000"], old='other_notes: ""', new=alias_bomb()),
    Case("limit-alias-depth.yaml", "limit", "别名套别名，每层再嵌套 30 层方括号", "yaml-too-deep",
         "other_notes:", ["32", "*d0"], old='other_notes: ""', new=alias_depth()),
]

# The text is harmless: `budget check` passes and the HTML shows it escaped, as text.
# (file, where it goes, old text of the example, new text: {} is the YAML-quoted
# `value`, value: the text with {} the snippet)
HARMLESS = [
    ("text-script.yaml", "other_notes（其他说明）", 'other_notes: ""', "other_notes: {}",
     "{}", "script"),
    ("text-entities.yaml", "项目实施计划", "plan: 遗属补助按月发放,取暖费按年发放。", "plan: {}",
     "遗属补助按月发放 {}", "entities"),
    ("text-css.yaml", "项目实施计划", "plan: 批复后该资金由财政部门统一拨付。", "plan: {}",
     "批复后该资金由财政部门统一拨付。{}", "css"),
    ("text-file-url.yaml", "立项依据", "basis: 三方方案:泽州县信访局职能配置、内设机构和人员编制规定。",
     "basis: {}", "三方方案 {}", "file-url"),
    ("text-http-link.yaml", "项目设立必要性", "necessity: 保障已故职工遗属的基本生活。",
     "necessity: {}", "保障已故职工遗属的基本生活。{}", "http-link"),
    ("text-template.yaml", "收支总计变动原因", "  total: 人员经费增加，2025年调入2人，考录1人。",
     "  total: {}", "人员经费增加。{}", "template"),
    ("text-department-name.yaml", "部门名称（封面、标题、各表表头）", "  name: 泽州县信访局\n  region",
     "  name: {}\n  region", "泽州县信访局{}", "script"),
    ("text-project-name.yaml", "项目名称（表十二、绩效目标表）", "      - name: 遗属补助\n",
     "      - name: {}\n", "遗属补助{}", "file-url"),
    ("text-indicator-name.yaml", "绩效指标名称（键）", "{遗属补助发放人数: 3人,", "{{{}: 3人,",
     "遗属补助发放人数{}", "http-link"),
    ("text-division.yaml", "内设机构", "[综合科, 督查督办一科,", "[综合科, {},", "督查{}", "css"),
]


def _line(text: str, needle: str, nth: int) -> int:
    found = [n for n, line in enumerate(text.splitlines(), 1) if needle in line]
    if len(found) < nth:
        raise SystemExit(f"{needle!r} is on {len(found)} line(s), not {nth}")
    return found[nth - 1]


def _edit(text: str, old: str, new: str, name: str) -> str:
    count = text.count(old)
    if count != 1:
        raise SystemExit(f"{name}: {old[:60]!r} occurs {count} times in the example, not once")
    return text.replace(old, new)


def build(out: Path) -> dict:
    """Write every case and the manifest into `out`; return the manifest."""
    examples = {name: path.read_text(encoding="utf-8") for name, path in EXAMPLES.items()}
    cases = []
    for case in CASES:
        source = examples[case.source]
        target = out / case.file
        target.parent.mkdir(parents=True, exist_ok=True)
        if case.raw:
            data = case.raw(source)
            text = data.decode("utf-8", "replace")
        else:
            text = _edit(source, case.old, case.new, case.file)
            data = text.encode("utf-8")
        target.write_bytes(data)
        line = case.line or _line(text, case.at, case.nth)
        entry = {"file": case.file, "class": case.group, "defect": case.defect,
                 "source": EXAMPLES[case.source].name, "rule": case.rule,
                 "severity": case.severity, "line": line, "words": case.words,
                 "strict": case.strict}
        if case.prior:
            entry["prior"] = case.prior
            prior = _edit(source, "year: 2026\n", "year: 2025\n", case.prior)
            prior = _edit(prior, 'as_of: "2025-12-31"', 'as_of: "2024-12-31"', case.prior)
            (out / case.prior).parent.mkdir(parents=True, exist_ok=True)
            (out / case.prior).write_text(prior, encoding="utf-8")
        cases.append(entry)
    harmless = []
    for file, field_name, old, new, value, snippet in HARMLESS:
        text = value.format(HTML_SNIPPETS[snippet])
        (out / file).write_text(_edit(examples["xinfang"], old, new.format(quoted(text)), file),
                                encoding="utf-8")
        harmless.append({"file": file, "source": EXAMPLES["xinfang"].name, "field": field_name,
                         "text": text})
    manifest = {
        "about": "由 make_corpus.py 生成，不要手改。cases：每个文件是一个合法示例加一处错误，"
                 "budget check 必须在 line 行报告 rule，说明中含 words；strict: true 的只是警告，"
                 "加 --strict 才以状态 1 退出。harmless_text：文字本身无害，检查通过，HTML 中按原文转义显示。"
                 "helpers：案例需要的辅助文件（本身不是坏文件）。",
        "cases": cases,
        "harmless_text": harmless,
        "helpers": [{"file": c.prior, "for": c.file, "what": "上年（2025）预算文件：示例改为 2025 年"}
                    for c in CASES if c.prior],
    }
    with open(out / "expected.yaml", "w", encoding="utf-8") as f:
        f.write("# 坏预算文件语料的期望结果（tests/corpus/make_corpus.py 生成）\n")
        yaml.safe_dump(manifest, f, allow_unicode=True, sort_keys=False, width=100,
                       default_flow_style=None)
    return manifest


if __name__ == "__main__":
    build(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)
