"""The `budget` command."""
from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

from .findings import ERROR, format_findings, one_line


def version() -> str:
    """The installed package's version, or pyproject.toml's when it is not installed."""
    from importlib import metadata
    try:
        return metadata.version("budget-disclosure")
    except metadata.PackageNotFoundError:
        import tomllib
        try:
            with open(Path(__file__).resolve().parent.parent / "pyproject.toml", "rb") as f:
                return str(tomllib.load(f)["project"]["version"])
        except (OSError, KeyError, tomllib.TOMLDecodeError):
            return "（版本未知）"


class _Version(argparse.Action):
    """--version, looked up only when asked for (start-up stays fast)."""

    def __init__(self, option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS,
                 help=None):
        super().__init__(option_strings, dest, nargs=0, default=default, help=help)

    def __call__(self, parser, namespace, values, option_string=None):
        print(f"budget {version()}")
        parser.exit()


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)

    def format_help(self) -> str:  # "选项:" → "选项：" (argparse adds the colon itself)
        return re.sub(r"^(\S+):$", r"\1：", super().format_help(), flags=re.M)


# argparse's own messages (Python 3.11–3.13 wordings) → Chinese; {0}… are the groups
_ARGPARSE_MESSAGES = [
    (r"argument (.+?): expected one argument", "{0} 后面要写一个值"),
    (r"argument (.+?): expected at least one argument", "{0} 后面至少要写一个值"),
    (r"argument (.+?): expected (\d+) arguments?", "{0} 后面要写 {1} 个值"),
    (r"argument (.+?): invalid (\S+) value: '?(.*?)'?", "{0} 的值“{2}”不对"),
    (r"argument (.+?): ignored explicit argument '?(.*?)'?", "{0} 后面不能写值（多了“{1}”）"),
    (r"argument (.+?): not allowed with argument (.+)", "{0} 不能与 {1} 同时使用"),
    (r"unrecognized arguments?: (.+)", "无法识别的参数：{0}"),
    (r"ambiguous option: (\S+) could match (.+)", "选项 {0} 不明确，可能是：{1}"),
    (r"one of the arguments (.+) is required", "{0} 必须写一个"),
    (r"argument (.+?): (.+)", "{0}：{1}"),
]


class ChineseParser(argparse.ArgumentParser):
    """argparse speaking Chinese: headings, -h, usage errors (exit status 2, no traceback)."""

    def __init__(self, *args, add_help: bool = True, **kwargs):
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, add_help=False, **kwargs)
        self._positionals.title = "位置参数"
        self._optionals.title = "选项"
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                              help="显示本说明并退出")

    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}：{self.chinese(message)}（{self.prog} -h 查看用法）\n")

    def _commands(self) -> list[str]:
        return [name for action in self._actions
                if isinstance(action, argparse._SubParsersAction) for name in action.choices]

    def _names(self, text: str) -> str:
        """"PATH, --out" or "'a', 'b'" → "PATH、--out", "a、b"."""
        return "、".join(name.strip(" '") for name in text.split(","))

    def chinese(self, message: str) -> str:
        commands = self._commands()
        missing = re.fullmatch(r"the following arguments are required: (.+)", message)
        if missing:
            names = [n.strip() for n in missing.group(1).split(",")]
            if commands and any(n in ("命令", "command") or n.startswith("{") for n in names):
                return f"缺少命令：{'、'.join(commands)} 之一，例如 {self.prog} check budgets/"
            return f"缺少参数 {'、'.join(names)}"
        choice = re.fullmatch(r"argument (.+?): invalid choice: '?(.*?)'? \(choose from (.+)\)",
                              message)
        if choice:
            import difflib
            name, value, allowed = choice.groups()
            allowed = [a.strip(" '") for a in allowed.split(",")]
            close = difflib.get_close_matches(value, allowed, n=1, cutoff=0.5)
            hint = f"，是否应为“{close[0]}”？" if close else "；"
            what = "命令" if commands and value not in allowed and name in ("命令", "command") \
                else f"{name} 的值"
            return f"{what}“{value}”不存在{hint}可用：{'、'.join(allowed)}"
        for english, words in _ARGPARSE_MESSAGES:
            match = re.fullmatch(english, message)
            if match:
                return words.format(*(self._names(g) for g in match.groups()))
        return f"命令行有误：{message}"


