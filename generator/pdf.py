"""HTML → PDF through WeasyPrint, with pinned fonts and no access to anything else.

The fonts are the Simplified Chinese faces of Debian's fonts-noto-cjk (Noto Serif CJK SC for
the body, Noto Sans CJK SC for headings, Regular and Bold).  Debian ships them as collections
(.ttc) whose first face is Japanese; we extract the SC face of each into build/fonts once,
after checking the collection's SHA-256, so every machine embeds the very same glyphs, and
beside it its common part (see COMMON_RANGES), which is what WeasyPrint reads unless a character
needs the whole face.
"""
from __future__ import annotations

import contextlib
import fcntl
import functools
import hashlib
import io
import os
import shutil
import tempfile
from pathlib import Path

SYSTEM_FONT_DIR = Path("/usr/share/fonts/opentype/noto")
FONT_PACKAGE = "fonts-noto-cjk 1:20220127+repack1-1"
# family, weight, collection in SYSTEM_FONT_DIR, its SHA-256, the face we take from it
FONTS = [
    ("Budget Serif", 400, "NotoSerifCJK-Regular.ttc",
     "a04178ec485dffdff7cc0c0c20e1fce9202d7e2160d805e8e44a4c8841c58481", "Noto Serif CJK SC"),
    ("Budget Serif", 700, "NotoSerifCJK-Bold.ttc",
     "a5d4b046c127da3d7c72f98b46c41489cd29bf52abfdf18aba920903e920d4ac", "Noto Serif CJK SC"),
    ("Budget Sans", 400, "NotoSansCJK-Regular.ttc",
     "b76b0433203017ca80401b2ee0dd69350349871c4b19d504c34dbdd80541690a", "Noto Sans CJK SC"),
    ("Budget Sans", 700, "NotoSansCJK-Bold.ttc",
     "faa5f3656a78b2e2d450d27fe8382c778bc2b6bb5ea29c986664a6a435056ceb", "Noto Sans CJK SC"),
]
# build/fonts of this checkout, or $BUDGET_FONTS: the files are the same on every machine (made
# from the pinned collections), so checkouts may share one folder (the tests' copies do)
FONT_DIR = Path(os.environ.get("BUDGET_FONTS") or
                Path(__file__).resolve().parent.parent / "build" / "fonts")


class PdfError(Exception):
    """A PDF could not be made; the message says why, in Chinese."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _face_file(collection: str, face: str, part: str = "") -> Path:
    return FONT_DIR / f"{Path(collection).stem}-{face.split()[-1]}{part}.otf"


def ensure_fonts() -> list[Path]:
    """The font files, each face whole and then its common part, making any that are missing
    (once per machine: the common parts take about a minute)."""
    paths = [_face_file(collection, face, part) for _, _, collection, _, face in FONTS
             for part in ("", common_tag())]
    if all(path.exists() for path in paths):
        return paths
    FONT_DIR.mkdir(parents=True, exist_ok=True)
    # one extraction at a time (two first builds at once): the second finds the files made
    with open(FONT_DIR / ".lock", "ab") as guard:
        fcntl.flock(guard, fcntl.LOCK_EX)
        for (_, _, collection, sha, face), whole, common in zip(FONTS, paths[::2], paths[1::2]):
            if not whole.exists():
                _extract(SYSTEM_FONT_DIR / collection, sha, face, whole)
            if not common.exists():
                _save(_common_part(whole), common)
    return paths


# The common part of each face: the characters of GB 2312 (its 6,763 汉字 and its symbols),
# Latin, general punctuation, CJK symbols and full-width forms, with every glyph their layout
# features reach. WeasyPrint reads a font whole to subset it for the PDF: the common parts
# (18 MB for the four faces instead of 83 MB) took a build's peak memory from 305 to 172 MB,
# with the very same pages. A character outside them (a rare one in a name) is drawn from the
# whole face, the next family in the CSS ("Budget Serif Full").
COMMON_RANGES = [(0x20, 0x2FF), (0x2000, 0x33FF), (0xFE30, 0xFE4F), (0xFF00, 0xFFEF)]


@functools.lru_cache(maxsize=1)
def common_tag() -> str:
    """"-common-<hash>": the file names of the common parts carry a hash of their characters
    and of the subsetter's version, so a change of either makes new files, never reuses old."""
    from fontTools import version
    text = "".join(sorted(common_characters())) + version
    return "-common-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


def common_characters() -> set[str]:
    chars = {chr(c) for start, end in COMMON_RANGES for c in range(start, end + 1)}
    for first in range(0xA1, 0xF8):
        for second in range(0xA1, 0xFF):
            with contextlib.suppress(UnicodeDecodeError):
                chars.add(bytes((first, second)).decode("gb2312"))
    return chars


def _common_part(whole: Path):
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.layout_features = ["*"]  # vertical forms, local (SC) forms, punctuation spacing
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.recalc_timestamp = False  # the same bytes on every machine
    font = TTFont(str(whole), recalcTimestamp=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(map(ord, common_characters())))
    subsetter.subset(font)
    return font


