"""`make bench`: how long `budget check` and `budget build` take, against WeasyPrint alone.

Every figure is a whole process (start-up included, as a user sees it) with its peak resident
memory: the median of several runs and their spread (lowest–highest). Our runs and WeasyPrint
alone's are interleaved, after one warm-up of each, so that a machine getting busier or quieter
during the bench moves both sides alike. WeasyPrint alone converts the very HTML and font CSS
our build gives it, so the ratio shows what our own code adds. Then the figures of a batch:
an edited budget built again, a second build of an unchanged one (the build cache), --jobs 2
against --jobs 1, `budget check` of 100 budgets, `budget site` cold, unchanged and with a budget
added, and the memory of a worker over many builds.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .pdf import PDF_VARIANT
from .serve import POLL_SECONDS as POLL

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

# a worker's resident memory over many builds in one process (the pool's workers do this)
_WORKER = """
import sys
from pathlib import Path
from generator.build import build_one
def rss():
    return int(open("/proc/self/statm").read().split()[1]) * 4096 // 2**20
sizes = []
for _ in range(int(sys.argv[2])):
    ok, message = build_one(sys.argv[1], Path(sys.argv[3]), ["pdf"])
    assert ok, message
    sizes.append(rss())
print(" ".join(map(str, sizes)))
"""

ENV = {**os.environ, "BUDGET_CACHE": "off", "BUDGET_JOBS": "1"}


def run(command: list[str], env=None) -> tuple[float, int]:
    """(seconds, peak memory in MiB) of one process."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               env=env or ENV)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status):
        raise SystemExit(f"failed: {' '.join(command)}\n{process.stderr.read().decode()}")
    return seconds, usage.ru_maxrss // 1024


class Sample:
    """The runs of one command: median, spread and peak memory."""

    def __init__(self):
        self.seconds: list[float] = []
        self.memory = 0

    def add(self, result: tuple[float, int]) -> None:
        self.seconds.append(result[0])
        self.memory = max(self.memory, result[1])

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    def __str__(self) -> str:
        memory = f", {self.memory} MB" if self.memory else ""
        return f"{self.median:.2f} s ({min(self.seconds):.2f}–{max(self.seconds):.2f}){memory}"