def _paths(args: list[str]) -> tuple[list[str], list[str]]:
    """Files as given; a folder stands for every .yaml (or .yml) file below it.  And what is
    wrong with the arguments, in words: a path that does not exist, a folder without a budget
    (said as such, not as a finding at 1:1 of a file that is not there), what a folder holds
    under a budget's name that is no file (a named pipe would make the check wait forever).
    Each file once, however often it is named (a file and its folder).  "REV:path" is a file
    in git (generator.loader.read_source)."""
    from .files import BROKEN_LINK, LINK_LOOP, path_kind, refused_name

    paths, problems, seen = [], [], set()

    def add(path: str):
        # the same file however it is written; a link to it under another name is another
        # budget (its output is named after the link)
        key = os.path.join(os.path.realpath(os.path.dirname(path)), os.path.basename(path)) \
            if os.path.lexists(path) else path
        if key not in seen:
            seen.add(key)
            paths.append(path)

    for arg in args:
        p = Path(arg)
        kind = path_kind(arg)
        if kind == "文件夹":
            found = 0
            for f in sorted(p.rglob("*"), key=str):
                if f.suffix not in (".yaml", ".yml"):
                    continue
                kind = path_kind(f)
                if kind == "文件":
                    found += 1
                    add(str(f))
                elif kind not in (None, "文件夹"):  # (a folder x.yaml: rglob lists what it holds)
                    problems.append(f"跳过 {f}：它是{kind}，不是预算文件（预算文件是普通的 .yaml 文件）")
            if not found:
                problems.append(f"文件夹 {arg} 中没有预算文件（.yaml）")
        elif kind in (BROKEN_LINK, LINK_LOOP):
            problems.append(f"{arg} 是{kind}：请改正链接或给出文件本身")
        elif kind or ":" in arg:
            add(arg)
        else:  # the system may refuse the name itself: then "not found" would mislead
            too_long = refused_name(arg)
            problems.append(f"无法使用 {arg}：{too_long}，请改短" if too_long else f"找不到文件 {arg}")
    return paths, problems


def cmd_check(args) -> int:
    from .check import check

    paths, problems = _paths(args.paths)
    for problem in problems:
        print(f"budget check：{problem}", file=sys.stderr)
    if not paths:  # an empty folder must not pass as "all budgets are fine"
        return 1
    findings, errors = [], 0
    for path in paths:
        _, _, found = check(path, args.standard)  # one bad file does not stop the others
        findings += found
        errors += any(f.severity == ERROR or args.strict for f in found)
    output = format_findings(findings, args.format)
    if output:
        print(output)
    if args.format == "text":  # the tally goes to stderr: stdout stays one finding a line
        print(f"已检查 {len(paths)} 个文件：{len(paths) - errors} 个通过，{errors} 个未通过",
              file=sys.stderr)
        if findings:
            print(f"共 {sum(f.severity == ERROR for f in findings)} 个错误、"
                  f"{sum(f.severity != ERROR for f in findings)} 个警告", file=sys.stderr)
    return 1 if errors or problems else 0