def _extract(source: Path, sha: str, face: str, target: Path) -> None:
    """The face `face` of the collection `source` into `target`."""
    from fontTools.ttLib import TTCollection

    if not source.exists():
        raise PdfError(f"缺少字体 {source}：请运行 make pdf（会安装 {FONT_PACKAGE}）")
    if _sha256(source) != sha:
        raise PdfError(f"字体 {source} 与锁定的版本（{FONT_PACKAGE}）不一致")
    fonts = TTCollection(str(source), recalcTimestamp=False).fonts
    _save(next(f for f in fonts if f["name"].getDebugName(1) == face), target)


def _save(font, target: Path) -> None:
    """Save a font as `target` through a temporary file of its own renamed into place: no
    build ever reads a half-written font. Called with the lock held."""
    for stale in FONT_DIR.glob(f".{target.name}.*.tmp"):  # a save killed half-way
        stale.unlink()  # (safe: nobody else saves while we hold the lock)
    fd, partial = tempfile.mkstemp(dir=FONT_DIR, prefix=f".{target.name}.", suffix=".tmp")
    os.close(fd)
    try:
        font.save(partial)
        os.chmod(partial, 0o644)  # mkstemp's 0600 would hide the font from other users
        os.replace(partial, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(partial)
        raise


def font_css() -> str:
    """@font-face of each family: "Budget Serif" is the common part of the face, "Budget
    Serif Full" the whole face (the style sheets name both, in this order)."""
    rules = []
    paths = ensure_fonts()
    for (family, weight, *_), whole, common in zip(FONTS, paths[::2], paths[1::2]):
        for name, path in ((family, common), (f"{family} Full", whole)):
            rules.append(f'@font-face {{ font-family: "{name}"; font-weight: {weight}; '
                         f'src: url("{path.name}"); }}')
    return "\n".join(rules)


def _fetcher():
    """A URL fetcher that serves the extracted fonts and refuses everything else."""
    from weasyprint.urls import URLFetcher

    allowed = {p.resolve() for p in ensure_fonts()}

    class AssetFetcher(URLFetcher):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.refused: list[str] = []  # also where WeasyPrint swallows the error

        def fetch(self, url, headers=None):
            if url.startswith("file://"):
                path = Path(url.removeprefix("file://").split("?")[0]).resolve()
                if path in allowed:
                    return super().fetch(url, headers)
            self.refused.append(url)
            raise PdfError(f"拒绝加载外部资源：{url[:200]}")

    return AssetFetcher(fail_on_errors=True)


@contextlib.contextmanager
def _font_copies():
    """A folder for WeasyPrint's copies of the fonts. It copies each @font-face font (80 MB
    here) into a temporary folder that it removes when done, which a killed build cannot do;
    so the folder is made in build/fonts and locked while in use, and the unlocked ones, left
    by killed builds, are removed before a new one is made."""
    FONT_DIR.mkdir(parents=True, exist_ok=True)
    with open(FONT_DIR / ".lock", "ab") as guard:  # one process at a time removes and makes
        fcntl.flock(guard, fcntl.LOCK_EX)
        for lock in FONT_DIR.glob(".copies-*.lock"):
            with open(lock, "ab") as other:
                try:
                    fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    continue  # a build that is running
                shutil.rmtree(lock.with_suffix(""), ignore_errors=True)
                lock.unlink()
        fd, lock_name = tempfile.mkstemp(prefix=".copies-", suffix=".lock", dir=FONT_DIR)
        mine = os.fdopen(fd, "wb")
        fcntl.flock(mine, fcntl.LOCK_EX)
        folder = Path(lock_name).with_suffix("")
        folder.mkdir()
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        os.unlink(lock_name)
        mine.close()


# Not PDF/A as well: see the README (a second XMP packet, and no validator to check it).
PDF_VARIANT = "pdf/ua-1"


def write_pdf(html: str) -> bytes:
    """The PDF of a rendered disclosure; raises PdfError if it refers to anything external."""
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import FatalURLFetchingError

    base_url = FONT_DIR.as_uri() + "/"
    fetcher = _fetcher()
    # The page layout is in the HTML itself (print.css, under @media print); only the
    # pinned fonts are added here, since the HTML must not point at files. The @font-face
    # rules take effect only through a FontConfiguration shared with the document: without
    # one WeasyPrint ignores them and takes whatever fonts fontconfig finds on the system.
    with _font_copies() as copies:
        fonts = FontConfiguration()
        fonts._folder = copies  # instead of a folder of its own in /tmp (weasyprint is pinned)
        stylesheets = [weasyprint.CSS(string=font_css(), base_url=base_url, url_fetcher=fetcher,
                                      font_config=fonts)]
        try:
            document = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=fetcher)
            out = io.BytesIO()
            # PDF/UA-1: tagged (headings, tables with header cells, lists), language and
            # title declared, so that a screen reader can read it (无障碍环境建设法)
            document.write_pdf(out, stylesheets=stylesheets, font_config=fonts,
                               uncompressed_pdf=False, pdf_variant=PDF_VARIANT)
        except FatalURLFetchingError as exc:
            raise PdfError(str(exc.__cause__ or exc)) from None
        finally:
            fonts._folder = None  # removed here, not by its __del__ whenever that runs
    if fetcher.refused:  # e.g. an <image> inside an inline SVG: WeasyPrint only logs it
        raise PdfError(f"拒绝加载外部资源：{fetcher.refused[0][:200]}")
    return out.getvalue()
