"""Nothing lost: output is written atomically, a killed build leaves the last good file as it
was (and its leftovers are cleaned up by the next build), the tool never writes into budgets/,
and the same input gives the same bytes whatever the locale, time zone or SOURCE_DATE_EPOCH.
"""
from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import pytest

from conftest import BUDGET_EXE, JIAOYU_YAML, ROOT, SEED_YAML, edit, seed_text, write
from generator import build as build_module
from generator import cli
from generator import pdf as pdf_module
from generator.build import build_one, write_atomically
from generator.pdf import FONT_DIR

PYTHON = BUDGET_EXE.parent / "python"


def budget(*args, cwd=None, env=None, check=True) -> subprocess.CompletedProcess:
    result = subprocess.run([str(BUDGET_EXE), *map(str, args)], cwd=cwd, env=env,
                            capture_output=True, encoding="utf-8")
    assert "Traceback" not in result.stderr, result.stderr
    if check:
        assert result.returncode == 0, result.stdout + result.stderr
    return result


def temporaries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def font_copies() -> set[str]:
    """The folders of WeasyPrint's font copies: build/fonts/.copies-* (generator.pdf) and its
    own default, /tmp/weasyprint-*, which a killed build would leave behind."""
    return ({p.name for p in FONT_DIR.glob(".copies-*")}
            | {p.name for p in Path(tempfile.gettempdir()).glob("weasyprint-*")})


def stale_font_copies() -> list[str]:
    """Font-copy folders no running build holds (their lock can be taken)."""
    stale = []
    for lock in FONT_DIR.glob(".copies-*.lock"):
        with open(lock, "ab") as f:
            try:
                fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue
            stale.append(lock.name)
    return stale


# ---- atomic writes ------------------------------------------------------------------------

@pytest.mark.parametrize("failing", ["os.fsync", "os.replace", "write"])
def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch, failing):
    target = tmp_path / "2026" / "x.pdf"
    write_atomically(target, b"old")

    def fail(*args, **kwargs):
        raise OSError(28, "No space left on device")

    if failing == "write":  # the disk fills up half-way
        fdopen = os.fdopen
        monkeypatch.setattr(build_module.os, "fdopen", lambda fd, mode: _FailingFile(fdopen(fd, mode)))
    else:
        monkeypatch.setattr(build_module.os, failing.split(".")[1], fail)
    with pytest.raises(OSError):
        write_atomically(target, b"new")
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in target.parent.iterdir()) == ["x.pdf"]


class _FailingFile:
    """A file whose write fails half-way: some bytes reach the temporary file, then ENOSPC."""

    def __init__(self, f):
        self.f = f

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.f.close()

    def write(self, data):
        self.f.write(b"partial")
        raise OSError(28, "No space left on device")


def test_a_written_file_is_complete_and_readable_by_all(tmp_path):
    target = tmp_path / "a" / "b.html"
    write_atomically(target, b"first")
    write_atomically(target, b"second")
    assert target.read_bytes() == b"second"
    assert target.stat().st_mode & 0o777 == 0o644
    assert sorted(p.name for p in target.parent.iterdir()) == ["b.html"]


# ---- an output folder or file that cannot be written -----------------------------------------

def no_rendering(*args, **kwargs):
    raise AssertionError("rendered although the output folder cannot be written")


@pytest.mark.parametrize("out, problem", [
    ("file", "它是文件，不是文件夹"),
    ("file/below", "路径中有一段是文件，不是文件夹"),
    ("gone", "它是失效的链接（指向的位置不存在），不是文件夹"),
    (os.devnull, "它是设备文件，不是文件夹"),
])
def test_build_refuses_an_out_that_is_no_folder_before_rendering(tmp_path, monkeypatch, capsys,
                                                                 out, problem):
    """--out an existing file, below one, a link to nowhere, /dev/null: one Chinese line
    naming it, exit 1, before any budget is rendered (a PDF takes seconds)."""
    (tmp_path / "file").write_text("", encoding="utf-8")
    (tmp_path / "gone").symlink_to(tmp_path / "nowhere")
    out = str(tmp_path / out) if out != os.devnull else out
    monkeypatch.setattr(build_module, "build_one", no_rendering)
    assert cli.main(["build", str(SEED_YAML), "--format", "pdf", "--out", out]) == 1
    assert capsys.readouterr().err == (f"budget build：无法写入输出文件夹 {out}：{problem}；"
                                       "请换一个 --out（例如 build）\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file", "gone"]


