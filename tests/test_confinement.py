"""What a budget file says stays text: nothing in it can add markup, run script, restyle the
page, be evaluated as a template or make the PDF fetch anything.

Every free-text field of the seed gets a hostile text (script, entities, a style sheet, a
file:// and an http:// reference, Jinja syntax) with a marker of its own; the same budget with
a harmless text in each field is the control. The hostile page must have exactly the
control's elements, attributes and style sheets, show each hostile text literally (escaped),
keep the Content-Security-Policy that allows no script, and its PDF must fetch nothing but the
pinned fonts. A reference put into a template instead (the HTML itself) makes write_pdf fail
with PdfError rather than embed what it points at.
"""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from io import BytesIO

import pytest
import yaml
from markupsafe import escape
from pypdf import PdfReader

from conftest import SEED_YAML, edit, seed_text, write
from generator import pdf as pdf_module
from generator.check import check
from generator.diff import diff_budgets
from generator.narratives import narrative
from generator.pdf import PdfError, write_pdf
from generator.redline import make_redline, mark_texts
from generator.render import render_html

# at most 200 characters: the schema's limit for a name printed in a table cell
HOSTILE = ("F{n}<script>alert({n})</script>&amp;&#x3c;</style><style>*{{display:none}}</style>"
           "url(file:///etc/passwd)<a href=\"http://127.0.0.1:9/\">x</a><img src=x onerror=1>"
           "{{{{7*7}}}}{{%if 1%}}'\"")
# at most 50: a line of the form's sign-off, a staff category
HOSTILE_SHORT = "F{n}<script>x</script><img src=x>{{{{7*7}}}}'\""
SHORT_FIELDS = re.compile(r".*/(sign_off/\w+|on_post/[^/]+#key)")
HARMLESS = "F{n}字段"
FORBIDDEN = {"script", "iframe", "object", "embed", "img", "link", "base", "form"}

# The free-text fields of a budget, as paths in the document ("#key": the key itself).
FREE_TEXT = re.compile("|".join([
    r"department/(name|region|duties)",
    r"department/internal_divisions/\d+",
    r"units/\d+/name",
    r"units/\d+/staff/on_post/[^/]+#key",
    r"units/\d+/(projects|carryover_projects)/\d+/name",
    r"units/\d+/projects/\d+/performance/(overview|basis|necessity|safeguards|plan)",
    r"units/\d+/projects/\d+/performance/goals/(implementation|annual)",
    r"units/\d+/projects/\d+/performance/indicators/\w+/[^/]+/[^/]+/[^/]+(#key)?",
    r"units/\d+/projects/\d+/performance/sign_off/\w+",
    r"change_reasons/\w+",
    r"purchased_services/\d+/name",
    r"other_notes",
    r"glossary/\d+/(term|definition)",
    r"performance/(duties|annual_goal)",
    r"performance/strategic_goals/\d+",
    r"performance/key_tasks/\d+/(function|tasks)",
    r"performance/indicators/[^/]+/[^/]+/[^/]+(#key)?",
]))


def _scalars(node, path=""):
    """(path, scalar node) of every key and value; an alias is the node it refers to."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield f"{path}{key.value}#key", key
            yield from _scalars(value, f"{path}{key.value}/")
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            yield from _scalars(item, f"{path}{i}/")
    else:
        yield path.rstrip("/"), node


def seed_with_every_field() -> str:
    """The seed with the fields it leaves empty filled: a purchased service, other notes and
    two glossary entries."""
    text = edit(seed_text(), "purchased_services: []", "purchased_services:\n  - {name: 服务, amount: 1000}\n#")
    text = edit(text, 'other_notes: ""', "other_notes: 说明")
    return text + "\nglossary:\n  - {term: 名词, definition: 解释}\n  - {term: 另一名词, definition: 解释}\n"


def fill(text: str, template: str) -> tuple[str, dict[str, str]]:
    """Every free-text scalar replaced by `template` (numbered); {path: text put there}."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    edits, put = {}, {}
    for path, node in _scalars(root):
        if FREE_TEXT.fullmatch(path) and node.start_mark.index not in edits:
            short = template == HOSTILE and SHORT_FIELDS.fullmatch(path)
            value = (HOSTILE_SHORT if short else template).format(n=len(edits) + 1)
            edits[node.start_mark.index] = (node.end_mark.index, json.dumps(value, ensure_ascii=False))
            put[path] = value
    for start in sorted(edits, reverse=True):
        end, new = edits[start]
        old = text[start:end]
        anchor = re.match(r"(?:[&!]\S*\s+)*", old).group()  # "&goal-x >-": keep the anchor
        text = text[:start] + anchor + new + old[len(old.rstrip()):] + text[end:]
    return text, put


