"""What stands at a path, and why a file could not be read or written, in words."""
from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

# why a file could not be written, in words; anything else in the system's own words
# (EEXIST: from mkdir, when a file stands where a folder should be)
_NOT_FOLDER = "路径中有一段是文件，不是文件夹"
_OS_PROBLEMS = {errno.ENOTDIR: _NOT_FOLDER, errno.EEXIST: _NOT_FOLDER, errno.EACCES: "没有写入权限",
                errno.EPERM: "没有写入权限", errno.ENOSPC: "磁盘已满", errno.EDQUOT: "磁盘配额已满",
                errno.EROFS: "只读的文件系统", errno.ENAMETOOLONG: "文件名太长",
                errno.EISDIR: "那里是一个同名的文件夹", errno.ENOENT: "文件夹已不存在"}


def os_problem(exc: OSError) -> str:
    if exc.errno == errno.ENAMETOOLONG and exc.filename:
        return too_long(exc.filename)
    return _OS_PROBLEMS.get(exc.errno, exc.strerror or str(exc))


def too_long(path) -> str:
    """Which limit a path the system refused as too long broke: a name of more than 255 bytes
    (NAME_MAX), else the whole path (PATH_MAX, 4096)."""
    names = os.fsencode(path).split(b"/")
    return "文件名太长（超过 255 字节）" if any(len(n) > 255 for n in names) else \
        "路径太长（超过 4096 字节）"


def refused_name(path) -> str | None:
    """too_long(path) when the system refuses `path` as too long to look it up, else None."""
    try:
        os.lstat(path)
    except OSError as exc:
        if exc.errno == errno.ENAMETOOLONG:
            return too_long(path)
    return None


_KINDS = [(stat.S_ISREG, "文件"), (stat.S_ISDIR, "文件夹"), (stat.S_ISFIFO, "命名管道（FIFO）"),
          (stat.S_ISSOCK, "套接字"), (stat.S_ISCHR, "设备文件"), (stat.S_ISBLK, "设备文件")]


def kind_of(mode: int) -> str:
    """The kind of file an st_mode says, in words."""
    return next((name for test, name in _KINDS if test(mode)), "特殊文件")


BROKEN_LINK = "失效的链接（指向的位置不存在）"
LINK_LOOP = "循环的链接（链接循环指向自己）"


def path_kind(path) -> str | None:
    """What stands at `path`, in words ("文件", "文件夹", "命名管道（FIFO）"…; a link counts as
    what it points to), or None when nothing does."""
    try:
        return kind_of(os.stat(path).st_mode)
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # the link, or one on the way to it, leads back to itself
            return LINK_LOOP
        return BROKEN_LINK if os.path.islink(path) else None


def inside_budgets(folder: Path) -> Path | None:
    """The folder named budgets that `folder` (resolved) is, or is inside of, if any: budget
    files live there and the tool never writes there. The search stops at a project's root (a
    folder with a budgets/ of its own), so a clone kept under some ".../budgets/repo" still
    builds."""
    for parent in [folder, *folder.parents]:
        if parent.name == "budgets":
            return parent
        if os.path.isdir(parent / "budgets"):  # (False, not an error, for a name too long)
            return None
    return None