def test_build_refuses_an_unwritable_out_folder_before_rendering(tmp_path, monkeypatch, capsys):
    """Whether a file can be made in the folder is what counts (root writes in a read-only
    folder; os.access would say no): shown by a folder where making a file fails, and, when
    not run as root, by a real read-only folder."""
    out = tmp_path / "out"
    monkeypatch.setattr(build_module, "build_one", no_rendering)

    def refused(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    with monkeypatch.context() as patch:
        patch.setattr(build_module.tempfile, "mkstemp", refused)
        assert cli.main(["build", str(SEED_YAML), "--out", str(out)]) == 1
    assert capsys.readouterr().err == (f"budget build：无法写入输出文件夹 {out}：没有写入权限；"
                                       "请换一个 --out（例如 build）\n")
    assert list(out.iterdir()) == []  # no trace of the trial file
    if os.geteuid() != 0:  # root could write there anyway
        out.chmod(0o555)
        try:
            assert cli.main(["build", str(SEED_YAML), "--out", str(out / "sub")]) == 1
            assert "没有写入权限" in capsys.readouterr().err
        finally:
            out.chmod(0o755)
    # in a real process: no traceback
    result = budget("build", SEED_YAML, "--format", "html", "--out", os.devnull, check=False)
    assert result.returncode == 1 and "无法写入输出文件夹 /dev/null" in result.stderr


@pytest.mark.parametrize("obstacle, problem", [
    ("2026", "路径中有一段是文件，不是文件夹"),  # a file where the year's folder goes
    ("2026/x.html/", "那里是一个同名的文件夹"),  # a folder where the output goes
    ("disk full", "磁盘已满"),
])
def test_a_write_that_fails_is_said_for_that_budget_without_a_partial_file(
        tmp_path, monkeypatch, capsys, obstacle, problem):
    """Writing one budget's output fails (a file or folder in the way, the disk full): that
    budget fails with one Chinese line naming the file, no temporary is left, the others
    are built, and there is no traceback."""
    x = write(tmp_path / "budgets" / "2026", seed_text(), "x.yaml")
    y = write(tmp_path / "budgets" / "2026", seed_text(), "y.yaml")
    out = tmp_path / "out"
    out.mkdir()
    if obstacle == "2026":
        (out / "2026").write_text("", encoding="utf-8")
    elif obstacle.endswith("/"):
        (out / obstacle).mkdir(parents=True)
    else:  # ENOSPC half-way through writing x.html, the first file written
        fdopen, first = os.fdopen, iter([True])
        monkeypatch.setattr(build_module.os, "fdopen", lambda fd, mode: _FailingFile(fdopen(fd, mode))
                            if next(first, False) else fdopen(fd, mode))
    assert cli.main(["build", x, y, "--format", "html", "--out", str(out)]) == 1
    captured = capsys.readouterr()
    assert f"{x}: 无法写入 {out / '2026' / 'x.html'}：{problem}\n[1/2] {x} 失败" in captured.err
    if obstacle != "2026":
        assert f"{out / '2026' / 'y.html'}\n[2/2] {y} 完成" in captured.out
        written = sorted(p.name for p in (out / "2026").iterdir())
        assert written == (["y.html"] if obstacle == "disk full" else ["x.html", "y.html"])


# ---- killed builds ------------------------------------------------------------------------

def test_a_build_killed_at_any_moment_leaves_the_last_good_pdf(tmp_path):
    """SIGKILL `budget build --format pdf` at several moments of its run: the PDF is the last
    good one, byte for byte; leftovers of a kill (a temporary output file, the copies of the
    fonts WeasyPrint makes) are removed by the next build."""
    copies = font_copies()
    out = tmp_path / "out"
    pdf = out / "2026" / "zezhou-xinfang.pdf"
    command = [str(BUDGET_EXE), "build", str(SEED_YAML), "--format", "pdf", "--out", str(out)]
    started = time.monotonic()
    subprocess.run(command, check=True, capture_output=True)
    duration = time.monotonic() - started
    good = pdf.read_bytes()
    assert good.startswith(b"%PDF-") and good.rstrip().endswith(b"%%EOF")
    for fraction in (0.15, 0.5, 0.8, 0.95):
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(duration * fraction)
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert pdf.read_bytes() == good, f"killed after {fraction:.0%} of a build"
        names = {p.name for p in pdf.parent.iterdir()}
        assert names - {"zezhou-xinfang.pdf"} == set(temporaries(pdf.parent))
    subprocess.run(command, check=True, capture_output=True)
    assert pdf.read_bytes() == good
    assert temporaries(pdf.parent) == []
    assert stale_font_copies() == [] and font_copies() <= copies


def test_a_build_killed_while_writing_leaves_a_temporary_the_next_build_removes(tmp_path):
    """Deterministically killed inside write_atomically (its fsync made to hang): the final
    file is untouched, the temporary is left, and the next `budget build` removes it."""
    path = write(tmp_path / "budgets" / "2026", seed_text(), "x.yaml")
    out = tmp_path / "out"
    budget("build", path, "--format", "html", "--out", out)
    html = out / "2026" / "x.html"
    good = html.read_bytes()
    hang = ("import os, sys, time\n"
            "from generator import build, cli\n"
            "os.fsync = lambda fd: (print('writing', flush=True), time.sleep(60))\n"
            "sys.exit(cli.main(sys.argv[1:]))\n")
    process = subprocess.Popen([str(PYTHON), "-c", hang, "build", path, "--format", "html",
                                "--out", str(out)], stdout=subprocess.PIPE, text=True)
    try:
        while "writing" not in process.stdout.readline():
            assert process.poll() is None, "the build ended before writing"
        process.send_signal(signal.SIGKILL)
    finally:
        process.kill()
        process.wait()
        process.stdout.close()
    assert html.read_bytes() == good
    left = temporaries(html.parent)
    assert len(left) == 1 and left[0].startswith(".x.html.")
    assert (html.parent / left[0]).stat().st_size > 0  # a partial file, never named x.html
    budget("build", path, "--format", "html", "--out", out)
    assert temporaries(html.parent) == [] and html.read_bytes() == good


def test_only_this_files_older_temporaries_are_removed(tmp_path, monkeypatch):
    """Removed: .<name>.XXXXXXXX.tmp older than the process. Kept: one newer (a concurrent
    build writing it), another output's, and names write_atomically never makes."""
    path = write(tmp_path, seed_text(), "x.yaml")
    folder = tmp_path / "out" / "2026"
    folder.mkdir(parents=True)
    names = {".x.html.ab_cd123.tmp": "old", ".x.html.zz99zz99.tmp": "new",
             ".y.html.ab_cd123.tmp": "old", ".x.html.short.tmp": "old",
             "x.html.ab_cd123.tmp": "old", ".x.html.ab_cd123.tmp.keep": "old",
             ".x.redline.html.ab_cd123.tmp": "old"}
    for name, age in names.items():
        (folder / name).write_bytes(b"partial")
        if age == "old":
            past = build_module.STARTED - 3600
            os.utime(folder / name, (past, past))
    monkeypatch.setattr(build_module, "STARTED", time.time() - 1)  # this process began now
    os.utime(folder / ".x.html.zz99zz99.tmp")  # written since
    ok, message = build_one(path, tmp_path / "out", ["html"])
    assert ok, message
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [n for n in names if n != ".x.html.ab_cd123.tmp"] + ["x.html"])


