"""Starting a budget file: `budget new` (a new department) and `budget rollover` (a new year).

Both write TEXT, never a YAML dump: `new` fills a template whose comments explain every key,
`rollover` edits the lines of last year's file in place (located by generator.loader), so
that every comment and every scalar stays as it was written, except the few values it changes.

`new` writes zero amounts and texts with "待填写" (the placeholder-text rule: a warning in a
draft, an error in a final version), so that `budget check` of the new file passes and its
warnings list what is left to fill in.

`rollover` sets `year` + 1, fills `prior_year` with this year's derived figures (the very
figures the prior-year-file rule compares; a prior year stated by source, as Shanghai does,
gets this year's income by source), moves `assets.as_of` to the standard's date of the new
prior year (12-31; Shanghai 08-31), turns this year's carry-over projects into comments (they
were carried over from the year before; next year's carry-overs are known only after the
year-end) and marks each text bound to the old year with "【待定：按<年>年核实】" and a comment line above it: the placeholder-text rule
then warns at each one until it is reviewed, and refuses a final version that still has one.
"""
from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from .files import os_problem, path_kind
from .findings import BudgetError
from .loader import Document, load_text
from .profiles import DEFAULT, load_profile
from .vocabulary import SOURCES, THREE_PUBLIC_NAMES, UNIT_KINDS
from .money import yuan_text
from .schema import SCHEMA_DIR

SCHEMA_JSON = SCHEMA_DIR / "budget.schema.json"
FILE_NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
COMMENT_COLUMN = 30  # trailing comments start here (in display columns), as in the examples


class AuthoringError(Exception):
    """Refused: the Chinese message says why; `status` is the exit status (2 = bad options)."""

    def __init__(self, message: str, status: int = 2, findings: list | None = None):
        super().__init__(message)
        self.status = status
        self.findings = findings or []


# ---- shared helpers ---------------------------------------------------------------------------

def width(text: str) -> int:
    """Display width: a Chinese character takes two columns."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def commented(code: str, comment: str, column: int = COMMENT_COLUMN) -> str:
    """`code` with `# comment` aligned at `column` (or one space after a long line)."""
    return f"{code}{' ' * max(1, column - width(code))}# {comment}"


# What one line of a budget file cannot hold: a character YAML does not allow (the loader's
# set), a line break, a tab, the BOM (invisible); U+DC80–U+DCFF are bytes of argv or of a
# path that were no UTF-8 (Python's surrogateescape)
_NOT_IN_A_LINE = re.compile("[^\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd"
                            "\U00010000-\U0010ffff]")


def escaped_line(text: str) -> str:
    """`text` for a comment of the new file or a message: whatever a YAML line cannot hold
    escaped (\\n, \\t, \\xFF, \\uXXXX), more than findings.one_line, which only keeps a
    message on its line."""
    def escape(match):
        c = ord(match.group())
        if 0xDC80 <= c <= 0xDCFF:
            return f"\\x{c - 0xDC00:02X}"
        return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(match.group(), f"\\u{c:04X}")
    return _NOT_IN_A_LINE.sub(escape, text)


def refuse_odd_characters(option: str, value: str) -> None:
    """Refuse a value that no line of a budget file can hold, naming the character."""
    bad = _NOT_IN_A_LINE.search(value)
    if not bad:
        return
    c = ord(bad.group())
    if 0xDC80 <= c <= 0xDCFF:
        raise AuthoringError(f"{option} 含有不是 UTF-8 编码的字节 0x{c - 0xDC00:02X}：请把终端设为 "
                             "UTF-8 编码后重新输入")
    raise AuthoringError(f"{option} 含有换行或不可见的控制字符 U+{c:04X}：请只写一行文字，删去这个字符")


def refuse_other_year_folder(path: Path, year: int, option: str) -> None:
    """A file in the folder of another year is an error (rule year-folder): refused before
    it is written. The test is the rule's own."""
    folder = path.parent.name
    if folder.isdigit() and folder != str(year):
        raise AuthoringError(f"{option} {escaped_line(str(path))} 在 {escaped_line(folder)} 文件夹中，预算年度却是 "
                             f"{year}：文件须放在与年度相同的文件夹中（规则 year-folder），如 "
                             f"{escaped_line(str(path.parent.parent / str(year) / path.name))}")


def schema_line(out: Path) -> str:
    """The first line, for editors with the YAML language server: the JSON Schema's path
    relative to the file's folder (absolute when there is no relative path, e.g. another drive)."""
    try:
        target = os.path.relpath(SCHEMA_JSON, Path(out).resolve().parent)
    except ValueError:
        target = str(SCHEMA_JSON)
    return f"# yaml-language-server: $schema={escaped_line(Path(target).as_posix())}"