def cmd_build(args) -> int:
    from .build import FORMATS, build, out_folder_problem
    from .files import inside_budgets

    # (realpath, not Path.resolve: that raises on a link loop)
    forbidden = inside_budgets(Path(os.path.realpath(args.out)))
    if forbidden:
        print(f"budget build：输出文件夹 {args.out} 在预算文件夹 {forbidden} 之内；"
              "生成的文件不能写入 budgets/，请换一个 --out（例如 build）", file=sys.stderr)
        return 1

    # a redline is for reading on screen: HTML unless a PDF is asked for explicitly
    fmt = args.format if args.format is not None else ("html" if args.redline else "html,pdf")
    formats = [f.strip() for f in fmt.split(",") if f.strip()]
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        print(f"budget build: --format 只能是 {','.join(FORMATS)} 中的一个或多个", file=sys.stderr)
        return 2
    if args.redline and set(formats) - {"html", "pdf"}:
        print("budget build: 修订对照页只生成 html 或 pdf（表格和开放数据只按工作区的文件生成）",
              file=sys.stderr)
        return 2
    if args.redline:
        from .redline import RedlineError, check_base
        try:
            check_base(args.redline)  # once, before any file: a wrong BASE fails them all
        except RedlineError as exc:
            print(f"budget build: {exc}", file=sys.stderr)
            return 2
    paths, problems = _paths(args.paths)
    for problem in problems:
        print(f"budget build：{problem}", file=sys.stderr)
    if args.shard:
        from .build import in_shard
        paths = [p for p in paths if in_shard(p, args.shard)]
        print(f"budget build：第 {args.shard[0]}/{args.shard[1]} 份，{len(paths)} 个预算",
              file=sys.stderr)
        if not paths and not problems:
            return 0  # a shard of a small folder may well be empty
    if not paths:
        return 1
    unwritable = out_folder_problem(Path(args.out))  # now, not after seconds of rendering
    if unwritable:
        print(f"budget build：无法写入输出文件夹 {args.out}：{unwritable}；请换一个 --out（例如 build）",
              file=sys.stderr)
        return 1
    if args.no_cache:
        os.environ["BUDGET_CACHE"] = "off"  # for this process and its workers
    return build(paths, Path(args.out), formats, args.redline, args.standard,
                 jobs=args.jobs) or (1 if problems else 0)


def _jobs(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"“{text}”不是正整数")
    return int(text)


def _shard(text: str) -> tuple[int, int]:
    match = re.fullmatch(r"([0-9]+)/([0-9]+)", text)
    if not match or not 1 <= int(match.group(1)) <= int(match.group(2)):
        raise argparse.ArgumentTypeError(f"“{text}”应写成 I/N，1 ≤ I ≤ N，例如 1/4")
    return int(match.group(1)), int(match.group(2))


def _cores() -> int:
    """--jobs when not given: $BUDGET_JOBS, else the cores this process may use (a CI
    container's share, not the host's)."""
    if os.environ.get("BUDGET_JOBS", "").isdigit() and int(os.environ["BUDGET_JOBS"]) > 0:
        return int(os.environ["BUDGET_JOBS"])
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def cmd_site(args) -> int:
    from .files import inside_budgets
    from .site import site

    if inside_budgets(Path(os.path.realpath(args.out))):
        print(f"budget site：输出文件夹 {args.out} 在预算文件夹之内；请换一个 --out（例如 build/site）",
              file=sys.stderr)
        return 1
    paths, problems = _paths(args.paths)
    for problem in problems:
        print(f"budget site：{problem}", file=sys.stderr)
    if not paths:
        return 1
    if args.no_cache:
        os.environ["BUDGET_CACHE"] = "off"
    return site(paths, Path(args.out), jobs=args.jobs) or (1 if problems else 0)


def cmd_serve(args) -> int:
    from .build import out_folder_problem
    from .files import inside_budgets
    from .serve import serve

    paths, problems = _paths(args.paths)
    for problem in problems:
        print(f"budget serve：{problem}", file=sys.stderr)
    if not paths:
        return 1
    unwritable = ("它在预算文件夹之内" if inside_budgets(Path(os.path.realpath(args.out)))
                  else out_folder_problem(Path(args.out)))
    if unwritable:
        print(f"budget serve：无法写入输出文件夹 {args.out}：{unwritable}；请换一个 --out（例如 build）",
              file=sys.stderr)
        return 1
    try:
        return serve(paths, Path(args.out), args.host, args.port)
    except OSError as exc:  # the port is taken, or the address is not this machine's
        print(f"budget serve：无法在 {args.host}:{args.port} 上提供预览：{exc.strerror or exc}"
              "（换一个 --port）", file=sys.stderr)
        return 1