def test_two_first_builds_extract_the_fonts_at_once(tmp_path, monkeypatch):
    """Two builds on a clone without build/fonts/ both extract the fonts: both get the
    complete font (through one fixed temporary name, the second rename found nothing and its
    build died), and a temporary left by an extraction killed half-way is removed."""
    fonts = tmp_path / "fonts"
    monkeypatch.setattr(pdf_module, "FONT_DIR", fonts)
    monkeypatch.setattr(pdf_module, "FONTS", pdf_module.FONTS[2:3])  # Sans Regular is enough
    target = fonts / "NotoSansCJK-Regular-SC.otf"
    fonts.mkdir()
    (fonts / f".{target.name}.k1lled_x.tmp").write_bytes(b"partial")
    from fontTools.ttLib import TTFont
    save, both = TTFont.save, threading.Barrier(2)

    def save_together(font, file, *args, **kwargs):
        with contextlib.suppress(threading.BrokenBarrierError):
            both.wait(timeout=2)  # both write at once, unless one waits for the other
        save(font, file, *args, **kwargs)

    monkeypatch.setattr(TTFont, "save", save_together)
    results = []

    def extract():
        try:
            results.append(pdf_module.ensure_fonts())
        except Exception as exc:  # reported by the assertion below
            results.append(exc)

    threads = [threading.Thread(target=extract) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    common = fonts / f"NotoSansCJK-Regular-SC{pdf_module.common_tag()}.otf"
    assert results == [[target, common], [target, common]]
    assert sorted(p.name for p in fonts.iterdir()) == [".lock", common.name, target.name]
    for made in (target, common):
        assert made.stat().st_mode & 0o777 == 0o644
        assert TTFont(str(made))["name"].getDebugName(1) == "Noto Sans CJK SC"
    cmap = TTFont(str(common)).getBestCmap()
    assert ord("局") in cmap and ord("堃") not in cmap  # GB 2312's, not a rare one


# ---- two budgets never write the same file ---------------------------------------------------

def test_two_budgets_that_would_write_the_same_file_are_both_refused(tmp_path, monkeypatch, capsys):
    """budgets/a/x.yaml and budgets/b/x.yaml both of year 2026 would both write
    out/2026/x.html, the second replacing the first: neither is built, each says so naming
    the other and the file; the other budgets are built; a file that does not load has no
    output to collide with. In year folders (budgets/2027/x.yaml of year 2026, the campaign's
    case) the misplaced one is an error of its own (year-folder) and writes nothing, so the
    other's disclosure stands."""
    monkeypatch.chdir(tmp_path)
    first = write(tmp_path / "budgets" / "a", seed_text(), "x.yaml")
    write(tmp_path / "budgets" / "b", seed_text(), "x.yaml")
    write(tmp_path / "budgets" / "a", seed_text(), "y.yaml")
    write(tmp_path / "budgets" / "b", "year: [2026\n", "y.yaml")  # does not load
    assert cli.main(["build", "budgets", "--format", "html", "--out", "out"]) == 1
    err = capsys.readouterr().err
    target = Path("out") / "2026" / "x.html"
    for path, other in (("budgets/a/x.yaml", "budgets/b/x.yaml"),
                        ("budgets/b/x.yaml", "budgets/a/x.yaml")):
        assert (f"{path}: 与 {other} 都要写入 {target}（年度和文件名都相同），都未生成："
                "请核对各文件的 year，或分开生成（不同的 --out）") in err
    assert sorted(p.name for p in (tmp_path / "out" / "2026").iterdir()) == ["y.html"]
    # another standard writes other files: no collision then between x and its Shanghai copy
    assert cli.main(["build", first, "--format", "html", "--out", "out"]) == 0
    assert cli.main(["build", first, "--standard", "shanghai", "--format", "html",
                     "--out", "out"]) == 0
    assert sorted(p.name for p in (tmp_path / "out" / "2026").iterdir()) == [
        "x.html", "x.shanghai.html", "y.html"]
    # year folders
    shutil.rmtree(tmp_path / "budgets")
    write(tmp_path / "budgets" / "2026", seed_text(), "x.yaml")
    write(tmp_path / "budgets" / "2027", edit(seed_text(), "贯彻落实上级党委", "【副本】贯彻落实上级党委"), "x.yaml")
    capsys.readouterr()
    assert cli.main(["build", "budgets", "--format", "html", "--out", "years"]) == 1
    err = capsys.readouterr().err
    assert "budgets/2027/x.yaml:" in err and "year-folder" in err and "互相覆盖" in err
    page = (tmp_path / "years" / "2026" / "x.html").read_text(encoding="utf-8")
    assert "【副本】" not in page  # the 2026 budget's own disclosure


def test_a_budget_named_twice_is_built_once(tmp_path, monkeypatch, capsys):
    """`build a.yaml a.yaml`, or a file and its folder: built once, not a collision."""
    monkeypatch.chdir(tmp_path)
    path = write(tmp_path / "budgets" / "2026", seed_text(), "x.yaml")
    assert cli.main(["build", "budgets/2026/x.yaml", path, "budgets", "--format", "html",
                     "--out", "out"]) == 0
    captured = capsys.readouterr()
    assert "[1/1] budgets/2026/x.yaml 完成" in captured.out and "[2/" not in captured.err
    assert sorted(p.name for p in (tmp_path / "out" / "2026").iterdir()) == ["x.html"]


# ---- the tool never writes into budgets/ --------------------------------------------------

@pytest.fixture
def repo(tmp_path, monkeypatch) -> Path:
    """A git repository laid out like this one, with both example budgets committed."""
    for name in list(os.environ):
        if name.startswith("GIT_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    repo = tmp_path / "repo"
    (repo / "budgets" / "2026").mkdir(parents=True)
    for source in (SEED_YAML, JIAOYU_YAML):
        shutil.copy2(source, repo / "budgets" / "2026" / source.name)
    shutil.copy2(ROOT / ".gitattributes", repo / ".gitattributes")
    for args in (["init", "-q", "-b", "main"], ["add", "-A"],
                 ["-c", "user.name=预算科", "-c", "user.email=y@example.org", "-c",
                  "commit.gpgsign=false", "commit", "-q", "-m", "预算"]):
        subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)
    return repo


def snapshot(folder: Path) -> dict:
    """Every file and folder below `folder` (and itself): bytes and modification time."""
    return {str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else None,
                                         p.stat().st_mtime_ns)
            for p in [folder, *sorted(folder.rglob("*"))]}


