"""`budget serve`: a local preview that follows the officer's edits.

It watches the budgets (and the templates), and on every save checks the budget again, shows
its findings and its HTML at once, and its PDF as soon as it is made; the page in the browser
reloads itself. One process stays warm (imports, fonts, catalogues loaded once), so a save
reaches the HTML in a fraction of a second and the PDF sooner than a fresh `budget build`.

Bound to 127.0.0.1 unless told otherwise; it serves its own three pages and the files of the
output folder, nothing else (no listing, no path outside it). Python's standard library only:
the files are few, so they are polled (every half second) instead of watched by a library.
"""
from __future__ import annotations

import html
import json
import os
import queue
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from .build import budget_outputs, target_problem, write_atomically
from .files import os_problem
from .check import check
from .findings import ERROR, one_line

ROOT = Path(__file__).resolve().parent.parent
POLL_SECONDS = 0.5
# what a running preview cannot take up by itself (the code and catalogues are loaded once)
RESTART = ("generator", "schema")


@dataclass
class Entry:
    """One budget as the preview knows it."""
    path: str
    version: int = 0  # +1 at every build of its HTML (the page reloads when it changes)
    stamp: tuple = ()  # the file's (mtime, size) when last built
    findings: list = field(default_factory=list)
    html: str = ""  # path of the HTML under the output folder, "" when it has errors
    pdf: str = ""
    pdf_state: str = ""  # "", "生成中", "已生成", or why not


class Preview:
    """The budgets, their latest build, and the PDF worker."""

    def __init__(self, paths: list[str], out: Path):
        self.out = out.resolve()
        self.entries = {p: Entry(p) for p in paths}
        self.lock = threading.Lock()
        self.pdfs: queue.Queue = queue.Queue()
        self.shared = self._shared_stamp()
        self.notice = ""

    # ---- watching ------------------------------------------------------------------------
    @staticmethod
    def _stamp(path) -> tuple:
        try:
            st = os.stat(path)
            return st.st_mtime_ns, st.st_size
        except OSError:
            return ()

    def _shared_stamp(self) -> dict:
        return {str(p): self._stamp(p) for top in ("templates", *RESTART)
                for p in sorted((ROOT / top).rglob("*")) if p.is_file()}

    def poll(self) -> None:
        """Build what changed since the last look."""
        shared = self._shared_stamp()
        changed = {p for p in shared.keys() | self.shared.keys() if shared.get(p) != self.shared.get(p)}
        self.shared = shared
        if any(Path(p).relative_to(ROOT).parts[0] in RESTART for p in changed):
            self.notice = "程序或科目目录已改动：请停止（Ctrl-C）并重新运行 budget serve，预览才会用上新的版本"
        for entry in list(self.entries.values()):
            stamp = self._stamp(entry.path)
            if stamp != entry.stamp or changed:
                entry.stamp = stamp
                self.rebuild(entry)

    # ---- building ------------------------------------------------------------------------
    def rebuild(self, entry: Entry) -> None:
        """Check and render at once; the PDF goes to the worker."""
        from .render import render_html

        budget, derived, findings = check(entry.path)
        page, html_file, state = "", "", "有错误，未生成"
        if budget is not None:
            page = render_html(budget, derived)
            targets = budget_outputs(entry.path, budget.year, budget.standard, self.out,
                                     ["html", "pdf"], False, None)
            problem = target_problem(targets["html"])  # as budget build: not into budgets/
            try:
                if problem is None:
                    write_atomically(targets["html"], page.encode("utf-8"))
            except OSError as exc:  # the output folder removed or full meanwhile: said, not fatal
                problem = f"无法写入 {one_line(targets['html'])}：{os_problem(exc)}"
            if problem:
                budget, state = None, problem
            else:
                html_file, state = str(targets["html"].relative_to(self.out)), "生成中"
        with self.lock:
            entry.findings = findings
            entry.html = html_file
            entry.version += 1
            entry.pdf_state = state
            if budget is not None:
                self.pdfs.put((entry, entry.version, page,
                               str(targets["pdf"].relative_to(self.out))))

    def pdf_worker(self) -> None:
        """Make the PDFs one after the other; one made stale by a newer save is skipped."""
        from .pdf import PdfError, write_pdf

        while True:
            entry, version, page, name = self.pdfs.get()
            if version != entry.version:
                continue
            try:
                data = write_pdf(page)
                write_atomically(self.out / name, data)
                state = "已生成"
            except (PdfError, OSError) as exc:
                state = f"无法生成：{exc}"
            with self.lock:
                if version == entry.version:
                    entry.pdf, entry.pdf_state = name, state
                    entry.version += 1  # the page shows the new state

    def status(self) -> dict:
        with self.lock:
            return {"notice": self.notice, "budgets": [{
                "path": one_line(e.path), "version": e.version, "html": e.html, "pdf": e.pdf,
                "pdf_state": e.pdf_state,
                "errors": sum(f.severity == ERROR for f in e.findings),
                "warnings": sum(f.severity != ERROR for f in e.findings),
                "findings": [f.text() for f in e.findings]} for e in self.entries.values()]}


# ---- the pages ------------------------------------------------------------------------------
CSP = "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; frame-src 'self'; connect-src 'self'"
STYLE = ("body{font-family:sans-serif;margin:1rem;max-width:70rem}li{margin:.3rem 0}"
         ".error{color:#a00}.warning{color:#850}iframe{width:100%;height:80vh;border:1px solid #999}"
         "code{white-space:pre-wrap}")