def cmd_diff(args) -> int:
    from .diff import diff_budgets, diff_git
    from .diff_format import as_json, markdown, terminal

    if not args.git and len(args.sides) != 2:
        print("budget diff：请给出 OLD NEW 两个文件（或 REV:路径），或用 --git BASE", file=sys.stderr)
        return 2
    try:  # not a repository, not a revision, a side that cannot be read at all
        diffs, shared = diff_git(args.git) if args.git else ([diff_budgets(*args.sides)], [])
    except ValueError as exc:
        print(f"budget diff：{exc}", file=sys.stderr)
        return 2
    if args.format == "markdown":
        print(markdown(diffs, shared), end="")
    elif args.format == "json":
        print(as_json(diffs, shared))
    else:
        colour = args.color == "always" or (args.color == "auto" and sys.stdout.isatty())
        print(terminal(diffs, colour, shared) or "没有预算文件变化")
    return 0


def cmd_show(args) -> int:
    from .show import show

    try:
        text = show(args.path)
    except ValueError as exc:  # nothing to show: no such file, revision or path
        print(f"budget show：{exc}", file=sys.stderr)
        return 2
    sys.stdout.write(text)
    return 0


def cmd_changed(args) -> int:
    """For the Makefile's pr-* targets and the pre-commit hook, which budgets a change since
    BASE concerns (generator.changes), one line each: "shared PATH" for a changed file every
    budget depends on (then every budget is listed), "budget PATH" for a budget to check and
    build, "deleted PATH" for a budget deleted (or renamed: then also "budget NEWPATH") since
    BASE; paths from the repository's top.  Nothing printed: no budget concerned.  A line
    break in a path is written \\n; with -z each record ends in NUL instead, its path as it
    is: what scripts read (the lines could not carry such a name)."""
    from .changes import changes, describe

    try:
        text = describe(changes(args.base, staged=args.cached), nul=args.z)
    except ValueError as exc:
        print(f"budget changed：{exc}", file=sys.stderr)
        return 2
    if args.z:  # the name's own bytes, even those that are no UTF-8 (see changes.git)
        sys.stdout.flush()
        sys.stdout.buffer.write(text.encode("utf-8", "surrogateescape"))
    else:
        sys.stdout.write(text)
    return 0


def cmd_catalog(args) -> int:
    from .catalog import CatalogError, search
    from .findings import BudgetError

    try:
        matches = search(args.query, economic=args.economic)
    except (CatalogError, BudgetError) as exc:  # additions.yaml is wrong: say where
        print(format_findings(exc.findings, "text"), file=sys.stderr)
        return 1
    if args.format == "json":
        import json
        print(json.dumps([{"code": m.code, "name": m.name, "level": m.level,
                           "parents": [{"code": c, "name": n} for c, n in m.path],
                           "budget": m.budget, "status": m.status, "mapping": m.mapping}
                          for m in matches], ensure_ascii=False, indent=2))
        return 0 if matches else 1
    if not matches:
        print(f"目录中没有与“{args.query}”相符的科目（按编码开头或名称中的词查找）", file=sys.stderr)
        return 1
    shown = matches if args.all else matches[:CATALOG_SHOWN]
    for m in shown:
        parents = " › ".join(f"{c} {n}" for c, n in m.path)
        mapping = "；".join(f"{side}→{other}" for side, other in m.mapping.items())
        label = "对应政府经济分类" if m.budget == "部门预算支出经济分类" else "含部门经济分类"
        print("  ".join(filter(None, [f"{m.code} {m.name}", f"[{m.level}]", parents, m.budget,
                                      mapping and f"{label}：{mapping}", m.status])))
    if len(shown) < len(matches):
        print(f"共 {len(matches)} 条，只列出前 {len(shown)} 条（加 --all 列出全部，或把查询写得更具体）",
              file=sys.stderr)
    return 0


CATALOG_SHOWN = 60