def test_no_command_writes_into_budgets(repo):
    before = snapshot(repo / "budgets")
    seed, jiaoyu = "budgets/2026/zezhou-xinfang.yaml", "budgets/2026/zezhou-jiaoyu.yaml"
    time.sleep(0.01)  # a write now would show as a newer modification time
    budget("check", "budgets/", cwd=repo)
    budget("check", "--format", "json", seed, cwd=repo)
    budget("check", "--format", "github", jiaoyu, cwd=repo)
    budget("build", "budgets/", "--format", "html", "--out", "build", cwd=repo)
    budget("build", seed, "--redline", "HEAD", "--out", "build", cwd=repo)
    budget("diff", seed, jiaoyu, cwd=repo)
    budget("diff", f"HEAD:{seed}", seed, "--format", "json", cwd=repo)
    budget("diff", "--git", "HEAD", "--format", "markdown", cwd=repo)
    budget("show", seed, cwd=repo)
    budget("show", f"HEAD:{jiaoyu}", cwd=repo)
    for out in ("budgets", "budgets/2026", "budgets/../budgets/new", "./budgets/2026/out"):
        refused = budget("build", seed, "--format", "html", "--out", out, cwd=repo, check=False)
        assert refused.returncode == 1 and "不能写入 budgets/" in refused.stderr, refused.stderr
    assert snapshot(repo / "budgets") == before
    assert (repo / "build" / "2026" / "zezhou-xinfang.redline.html").is_file()
    assert sorted(p.name for p in (repo / "build" / "2026").iterdir()) == [
        "zezhou-jiaoyu.html", "zezhou-xinfang.html", "zezhou-xinfang.redline.html"]


