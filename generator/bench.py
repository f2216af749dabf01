"""`make bench`: how long `budget check` and `budget build` take, against WeasyPrint alone.

Every figure is the median of several runs of a whole process (start-up included, as a user
sees it), with the peak resident memory of that process.  WeasyPrint alone converts the very
HTML and font CSS our build gives it, so the ratio shows what our own code adds.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .pdf import PDF_VARIANT

_WEASYPRINT_ALONE = """
import sys, weasyprint
from weasyprint.text.fonts import FontConfiguration
from generator import pdf
html = open(sys.argv[1], encoding="utf-8").read()
base = pdf.FONT_DIR.as_uri() + "/"
config = FontConfiguration()
fonts = weasyprint.CSS(string=pdf.font_css(), base_url=base, font_config=config)
variant = {"pdf_variant": sys.argv[3]} if sys.argv[3:] else {}
weasyprint.HTML(string=html, base_url=base).write_pdf(sys.argv[2], stylesheets=[fonts],
                                                     font_config=config, **variant)
"""


def run(command: list[str]) -> tuple[float, int]:
    """(seconds, peak memory in MiB) of one process."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise SystemExit(f"failed: {' '.join(command)}\n{process.stderr.read().decode()}")
    return seconds, usage.ru_maxrss // 1024


def median(command: list[str], runs: int) -> tuple[float, int]:
    results = [run(command) for _ in range(runs)]
    return statistics.median(r[0] for r in results), max(r[1] for r in results)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="bench")
    parser.add_argument("budgets", nargs="*", default=sorted(str(p) for p in Path("budgets").rglob("*.yaml")))
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    budget = str(Path(sys.executable).with_name("budget"))
    rows = []
    with tempfile.TemporaryDirectory() as out:
        for path in args.budgets:
            check = median([budget, "check", path], args.runs)
            html = median([budget, "build", path, "--format", "html", "--out", out], args.runs)
            pdf_runs = max(3, args.runs // 2)
            pdf = median([budget, "build", path, "--format", "pdf", "--out", out], pdf_runs)
            html_file = next(Path(out).rglob(f"{Path(path).stem}.html"))
            alone = [sys.executable, "-c", _WEASYPRINT_ALONE, str(html_file),
                     os.path.join(out, "alone.pdf")]
            untagged = median(alone, pdf_runs)  # what tagging (PDF/UA-1) costs WeasyPrint
            tagged = median(alone + [PDF_VARIANT], pdf_runs)  # what our build asks of it
            rows.append((path, check, html, pdf, untagged, tagged))
    print(f"medians of {args.runs} runs (PDF: {max(3, args.runs // 2)}), whole processes; "
          "memory is the peak resident set; weasyprint alone untagged and tagged (PDF/UA-1)")
    print(f"{'budget':40} {'check':>12} {'html':>12} {'pdf':>12} {'wp untagged':>12} "
          f"{'wp tagged':>12} {'tag cost':>8} {'pdf/wp':>7}")
    for path, check, html, pdf, untagged, tagged in rows:
        def cell(m):
            return f"{m[0]:5.2f}s {m[1]:3d}M"
        print(f"{path:40} {cell(check):>12} {cell(html):>12} {cell(pdf):>12} {cell(untagged):>12} "
              f"{cell(tagged):>12} {tagged[0] / untagged[0]:8.2f} {pdf[0] / tagged[0]:7.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