def _authoring_done(path, what: str) -> int:
    """After `new` or `rollover`: where the file is, and what `budget check` says of it."""
    from .check import check

    _, _, found = check(str(path))
    errors = sum(f.severity == ERROR for f in found)
    print(f"已写入 {one_line(path)}（{what}）", file=sys.stderr)
    if errors:
        print(format_findings(found, "text"))
    print(f"budget check：{errors} 个错误、{len(found) - errors} 个警告"
          + ("（警告列出要填写或核实的地方）" if found and not errors else ""), file=sys.stderr)
    return 1 if errors else 0


def cmd_new(args) -> int:
    from .authoring import AuthoringError, create_new, new_options

    try:
        path = create_new(new_options(args.name, args.code, args.year, args.region, args.unit,
                                      args.file, args.out))
    except AuthoringError as exc:
        print(f"budget new：{exc}", file=sys.stderr)
        return exc.status
    return _authoring_done(path, "新部门的预算初稿")


def cmd_rollover(args) -> int:
    from .authoring import AuthoringError, create_rollover

    try:
        plan = create_rollover(args.path, args.out)
    except AuthoringError as exc:
        print(f"budget rollover：{exc}", file=sys.stderr)
        if exc.findings:
            print(format_findings(exc.findings, "text"), file=sys.stderr)
        return exc.status
    if plan.source_errors:
        print(f"注意：{args.path} 本身有 {len(plan.source_errors)} 个错误，上年数按它现在的数字填写；"
              "改正后请核对新文件的 prior_year", file=sys.stderr)
    for unit, name, amount in plan.removed:
        print(f"上年结转项目改成了注释：{unit}“{name}”（{amount:,.2f} 元）", file=sys.stderr)
    print(f"标出待核实的文字 {plan.marked} 处；一次性项目 {len(plan.one_off)} 个请核实是否继续安排",
          file=sys.stderr)
    return _authoring_done(plan.out, f"{plan.year} 年预算的起点")


def cmd_schema(args) -> int:
    """The JSON Schema of a budget file for editors; schema/budget.schema.json is this output."""
    from .catalog import CatalogError
    from .findings import BudgetError
    from .json_schema import text

    try:
        sys.stdout.write(text())
    except (CatalogError, BudgetError) as exc:  # additions.yaml is wrong: say where
        print(format_findings(exc.findings, "text"), file=sys.stderr)
        return 1
    except ValueError as exc:  # the schema and its descriptions disagree
        print(f"budget schema：{exc}", file=sys.stderr)
        return 1
    return 0


def _given(what: str, blank: bool = False):
    """An argparse type refusing an empty value (usage error, exit 2): Path("") is ".", the
    whole current folder, and an empty --out or --redline would quietly mean the default.
    With `blank`, only spaces is empty too."""
    def value(text: str) -> str:
        if not (text.strip() if blank else text):
            raise argparse.ArgumentTypeError(f"不能为空，请写出{what}")
        return text
    return value


PATHS, FILE, BASE = (_given("预算文件或文件夹的路径"), _given("文件的路径"),
                     _given(" git 版本，例如 HEAD 或 origin/main"))


def _standard_option(parser) -> None:
    from .profiles import available
    parser.add_argument("--standard", choices=available(), metavar="NAME",
                        help="按另一公开标准生成（" + "、".join(available()) + "；默认为文件中的 "
                             "standard，未写时为 shanxi）；结果写为 <名称>.<标准>.html|.pdf")