def test_build_refuses_an_out_folder_inside_budgets(tmp_path, monkeypatch, capsys):
    project = tmp_path / "budgets" / "clone"  # a clone kept under a folder named budgets
    path = write(project / "budgets" / "2026", seed_text(), "x.yaml")
    (project / "link").symlink_to(project / "budgets" / "2026")
    monkeypatch.chdir(project)
    for out in ("budgets", "budgets/2026/out", "link/out", str(project / "budgets"),
                "budgets/2026/../../budgets"):
        assert cli.main(["build", path, "--format", "html", "--out", out]) == 1
        err = capsys.readouterr().err
        assert "生成的文件不能写入 budgets/" in err and out in err
    assert sorted(p.name for p in (project / "budgets" / "2026").iterdir()) == ["x.yaml"]
    # anywhere else is fine, in the clone under …/budgets/clone too
    assert cli.main(["build", path, "--format", "html", "--out", "build"]) == 0
    assert (project / "build" / "2026" / "x.html").is_file()
    monkeypatch.chdir(project / "budgets")  # a relative --out from inside budgets/ still counts
    assert cli.main(["build", "2026/x.yaml", "--format", "html", "--out", "build"]) == 1


def test_build_refuses_a_year_folder_that_links_into_budgets(tmp_path, monkeypatch, capsys):
    # found by a tester: only --out was checked, not <out>/<year>, the folder written
    path = write(tmp_path / "budgets" / "2026", seed_text(), "x.yaml")
    out = tmp_path / "out"
    out.mkdir()
    (out / "2026").symlink_to(tmp_path / "budgets" / "2026")
    assert cli.main(["build", path, "--format", "html", "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert (f"{path}: 不能写入 {out / '2026' / 'x.html'}：它实际在预算文件夹 {tmp_path / 'budgets'} "
            "之内；生成的文件不能写入 budgets/") in err, err
    assert sorted(p.name for p in (tmp_path / "budgets" / "2026").iterdir()) == ["x.yaml"]
    # a link to a year folder not made yet counts too: nothing is made there
    (out / "2026").unlink()
    (out / "2026").symlink_to(tmp_path / "budgets" / "2027")
    assert cli.main(["build", path, "--format", "html", "--out", str(out)]) == 1
    assert "生成的文件不能写入 budgets/" in capsys.readouterr().err
    assert sorted(p.name for p in (tmp_path / "budgets").iterdir()) == ["2026"]


# ---- reproducible output ------------------------------------------------------------------

def _locales() -> set[str]:
    result = subprocess.run(["locale", "-a"], capture_output=True, text=True)
    return {name.lower().replace("utf-8", "utf8") for name in result.stdout.split()}


def test_the_same_input_gives_the_same_bytes_in_any_environment(tmp_path):
    """HTML and PDF built in two processes that differ in locale, time zone, SOURCE_DATE_EPOCH,
    hash seed, working folder and output folder are byte-identical."""
    chinese = "zh_CN.UTF-8" if "zh_cn.utf8" in _locales() else "C"  # else: plain ASCII C
    base = {k: v for k, v in os.environ.items()
            if not k.startswith(("LC_", "LANG", "TZ", "SOURCE_DATE_EPOCH", "PYTHONHASHSEED"))}
    sides = [
        ({**base, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8", "TZ": "UTC", "PYTHONHASHSEED": "0"},
         ROOT, [str(SEED_YAML.relative_to(ROOT)), str(JIAOYU_YAML.relative_to(ROOT))],
         tmp_path / "one"),
        ({**base, "LC_ALL": chinese, "LANG": chinese, "TZ": "Asia/Shanghai",
          "SOURCE_DATE_EPOCH": "1767225600", "PYTHONHASHSEED": "4242"},
         tmp_path, [str(SEED_YAML), str(JIAOYU_YAML)], tmp_path / "two" / "输出"),
    ]
    # the HTML of both examples, then the seed's PDF (the slow part); both sides at once
    for paths, fmt in (([0, 1], "html"), ([0], "pdf")):
        processes = [subprocess.Popen([str(BUDGET_EXE), "build", *[files[i] for i in paths],
                                       "--format", fmt, "--out", str(out)], cwd=cwd, env=env,
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                     for env, cwd, files, out in sides]
        for process in processes:
            stdout, stderr = process.communicate(timeout=300)
            assert process.returncode == 0, stdout + stderr
    one, two = (sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file())
                for _, _, _, out in sides)
    assert one == two and len(one) == 3, (one, two)
    for name in one:
        first, second = (sides[0][3] / name).read_bytes(), (sides[1][3] / name).read_bytes()
        assert first == second, f"{name} differs between the two environments"