def yaml_text(text: str) -> str:
    """`text` as a YAML scalar that reads back as exactly `text`: plain when it can be,
    double-quoted otherwise (a name with ": ", " #", a leading quote or bracket, "null"…)."""
    try:
        if load_text("<名称>", f"k: {text}\n").data == {"k": text}:
            return text
    except BudgetError:  # not readable as a plain scalar: quote it
        pass
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_new(path: Path, text: str) -> None:
    """Write `text` to `path`, which must not exist: written to a temporary file beside it and
    linked into place, so that an existing file is never overwritten (not even by a race)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
                f.write(text)
            os.chmod(tmp, 0o644)
            try:
                os.link(tmp, path)
            except FileExistsError:
                raise
            except OSError:  # a file system without hard links: exclusive creation instead
                with open(path, "x", encoding="utf-8", newline="") as f:
                    f.write(text)
        finally:
            os.unlink(tmp)
    except FileExistsError:
        refuse_existing(path)  # written meanwhile; else a file stands where a folder should be
        raise AuthoringError(f"无法写入 {escaped_line(str(path))}：路径中的 {escaped_line(str(path.parent))} "
                             "不是文件夹", status=1) from None
    except OSError as exc:
        raise AuthoringError(f"无法写入 {escaped_line(str(path))}：{os_problem(exc)}", status=1) from None


def refuse_existing(path: Path) -> None:
    """Refuse a path where something stands already: a file (never overwritten), or a
    folder, a named pipe, a device, a link to nowhere (which writing would follow)."""
    kind, shown = path_kind(path), escaped_line(str(path))
    if kind == "文件":
        raise AuthoringError(f"{shown} 已经存在，不会覆盖它：请换一个文件名（--out），"
                             "或者先把原文件改名或删除")
    if kind:
        raise AuthoringError(f"{shown} 已经存在，是{kind}，不能写成预算文件：请换一个文件名（--out）")


def amount_text(amount: Decimal) -> str:
    """An amount as a budget file writes it: 元, no exponent, no trailing zeros of the cents."""
    text = f"{amount.quantize(Decimal('0.01')):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


# ---- budget new ---------------------------------------------------------------------------------

def unit_kinds() -> list[str]:
    """The unit kinds the schema allows (generator.vocabulary)."""
    return list(UNIT_KINDS)


@dataclass
class NewBudget:
    name: str
    code: str
    year: int
    region: str
    units: list[tuple[str, str]]  # (name, kind)
    out: Path


def _plain_text(option: str, value: str | None, limit: int = 200) -> str:
    value = (value or "").strip()
    if not value:
        raise AuthoringError(f"请用 {option} 给出内容")
    refuse_odd_characters(option, value)
    if len(value) > limit:
        raise AuthoringError(f"{option} 有 {len(value)} 字，最多 {limit} 字")
    return value


def new_options(name, code, year, region, units, file=None, out=None,
                folder: Path = Path("budgets")) -> NewBudget:
    """Check the options of `budget new`; every problem is an AuthoringError in Chinese."""
    name = _plain_text("--name（部门名称）", name)
    region = _plain_text("--region（所属地区，如 泽州县）", region)
    code = (code or "").strip()
    if not re.fullmatch(r"[0-9]{3,6}", code):
        raise AuthoringError(f"--code（部门代码）应为 3–6 位数字，如 031；不是“{escaped_line(code)}”" if code
                             else "请用 --code 给出部门代码（3–6 位数字，如 031）")
    year_text = (year or "").strip()
    if not re.fullmatch(r"[0-9]{4}", year_text) or not 2000 <= int(year_text) <= 2099:
        raise AuthoringError(f"--year（预算年度）应为四位数字的年份，如 2026；不是“{escaped_line(year_text)}”"
                             if year_text else "请用 --year 给出预算年度，如 2026")
    kinds = unit_kinds()
    if not units:
        raise AuthoringError("请用 --unit 给出至少一个单位，写成“单位名称:单位性质”，如 "
                             f"--unit {name}:行政单位（单位性质：{'、'.join(kinds)}）")
    parsed = []
    for unit in units:
        refuse_odd_characters("--unit", unit.strip())  # the 性质 too: it is echoed below
        unit_name, sep, kind = _split_unit(unit)
        unit_name = _plain_text("--unit 的单位名称", unit_name)
        if not sep:
            raise AuthoringError(f"--unit“{unit}”缺少单位性质：写成“单位名称:单位性质”，"
                                 f"单位性质为 {'、'.join(kinds)} 之一")
        if kind not in kinds:
            raise AuthoringError(f"--unit“{unit}”的单位性质“{kind}”不是允许的取值；"
                                 f"允许：{'、'.join(kinds)}")
        if unit_name in [n for n, _ in parsed]:
            raise AuthoringError(f"单位“{unit_name}”写了两次：同一部门内单位名称不能重复")
        parsed.append((unit_name, kind))
    if file and out:
        raise AuthoringError("--file 和 --out 只能用一个：--file 给出文件名（放在 budgets/<年度>/ 下），"
                             "--out 给出完整路径")
    if out:
        path = Path(out)
        if path.suffix not in (".yaml", ".yml"):
            raise AuthoringError(f"--out“{escaped_line(out)}”应以 .yaml 结尾")
        refuse_other_year_folder(path, int(year_text), "--out")
    elif file:
        stem = file[:-5] if file.endswith(".yaml") else file
        if not FILE_NAME.fullmatch(stem):
            raise AuthoringError(f"--file“{escaped_line(file)}”：文件名只用小写英文字母、数字和短横线，"
                                 "如 zezhou-wenlv（地区-部门）")
        path = folder / year_text / f"{stem}.yaml"
    else:
        raise AuthoringError("请用 --file 给出文件名（小写英文字母、数字和短横线，如 zezhou-wenlv），"
                             f"文件写为 {folder}/{year_text}/<文件名>.yaml；或用 --out 给出完整路径")
    refuse_existing(path)
    return NewBudget(name, code, int(year_text), region, parsed, path)


def _split_unit(unit: str) -> tuple[str, str, str]:
    """"名称:性质" (or with a full-width colon) → (名称, ":", 性质), split at the last colon."""
    text = unit.strip()
    at = max(text.rfind(":"), text.rfind("："))
    if at < 0:
        return text, "", ""
    return text[:at].strip(), text[at], text[at + 1:].strip()


# Every unit has these 基本支出 lines (pay, pension and medical insurance, housing fund): written
# with 0 so that the officer sees the shape and types over the amounts.
_FUNCTION_LINES = {
    "行政单位": ["2080505 机关事业单位基本养老保险缴费支出", "2101101 行政单位医疗", "2210201 住房公积金"],
    "参公事业单位": ["2080505 机关事业单位基本养老保险缴费支出", "2101102 事业单位医疗", "2210201 住房公积金"],
    "事业单位": ["2080505 机关事业单位基本养老保险缴费支出", "2101102 事业单位医疗", "2210201 住房公积金"],
}
_ECONOMIC_LINES = ["30101 基本工资", "30102 津贴补贴", "30107 绩效工资",
                   "30108 机关事业单位基本养老保险缴费", "30110 职工基本医疗保险缴费",
                   "30113 住房公积金", "30201 办公费"]
_STAFF_CATEGORY = {"行政单位": "行政人员", "参公事业单位": "参照公务员法管理人员",
                   "事业单位": "专业技术人员"}

_PROJECT_EXAMPLE = """\
    # projects:               # 本年项目（可选，格式说明 4.5）：每个项目一项；启用时去掉这些行开头的“# ”
    #   - name: 待填写：项目名称
    #     function: "2xxxxxx 科目名称"   # 支出功能分类，填到 7 位的项：“编码 名称”（budget catalog 关键词 可查）
    #     category: 其他运转类    # 其他运转类 / 特定目标类
    #     funding: {一般公共预算: 0}   # 按资金来源的金额（元）；项目金额 = 各来源之和
    #     performance:            # 项目支出绩效目标表
    #       attribute: 经常性项目(长期开展)   # 一次性项目(1年结束) / 经常性项目(长期开展) / 阶段性项目（英文括号）
    #       period_years: 99      # 项目期（年）：经常性项目写 99，一次性项目写 1
    #       funds:                # 项目资金（元）按资金层级：年度资金合计 = 项目金额
    #         implementation: {central: 0, provincial: 0, local: 0, self_raised: 0}   # 实施期
    #         annual: {central: 0, provincial: 0, local: 0, self_raised: 0}           # 年度
    #       overview: 待填写：项目概况
    #       basis: 待填写：立项依据（文件名称和文号）
    #       necessity: 待填写：项目设立必要性
    #       safeguards: 待填写：保证项目实施的制度、措施
    #       plan: 待填写：项目实施计划
    #       goals:
    #         implementation: 待填写：实施期目标
    #         annual: 待填写：年度目标（与实施期相同时可用锚点，见格式说明 5.9）
    #       indicators:           # 绩效指标：一级 → 二级 → 三级指标: 指标值（格式说明 5.8）
    #         implementation:
    #           产出指标:
    #             数量指标: {待填写指标名称: 待填写}
    #             成本指标: {资金总额: {≤: 年度资金总额}}
    #           效益指标:
    #             社会效益: {待填写指标名称: 待填写}
    #           满意度指标:
    #             服务对象满意度: {待填写指标名称: ≥90%}
    #         annual:
    #           产出指标:
    #             数量指标: {待填写指标名称: 待填写}
    #             成本指标: {资金总额: {≤: 年度资金总额}}
    #           效益指标:
    #             社会效益: {待填写指标名称: 待填写}
    #           满意度指标:
    #             服务对象满意度: {待填写指标名称: ≥90%}
    #       # implementing_unit: 实施单位（不写即本单位；写了必须是本部门的一个单位）
    #       # sign_off: {responsible: 负责人, handler: 经办人, phone: 联系电话, filed_at: "填报时间"}
    # carryover_projects:     # 上年结转项目（可选，格式说明 4.6）：没有绩效目标表
    #   - name: 待填写：结转项目名称
    #     function: "2xxxxxx 科目名称"
    #     category: 特定目标类
    #     funding: {一般公共预算: 0}    # 结转金额（元），按资金来源
    # three_public_costs:     # “三公”经费（元，可选，格式说明 4.7）：有才写，写了须填 prior_year.three_public
    #   一般公共预算:
    #     outbound_travel: 0      # 因公出国（境）费
    #     reception: 0            # 公务接待费
    #     vehicle_purchase: 0     # 公务用车购置费
    #     vehicle_operation: 0    # 公务用车运行维护费