# polls /status.json; reloads the page (and so the preview frame) when its budget changed
SCRIPT = """
const mine = document.body.dataset.version;
setInterval(async () => {
  const status = await (await fetch('/status.json', {cache: 'no-store'})).json();
  const versions = status.budgets.map(b => b.version).join(',');
  if (versions !== mine) location.reload();
}, 1000);
"""


def _page(title: str, body: str, versions: str) -> bytes:
    return (f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<title>{html.escape(title)}</title><style>{STYLE}</style></head>'
            f'<body data-version="{versions}">{body}<script src="/serve.js"></script></body></html>'
            ).encode("utf-8")


def index_page(status: dict) -> bytes:
    rows = []
    for n, b in enumerate(status["budgets"]):
        verdict = (f'<span class="error">{b["errors"]} 个错误</span>' if b["errors"]
                   else "检查通过") + (f'、<span class="warning">{b["warnings"]} 个警告</span>'
                                       if b["warnings"] else "")
        links = f' · <a href="/preview/{n}">预览</a>' if b["html"] else ""
        pdf = f' · <a href="/files/{urllib.parse.quote(b["pdf"])}">PDF</a>' if b["pdf"] else ""
        rows.append(f'<li><strong>{html.escape(b["path"])}</strong>：{verdict}{links}{pdf}'
                    f'（PDF {html.escape(b["pdf_state"])}）' + _findings(b) + "</li>")
    notice = f'<p class="error">{html.escape(status["notice"])}</p>' if status["notice"] else ""
    body = f"<h1>预算公开预览</h1>{notice}<p>保存预算文件后，本页自动更新。</p><ul>{''.join(rows)}</ul>"
    return _page("预算公开预览", body, ",".join(str(b["version"]) for b in status["budgets"]))


def _findings(b: dict) -> str:
    if not b["findings"]:
        return ""
    return "<ul>" + "".join(
        f'<li class="{"error" if " error " in f else "warning"}"><code>{html.escape(f)}</code></li>'
        for f in b["findings"]) + "</ul>"


def preview_page(status: dict, n: int) -> bytes:
    b = status["budgets"][n]
    pdf = (f'<a href="/files/{urllib.parse.quote(b["pdf"])}">PDF</a>' if b["pdf"] else "PDF") + \
        f"（{html.escape(b['pdf_state'])}）"
    frame = (f'<iframe title="公开文本预览" src="/files/{urllib.parse.quote(b["html"])}"></iframe>'
             if b["html"] else "<p>有错误，没有生成公开文本。</p>")
    body = (f'<p><a href="/">全部预算</a> · {pdf}</p><h1>{html.escape(b["path"])}</h1>'
            f"{_findings(b)}{frame}")
    return _page(b["path"], body, ",".join(str(x["version"]) for x in status["budgets"]))


def handler(preview: Preview):
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            route = urllib.parse.urlsplit(self.path).path
            status = preview.status()
            if route == "/":
                return self.send(200, "text/html; charset=utf-8", index_page(status))
            if route == "/serve.js":
                return self.send(200, "text/javascript; charset=utf-8", SCRIPT.encode())
            if route == "/status.json":
                return self.send(200, "application/json",
                                 json.dumps(status, ensure_ascii=False).encode("utf-8"))
            if route.startswith("/preview/") and route[9:].isdigit() \
                    and int(route[9:]) < len(status["budgets"]):
                return self.send(200, "text/html; charset=utf-8", preview_page(status, int(route[9:])))
            if route.startswith("/files/"):
                return self.file(urllib.parse.unquote(route[7:]))
            return self.send(404, "text/plain; charset=utf-8", "没有这个页面".encode())

        def file(self, name: str):
            """A file of the output folder, and nothing outside it."""
            target = (preview.out / name).resolve()
            if preview.out not in target.parents or not target.is_file() \
                    or target.suffix not in (".html", ".pdf"):
                return self.send(404, "text/plain; charset=utf-8", "没有这个文件".encode())
            kind = "application/pdf" if target.suffix == ".pdf" else "text/html; charset=utf-8"
            return self.send(200, kind, target.read_bytes())

        def send(self, code: int, kind: str, data: bytes):
            self.send_response(code)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.send_header("X-Content-Type-Options", "nosniff")
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):  # the terminal shows builds, not every request
            pass

    return Handler


def serve(paths: list[str], out: Path, host: str, port: int) -> int:
    preview = Preview(paths, out)
    preview.poll()  # the first build, before the first page is asked for
    threading.Thread(target=preview.pdf_worker, daemon=True).start()
    server = ThreadingHTTPServer((host, port), handler(preview))
    print(f"预览：http://{host}:{server.server_address[1]}/（Ctrl-C 停止）", flush=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        while True:
            time.sleep(POLL_SECONDS)
            before = {e.path: e.version for e in preview.entries.values()}
            preview.poll()
            for e in preview.entries.values():
                if e.version != before[e.path]:
                    errors = sum(f.severity == ERROR for f in e.findings)
                    print(f"{one_line(e.path)}：已重新检查（{errors} 个错误），{e.pdf_state}", flush=True)
    finally:
        server.shutdown()