def main(argv: list[str] | None = None) -> int:
    parser = ChineseParser(prog="budget", description="部门预算公开：检查与生成")
    parser.add_argument("--version", action=_Version, help="显示版本号并退出")
    sub = parser.add_subparsers(dest="command", required=True, metavar="命令")
    p = sub.add_parser("check", help="检查预算文件（格式、科目、勾稽关系）")
    p.add_argument("paths", nargs="+", metavar="PATH", type=PATHS, help="预算 YAML 文件或文件夹")
    p.add_argument("--format", choices=["text", "json", "github"], default="text")
    p.add_argument("--strict", action="store_true", help="警告也视为不通过")
    _standard_option(p)
    p.set_defaults(run=cmd_check)
    p = sub.add_parser("build", help="生成部门预算公开文件（HTML、PDF、表格、开放数据）")
    p.add_argument("paths", nargs="+", metavar="PATH", type=PATHS, help="预算 YAML 文件或文件夹")
    p.add_argument("--format", help="html、pdf、xlsx（表格，按印出的格式）、data（开放数据："
                   "每表一个 CSV、一个 JSON 和 datapackage.json，在 <名称>.data/ 中），可用逗号"
                   "连写；默认 html,pdf（用 --redline 时默认 html）")
    p.add_argument("--out", default="build", type=_given("输出文件夹，例如 build"),
                   help="输出文件夹（默认 build）")
    p.add_argument("--redline", metavar="BASE", type=BASE,
                   help="生成修订对照页：标出工作区的文件与 git 版本 BASE 相比改动的数字和文字，"
                        "写为 <名称>.redline.html（加 --format pdf 另写 .redline.pdf）")
    p.add_argument("--jobs", type=_jobs, default=_cores(), metavar="N",
                   help=f"同时生成 N 个预算（默认为本机可用的核数，这里是 {_cores()}）")
    p.add_argument("--shard", type=_shard, metavar="I/N",
                   help="只生成 N 份中的第 I 份（按路径的散列值分，各份互不重复、合起来是全部；"
                        "供 CI 的矩阵或多台机器分工）")
    p.add_argument("--no-cache", action="store_true",
                   help="不用也不写构建缓存（build/cache，或 BUDGET_CACHE 指定的文件夹）")
    _standard_option(p)
    p.set_defaults(run=cmd_build)
    p = sub.add_parser("site", help="生成公开网站：各年度的部门列表（可排序、查找）、各地区的汇总，"
                                    "每个部门的 HTML、PDF、表格（xlsx）和开放数据（CSV、JSON）")
    p.add_argument("paths", nargs="*", default=["budgets"], metavar="PATH", type=PATHS,
                   help="预算 YAML 文件或文件夹（默认 budgets）")
    p.add_argument("--out", default="build/site", type=_given("输出文件夹，例如 build/site"),
                   help="网站写在这里（默认 build/site）；其中过时的文件会被删除")
    p.add_argument("--jobs", type=_jobs, default=_cores(), metavar="N",
                   help=f"同时生成 N 个预算（默认为本机可用的核数，这里是 {_cores()}）")
    p.add_argument("--no-cache", action="store_true", help="不用也不写构建缓存")
    p.set_defaults(run=cmd_site)
    p = sub.add_parser("serve", help="本地预览：保存预算文件后自动重新检查，立即显示问题和公开文本，"
                                     "随后显示 PDF；浏览器页面自动刷新")
    p.add_argument("paths", nargs="*", default=["budgets"], metavar="PATH", type=PATHS,
                   help="预算 YAML 文件或文件夹（默认 budgets）")
    p.add_argument("--port", type=int, default=8000, help="端口（默认 8000；0：任一空闲端口）")
    p.add_argument("--host", default="127.0.0.1",
                   help="地址（默认 127.0.0.1，只有本机能访问）")
    p.add_argument("--out", default="build", type=_given("输出文件夹，例如 build"),
                   help="公开文件写在这里（默认 build），预览只提供这个文件夹中的文件")
    p.set_defaults(run=cmd_serve)
    p = sub.add_parser("diff", help="比较两个版本的预算公开内容（表格、文字、问题）")
    p.add_argument("sides", nargs="*", metavar="OLD NEW", type=FILE,
                   help="文件，或 git 版本中的文件：REV:路径")
    p.add_argument("--git", metavar="BASE", type=BASE,
                   help="比较自 BASE 以来改动的每个预算文件（含未提交的改动）")
    p.add_argument("--format", choices=["terminal", "markdown", "json"], default="terminal")
    p.add_argument("--color", choices=["auto", "always", "never"], default="auto")
    p.set_defaults(run=cmd_diff)
    p = sub.add_parser("show", help="把预算公开内容逐行输出为文本（供 git diff 的 textconv 使用）")
    p.add_argument("path", metavar="PATH", type=FILE, help="预算 YAML 文件或 REV:路径")
    p.set_defaults(run=cmd_show)
    p = sub.add_parser("schema", help="输出预算文件的 JSON Schema（供编辑器提示和检查；"
                                      "即 schema/budget.schema.json）")
    p.set_defaults(run=cmd_schema)
    p = sub.add_parser("catalog", help="查科目：按编码开头或名称中的词查找支出功能分类（或经济分类）科目")
    p.add_argument("query", metavar="QUERY", type=_given("要查的编码开头或名称中的词", blank=True),
                   help="编码开头（如 20701）或名称中的词（如 图书馆）")
    p.add_argument("--economic", action="store_true", help="查部门/政府预算支出经济分类及其对照")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.add_argument("--all", action="store_true", help="列出全部查到的科目")
    p.set_defaults(run=cmd_catalog)
    p = sub.add_parser("changed", help="列出自 BASE 以来的改动涉及的预算文件（供 make pr-* 和提交前检查使用）")
    p.add_argument("base", nargs="?", default="HEAD", metavar="BASE", type=BASE,
                   help="git 版本（默认 HEAD）")
    p.add_argument("--cached", action="store_true", help="比较暂存区（而不是工作区）与 BASE")
    p.add_argument("-z", action="store_true",
                   help="每条以 NUL 结尾（而不是换行），路径原样输出：供脚本读取（xargs -0）")
    p.set_defaults(run=cmd_changed)
    p = sub.add_parser("new", help="为新部门写一个最小的预算文件（可以直接通过检查，警告列出要填写的地方）")
    p.add_argument("--name", metavar="名称", help="部门名称，如 泽州县文化和旅游局")
    p.add_argument("--code", metavar="代码", help="部门代码，3–6 位数字，如 031")
    p.add_argument("--year", metavar="年度", help="预算年度，如 2026")
    p.add_argument("--region", metavar="地区", help="所属地区，如 泽州县")
    p.add_argument("--unit", action="append", metavar="名称:性质",
                   help="所属单位及单位性质（行政单位、参公事业单位、事业单位），每个单位写一次，"
                        "如 --unit 泽州县图书馆:事业单位")
    p.add_argument("--file", metavar="文件名", help="文件名（小写英文字母、数字和短横线，如 zezhou-wenlv），"
                                  "写为 budgets/<年度>/<文件名>.yaml")
    p.add_argument("--out", metavar="路径", type=_given("新文件的路径"),
                   help="或者：新文件的完整路径（以 .yaml 结尾）")
    p.set_defaults(run=cmd_new)
    p = sub.add_parser("rollover", help="由本年的预算文件生成下一年的起点：年度加一、填好上年数，"
                                        "标出要核实的文字")
    p.add_argument("path", metavar="FILE", type=FILE, help="本年的预算文件，如 budgets/2026/zezhou-xinfang.yaml")
    p.add_argument("--out", metavar="路径", type=_given("新文件的路径"),
                   help="新文件的路径（默认 budgets/<下一年>/<同名>.yaml）")
    p.set_defaults(run=cmd_rollover)
    for stream in (sys.stdout, sys.stderr):  # a file name that is no UTF-8 is printed as
        if hasattr(stream, "reconfigure"):  # \udcff escapes, not a UnicodeEncodeError
            stream.reconfigure(errors="backslashreplace")
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except BrokenPipeError:  # `budget catalog 行政运行 | head`: the reader has had enough
        sys.stdout = open(os.devnull, "w")  # nothing more to flush at exit
        return 0
    except KeyboardInterrupt:  # Ctrl-C: files are written whole or not at all (write_atomically)
        print("\nbudget：已中断（没有写入不完整的文件）", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