"""

_OTHER_UNITS_OPTIONAL = """\
    # projects:               # 本单位的本年项目（可选），写法同第一个单位下的示例
    # carryover_projects:     # 本单位的上年结转项目（可选）
    # three_public_costs:     # 本单位的“三公”经费（可选）
"""


def _unit_block(name: str, kind: str, first: bool) -> str:
    lines = [
        f"  - name: {yaml_text(name)}",
        commented(f"    kind: {kind}", "单位性质：行政单位 / 参公事业单位 / 事业单位（决定是否计入机关运行经费）"),
        "    staff:",
        commented("      authorized: 0", "核定的人员编制数"),
        commented("      on_post:", "在编在职人员，按类别“类别: 人数”，合计由程序相加"),
        f"        {_STAFF_CATEGORY.get(kind, '在编人员')}: 0",
        commented("      other: 0", "编外等其他人员"),
        commented("    basic:", "基本支出（元），格式说明 4.4：资金来源 → 按功能分类、按经济分类"),
        commented("      一般公共预算:", "资金来源；单位资金等其他来源另起一段，写法相同"),
        commented("        by_function:", "按支出功能分类，填到 7 位的项：把 0 改成金额，没有的科目整行删去"),
        *[f"          \"{line}\": 0" for line in _FUNCTION_LINES.get(kind, _FUNCTION_LINES["事业单位"])],
        "          # 本部门的“行政运行”或“事业运行”等项由这里加，编码用 budget catalog 行政运行 查",
        commented("        by_economic:", "同一笔钱按部门经济分类，填到 5 位的款；两种分类的合计必须相等"),
        *[f"          \"{line}\": 0" for line in _ECONOMIC_LINES],
        "        # government_economic:  # 与默认对照不同的政府经济分类（可选，格式说明 5.2），如",
        "        #   \"30107 绩效工资\": \"50501 工资福利支出\"",
    ]
    return "\n".join(lines) + "\n" + (_PROJECT_EXAMPLE if first else _OTHER_UNITS_OPTIONAL)


def new_budget_text(b: NewBudget) -> str:
    vehicle_categories = load_profile(DEFAULT).vehicle_categories  # the draft is Shanxi's form
    """The YAML text of a new department's budget: minimal, valid, every key explained."""
    y, prior = b.year, b.year - 1
    units = "\n".join(_unit_block(name, kind, i == 0) for i, (name, kind) in enumerate(b.units))
    return f"""\
{schema_line(b.out)}
# {b.name} {y}年部门预算（由 budget new 生成的初稿）
#
# 填写顺序：部门职责、内设机构 → 每个单位的人员、基本支出、项目 → 上年数 → 政府采购、国有资产 →
# 部门整体支出绩效目标。金额一律以“元”为单位、不加引号；把“待填写……”换成实际内容。
# 每填完一部分运行一次 budget check 本文件：刚生成时没有错误，警告（placeholder-text）
# 列出还有“待填写”的地方。以“# ”开头的行是注释，不进入公开文本；可选的部分写成了注释，
# 需要时去掉行首的“# ”。每个键的含义和写法见 docs/格式说明.md。

{commented(f"year: {y}", "预算年度（整数，不加引号）")}
{commented("status: draft", "draft 草稿：每页印“仅供内部审核”；定稿后改为 final（不允许再有“待填写”）")}

department:
{commented(f'  code: "{b.code}"', f"部门代码（3–6 位数字，加引号）→ 绩效目标表“{b.code}-{b.name}”")}
{commented(f"  name: {yaml_text(b.name)}", "部门名称 → 封面、各表“部门名称”")}
{commented(f"  region: {yaml_text(b.region)}", "所属地区 → 封面、项目绩效目标表标题")}
  duties: 待填写：本部门职责（照“三定”方案写，印在第一部分 一）
{commented("  internal_divisions:", "内设机构（科室），每行一个“- 科室名称”；没有内设机构写 []")}
    - 待填写：内设科室名称

{commented("units:", "所属单位（至少一个），每个单位以“- name:”开头；部门机关本身也是一个单位")}
{units}
{commented("prior_year:", f"上年（{prior}年）预算数（元），照上年部门预算公开填写 → 第三部分的增减额、增减率")}
{commented("  total: 0", "上年收支总计（含上年结转）")}
{commented("  general_budget: 0", "上年一般公共预算当年拨款（不含结转）")}
{commented("  office_operation: 0", "上年机关运行经费（财政拨款）")}
  # three_public:             # 上年“三公”经费：本年有“三公”经费时必填，四个键同 three_public_costs
  #   outbound_travel: 0
  #   reception: 0
  #   vehicle_purchase: 0
  #   vehicle_operation: 0

# change_reasons:             # 增减原因（格式说明 4.9）：收支总计、机关运行经费、“三公”经费与上年不同时必填
#   total: 待填写：收支总计增减的原因，写成完整的一句话
#   general_budget: 待填写：一般公共预算当年拨款增减的原因（可不写）
#   office_operation: 待填写：机关运行经费增减的原因
#   three_public: 待填写：“三公”经费增减的原因

# control_totals:             # 财政批复的本年收入控制数（可选，只核对不印出，格式说明 4.10）
#   一般公共预算: 0             # 元数精确比较，或写批复的万元数，如 542.97万元

{commented("procurement:", "政府采购预算（元）→ 第三部分 九；总额 = 货物 + 工程 + 服务")}
  total: 0
  goods: 0
  works: 0
  services: 0

{commented("assets:", "国有资产占有使用情况 → 第三部分 十一")}
{commented(f'  as_of: "{prior}-12-31"', "统计截止日：上年 12 月 31 日")}
  vehicles:
{commented("    authorized: 0", "公务用车编制数（辆）")}
{commented("    by_category:", f"实有车辆，{len(vehicle_categories)}类都要写（没有写 0）")}
{"".join(f"      {category}: 0{chr(10)}" for category in vehicle_categories)}{commented("  office_area: 0", "办公用房建筑面积（平方米）")}
{commented("  general_equipment_over_500k: 0", "单价 50 万元（原值）以上通用设备（台、套）")}
{commented("  special_equipment_over_1m: 0", "单价 100 万元（原值）以上专用设备（台、套）")}

# purchased_services:         # 政府购买服务指导性目录（可选）：不写即“本单位无政府购买服务指导性目录”
#   - {{name: 待填写：服务事项, amount: 0}}
# other_notes: 待填写：其他需要说明的事项    # 可选；不写即“本单位无其他需要说明的事项”
# glossary:                   # 名词解释（可选）：只写要替换（与标准条目同名）或新增的条目
#   - {{term: 待填写：名词, definition: 待填写：解释}}

{commented("performance:", "部门整体支出绩效目标申报表 → 第三部分 十；金额和人数由程序计算")}
  duties: 待填写：部门职责（申报表中的写法，可与 department.duties 相同）
{commented("  strategic_goals:", "部门战略目标，每行一个")}
    - 待填写：部门战略目标
{commented("  key_tasks:", "年度重点任务，每项一个核心职能和它的重点任务")}
    - function: 待填写：核心职能
      tasks: 待填写：重点任务
  annual_goal: 待填写：{y}年度绩效目标
{commented("  indicators:", "年度绩效指标：一级指标 → 二级指标 → 三级指标: 指标值（格式说明 5.8）")}
    产出指标:
      数量指标:
        待填写数量指标名称: 待填写：数量指标的指标值，如 ≥20批次
      质量指标:
        待填写质量指标名称: 待填写：质量指标的指标值，如 ≥90%
      时效指标:
        待填写时效指标名称: 待填写：时效指标的指标值，如 全年
{commented("      成本指标:", "引用本表的合计数，印为“≤xx万元”，金额改动时随之更新")}
        基本支出成本: {{≤: 基本支出}}
{commented("        项目支出成本: {≤: 项目支出}", "没有项目时删去这一行")}
    效益指标:
      社会效益:
        待填写社会效益指标名称: 待填写：社会效益指标的指标值，如 提升
    满意度指标:
      服务对象满意度:
        待填写满意度指标名称: 待填写：满意度指标的指标值，如 ≥90%
"""


