"""`budget build`: check, render and write the disclosure of each budget, atomically."""
from __future__ import annotations

import os
import re
import sys
import tempfile
import time
from pathlib import Path

from .check import analyse, check
from .findings import ERROR, format_findings

FORMATS = ("html", "pdf")
STARTED = time.time()  # a temporary file older than this process is a killed build's leftover


def write_atomically(path: Path, data: bytes) -> None:
    """Write next to `path` and rename over it: a failed build never leaves a partial file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def remove_stale_temporaries(path: Path) -> None:
    """Remove the temporary files of write_atomically(path) (".<name>.XXXXXXXX.tmp") that a
    build killed while writing left behind: those older than this process, so that a
    concurrent build's file being written is not touched."""
    mine = re.compile(rf"\.{re.escape(path.name)}\.[a-z0-9_]{{8}}\.tmp")
    for stale in path.parent.glob(f".{path.name}.*.tmp") if path.parent.is_dir() else []:
        try:
            if mine.fullmatch(stale.name) and stale.stat().st_mtime < STARTED:
                stale.unlink()
        except OSError:
            pass  # removed meanwhile by another build, or not ours to remove


def output_paths(budget_path: str, year: int, out: Path, formats, redline: bool = False,
                 standard: str = "") -> dict:
    """DIR/<year>/<stem>.html|.pdf; a redline is <stem>.redline.html|.pdf beside them, a
    rendering in another standard than the budget's own <stem>.<standard>.html|.pdf."""
    stem = Path(budget_path).stem + (f".{standard}" if standard else "") + (
        ".redline" if redline else "")
    return {fmt: out / str(year) / f"{stem}.{fmt}" for fmt in formats}


def build_one(path: str, out: Path, formats, redline: str | None = None,
              standard: str | None = None) -> tuple[bool, str]:
    """Build one budget; (ok, what to print). With `redline` (a git revision) the page is the
    redline against that revision (generator.redline), written as <stem>.redline.*: made even
    when rules found errors (listed on top, marked in the tables), as long as the budget
    builds, since that is when a reviewer most needs to see it; it still counts as failed."""
    from .render import render_html  # rendering libraries load only when building

    budget, derived, findings = (analyse if redline else check)(path, standard)
    report = format_findings(findings, "text")
    errors = sum(f.severity == ERROR for f in findings)
    if budget is None:
        return False, f"{report}\n{path}: 有 {errors} 个错误，未生成公开文件"
    if redline:
        from .redline import RedlineError, redline_html
        try:
            html = redline_html(path, redline, budget, derived, findings)
        except RedlineError as exc:
            return False, f"{path}: {exc}"
    else:
        html = render_html(budget, derived)
    other = derived.profile.name if derived.profile.name != budget.standard else ""
    targets = output_paths(path, budget.year, out, formats, redline=bool(redline), standard=other)
    for target in targets.values():
        remove_stale_temporaries(target)
    if "pdf" in targets:
        from .pdf import PdfError, write_pdf
        try:
            pdf = write_pdf(html)
        except PdfError as exc:
            return False, f"{path}: 无法生成 PDF：{exc}"
    if "html" in targets:
        write_atomically(targets["html"], html.encode("utf-8"))
    if "pdf" in targets:
        write_atomically(targets["pdf"], pdf)
    written = " ".join(str(p) for p in targets.values())
    if errors:  # only a redline gets here with errors
        return False, (f"{report}\n{path}: 有 {errors} 个错误，未生成公开文件；已生成修订对照页"
                       f"（错误列在页首、标在表中）：{written}")
    return True, "\n".join(filter(None, [report, written]))


def build(paths: list[str], out: Path, formats, redline: str | None = None,
          standard: str | None = None) -> int:
    failed = 0
    for i, path in enumerate(paths, 1):
        started = time.perf_counter()
        print(f"[{i}/{len(paths)}] {path} …", file=sys.stderr, flush=True)
        ok, message = build_one(path, out, formats, redline, standard)
        failed += not ok
        status = "完成" if ok else "失败"
        print(f"{message}\n[{i}/{len(paths)}] {path} {status}（{time.perf_counter() - started:.1f} 秒）",
              file=sys.stderr if not ok else sys.stdout, flush=True)
    return 1 if failed else 0
