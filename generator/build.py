"""`budget build`: check, render and write the disclosure of each budget, atomically."""
from __future__ import annotations

import contextlib
import hashlib
import os
import re
import signal
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from . import cache, opendata
from .check import analyse, check
from .files import inside_budgets, os_problem, path_kind
from .findings import ERROR, BudgetError, format_findings, one_line
from .grid import grids
from .loader import load_file
from .pdf import FONT_DIR, PdfError, write_pdf  # WeasyPrint itself loads only for a PDF

FORMATS = ("html", "pdf", "xlsx", "data")
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
        with contextlib.suppress(OSError):  # the folder may be gone: the first error counts
            os.unlink(tmp)
        raise


def write_if_changed(path: Path, data: bytes) -> bool:
    """write_atomically, unless `path` already holds these bytes: an unchanged output keeps its
    time (a site's reader, rsync, make see nothing new)."""
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return False
    except OSError:
        pass  # not there yet, or unreadable: written anew
    write_atomically(path, data)
    return True


def out_folder_problem(out: Path) -> str | None:
    """Why nothing can be written into the output folder `out`, in words, or None. Asked
    before anything is rendered (a PDF takes seconds): the folder is made if need be and a
    file made and removed in it, which is what tells, for root too (unlike os.access)."""
    kind = path_kind(out)
    if kind not in (None, "文件夹"):
        return f"它是{kind}，不是文件夹"
    try:
        out.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(dir=out, prefix=".budget-", suffix=".tmp")
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        return os_problem(exc)
    return None


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


def budget_outputs(path: str, year: int, own: str, out: Path, formats, redline: bool,
                   standard: str | None) -> dict:
    """output_paths of a budget of `year` in its own standard `own`, built in `standard`."""
    other = standard if standard and standard != own else ""
    return output_paths(path, year, out, formats, redline=redline, standard=other)


def planned_outputs(path: str, out: Path, formats, redline: bool, standard: str | None) -> dict:
    """The files build_one would write for `path`, from only loading it (its year and
    standard); none for a file that does not load or has no year, which build_one refuses.
    In a year folder the year is the folder's without reading the file (a budget of another
    year there is an error, rule year-folder, and writes nothing; a redline is written even
    with errors, so it is read), which keeps this cheap for a province's thousands."""
    folder = Path(path).parent.name
    if re.fullmatch(r"[0-9]{4}", folder) and not redline and not standard:
        return budget_outputs(path, int(folder), "", out, formats, redline, None)
    try:
        data = load_file(path).data
    except BudgetError:
        return {}
    year = str(data.get("year"))
    if not re.fullmatch(r"[0-9]{4}", year):
        return {}
    own = str(data.get("standard") or "shanxi")  # as generator.model reads it
    return budget_outputs(path, int(year), own, out, formats, redline, standard)


def collisions(paths: list[str], out: Path, formats, redline: bool, standard: str | None) -> dict:
    """{path: message} for each budget that would write a file another one writes too
    (budgets/2026/x.yaml and budgets/2027/x.yaml both of year 2026): the later would
    silently replace the earlier, so neither is built."""
    writers: dict[Path, list[str]] = {}
    for path in paths:
        for target in planned_outputs(path, out, formats, redline, standard).values():
            writers.setdefault(target, []).append(path)
    clashes = {}
    for target, by in writers.items():
        for path in by if len(by) > 1 else []:
            others = "、".join(one_line(p) for p in by if p != path)
            clashes.setdefault(path, f"{one_line(path)}: 与 {others} 都要写入 {one_line(target)}"
                                     "（年度和文件名都相同），都未生成：请核对各文件的 year，"
                                     "或分开生成（不同的 --out）")
    return clashes


def target_problem(target: Path) -> str | None:
    """Why `target` cannot be written, in words, or None; its folder is made."""
    # --out was checked, but <out>/<year> may be a link into budgets/: where it leads counts
    forbidden = inside_budgets(Path(os.path.realpath(target.parent)))
    if forbidden:
        return (f"不能写入 {one_line(target)}：它实际在预算文件夹 {one_line(forbidden)} 之内；"
                "生成的文件不能写入 budgets/，请换一个 --out（例如 build）")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        return f"无法写入 {one_line(target)}：{os_problem(exc)}"
    return None