def create_new(b: NewBudget) -> Path:
    text = new_budget_text(b)
    try:  # our own template must read back as given; a bug here is not the user's
        data = load_text(str(b.out), text).data
    except BudgetError as exc:
        raise AuthoringError(f"内部错误：生成的文件无法读取（{exc}），没有写入", status=1) from None
    if (data["department"]["name"], data["department"]["region"]) != (b.name, b.region) or \
            [(u["name"], u["kind"]) for u in data["units"]] != b.units:
        raise AuthoringError("内部错误：生成的文件中名称与给出的不同，没有写入", status=1)
    write_new(b.out, text)
    return b.out


# ---- budget rollover ----------------------------------------------------------------------------

@dataclass
class Rollover:
    source: Path
    out: Path
    year: int  # the new year
    prior: dict  # key -> Decimal; three_public, by_source (本年收入 by source) -> {key: Decimal}
    removed: list = field(default_factory=list)  # (unit, project name, amount) of carry-overs
    marked: int = 0  # texts marked for review
    one_off: list = field(default_factory=list)  # names of one-year projects kept
    source_errors: list = field(default_factory=list)  # errors of the source file's own check
    added_reason: bool = False  # change_reasons.total added (carry-overs removed)


def marker(year: int) -> str:
    return f"【待定：按{year}年核实】"


MARKED = re.compile(r"【待定：按[0-9]{4}年核实】")  # a text a rollover marked before
HEADER = "# 【budget rollover】本文件由 "  # the first line of the header a rollover writes