class _Structure(HTMLParser):
    """Every element with its attribute names, the attribute values in order, the style
    sheets and the CSP."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple] = []
        self.values: list[str] = []
        self.links: list[str] = []
        self.styles: list[str] = []
        self.csp: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, tuple(name for name, _ in attrs)))
        self.values += [value or "" for _, value in attrs]
        self.links += [value or "" for name, value in attrs if name in ("href", "src", "xlink:href")]
        attrs = dict(attrs)
        if tag == "meta" and (attrs.get("http-equiv") or "").lower() == "content-security-policy":
            self.csp.append(attrs.get("content") or "")
        self._in_style = tag == "style"
        if self._in_style:
            self.styles.append("")

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.styles[-1] += data


def structure(html: str) -> _Structure:
    parsed = _Structure()
    parsed.feed(html)
    parsed.close()
    return parsed


def assert_csp_allows_no_script(html: str) -> None:
    parsed = structure(html)
    assert len(parsed.csp) == 1, parsed.csp
    directives = {d.split()[0]: d.split()[1:] for d in parsed.csp[0].split(";") if d.strip()}
    assert directives["default-src"] == ["'none'"]
    assert "script-src" not in directives and "script-src-elem" not in directives
    assert not any("unsafe-eval" in v or "http" in " ".join(v) for v in directives.values())
    # it comes before anything it governs: only <meta> precede it in <head>
    head = html[:html.index("Content-Security-Policy")]
    assert re.findall(r"<(\w+)", head) == ["html", "head", "meta", "meta", "meta"]


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    """(control budget, hostile budget, {path: hostile text}, their HTML, the paths)."""
    folder = tmp_path_factory.mktemp("confinement")
    base = seed_with_every_field()
    harmless_text, _ = fill(base, HARMLESS)
    hostile_text, put = fill(base, HOSTILE)
    harmless_path = write(folder / "harmless" / "2026", harmless_text, "seed.yaml")
    hostile_path = write(folder / "hostile" / "2026", hostile_text, "seed.yaml")
    results = {}
    for name, path in (("harmless", harmless_path), ("hostile", hostile_path)):
        budget, derived, found = check(path)
        assert budget is not None, [f.text() for f in found]
        results[name] = (budget, derived, render_html(budget, derived))
    return results, put, harmless_path, hostile_path


def test_every_free_text_field_is_filled(pages):
    _, put, _, _ = pages
    kinds = {re.sub(r"/\d+(?=/|$)", "/*", path) for path in put}
    for expected in ["department/duties", "department/internal_divisions/*", "units/*/name",
                     "change_reasons/total", "purchased_services/*/name", "other_notes",
                     "glossary/*/term", "glossary/*/definition", "performance/annual_goal",
                     "performance/key_tasks/*/tasks", "units/*/projects/*/performance/overview",
                     "units/*/carryover_projects/*/name", "units/*/staff/on_post/行政人员#key"]:
        assert expected in kinds, expected
    assert sum("/indicators/" in p and p.endswith("#key") for p in put) > 20
    assert len(put) > 150


def test_hostile_text_is_shown_literally_in_every_field(pages):
    results, put, _, _ = pages
    html = results["hostile"][2]
    missing = [path for path, value in put.items() if str(escape(value)) not in html]
    assert missing == []
    # the Jinja syntax is printed, not evaluated
    assert html.count("{{7*7}}") >= len(put) and ">49<" not in html and "49{%" not in html
    assert "<script" not in html.lower()


def test_hostile_text_adds_no_element_attribute_or_style(pages):
    results, _, _, _ = pages
    control, hostile = structure(results["harmless"][2]), structure(results["hostile"][2])
    assert hostile.elements == control.elements
    assert hostile.styles == control.styles and len(control.styles) == 1
    assert not {tag for tag, _ in hostile.elements} & FORBIDDEN
    assert all(link.startswith("#") for link in hostile.links)
    # an attribute value differs only where it holds a free text, by that text
    differing = [(c, h) for c, h in zip(control.values, hostile.values) if c != h]
    assert differing  # the <meta name="author"> holds the department's name
    for c, h in differing:
        assert re.sub(r"F(\d+)字段", lambda m: HOSTILE.format(n=m.group(1)), c) == h


def test_the_page_keeps_a_csp_that_allows_no_script(pages):
    results, _, _, _ = pages
    for name in ("harmless", "hostile"):
        assert_csp_allows_no_script(results[name][2])


def test_the_redline_of_hostile_text_stays_text(pages):
    """The redline marks changed texts by editing the rendered HTML: the old and new hostile
    texts it inserts are escaped too, and add only <ins>/<del> marks and notes."""
    results, put, harmless_path, hostile_path = pages
    budget, derived, html = results["hostile"]
    d = diff_budgets(harmless_path, hostile_path)
    assert d.texts and d.projects_added and d.projects_removed
    redline = make_redline("HEAD", hostile_path, d)
    old_budget, old_derived, _ = check(harmless_path)
    page = mark_texts(render_html(budget, derived, redline=redline), d.texts,
                      narrative(budget, derived), narrative(old_budget, old_derived))
    assert "<script" not in page.lower()
    parsed = structure(page)
    assert not {tag for tag, _ in parsed.elements} & FORBIDDEN
    assert not [name for _, names in parsed.elements for name in names if name.startswith("on")]
    assert len(parsed.styles) == 2  # the page's and the redline's
    assert parsed.links and all(link.startswith("#") for link in parsed.links)  # in the page
    assert_csp_allows_no_script(page)
    assert str(escape(put["units/0/projects/0/name"])) in page


@pytest.fixture(scope="module")
def fetched(pages, tmp_path_factory):
    """The URLs the PDF of the hostile page asked for, and the PDF."""
    results, _, _, _ = pages
    asked, opened = [], []
    original = pdf_module._fetcher

    def recording():
        fetcher = original()
        fetch = fetcher.fetch

        def record(url, headers=None):
            asked.append(url)
            return fetch(url, headers)
        fetcher.fetch = record
        return fetcher

    from weasyprint.urls import URLFetcher
    opener = URLFetcher.fetch

    def record_open(self, url, headers=None):  # every URL any fetcher really opens
        opened.append(url)
        return opener(self, url, headers)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(pdf_module, "_fetcher", recording)
        mp.setattr(URLFetcher, "fetch", record_open)
        data = write_pdf(results["hostile"][2])
    return asked, opened, data


def test_the_pdf_fetches_nothing_but_the_fonts(fetched):
    asked, opened, _ = fetched
    fonts = {p.resolve().as_uri() for p in pdf_module.ensure_fonts()}
    assert asked and set(asked) <= fonts, asked
    assert set(opened) <= fonts, opened


def test_the_pdf_holds_no_link_attachment_or_script(fetched):
    _, _, data = fetched
    reader = PdfReader(BytesIO(data))
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A") or {}
            assert "/URI" not in action and "/Launch" != action.get("/S"), annotation
    root = reader.trailer["/Root"]
    names = root.get("/Names") or {}
    assert "/EmbeddedFiles" not in names and "/JavaScript" not in names
    assert "/OpenAction" not in root and "/AA" not in root
    for marker in (b"/JavaScript", b"/JS ", b"/Launch", b"/EmbeddedFile", b"/URI"):
        assert marker not in data
    text = "".join(page.extract_text() for page in reader.pages[:3])
    assert "<script>" in text.replace(" ", "")  # printed as text on the cover


# ---- a reference put into the HTML itself ---------------------------------------------------

FAR = "http://127.0.0.1:9"  # the discard port on this machine: never reached (refused first)
REFERENCES = [
    '<img src="file:///etc/passwd">',
    f'<img src="{FAR}/x.png">',
    '<img src="../../../../../../etc/passwd">',  # relative to the font folder
    '<img src="data:image/png;base64,iVBORw0KGgo=">',
    f'<link rel="stylesheet" href="{FAR}/x.css">',
    '<link rel="stylesheet" href="file:///etc/hostname">',
    '<link rel="attachment" href="file:///etc/passwd">',
    '<a rel="attachment" href="file:///etc/hostname">附件</a>',
    '<style>@import url("file:///etc/hostname");</style>',
    '<style>body { background: url(file:///etc/passwd) }</style>',
    f'<style>.cover {{ background-image: url({FAR}/bg.png) }}</style>',
    '<style>@font-face { font-family: X; src: url(file:///etc/passwd) } p { font-family: X }</style>',
    '<style>li { list-style-image: url(file:///etc/passwd) }</style><ul><li>x</li></ul>',
    '<style>p::before { content: url(file:///etc/passwd) }</style>',
    '<svg width="10" height="10"><image href="file:///etc/passwd" width="10" height="10"/></svg>',
    '<object data="file:///etc/passwd" type="image/png"></object>',
    '<embed src="file:///etc/passwd" type="image/png">',
    f'<base href="{FAR}/"><img src="x.png">',
]


@pytest.fixture(scope="module")
def short_page() -> str:
    """The seed's page cut to its head and cover: the same CSP, fonts and style sheets,
    converted in a fraction of the time of the whole document."""
    budget, derived, _ = check(str(SEED_YAML))
    html = render_html(budget, derived)
    return html[:html.index('<nav')] + "</body>\n</html>\n"


def test_the_short_page_alone_converts(short_page):
    assert write_pdf(short_page).startswith(b"%PDF-")


@pytest.mark.parametrize("reference", REFERENCES)
def test_a_reference_in_the_html_fails_the_pdf(short_page, reference, monkeypatch):
    asked = []
    original = pdf_module._fetcher

    def recording():
        fetcher = original()
        fetch = fetcher.fetch
        fetcher.fetch = lambda url, headers=None: (asked.append(url), fetch(url, headers))[1]
        return fetcher

    monkeypatch.setattr(pdf_module, "_fetcher", recording)
    html = short_page.replace("</body>", f"<p>{reference}</p></body>")
    with pytest.raises(PdfError, match="拒绝加载外部资源"):
        write_pdf(html)
    fonts = {p.resolve().as_uri() for p in pdf_module.ensure_fonts()}
    assert [url for url in asked if url not in fonts], asked  # it was asked for, and refused
