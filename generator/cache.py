"""The build cache: a budget whose inputs are unchanged is never rendered again, on any machine.

An entry is keyed by the SHA-256 of everything a disclosure is made from — the budget file,
its prior-year file, the templates, the schema and catalogues, the code, the lock file, the
system libraries that draw the PDF (pinned fonts are checked by hash in generator/pdf.py) —
and of how it is built (formats, standard). File times play no part, so a fresh CI checkout
finds the entries another run made: the folder is what a CI workflow caches between runs.

The folder is $BUDGET_CACHE, else build/cache of this checkout; BUDGET_CACHE=off turns the
cache off (the test suite does, but for the tests of the cache). An entry holds the files a
build wrote and the findings it printed; it is written whole (a temporary folder renamed into
place) or not at all, so a killed build never leaves half an entry.
"""
from __future__ import annotations

import ctypes.util
import hashlib
import os
import shutil
import sys
import tempfile
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# what every disclosure is made with: any change to these makes new keys for all budgets
SHARED = ("generator", "templates", "schema", "requirements.lock", "pyproject.toml")
# the libraries that lay out and draw the PDF: their version is in their file's name
LIBRARIES = ("pango-1.0", "pangoft2-1.0", "harfbuzz", "harfbuzz-subset", "fontconfig", "freetype")
REPORT = "findings.txt"
OUTPUTS = "outputs.txt"


def folder() -> Path | None:
    """The cache folder, or None when the cache is off."""
    setting = os.environ.get("BUDGET_CACHE", "")
    if setting == "off":
        return None
    return Path(setting) if setting else ROOT / "build" / "cache"


@lru_cache(maxsize=1)
def shared_fingerprint() -> str:
    """The SHA-256 of the shared inputs (files in sorted order, with their paths), the Python
    version and the drawing libraries' versions."""
    digest = hashlib.sha256(sys.version.encode())
    for name in SHARED:
        top = ROOT / name
        files = sorted(p for p in top.rglob("*") if p.is_file()) if top.is_dir() else [top]
        for path in files:
            if "__pycache__" in path.parts or not path.exists():
                continue
            digest.update(str(path.relative_to(ROOT)).encode() + b"\0")
            digest.update(path.read_bytes())
    for library in LIBRARIES:
        found = ctypes.util.find_library(library)  # e.g. libpango-1.0.so.0
        digest.update(str(found and os.path.realpath(_library_path(found))).encode())
    return digest.hexdigest()


def _library_path(name: str) -> str:
    """The file of a shared library found by name (its real path names its version)."""
    for directory in ("/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib",
                      "/lib/x86_64-linux-gnu", "/lib/aarch64-linux-gnu"):
        candidate = Path(directory) / name
        if candidate.exists():
            return str(candidate)
    return name


def key(budget_path: str, formats, standard: str | None) -> str:
    """The key of a build of `budget_path`: its bytes, its name and year folder (the outputs
    and the prior-year lookup depend on them), its prior-year file's bytes, the shared inputs,
    the formats and the standard."""
    path = Path(budget_path)
    digest = hashlib.sha256(shared_fingerprint().encode())
    digest.update(f"{path.parent.name}/{path.name}\0{','.join(sorted(formats))}\0{standard}\0"
                  .encode())
    digest.update(path.read_bytes())
    if path.parent.name.isdigit():  # rule prior-year-file reads budgets/<year − 1>/<name>
        prior = path.parent.parent / str(int(path.parent.name) - 1) / path.name
        digest.update(prior.read_bytes() if prior.is_file() else b"\0no prior year file")
    return digest.hexdigest()


def load(entry_key: str) -> tuple[dict[str, bytes], str] | None:
    """The files of a cached build ({path under the output folder: bytes}) and the findings
    it printed, or None."""
    base = folder()
    if base is None:
        return None
    entry = base / entry_key[:2] / entry_key
    try:
        names = (entry / OUTPUTS).read_text(encoding="utf-8").splitlines()
        files = {name: (entry / "files" / name).read_bytes() for name in names}
        return files, (entry / REPORT).read_text(encoding="utf-8")
    except OSError:  # not cached (or removed meanwhile): build it
        return None


def store(entry_key: str, files: dict[str, bytes], report: str) -> None:
    """Keep a build's files ({path under the output folder: bytes}) and findings; a cache
    that cannot be written is no error (the build itself succeeded)."""
    base = folder()
    if base is None:
        return
    entry = base / entry_key[:2] / entry_key
    partial = None
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        partial = Path(tempfile.mkdtemp(dir=entry.parent, prefix=f".{entry_key[:12]}."))
        for name, data in files.items():
            (partial / "files" / name).parent.mkdir(parents=True, exist_ok=True)
            (partial / "files" / name).write_bytes(data)
        (partial / OUTPUTS).write_text("".join(f"{name}\n" for name in files), encoding="utf-8")
        (partial / REPORT).write_text(report, encoding="utf-8")
        os.replace(partial, entry)  # whole or not at all; another build may have won the race
    except OSError:
        if partial is not None:
            shutil.rmtree(partial, ignore_errors=True)
