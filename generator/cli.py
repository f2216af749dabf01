"""The `budget` command."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .findings import ERROR, format_findings


def _paths(args: list[str]) -> list[str]:
    """Files as given; a folder stands for every .yaml below it."""
    paths = []
    for arg in args:
        p = Path(arg)
        paths += sorted(str(f) for f in p.rglob("*.yaml")) if p.is_dir() else [arg]
    return paths


def cmd_check(args) -> int:
    from .check import check

    findings, errors = [], 0
    for path in _paths(args.paths):
        _, _, found = check(path)  # one bad file does not stop the others
        findings += found
        errors += any(f.severity == ERROR or args.strict for f in found)
    output = format_findings(findings, args.format)
    if output:
        print(output)
    if args.format == "text" and len(args.paths) and findings:
        print(f"共 {sum(f.severity == ERROR for f in findings)} 个错误、"
              f"{sum(f.severity != ERROR for f in findings)} 个警告", file=sys.stderr)
    return 1 if errors else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="budget", description="部门预算公开：检查与生成")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("check", help="检查预算文件（格式、科目、勾稽关系）")
    p.add_argument("paths", nargs="+", metavar="PATH", help="预算 YAML 文件或文件夹")
    p.add_argument("--format", choices=["text", "json", "github"], default="text")
    p.add_argument("--strict", action="store_true", help="警告也视为不通过")
    p.set_defaults(run=cmd_check)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
