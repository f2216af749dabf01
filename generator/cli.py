"""The `budget` command."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .findings import ERROR, format_findings


def _paths(args: list[str]) -> list[str]:
    """Files as given; a folder stands for every .yaml (or .yml) below it."""
    paths = []
    for arg in args:
        p = Path(arg)
        paths += sorted(str(f) for f in p.rglob("*") if f.suffix in (".yaml", ".yml")) \
            if p.is_dir() else [arg]
    return paths


def cmd_check(args) -> int:
    from .check import check

    paths = _paths(args.paths)
    if not paths:  # an empty folder must not pass as "all budgets are fine"
        print(f"没有找到要检查的 .yaml 文件：{'、'.join(args.paths)}", file=sys.stderr)
        return 1
    findings, errors = [], 0
    for path in paths:
        _, _, found = check(path)  # one bad file does not stop the others
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
    return 1 if errors else 0


def inside_budgets(folder: Path) -> Path | None:
    """The folder named budgets that `folder` is (or is inside of), if any: budget files live
    there and the tool never writes there. The search stops at a project's root (a folder
    with a budgets/ of its own), so a clone kept under some ".../budgets/repo" still builds."""
    for parent in [folder, *folder.parents]:
        if parent.name == "budgets":
            return parent
        if (parent / "budgets").is_dir():
            return None
    return None


def cmd_build(args) -> int:
    from .build import FORMATS, build

    forbidden = inside_budgets(Path(args.out).resolve())
    if forbidden:
        print(f"budget build：输出文件夹 {args.out} 在预算文件夹 {forbidden} 之内；"
              "生成的文件不能写入 budgets/，请换一个 --out（例如 build）", file=sys.stderr)
        return 1

    # a redline is for reading on screen: HTML unless a PDF is asked for explicitly
    fmt = args.format or ("html" if args.redline else "html,pdf")
    formats = [f.strip() for f in fmt.split(",") if f.strip()]
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        print(f"budget build: --format 只能是 {','.join(FORMATS)} 中的一个或多个", file=sys.stderr)
        return 2
    if args.redline:
        from .redline import RedlineError, check_base
        try:
            check_base(args.redline)  # once, before any file: a wrong BASE fails them all
        except RedlineError as exc:
            print(f"budget build: {exc}", file=sys.stderr)
            return 2
    return build(_paths(args.paths), Path(args.out), formats, args.redline)


def cmd_diff(args) -> int:
    from .diff import diff_budgets, diff_git
    from .diff_format import as_json, markdown, terminal

    shared = []
    if args.git:
        try:
            diffs, shared = diff_git(args.git)
        except ValueError as exc:
            print(f"budget diff：{exc}", file=sys.stderr)
            return 2
    elif len(args.sides) == 2:
        diffs = [diff_budgets(*args.sides)]
    else:
        print("budget diff：请给出 OLD NEW 两个文件（或 REV:路径），或用 --git BASE", file=sys.stderr)
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

    sys.stdout.write(show(args.path))
    return 0


def cmd_changed(args) -> int:
    """For the Makefile's pr-* targets and the pre-commit hook, which budgets a change since
    BASE concerns (generator.changes), one line each: "shared PATH" for a changed file every
    budget depends on (then every budget is listed), "budget PATH" for a budget to check and
    build, "deleted PATH" for a budget deleted since BASE.  Nothing printed: no budget concerned."""
    from .changes import changes, describe

    try:
        sys.stdout.write(describe(changes(args.base, staged=args.cached)))
    except ValueError as exc:
        print(f"budget changed：{exc}", file=sys.stderr)
        return 2
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="budget", description="部门预算公开：检查与生成")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("check", help="检查预算文件（格式、科目、勾稽关系）")
    p.add_argument("paths", nargs="+", metavar="PATH", help="预算 YAML 文件或文件夹")
    p.add_argument("--format", choices=["text", "json", "github"], default="text")
    p.add_argument("--strict", action="store_true", help="警告也视为不通过")
    p.set_defaults(run=cmd_check)
    p = sub.add_parser("build", help="生成部门预算公开文件（HTML、PDF）")
    p.add_argument("paths", nargs="+", metavar="PATH", help="预算 YAML 文件或文件夹")
    p.add_argument("--format", help="html、pdf 或 html,pdf（默认；用 --redline 时默认 html）")
    p.add_argument("--out", default="build", help="输出文件夹（默认 build）")
    p.add_argument("--redline", metavar="BASE",
                   help="生成修订对照页：标出工作区的文件与 git 版本 BASE 相比改动的数字和文字，"
                        "写为 <名称>.redline.html（加 --format pdf 另写 .redline.pdf）")
    p.set_defaults(run=cmd_build)
    p = sub.add_parser("diff", help="比较两个版本的预算公开内容（表格、文字、问题）")
    p.add_argument("sides", nargs="*", metavar="OLD NEW", help="文件，或 git 版本中的文件：REV:路径")
    p.add_argument("--git", metavar="BASE", help="比较自 BASE 以来改动的每个预算文件（含未提交的改动）")
    p.add_argument("--format", choices=["terminal", "markdown", "json"], default="terminal")
    p.add_argument("--color", choices=["auto", "always", "never"], default="auto")
    p.set_defaults(run=cmd_diff)
    p = sub.add_parser("show", help="把预算公开内容逐行输出为文本（供 git diff 的 textconv 使用）")
    p.add_argument("path", metavar="PATH", help="预算 YAML 文件或 REV:路径")
    p.set_defaults(run=cmd_show)
    p = sub.add_parser("changed", help="列出自 BASE 以来的改动涉及的预算文件（供 make pr-* 和提交前检查使用）")
    p.add_argument("base", nargs="?", default="HEAD", metavar="BASE", help="git 版本（默认 HEAD）")
    p.add_argument("--cached", action="store_true", help="比较暂存区（而不是工作区）与 BASE")
    p.set_defaults(run=cmd_changed)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