def interleaved(commands: dict[str, list[str]], runs: int) -> dict[str, Sample]:
    """Each command once to warm up, then `runs` rounds of all of them in turn."""
    for command in commands.values():
        run(command)
    samples = {name: Sample() for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            samples[name].add(run(command))
    return samples


def one_budget(budget: str, path: str, out: str, runs: int) -> dict[str, Sample]:
    stem = Path(path).stem
    subprocess.run([budget, "build", path, "--format", "html", "--out", out], check=True,
                   env=ENV, capture_output=True)
    html_file = next(Path(out).rglob(f"{stem}.html"))
    alone = [sys.executable, "-c", _WEASYPRINT_ALONE, str(html_file), os.path.join(out, "alone.pdf")]
    return interleaved({
        "check": [budget, "check", path],
        "html": [budget, "build", path, "--format", "html", "--out", out],
        "pdf": [budget, "build", path, "--format", "pdf", "--out", out],
        "untagged": alone,  # what tagging (PDF/UA-1) costs WeasyPrint
        "tagged": alone + [PDF_VARIANT],  # what our build asks of it
    }, runs)


def edit_one_figure(text: str) -> str:
    """The budget with its first 基本支出 amount 100 元 more on both classifications (a valid
    one-figure edit as an officer makes it), or with one figure of its prior year changed."""
    marker = "prior_year:"
    head, _, tail = text.partition(marker)
    lines = tail.split("\n")
    for i, line in enumerate(lines):
        key, sep, value = line.partition(": ")
        number = value.split("#")[0].strip()
        if sep and number.isdigit():
            lines[i] = f"{key}: {int(number) + 100}" + (
                "  #" + value.split("#", 1)[1] if "#" in value else "")
            return head + marker + "\n".join(lines)
    raise SystemExit("no prior-year figure to edit")


def batch(budget: str, paths: list[str], out: str, runs: int) -> list[str]:
    lines = []
    with tempfile.TemporaryDirectory() as work:
        # edit-to-PDF: a cold build, then one figure edited and built again (a new process, as
        # `budget build` after a save); and a second build of the unchanged file (the cache)
        source = Path(next((p for p in paths if "xinfang" in p), paths[0]))  # the seed
        folder = Path(work) / "budgets" / source.parent.name
        folder.mkdir(parents=True)
        copy = folder / source.name
        text = source.read_text(encoding="utf-8")
        cold, edited, unchanged = Sample(), Sample(), Sample()
        for round_ in range(runs):
            cache = {**ENV, "BUDGET_CACHE": os.path.join(work, f"cache{round_}")}
            copy.write_text(text, encoding="utf-8")
            command = [budget, "build", str(copy), "--format", "pdf", "--out", out]
            cold.add(run(command, cache))
            unchanged.add(run(command, cache))
            copy.write_text(edit_one_figure(text), encoding="utf-8")
            edited.add(run(command, cache))
        lines += [f"edit-to-PDF, {source.name}: cold build {cold}; one figure edited, built "
                  f"again {edited} = {edited.median / cold.median:.2f} of the cold build; "
                  f"unchanged, built again {unchanged} = {unchanged.median / cold.median:.2f}"]
        copy.write_text(text, encoding="utf-8")
        to_html, to_pdf = preview_latency(budget, Path(work), copy, text, runs)
        lines.append(f"edit-to-PDF in `budget serve` (a warm process; from the save, which it "
                     f"notices within {POLL:.1f} s): HTML {to_html}, PDF {to_pdf} = "
                     f"{to_pdf.median / cold.median:.2f} of the cold build")
        # --jobs 2 against --jobs 1 on 20 budgets, and check of 100
        many = Path(work) / "many" / "2026"
        many.mkdir(parents=True)
        for n in range(100):
            shutil.copy(paths[n % len(paths)], many / f"b{n:03d}.yaml")
        twenty = Path(work) / "twenty" / "2026"
        twenty.mkdir(parents=True)
        for n in range(20):
            shutil.copy(paths[n % len(paths)], twenty / f"b{n:03d}.yaml")
        jobs = {n: Sample() for n in (1, 2)}
        for _ in range(max(1, runs // 3)):
            for n in (1, 2):
                jobs[n].add(run([budget, "build", str(twenty), "--format", "pdf", "--jobs", str(n),
                                 "--out", out]))
        lines.append(f"20 budgets, PDF: --jobs 1 {jobs[1]}; --jobs 2 {jobs[2]} = "
                     f"{jobs[2].median / jobs[1].median:.2f} of --jobs 1")
        checks = Sample()
        for _ in range(runs):
            checks.add(run([budget, "check", str(many)]))  # the copies pass
        lines.append(f"budget check of 100 budgets: {checks} ({checks.median * 10:.0f} ms each)")
    return lines


def site_rebuild(budget: str, paths: list[str], runs: int) -> str:
    """`budget site` of the budgets: cold (an empty cache), again unchanged, and again with
    one more department (a copy of the first under another code and name)."""
    cold, unchanged, added = Sample(), Sample(), Sample()
    with tempfile.TemporaryDirectory() as work:
        for round_ in range(max(1, runs // 2)):
            folder = Path(work) / f"r{round_}" / "budgets" / "2026"
            folder.mkdir(parents=True)
            for path in paths:
                shutil.copy(path, folder / Path(path).name)
            env = {**ENV, "BUDGET_CACHE": str(folder.parent.parent / "cache")}
            command = [budget, "site", str(folder.parent), "--out", str(folder.parent.parent / "site")]
            cold.add(run(command, env))
            unchanged.add(run(command, env))
            first = Path(next((p for p in paths if "xinfang" in p), paths[0]))  # the seed
            text = first.read_text(encoding="utf-8")
            name = text.split("\n  name: ", 1)[1].split("\n", 1)[0].strip()
            copy = re.sub(r'(department:\s*\n\s+code:\s*)"[0-9]+"', r'\1"999"',
                          text.replace(name, name + "副本"), count=1)
            (folder / first.name.replace(".yaml", "-copy.yaml")).write_text(copy, encoding="utf-8")
            added.add(run(command, env))
            assert (folder.parent.parent / "site" / "2026" / first.name.replace(
                ".yaml", "-copy.pdf")).is_file(), "the added budget was not built"
    return (f"budget site of {len(paths)} budgets: cold {cold}; unchanged, again {unchanged} = "
            f"{unchanged.median / cold.median:.2f}; one budget added {added} = "
            f"{added.median / cold.median:.2f} of the cold site")


def preview_latency(budget: str, work: Path, copy: Path, text: str, runs: int) -> tuple:
    """Seconds from saving an edit to the new HTML, and to the new PDF, in `budget serve`."""
    import json
    import urllib.request

    server = subprocess.Popen([budget, "serve", str(copy), "--port", "0", "--out",
                               str(work / "serve")], stdout=subprocess.PIPE, text=True, env=ENV)
    url = server.stdout.readline().split("：", 1)[1].split("/（")[0]

    def status() -> dict:
        with urllib.request.urlopen(url + "/status.json", timeout=30) as response:
            return json.loads(response.read())["budgets"][0]

    def wait(test) -> dict:
        while not test(now := status()):
            time.sleep(0.02)
        return now

    to_html, to_pdf = Sample(), Sample()
    try:
        wait(lambda s: s["pdf_state"] == "已生成")
        for n in range(runs):
            before = status()["version"]
            copy.write_text(edit_one_figure(text) if n % 2 == 0 else text, encoding="utf-8")
            saved = time.perf_counter()
            changed = wait(lambda s: s["version"] > before)
            to_html.add((time.perf_counter() - saved, 0))
            wait(lambda s: s["version"] > changed["version"] and s["pdf_state"] == "已生成")
            to_pdf.add((time.perf_counter() - saved, 0))
    finally:
        server.terminate()
        server.wait()
    return to_html, to_pdf


def worker_memory(path: str, out: str, builds: int) -> str:
    result = subprocess.run([sys.executable, "-c", _WORKER, path, str(builds), out], env=ENV,
                            capture_output=True, text=True, check=True)
    sizes = list(map(int, result.stdout.split()))
    return (f"one worker, {builds} PDF builds of {Path(path).name} in one process: resident "
            f"memory after the 1st {sizes[0]} MB, 10th {sizes[min(9, len(sizes) - 1)]} MB, "
            f"last {sizes[-1]} MB")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="bench")
    parser.add_argument("budgets", nargs="*",
                        default=sorted(str(p) for p in Path("budgets").rglob("*.yaml")))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--worker-builds", type=int, default=30)
    args = parser.parse_args(argv)
    budget = str(Path(sys.executable).with_name("budget"))
    print(f"medians of {args.runs} runs after a warm-up, our runs interleaved with WeasyPrint "
          "alone's; (lowest–highest); peak resident memory; whole processes; cache off")
    with tempfile.TemporaryDirectory() as out:
        for path in args.budgets:
            s = one_budget(budget, path, out, args.runs)
            print(f"\n{path}\n  check {s['check']}\n  html  {s['html']}\n  pdf   {s['pdf']}\n"
                  f"  WeasyPrint alone, untagged {s['untagged']}; tagged {s['tagged']}"
                  f" (tagging {s['tagged'].median / s['untagged'].median:.2f})\n"
                  f"  our pdf / WeasyPrint tagged: {s['pdf'].median / s['tagged'].median:.2f}")
        print()
        for line in batch(budget, args.budgets, out, args.runs):
            print(line)
        print(site_rebuild(budget, args.budgets, args.runs))
        print(worker_memory(args.budgets[-1], out, args.worker_builds))
    return 0


if __name__ == "__main__":
    sys.exit(main())
