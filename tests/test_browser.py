"""The HTML disclosure in a real browser: Debian's chromium (installed by `make test`), driven
by Playwright, at a desktop and a phone viewport; the accessibility audit is axe-core, vendored
at a pinned version (tests/vendor/axe-core-*/)."""
from __future__ import annotations

from pathlib import Path

import pytest

from generator.check import check
from generator.render import render_html

from conftest import ROOT, SEED_YAML

CHROMIUM = "/usr/bin/chromium"
AXE = next((ROOT / "tests" / "vendor").glob("axe-core-*/axe.min.js"))
PUTUO_YAML = ROOT / "budgets" / "2026" / "putuo-wenlv.yaml"
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 375, "height": 740}}
# As the machine's probe starts it: no sandbox as root, and none of Chromium's own traffic.
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright
    assert Path(CHROMIUM).is_file(), "chromium is missing: `make test` installs it"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module", params=[SEED_YAML, PUTUO_YAML], ids=["shanxi", "shanghai"])
def page_file(request, tmp_path_factory) -> Path:
    budget, derived, found = check(str(request.param))
    assert budget is not None, found
    path = tmp_path_factory.mktemp("html") / "disclosure.html"
    path.write_text(render_html(budget, derived), encoding="utf-8")
    return path


def open_page(browser, path: Path, viewport: str, **options):
    """A page showing the file, with what it logged and every request it made."""
    context = browser.new_context(viewport=VIEWPORTS[viewport], **options)
    page = context.new_page()
    page.problems, page.requests = [], []
    page.on("console", lambda m: m.type in ("error", "warning") and page.problems.append(m.text))
    page.on("pageerror", lambda e: page.problems.append(str(e)))
    page.on("request", lambda r: page.requests.append(r.url))
    page.goto(path.as_uri())
    return context, page


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_page_loads_alone_and_quietly(browser, page_file, viewport):
    """No console error, and no request but the page itself (fonts and styles are inline)."""
    context, page = open_page(browser, page_file, viewport)
    assert page.problems == []
    assert page.requests == [page_file.as_uri()]
    context.close()


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_page_never_scrolls_sideways(browser, page_file, viewport):
    """A wide table scrolls inside its own box; the page itself is never wider than the screen."""
    context, page = open_page(browser, page_file, viewport)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= VIEWPORTS[viewport]["width"]
    # a table wider than the screen is inside a box that scrolls, and the box fits the screen
    unboxed = page.evaluate("""[...document.querySelectorAll('table')].filter(t => {
        if (t.getBoundingClientRect().right <= window.innerWidth + 1) return false;
        for (let a = t.parentElement; a; a = a.parentElement)
          if (['auto', 'scroll'].includes(getComputedStyle(a).overflowX))
            return a.getBoundingClientRect().right > window.innerWidth + 1;
        return true;
      }).map(t => t.id || t.className)""")
    assert unboxed == []
    context.close()


def test_every_contents_link_lands_on_its_heading(browser, page_file):
    context, page = open_page(browser, page_file, "phone")
    targets = page.eval_on_selector_all("nav.toc a", "links => links.map(a => a.hash.slice(1))")
    assert len(targets) >= 15
    for target in targets:
        page.click(f'nav.toc a[href="#{target}"]')
        top = page.evaluate(f"document.getElementById({target!r}).getBoundingClientRect().top")
        assert -1 <= top < VIEWPORTS["phone"]["height"], target  # scrolled to it
    context.close()


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_no_serious_accessibility_violation(browser, page_file, viewport):
    """axe-core's audit: no violation of serious or critical impact. (The page's Content
    Security Policy forbids every script; this context lets the audit's script in.)"""
    context, page = open_page(browser, page_file, viewport, bypass_csp=True)
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    serious = [(v["id"], v["impact"], len(v["nodes"]), [n["target"] for n in v["nodes"][:3]])
               for v in result["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == []
    context.close()


def test_the_preview_page_reloads_itself_when_the_budget_is_saved(browser, tmp_path):
    """`budget serve` in a real browser: the officer saves a mistake and, without touching the
    browser, the page shows it; saves the fix and the page shows it passes; no console error."""
    import subprocess
    from conftest import BUDGET_EXE, edit, seed_text, write
    budget_folder = tmp_path / "budgets" / "2026"
    write(budget_folder, seed_text(), "zezhou-xinfang.yaml")
    server = subprocess.Popen([str(BUDGET_EXE), "serve", "budgets", "--port", "0", "--out", "out"],
                              cwd=tmp_path, stdout=subprocess.PIPE, text=True)
    try:
        url = server.stdout.readline().split("：", 1)[1].split("/（")[0]
        context = browser.new_context(viewport=VIEWPORTS["desktop"])
        page = context.new_page()
        problems = []
        page.on("console", lambda m: m.type == "error" and problems.append(m.text))
        page.goto(url + "/")
        page.wait_for_selector("text=检查通过")
        write(budget_folder, edit(seed_text(), "goods: 65200", "goods: 65100"), "zezhou-xinfang.yaml")
        page.wait_for_selector("text=1 个错误", timeout=30_000)
        assert "procurement-total" in page.content()
        write(budget_folder, seed_text(), "zezhou-xinfang.yaml")
        page.wait_for_selector("text=检查通过", timeout=30_000)
        page.goto(url + "/preview/0")  # the disclosure in its frame, same origin
        frame = page.frame_locator("iframe")
        assert "泽州县信访局" in frame.locator("h1").first.inner_text()
        assert problems == []
        context.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