def build_one(path: str, out: Path, formats, redline: str | None = None,
              standard: str | None = None, cache_key: str | None = None) -> tuple[bool, str]:
    """Build one budget; (ok, what to print). With `redline` (a git revision) the page is the
    redline against that revision (generator.redline), written as <stem>.redline.*: made even
    when rules found errors (listed on top, marked in the tables), as long as the budget
    builds, since that is when a reviewer most needs to see it; it still counts as failed.
    With `cache_key`, a successful build is kept in the build cache (generator.cache)."""
    from .render import render_html  # rendering libraries load only when building

    shown = one_line(path)  # every message stays on its line, whatever the file is named
    budget, derived, findings = (analyse if redline else check)(path, standard)
    report = format_findings(findings, "text")
    errors = sum(f.severity == ERROR for f in findings)
    if budget is None:
        return False, f"{report}\n{shown}: 有 {errors} 个错误，未生成公开文件"
    if redline:
        from .redline import RedlineError, redline_html
        try:
            html = redline_html(path, redline, budget, derived, findings)
        except RedlineError as exc:
            return False, f"{shown}: {exc}"
    else:
        html = render_html(budget, derived)
    targets = budget_outputs(path, budget.year, budget.standard, out, formats, bool(redline),
                             derived.profile.name)
    for target in targets.values():
        problem = target_problem(target)  # before the seconds of a PDF
        if problem:
            return False, f"{shown}: {problem}"
        remove_stale_temporaries(target)
    try:
        files = _outputs(html, budget, derived, targets)
    except PdfError as exc:
        return False, f"{shown}: 无法生成 PDF：{exc}"
    except OSError as exc:  # the fonts cannot be extracted into build/fonts
        return False, f"{shown}: 无法生成 PDF：无法写入 {exc.filename or FONT_DIR}：{os_problem(exc)}"
    for target, data in files.items():
        try:
            write_atomically(target, data)
        except OSError as exc:  # disk full, folder removed meanwhile: no partial file is left
            return False, f"{shown}: 无法写入 {one_line(target)}：{os_problem(exc)}"
    if "data" in targets:
        _remove_others(targets["data"], files)
    written = " ".join(one_line(p) for p in targets.values())
    if errors:  # only a redline gets here with errors
        return False, (f"{report}\n{shown}: 有 {errors} 个错误，未生成公开文件；已生成修订对照页"
                       f"（错误列在页首、标在表中）：{written}")
    if cache_key:
        cache.store(cache_key, {str(t.relative_to(out)): data for t, data in files.items()},
                    report)
    return True, "\n".join(filter(None, [report, written]))


def _outputs(html: str, budget, derived, targets: dict) -> dict[Path, bytes]:
    """{file: bytes} of each format asked for: the HTML, the PDF, the spreadsheet, the open
    data folder (a CSV per table, the JSON document, the Data Package descriptor)."""
    files = {}
    if "html" in targets:
        files[targets["html"]] = html.encode("utf-8")
    if "pdf" in targets:
        files[targets["pdf"]] = write_pdf(html)
    if "xlsx" in targets or "data" in targets:
        tables = grids(html)
        if "xlsx" in targets:
            from .xlsx import workbook
            files[targets["xlsx"]] = workbook(
                tables, [derived.profile.label(t.number) for t in tables],
                f"{budget.name}{budget.year}年部门预算")
        if "data" in targets:
            stem = targets["data"].name.removesuffix(".data")
            for name, data in opendata.budget_files(budget, derived, tables, stem).items():
                files[targets["data"] / name] = data
    return files


def _remove_others(folder: Path, files: dict) -> None:
    """An open data folder holds what this build wrote: a table the budget no longer has
    leaves no CSV behind (the descriptor would not list it)."""
    for old in folder.iterdir():
        if old.is_file() and old not in files and old.suffix in (".csv", ".json"):
            with contextlib.suppress(OSError):
                old.unlink()


