"""What stands at a path, and why a file could not be read or written, in words."""
from __future__ import annotations

import errno
import os
import stat

# why a file could not be written, in words; anything else in the system's own words
# (EEXIST: from mkdir, when a file stands where a folder should be)
_NOT_FOLDER = "路径中有一段是文件，不是文件夹"
_OS_PROBLEMS = {errno.ENOTDIR: _NOT_FOLDER, errno.EEXIST: _NOT_FOLDER, errno.EACCES: "没有写入权限",
                errno.EPERM: "没有写入权限", errno.ENOSPC: "磁盘已满", errno.EDQUOT: "磁盘配额已满",
                errno.EROFS: "只读的文件系统", errno.ENAMETOOLONG: "文件名太长",
                errno.EISDIR: "那里是一个同名的文件夹", errno.ENOENT: "文件夹已不存在"}


def os_problem(exc: OSError) -> str:
    return _OS_PROBLEMS.get(exc.errno, exc.strerror or str(exc))


_KINDS = [(stat.S_ISREG, "文件"), (stat.S_ISDIR, "文件夹"), (stat.S_ISFIFO, "命名管道（FIFO）"),
          (stat.S_ISSOCK, "套接字"), (stat.S_ISCHR, "设备文件"), (stat.S_ISBLK, "设备文件")]


def kind_of(mode: int) -> str:
    """The kind of file an st_mode says, in words."""
    return next((name for test, name in _KINDS if test(mode)), "特殊文件")


def path_kind(path) -> str | None:
    """What stands at `path`, in words ("文件", "文件夹", "命名管道（FIFO）"…; a link counts as
    what it points to), or None when nothing does."""
    try:
        return kind_of(os.stat(path).st_mode)
    except OSError:
        return "失效的链接（指向的位置不存在）" if os.path.islink(path) else None