# Free texts that may be bound to a year (document paths, "*" = any key or index). Names of
# units and implementing_unit are not marked (projects name them), nor codes, enumerations,
# amounts or the terms of the glossary (they replace the standard entries by name).
_TEXTS = [
    ("department", "duties"), ("department", "internal_divisions", "*"),
    ("units", "*", "projects", "*", "name"),
    ("units", "*", "projects", "*", "performance", "overview"),
    ("units", "*", "projects", "*", "performance", "basis"),
    ("units", "*", "projects", "*", "performance", "necessity"),
    ("units", "*", "projects", "*", "performance", "safeguards"),
    ("units", "*", "projects", "*", "performance", "plan"),
    ("units", "*", "projects", "*", "performance", "goals", "*"),
    ("units", "*", "projects", "*", "performance", "sign_off", "*"),
    ("units", "*", "projects", "*", "performance", "indicators", "*", "*", "*", "*"),
    ("change_reasons", "*"), ("change_reasons", "three_public_items", "*"),
    ("purchased_services", "*", "name"), ("other_notes",), ("project_information", "*", "*"),
    ("glossary", "*", "definition"),
    ("performance", "duties"), ("performance", "strategic_goals", "*"),
    ("performance", "key_tasks", "*", "*"), ("performance", "annual_goal"),
    ("performance", "indicators", "*", "*", "*"),
]
# ... and of those, the ones always reviewed: why last year changed, last year's goals
_ALWAYS = [("change_reasons", "*"), ("change_reasons", "three_public_items", "*"),
           ("units", "*", "projects", "*", "performance", "goals", "annual"), ("performance", "annual_goal")]


def _matches(path: tuple, pattern: tuple) -> bool:
    return len(path) == len(pattern) and all(p == "*" or p == k for k, p in zip(path, pattern))


def rollover_paths(source: str, out: str | None) -> tuple[Path, Path]:
    src, shown = Path(source), escaped_line(source)
    kind = path_kind(src)
    if kind is None:
        raise AuthoringError(f"找不到文件 {shown}", status=1)
    if kind != "文件":  # a named pipe would make the rollover wait forever
        raise AuthoringError(f"{shown} 是{kind}，不是预算文件：请给出本年的预算文件（.yaml）", status=1)
    if out:
        target = Path(out)
        if target.suffix not in (".yaml", ".yml"):
            raise AuthoringError(f"--out“{escaped_line(out)}”应以 .yaml 结尾")
    else:
        target = None
    return src, target


def plan_rollover(source: str, out: str | None) -> tuple[Rollover, str]:
    """The next year's file of `source` as text (nothing is written); refuses in Chinese."""
    from .check import load_budget, profile_for
    from .derive import CURRENT, Derived
    from .findings import ERROR
    from .rules import apply_rules

    src, target = rollover_paths(source, out)
    budget, findings = load_budget(str(src))
    profile, problems = profile_for(budget) if budget is not None else (None, [])
    if budget is None or profile is None:
        raise AuthoringError(f"{escaped_line(source)} 有错误，无法转入下一年：请先改正下列问题", status=1,
                             findings=findings + problems)
    derived = Derived(budget, profile)
    year = budget.year + 1
    if target is None:
        if src.parent.name != str(budget.year):
            raise AuthoringError(f"{escaped_line(source)} 不在 {budget.year} 文件夹中，无法确定下一年的位置："
                                 f"请用 --out 给出新文件的路径，如 budgets/{year}/{escaped_line(src.name)}")
        target = src.parent.parent / str(year) / src.name
    refuse_other_year_folder(target, year, "--out")
    refuse_existing(target)
    f = derived.figures
    prior = {"total": f["total"]["now"], "general_budget": f["general"]["now"],
             "office_operation": f["office_operation"]["now"],
             "three_public": dict(f["three_public"]["items"]),
             # as general_budget: this year's income, without the carry-over (rule prior-by-source)
             "by_source": {s: derived.total(CURRENT, lambda line, s=s: line.source == s)
                           for s in SOURCES}}
    plan = Rollover(src, target, year, prior,
                    source_errors=[x for x in findings + apply_rules(budget, derived)
                                   if x.severity == ERROR])
    try:
        text = src.read_bytes().decode("utf-8")  # read again: the lines are edited, not the data
    except OSError as exc:  # removed or replaced since it was loaded
        raise AuthoringError(f"无法读取 {escaped_line(source)}：{exc.strerror}", status=1) from None
    return plan, _Editor(plan, budget, derived, text).run()


def create_rollover(source: str, out: str | None) -> Rollover:
    plan, text = plan_rollover(source, out)
    write_new(plan.out, text)
    return plan


