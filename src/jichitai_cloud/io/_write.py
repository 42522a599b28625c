"""The one way this package writes a file: atomically, never over an existing file unless asked.

Every writer (TOML, JSON, CSV, xlsx, HTML; the library functions and the command line) ends in
:func:`write_atomic`:

* the target must be a regular file or absent -- folders, devices, FIFOs and sockets are refused;
* an existing file is replaced only with ``overwrite=True`` (the command line's ``--force``);
* the bytes go to a temporary file in the same folder, are flushed to disk, and the temporary file
  is then renamed over the target, so a reader sees either the old file or the new one, never half
  of one; when anything fails, the temporary file is removed and the old file is left as it was;
* every failure of the file system (missing folder, permission, disk full) becomes one
  :class:`~jichitai_cloud.errors.OutputError` naming the file, never a bare ``OSError``;
* a new file gets the permissions a plain ``open(path, "w")`` would give it (``0o666`` less the
  process's umask, so colleagues on a shared drive can read a report), and a replaced file keeps
  its own permissions -- not the ``0o600`` of the temporary file.
"""

from __future__ import annotations

import contextlib
import io
import os
import stat
import sys
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..errors import OutputError

__all__ = ["check_target", "save_workbook", "write_atomic", "write_atomic_with"]

PathLike = str | os.PathLike[str]


def _reason(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


_UMASK_LOCK = threading.Lock()


def _umask() -> int:
    """The process's umask, read without changing it where the system allows (Linux ``/proc``)."""
    if sys.platform.startswith("linux"):
        try:
            with open("/proc/self/status", "rb") as fh:
                for line in fh:
                    if line.startswith(b"Umask:"):
                        return int(line.split()[1], 8)
        except (OSError, ValueError, IndexError):
            pass
    with _UMASK_LOCK:  # elsewhere: set and restore at once (os.umask has no read-only form)
        mask = os.umask(0o022)
        os.umask(mask)
    return mask


def _mode_for(target: Path, overwrite: bool) -> int:
    """The permission bits the written file should have: the old file's, else ``0o666 & ~umask``."""
    if overwrite:
        try:
            return stat.S_IMODE(os.stat(target).st_mode)
        except FileNotFoundError:
            pass
    return 0o666 & ~_umask()


def check_target(path: PathLike, *, overwrite: bool = False) -> Path:
    """The target ``path`` if it may be written, else an :class:`OutputError` that says why.

    Parameters
    ----------
    path
        The file to write.
    overwrite
        Whether an existing regular file may be replaced.
    """
    target = Path(path)
    try:
        st = os.stat(target)
    except FileNotFoundError:
        if os.path.islink(target):
            try:
                points_to = os.readlink(target)
            except OSError:
                points_to = "?"
            raise OutputError(f"{target}: cannot write: it is a symbolic link to {points_to!r}, which does not "
                              "exist; a link is never written through or replaced: give the file's own path or "
                              "remove the link") from None
        folder = target.parent
        if not folder.is_dir():
            raise OutputError(f"{target}: cannot write: the folder {str(folder)!r} does not exist") from None
        return target
    except OSError as exc:
        raise OutputError(f"{target}: cannot write: {_reason(exc)}") from None
    if stat.S_ISDIR(st.st_mode):
        raise OutputError(f"{target}: cannot write: it is a folder; give a file name") from None
    if not stat.S_ISREG(st.st_mode):
        raise OutputError(f"{target}: cannot write: it is not a regular file (a device, FIFO or socket)")
    if not overwrite:
        raise OutputError(f"{target}: the file exists; not replaced (use --force, or overwrite=True)")
    return target


def write_atomic_with(path: PathLike, write: Callable[[Path], None], *, overwrite: bool = False) -> Path:
    """Write a file through ``write(temporary_path)``, then rename it over ``path`` atomically.

    For writers that need a file name of their own (openpyxl's ``Workbook.save``).  The temporary
    file lies in the target's folder and ends like the target (``.xlsx``).

    Parameters
    ----------
    path
        The file to write.
    write
        Called once with the temporary path; writes the whole file there.
    overwrite
        Whether an existing regular file may be replaced.

    Returns
    -------
    pathlib.Path
        The path written.

    The file written has the permissions of the file it replaces, or, when new, those a plain
    ``open()`` would give it (``0o666`` less the umask).

    Raises
    ------
    OutputError
        The target may not be written, or the file system failed; the old file is unchanged and no
        temporary file is left behind.
    """
    target = check_target(path, overwrite=overwrite)
    try:
        mode = _mode_for(target, overwrite)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=f".tmp{target.suffix}",
                                        dir=target.parent)
    except OSError as exc:
        raise OutputError(f"{target}: cannot write: {_reason(exc)}") from None
    tmp = Path(tmp_name)
    os.close(fd)
    try:
        write(tmp)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        # after write() (a writer may put a file of its own there) and the fsync (a read-only mode
        # would refuse the "rb+" open); best effort: some shared drives (SMB, FAT) refuse chmod and
        # give every file the mount's permissions anyway
        with contextlib.suppress(OSError):
            os.chmod(tmp, mode)
        if overwrite:
            os.replace(tmp, target)
        else:  # never replace a file that appeared meanwhile: link fails if the target exists
            try:
                os.link(tmp, target)
            except FileExistsError:
                raise OutputError(f"{target}: the file exists; not replaced (use --force, or overwrite=True)") from None
            except OSError:  # file systems without hard links
                if target.exists():
                    raise OutputError(f"{target}: the file exists; not replaced (use --force, or overwrite=True)") from None
                os.replace(tmp, target)
    except OutputError:  # an OSError too: the losing writer of a race says "the file exists"
        raise
    except OSError as exc:
        raise OutputError(f"{target}: cannot write: {_reason(exc)}; the old file, if any, is unchanged") from None
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()
    return target


def write_atomic(path: PathLike, data: bytes, *, overwrite: bool = False) -> Path:
    """Write ``data`` to ``path`` atomically (see :func:`write_atomic_with`).

    Parameters
    ----------
    path
        The file to write.
    data
        The whole content.
    overwrite
        Whether an existing regular file may be replaced.

    Returns
    -------
    pathlib.Path
        The path written.
    """

    def write(tmp: Path) -> None:
        with open(tmp, "wb") as fh:
            fh.write(data)

    return write_atomic_with(path, write, overwrite=overwrite)


def save_workbook(path: PathLike, workbook: Any, *, overwrite: bool = False) -> Path:
    """Save an openpyxl ``Workbook`` to ``path`` atomically: built in memory, then written at once.

    Building the zip archive in memory first means a failing disk (full, ``EFBIG``, I/O error)
    fails only the plain write of :func:`write_atomic`: openpyxl's half-written ``ZipFile`` is
    never left to complain from its finaliser (``Exception ignored in ZipFile.__del__``).

    Raises
    ------
    OutputError
        As :func:`write_atomic_with`.
    """
    check_target(path, overwrite=overwrite)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return write_atomic(path, buffer.getvalue(), overwrite=overwrite)