def build_cached(path: str, out: Path, formats, redline: str | None = None,
                 standard: str | None = None) -> tuple[bool, str]:
    """build_one, or the files of an identical earlier build from the cache (a redline,
    which depends on a git revision, is always built)."""
    if redline or cache.folder() is None:
        return build_one(path, out, formats, redline, standard)
    try:
        entry_key = cache.key(path, formats, standard)
    except OSError:  # unreadable: build_one says why
        return build_one(path, out, formats, redline, standard)
    hit = cache.load(entry_key)
    if hit is None:
        return build_one(path, out, formats, redline, standard, cache_key=entry_key)
    files, report = hit
    targets = [out / name for name in files]
    for target, data in zip(targets, files.values()):
        problem = target_problem(target)
        if problem:
            return False, f"{one_line(path)}: {problem}"
        try:
            write_if_changed(target, data)
        except OSError as exc:
            return False, f"{one_line(path)}: 无法写入 {one_line(target)}：{os_problem(exc)}"
    # an open data folder is named once, and holds only what the entry holds
    shown = list(dict.fromkeys(t.parent if t.parent.suffix == ".data" else t for t in targets))
    for folder in (t for t in shown if t.suffix == ".data"):
        _remove_others(folder, set(targets))
    written = " ".join(one_line(t) for t in shown)
    return True, "\n".join(filter(None, [report, f"{written}（输入未变，取自缓存）"]))


def in_shard(path: str, shard: tuple[int, int]) -> bool:
    """Whether `path` is in shard I of N (1 ≤ I ≤ N): chosen by a hash of the path as written
    (budgets/2026/x.yaml), so every machine of a CI matrix picks the same, disjoint sets that
    together cover all budgets, whatever order it lists them in."""
    number, count = shard
    digest = hashlib.sha256(os.path.normpath(path).encode("utf-8", "surrogateescape")).digest()
    return int.from_bytes(digest[:8], "big") % count == number - 1


def _timed_build(*args) -> tuple[bool, str, float]:
    started = time.perf_counter()
    return (*build_cached(*args), time.perf_counter() - started)


def _ignore_interrupts() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent says 已中断 once, for all


def build(paths: list[str], out: Path, formats, redline: str | None = None,
          standard: str | None = None, jobs: int = 1, results: dict | None = None) -> int:
    """Build every budget of `paths`, `jobs` at a time (a pool of worker processes, each
    keeping its imports and fonts from one budget to the next); one progress line per budget
    as it is done, and a summary. `results`, if given, gets {path: built or not}."""
    results = {} if results is None else results
    started = time.perf_counter()
    clashes = collisions(paths, out, formats, bool(redline), standard)
    done = {"完成": 0, "失败": 0, "缓存": 0}

    def report(path: str, ok: bool, message: str, seconds: float) -> None:
        results[path] = ok
        done["完成" if ok else "失败"] += 1
        done["缓存"] += ok and message.endswith("（输入未变，取自缓存）")
        print(f"{message}\n[{sum(done[k] for k in ('完成', '失败'))}/{len(paths)}] {one_line(path)} "
              f"{'完成' if ok else '失败'}（{seconds:.1f} 秒）",
              file=sys.stdout if ok else sys.stderr, flush=True)

    for path in clashes:
        report(path, False, clashes[path], 0)
    todo = [p for p in paths if p not in clashes]
    if jobs > 1 and len(todo) > 1:
        with ProcessPoolExecutor(min(jobs, len(todo)), initializer=_ignore_interrupts) as pool:
            futures = {pool.submit(_timed_build, p, out, formats, redline, standard): p
                       for p in todo}
            try:
                for future in as_completed(futures):
                    try:
                        report(futures[future], *future.result())
                    except Exception as exc:  # a bug, not bad input: said, and the rest go on
                        report(futures[future], False,
                               f"{one_line(futures[future])}: 内部错误：{exc!r}", 0)
            except KeyboardInterrupt:
                for process in list(getattr(pool, "_processes", {}).values()):
                    process.terminate()  # files are written whole or not at all
                raise
    else:
        for path in todo:
            print(f"[{done['完成'] + done['失败'] + 1}/{len(paths)}] {one_line(path)} …",
                  file=sys.stderr, flush=True)
            report(path, *_timed_build(path, out, formats, redline, standard))
    if len(paths) > 1:
        cached = f"（其中 {done['缓存']} 个输入未变，取自缓存）" if done["缓存"] else ""
        print(f"共 {len(paths)} 个预算：{done['完成']} 个完成{cached}，{done['失败']} 个失败，"
              f"用时 {time.perf_counter() - started:.1f} 秒（{max(1, min(jobs, len(todo)))} 个进程）",
              file=sys.stderr, flush=True)
    return 1 if done["失败"] else 0