class _Editor:
    """Line edits of last year's text.  Columns are 1-based characters (the loader's)."""

    def __init__(self, plan: Rollover, budget, derived, text: str):
        self.plan, self.budget, self.derived = plan, budget, derived
        self.doc: Document = budget.doc
        self.text = text
        self.lines = text.splitlines(keepends=True)
        first = re.search("\r\n|\r|\n", text)  # the file's own line ending, for every line added
        self.newline = first.group() if first else "\n"
        self.where = escaped_line(str(plan.source))  # for messages
        self.old_year, self.year = budget.year, plan.year
        self.mark = marker(plan.year)
        self.replace: dict[tuple, tuple] = {}  # (line, col) -> (end col, text)
        self.insert: dict[tuple, str] = {}  # (line, col) -> text inserted there
        self.above: dict[int, list[str]] = {}  # line -> comment lines put above it
        self.below: dict[int, list[str]] = {}  # line -> lines put below it
        self.comment_out: dict[int, int] = {}  # line -> column where "# " goes
        self.comment_shift: dict[int, tuple] = {}  # line -> (old, new) year in its comment
        self.removed_prefixes: list[tuple] = []  # document paths of the carry-over blocks
        self.expected: dict[tuple, str] = {}  # document path -> its new text
        self.marked: dict[int, str] = {}  # id() of the texts marked -> the marked text
        self.unmarkable: set[int] = set()  # id() of texts too long for the marker

    # -- helpers --
    def line(self, n: int) -> str:
        return self.lines[n - 1].rstrip("\r\n")

    @staticmethod
    def indent(line: str) -> int:
        return len(line) - len(line.lstrip(" "))

    def block_end(self, key_line: int) -> int:
        """The last line of the block whose key is on `key_line` (its deeper-indented lines,
        and "- " items at the key's own indentation); trailing blank lines are not in it."""
        base = self.indent(self.line(key_line))
        end = key_line
        for n in range(key_line + 1, len(self.lines) + 1):
            content = self.line(n)
            if not content.strip():
                continue
            deeper = self.indent(content) > base
            item = self.indent(content) == base and content.lstrip().startswith("- ")
            if not (deeper or item):
                break
            end = n
        return end

    def value_span(self, loc) -> tuple[int, int]:
        """(start, end) columns of the single-line scalar at `loc` (plain, or quoted), after
        its anchor (`total: &t 100`: the anchor stays, for its aliases)."""
        content = self.line(loc.line)
        start = loc.column - 1
        anchor = re.match(r"&\S+ +", content[start:])
        if anchor:
            start += anchor.end()
        if content[start] in "\"'":
            quote, i = content[start], start + 1
            while i < len(content):
                if quote == '"' and content[i] == "\\":
                    i += 2
                    continue
                if content[i] == quote:
                    if quote == "'" and content[i + 1:i + 2] == "'":
                        i += 2
                        continue
                    return start + 1, i + 2
                i += 1
            raise AuthoringError(f"{self.where}:{loc.line}: 无法读出这个值的范围", status=1)
        match = re.match(r"[^\s,\]}#]+", content[start:])
        return start + 1, start + 1 + len(match.group())

    def set_value(self, path: tuple, text: str, keep_quotes: bool = True):
        loc = self.doc.where(*path)
        start, end = self.value_span(loc)
        old = self.line(loc.line)[start - 1:end - 1]
        if keep_quotes and old[:1] in "\"'":
            text = old[0] + text + old[0]
        self.replace[(loc.line, start)] = (end, text)
        return loc.line

    def content_start(self, path: tuple):
        """(line, col, block) where the text of the scalar at `path` begins, or None for an
        alias: after an anchor (on its line or below), after the opening quote, on the first
        line with text of a block scalar (block: the text may begin with blank lines)."""
        loc = self.doc.where(*path)
        n, i = loc.line, loc.column - 1
        content = self.line(n)
        if content[i] == "*":
            return None
        if content[i] == "&":
            i = re.compile(r"&\S+ *").match(content, i).end()
            if i == len(content) or content[i] == "#":  # `key: &a` and the text on a line below
                n = next(k for k in range(n + 1, len(self.lines) + 1)
                         if self.line(k).strip() and not self.line(k).lstrip().startswith("#"))
                content = self.line(n)
                i = self.indent(content)
        if content[i] in "|>":
            for k in range(n + 1, len(self.lines) + 1):
                if self.line(k).strip():
                    return k, self.indent(self.line(k)) + 1, True
            return None
        if content[i] in "\"'":
            return n, i + 2, False
        return n, i + 1, False

    def value_at(self, path: tuple):
        value = self.doc.data
        for key in path:
            value = value[key]
        return value

    def removed(self, path: tuple) -> bool:
        return any(path[:len(p)] == p for p in self.removed_prefixes)

    # -- the edits --
    def run(self) -> str:
        self.edit_year()
        self.edit_carryovers()
        self.edit_prior_year()
        self.edit_as_of()
        self.flag_one_off_projects()
        for _ in range(3):  # a marked text that gets too long loses its marker
            self.flag_texts()
            text = self.render()
            too_long = self.verify(text)
            if not too_long:
                return text
            self.unmarkable |= too_long
        raise AuthoringError("内部错误：生成的文件未通过自检，没有写入", status=1)

    def edit_year(self):
        line = self.set_value(("year",), str(self.year))
        self.expected[("year",)] = str(self.year)
        self.comment_shift[line] = (str(self.old_year), str(self.year))
        if self.budget.status != "draft":
            self.set_value(("status",), "draft", keep_quotes=True)
            self.expected[("status",)] = "draft"

    def edit_carryovers(self):
        for unit in self.budget.units:
            if not unit.carryover_projects:
                continue
            path = unit.path + ("carryover_projects",)
            key_loc = self.doc.where_key(*path)
            last = self.block_end(key_loc.line)
            inside = [loc.line for p, loc in self.doc.locations.items()
                      if p and p[0] != "key" and p[:len(path)] == path]
            if max(inside, default=key_loc.line) > last:
                raise AuthoringError(f"{self.where}:{key_loc.line}: carryover_projects 的写法"
                                     "无法自动改成注释：请把它改成分行写法后再运行", status=1)
            column = self.indent(self.line(key_loc.line)) + 1
            for n in range(key_loc.line, last + 1):
                if self.line(n).strip():
                    self.comment_out[n] = column
            self.removed_prefixes.append(path)
            pad = " " * (column - 1)
            names = []
            for p in unit.carryover_projects:
                self.plan.removed.append((unit.name, p.name, p.total))
                names.append(f"{escaped_line(p.name)}（{yuan_text(p.total)}）")  # a line break ends a comment
            self.above.setdefault(key_loc.line, []).extend([
                f"{pad}# 【budget rollover】下面是 {self.old_year} 年的上年结转项目（{self.old_year - 1} 年结转来的，"
                f"{self.old_year} 年已列支），{self.year} 年不再列入，已改成注释：",
                f"{pad}#   {'；'.join(names)}",
                f"{pad}# {self.old_year} 年有资金结转到 {self.year} 年的，按年终结转数在此重新填写 carryover_projects"
                "（格式说明 4.6），然后删去这些注释。",
            ])

    def edit_prior_year(self):
        prior, stated, old = self.plan.prior, self.doc.data["prior_year"], self.old_year
        shift = (str(old - 1), str(old))
        self.comment_shift[self.doc.where_key("prior_year").line] = shift
        if "by_source" in stated:  # Shanghai's form, without 收支总计: kept so
            self.prior_note = "按来源的本年收入（不含上年结转）、机关运行经费和“三公”经费"
            sources = {s: a for s, a in prior["by_source"].items() if a or s in stated["by_source"]}
            self.put_mapping(("prior_year", "by_source"), sources,
                             {s: f"{old}年{s}收入（budget rollover 从上年文件算出）" for s in sources}, "")
            keys = [k for k in ("total", "general_budget") if k in stated]
        else:
            self.prior_note = "收支总计、一般公共预算当年拨款、机关运行经费和“三公”经费"
            keys = ["total", "general_budget"]
        items = prior["three_public"]
        if "three_public" in stated or any(items.values()):
            self.put_mapping(("prior_year", "three_public"), items, THREE_PUBLIC_NAMES,
                             f"{old}年“三公”经费（budget rollover 从上年文件算出）")
        labels = {"total": "收支总计", "general_budget": "一般公共预算当年拨款",
                  "office_operation": "机关运行经费"}
        for key in keys + ["office_operation"]:
            text = amount_text(prior[key])
            self.expected[("prior_year", key)] = text
            if key in stated:
                self.comment_shift.setdefault(
                    self.set_value(("prior_year", key), text, keep_quotes=False), shift)
            else:  # the standard does not require it, the new file has it
                self.add(("prior_year",), [(0, f"{key}: {text}",
                                            f"{old}年{labels[key]}（budget rollover 从上年文件算出）")])
        # the carry-overs are gone: if that changes the total, say why (the rule demands it)
        carried = sum((p[2] for p in self.plan.removed), Decimal(0))
        reasons = self.doc.data.get("change_reasons") or {}
        if carried and "total" in keys and not (reasons.get("total") or "").strip():
            self.add_total_reason(carried)

    def put_mapping(self, path: tuple, amounts: dict, comments: dict, comment: str):
        """Set the amounts of the mapping at `path`, adding the keys it lacks; or add it whole."""
        for key, amount in amounts.items():
            self.expected[path + (key,)] = amount_text(amount)
        stated = self.value_at(path[:-1]).get(path[-1])
        if stated is None:
            self.add(path[:-1], [(0, f"{path[-1]}:", comment)] + [
                (1, f"{key}: {amount_text(amount)}", comments[key]) for key, amount in amounts.items()])
            return
        missing = []
        for key, amount in amounts.items():
            if key in stated:
                self.set_value(path + (key,), amount_text(amount), keep_quotes=False)
            else:
                missing.append((0, f"{key}: {amount_text(amount)}", comments[key]))
        if missing:
            self.add(path, missing)

    def add(self, parent: tuple, lines: list[tuple[int, str, str]]):
        """Add lines (depth below the keys of `parent`, code, comment) at the end of the
        mapping at `parent`, indented as its keys are."""
        value = self.value_at(parent)
        key_line = self.doc.where_key(*parent).line
        node = self.doc.where(*parent)
        rest = re.sub(r"^&\S+ *", "", self.line(node.line)[node.column - 1:])
        if not value or rest.startswith("{"):
            raise AuthoringError(f"{self.where}:{key_line}: {'.'.join(parent)} 写在了花括号里，无法自动"
                                 f"加上 {lines[0][1].split(':')[0]}：请改成分行写法后再运行", status=1)
        first = min((self.doc.where_key(*parent, k) for k in value), key=lambda l: (l.line, l.column))
        child = first.column - 1
        step = child - self.indent(self.line(key_line))
        top = self.line(self.doc.where_key(parent[0]).line)  # its comment sets the file's column
        at = re.search(r"\s#", top)
        column = width(top[:at.start() + 1]) if at else COMMENT_COLUMN
        self.below.setdefault(self.block_end(key_line), []).extend(
            commented(" " * (child + depth * step) + code, comment, column) if comment
            else " " * (child + depth * step) + code for depth, code, comment in lines)

    def add_total_reason(self, carried: Decimal):
        reason = (f"待填写：收支总计比上年减少 {yuan_text(carried)}（{self.old_year} 年的上年结转未列入）"
                  "及其他增减的原因")
        self.plan.added_reason = True
        self.expected[("change_reasons", "total")] = reason
        data = self.doc.data
        if isinstance(data.get("change_reasons"), dict) and "total" in data["change_reasons"]:
            key = self.doc.where_key("change_reasons", "total")  # written, but empty
            self.replace[(key.line, key.column)] = (len(self.line(key.line)) + 1, f"total: {reason}")
        elif isinstance(data.get("change_reasons"), dict) and data["change_reasons"]:
            first = min((self.doc.where_key("change_reasons", k) for k in data["change_reasons"]),
                        key=lambda loc: (loc.line, loc.column))
            if first.line == self.doc.where_key("change_reasons").line:
                raise AuthoringError(f"{self.where}:{first.line}: change_reasons 写在了一行里，"
                                     "无法自动加上 total：请改成分行写法后再运行", status=1)
            pad = " " * (first.column - 1)
            self.above.setdefault(first.line, []).append(f"{pad}total: {reason}")
        elif "change_reasons" in data:  # `change_reasons:` or `change_reasons: {}`
            key = self.doc.where_key("change_reasons")
            self.replace[(key.line, key.column)] = (len(self.line(key.line)) + 1, "change_reasons:")
            self.below.setdefault(key.line, []).append(f"  total: {reason}")
        else:
            end = self.block_end(self.doc.where_key("prior_year").line)
            self.below.setdefault(end, []).extend(["", "change_reasons:", f"  total: {reason}"])

    def edit_as_of(self):
        # the standard's year-end of the assets: Shanghai counts them to 8 月 31 日 (assets-date)
        self.as_of = f"{self.old_year}-{self.derived.profile.config.get('assets_as_of', '12-31')}"
        line = self.set_value(("assets", "as_of"), self.as_of)
        self.expected[("assets", "as_of")] = self.as_of
        self.comment_shift[line] = (str(self.old_year - 1), str(self.old_year))

    def flag_one_off_projects(self):
        for p in self.budget.projects():
            if str(p.performance.get("attribute", "")).startswith("一次性项目"):
                loc = self.doc.where(*p.path)
                pad = " " * (self.indent(self.line(loc.line)))
                self.plan.one_off.append(p.name)
                self.above.setdefault(loc.line, []).append(
                    f"{pad}# 【{self.year}年请核实】一次性项目（1 年结束）：{self.old_year} 年已安排，"
                    f"{self.year} 年不再安排的请删去整个项目")

    def year_bound(self, path: tuple, text: str) -> str | None:
        """Why the text at `path` must be reviewed for the new year, or None."""
        if not any(_matches(path, p) for p in _TEXTS):
            return None
        text = MARKED.sub("", text)  # the marker of an earlier rollover names a year too
        years = [str(self.old_year), str(self.old_year - 1)]
        found = [y for y in years if re.search(rf"(?<![0-9]){y}", text)]
        if path[0] == "change_reasons":
            return f"增减原因说的是 {self.old_year} 年与 {self.old_year - 1} 年相比：请按 {self.year} 年与 {self.old_year} 年相比改写"
        if path[-1] == "filed_at" and found:
            return f"这是 {self.old_year} 年绩效目标表的填报时间：{self.year} 年填报后改写"
        if any(_matches(path, p) for p in _ALWAYS):
            return f"{self.old_year} 年的年度目标：请按 {self.year} 年的目标核实或改写"
        if found:
            return f"文字提到“{'”“'.join(found)}”：请按 {self.year} 年核实或改写"
        return None

    def flag_texts(self):
        self.insert.clear()
        self.marked.clear()
        self.flag_comments: dict[int, list[str]] = {}
        texts = list(self.doc.texts())
        # an alias is the very object of its anchor: the text is written (and marked) there
        first = {}
        for path, text in texts:
            first.setdefault(id(text), path)
        seen = set()
        for path, text in texts:
            why = self.year_bound(path, text) if text.strip() else None
            anchor = first[id(text)]
            if not why or path in self.expected or self.removed(path) or self.removed(anchor):
                continue
            start = self.content_start(anchor)
            if start is None or start[:2] in seen:
                continue
            seen.add(start[:2])
            if anchor != path:
                why += f"（这段文字也用作 {escaped_line('.'.join(map(str, path[-2:])))}）"
            loc = self.doc.where(*anchor)
            pad = " " * self.indent(self.line(loc.line))
            if id(text) in self.unmarkable or MARKED.match(text.lstrip()):  # one marker is enough
                note = f"{pad}# 【{self.year}年请核实】{why}"
            else:
                self.insert[start[:2]] = self.mark
                # in a block scalar the marker goes after its blank lines (and any indentation
                # the text keeps, as with `|2`)
                lead = re.match("\n* *", text).end() if start[2] else 0
                self.marked[id(text)] = text[:lead] + self.mark + text[lead:]
                note = f"{pad}# 【{self.year}年请核实】{why}，然后删去“{self.mark}”"
            notes = self.flag_comments.setdefault(loc.line, [])
            if note not in notes:  # several texts of one line (a {…} of indicators): once
                notes.append(note)
        self.plan.marked = len(self.insert)

    def render(self) -> str:
        out = []
        nl = self.newline
        edits: dict[int, list] = {}
        for (line, col), (end, text) in self.replace.items():
            edits.setdefault(line, []).append((col, end, text))
        for (line, col), text in self.insert.items():
            edits.setdefault(line, []).append((col, col, text))
        header = [schema_line(self.plan.out)] + self.header()
        first = 1
        if self.lines and self.line(1).startswith("# yaml-language-server:"):
            first = 2  # replaced by ours: the path is relative to the new file
        if first <= len(self.lines) and self.line(first).startswith(HEADER):
            first += 1  # the header of an earlier rollover: replaced by ours
            while first <= len(self.lines) and self.line(first).startswith("#   "):
                first += 1
        out += [h + nl for h in header]
        for n in range(first, len(self.lines) + 1):
            raw = self.lines[n - 1]
            ending = raw[len(raw.rstrip("\r\n")):] or nl
            content = self.line(n)
            for col, end, text in sorted(edits.get(n, []), reverse=True):
                content = content[:col - 1] + text + content[end - 1:]
            if n in self.comment_shift:
                content = self.shift_comment(content, *self.comment_shift[n])
            for note in self.above.get(n, []) + self.flag_comments.get(n, []):
                out.append(note + nl)
            if n in self.comment_out:
                c = self.comment_out[n] - 1
                content = content[:c] + "# " + content[c:]
            out.append(content + ending)
            for extra in self.below.get(n, []):
                out.append(extra + nl)
        return "".join(out)

    @staticmethod
    def shift_comment(content: str, old: str, new: str) -> str:
        """The year in the trailing comment of an edited line moves with its value."""
        at = content.find(" #")
        if at < 0:
            return content
        return content[:at] + re.sub(rf"(?<![0-9]){old}(?![0-9])", new, content[at:])

    def header(self) -> list[str]:
        y, old = self.year, self.old_year
        lines = [
            f"# 【budget rollover】本文件由 {escaped_line(self.plan.source.as_posix())} 生成，"
            f"是 {y} 年预算的起点：",
            f"#   已改：year 改为 {y}；prior_year 填入 {old} 年预算的{self.prior_note}",
            f"#   （与 budget check 核对上年文件所用的数一致）；assets.as_of 改为 {self.as_of}；"
            f"{old} 年的上年结转项目改成了注释。",
            f"#   未改：各项金额、人员、资产仍是 {old} 年的数，请按 {y} 年逐项改写；与上年不同的，"
            "须在 change_reasons 说明原因。",
            f"#   带“{self.mark}”的文字写于 {old} 年（提到年份，或是增减原因、年度目标），"
            "核实或改写后删去这几个字：",
            "#   budget check 对每一处给出警告 placeholder-text，正式稿（final）中不允许保留。",
            f"#   以下原文件的注释照原样保留，说的是 {old} 年的情况。",
        ]
        if self.budget.control_totals:
            lines.insert(-1, f"#   control_totals 是 {old} 年批复的控制数：收到 {y} 年的批复后改写。")
        return lines

    def verify(self, text: str) -> set:
        """Read the new text back: every scalar is what was written, but the values changed on
        purpose and the marked texts; the (line, col) of marked texts that became too long."""
        from .schema import validate

        try:
            doc = load_text(str(self.plan.out), text)
        except BudgetError as exc:  # our edit broke the file: it is never written
            raise AuthoringError(f"内部错误：生成的文件无法读取（{exc}），没有写入", status=1) from None
        new = dict(doc.texts())
        for path, old in self.doc.texts():
            if self.removed(path):
                if path in new:
                    raise AuthoringError(f"内部错误：{path} 应已删去，没有写入", status=1)
                continue
            want = self.expected.get(path, old)
            if id(old) in self.marked and path not in self.expected:
                want = self.marked[id(old)]
            if new.get(path) != want:
                raise AuthoringError(f"内部错误：{'.'.join(map(str, path))} 应为“{want}”，"
                                     f"却是“{new.get(path)}”，没有写入", status=1)
        for path, want in self.expected.items():
            if new.get(path) != want:
                raise AuthoringError(f"内部错误：{'.'.join(map(str, path))} 应为“{want}”，没有写入",
                                     status=1)
        too_long = set()
        for finding in validate(doc):
            if finding.rule != "schema-too-long":
                continue
            for path, _ in doc.texts():
                if doc.where(*path) == finding.location:
                    value = self.value_at(path)
                    if id(value) in self.marked:
                        too_long.add(id(value))
        return too_long
