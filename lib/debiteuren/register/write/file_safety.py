"""The file around a write: lock, owner files, backups, atomic replace, leftovers.

No XML in here: the command line imports this module (``register_lock``,
``check_writable``) without loading the XML patcher.
"""

from __future__ import annotations

import ctypes
import errno
import os
import re
import secrets
import shutil
import socket
import sys
import tempfile
import threading
import zipfile
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None
    import msvcrt

from ..file_backend import check_path
from .messages import (
    WorkbookBusy,
    WorkbookLocked,
    WriteBackRefused,
    busy_message,
    changed_meanwhile_message,
    locked_message,
    read_only_message,
    replace_failed_message,
    write_failed_message,
)

BACKUP_FOLDER = "reservekopieen"


# --- locking and the path ---------------------------------------------------------------------


def owner_files(path: Path) -> list[tuple[Path, str]]:
    """The files Excel and LibreOffice put next to a workbook they have open."""
    return [
        (path.with_name("~$" + path.name), "Excel"),
        (path.with_name(f".~lock.{path.name}#"), "LibreOffice"),
    ]


def check_writable(path: Path) -> None:
    """Refuse a missing or broken file (``WorkbookUnreadable``), one that is open (``WorkbookLocked``)
    and one marked read-only (``WriteBackRefused``)."""
    check_path(path)
    for owner, program in owner_files(path):
        if owner.exists():
            raise WorkbookLocked(locked_message(path, owner, program))
    # The mode bits too: root may write anything, but a read-only mark still means "leave it".
    if not path.stat().st_mode & 0o222 or not os.access(path, os.W_OK):
        raise WriteBackRefused(read_only_message(path))


# A review holds an OS lock on a small hidden file next to the workbook while it reads, writes and
# logs, so a second review on the same workbook is refused instead of interleaving. The OS drops the
# lock when a process dies (even killed), so a crash never leaves the workbook locked. The file names
# its holder (process id, host, start time): a process forked while the lock was held (the second
# reading process) shares it, so a fork closes its copy at once, and should anything else still hold
# the lock after its holder died, the next review takes it over and says so.
_held: dict[str, list] = {}  # resolved workbook path -> [thread id, depth]
_held_guard = threading.Lock()
_lock_fds: set[int] = set()  # the lock files this process holds open


def _close_locks_in_child() -> None:
    """In a forked child: close the inherited lock files, so only the parent ever holds the lock."""
    for fd in list(_lock_fds):
        try:
            os.close(fd)
        except OSError:
            pass
    _lock_fds.clear()
    _held.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_close_locks_in_child)


def lock_file(path: Path) -> Path:
    return path.with_name(f".{path.name}.debiteuren.lock")


def _try_os_lock(fd: int) -> bool:
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        else:  # pragma: no cover - Windows
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
    except OSError as error:
        if error.errno in _BUSY_ERRNOS:
            return False
        # A file system without locks (ENOLCK on some network shares): going on unlocked, as
        # before, beats refusing every review; the changed-meanwhile check still guards the write.
        return True
    return True


# What flock and msvcrt.locking report when another process holds the lock.
_BUSY_ERRNOS = frozenset({errno.EAGAIN, errno.EWOULDBLOCK, errno.EACCES, getattr(errno, "EDEADLK", errno.EAGAIN)})


def _start_time(pid: int) -> str:
    """When process ``pid`` started (clock ticks since boot, Linux), or "" where that is unknown."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            fields = handle.read().rsplit(b")", 1)[1].split()
        return fields[19].decode()
    except (OSError, IndexError):
        return ""


def _holder_line(pid: int) -> str:
    return f"{pid} {socket.gethostname()} {_start_time(pid)}\n"


def _holder_gone(text: str) -> int | None:
    """The process id named in a lock file when that process no longer exists on this host, else None."""
    parts = text.split()
    if len(parts) < 2 or not parts[0].isdigit() or parts[1] != socket.gethostname():
        return None  # being written, or held from another computer: cannot tell
    pid = int(parts[0])
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return pid
    except OSError:
        return None  # exists, another user's
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            state = handle.read().rsplit(b")", 1)[1].split()[0]
    except (OSError, IndexError):
        return None
    if state == b"Z" or (len(parts) > 2 and parts[2] != _start_time(pid)):
        return pid  # killed and not yet reaped, or the number went to a new process
    return None


def _read_text(fd: int) -> str:
    try:
        return os.pread(fd, 200, 0).decode("ascii", "replace")
    except OSError:
        return ""


def _claim(fd: int) -> int:
    """Write this process as the holder; remember the fd (a fork closes it)."""
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, _holder_line(os.getpid()).encode(), 0)
    except OSError:
        pass  # the lock holds without its label
    _lock_fds.add(fd)
    return fd


@contextmanager
def _folder_guard(folder: Path):
    """Serialise taking the lock among processes (held for microseconds), so a holder's label is
    always written before another process reads it, and only one takes over a dead holder's lock."""
    fd = None
    if fcntl is not None and hasattr(os, "O_DIRECTORY"):
        try:
            fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
            fcntl.flock(fd, fcntl.LOCK_EX)
        except OSError:  # no locks on this file system: as before, without the guard
            if fd is not None:
                os.close(fd)
            fd = None
    try:
        yield
    finally:
        if fd is not None:
            os.close(fd)


def taken_over_message(path: Path, pid: int) -> str:
    return (
        f"Een eerdere review op de werkmap '{path.name}' is afgebroken (proces {pid} bestaat niet meer); "
        "de werkmap is vrijgegeven en deze review gaat door."
    )


def _acquire(path: Path) -> tuple[int, str | None]:
    """An fd holding the workbook's lock file, locked, and a message when a dead holder's lock was
    taken over; ``WorkbookBusy`` when another review holds it."""
    lock = lock_file(path)
    with _folder_guard(path.parent):
        for _ in range(5):
            try:
                fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
            except OSError as error:  # a folder that cannot be written: the write would fail anyway
                raise WriteBackRefused(write_failed_message(path, error)) from error
            if not _try_os_lock(fd):
                gone = _holder_gone(_read_text(fd)) if fcntl is not None else None
                os.close(fd)
                if gone is None:
                    raise WorkbookBusy(busy_message(path))
                # Something outlived the review that took the lock and holds it still: a new lock
                # file takes its place (under the guard, so no other review does the same).
                return _take_over(path, lock), taken_over_message(path, gone)
            try:
                same = os.path.samestat(os.fstat(fd), os.stat(lock))
            except OSError:
                same = False
            if same:
                gone = _holder_gone(_read_text(fd)) if fcntl is not None else None
                return _claim(fd), taken_over_message(path, gone) if gone is not None else None
            os.close(fd)  # the previous holder removed the file meanwhile: lock the new one
    raise WorkbookBusy(busy_message(path))


def _take_over(path: Path, lock: Path) -> int:
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        if not _try_os_lock(fd):
            raise WorkbookBusy(busy_message(path))
        _claim(fd)
        os.replace(name, lock)
    except BaseException:
        _lock_fds.discard(fd)
        os.close(fd)
        Path(name).unlink(missing_ok=True)
        raise
    return fd


def _release(path: Path, fd: int) -> None:
    _lock_fds.discard(fd)
    if fcntl is not None:
        try:
            lock_file(path).unlink()  # while still locked: whoever opened it before retries on the new file
        except OSError:
            pass
        os.close(fd)
        return
    try:  # pragma: no cover - Windows: unlock and close first, an open file cannot be removed
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
    except OSError:
        pass
    os.close(fd)
    try:
        lock_file(path).unlink()
    except OSError:
        pass  # another review has it open already


@contextmanager
def register_lock(path: Path):
    """Hold the workbook for one review: refuse (``WorkbookBusy``) while another process or thread has it.

    Re-entrant within a thread (the CLI holds it over the review and the letters; each write
    takes it again). Leftover temporary files of a writer that was killed are removed on entry.
    Yields a Dutch message when the lock of a review that died was taken over, else None.
    """
    path = Path(path).resolve()
    key = str(path)
    me = threading.get_ident()
    note = None
    with _held_guard:
        entry = _held.get(key)
        if entry is not None and entry[0] != me:
            raise WorkbookBusy(busy_message(path))
        if entry is not None:
            entry[1] += 1
            fd = None
        else:
            fd, note = _acquire(path)
            entry = _held[key] = [me, 1]
    try:
        if fd is not None:
            remove_leftovers(path)
        yield note
    finally:
        with _held_guard:
            entry[1] -= 1
            if entry[1] == 0:
                _held.pop(key, None)
                _release(path, fd)


def remove_leftovers(path: Path) -> list[Path]:
    """Remove the hidden temporary files a killed write left next to ``path`` and in its backups folder.

    Only our own names (``.NAME.xxxxxxxx.tmp`` from ``write_temporary``, ``.NAME STAMP.xlsx.tmp``
    from ``make_backup``), and only under ``register_lock``: no other writer can be busy with them.
    """
    temp = re.compile(rf"^\.{re.escape(path.name)}\.[a-z0-9_]{{8}}\.tmp$")
    partial = re.compile(
        rf"^\.{re.escape(path.stem)} \d{{4}}-\d\d-\d\d \d{{6}}(?: \(\d+\))?{re.escape(path.suffix)}\.tmp$"
    )
    removed = []
    for folder, pattern in ((path.parent, temp), (path.parent / BACKUP_FOLDER, partial)):
        try:
            entries = list(folder.iterdir()) if folder.is_dir() else []
        except OSError:
            continue
        for entry in entries:
            if pattern.match(entry.name) and entry.is_file():
                try:
                    entry.unlink()
                    removed.append(entry)
                except OSError:
                    pass  # housekeeping: try again next time
    return removed


# --- atomic replace and backups ---------------------------------------------------------------

_BACKUP_NAME = r"^{stem} (\d{{4}}-\d\d-\d\d \d{{6}})(?: \((\d+)\))?{suffix}$"


def _backup_pattern(path: Path) -> re.Pattern:
    return re.compile(_BACKUP_NAME.format(stem=re.escape(path.stem), suffix=re.escape(path.suffix)))


def backups_of(path: Path) -> list[Path]:
    """The dated backups of a workbook, oldest first."""
    folder = path.parent / BACKUP_FOLDER
    if not folder.is_dir():
        return []
    pattern = _backup_pattern(path)
    found = []
    for entry in folder.iterdir():
        match = pattern.match(entry.name)
        if match:
            found.append(((match.group(1), int(match.group(2) or 1)), entry))
    return [entry for _, entry in sorted(found)]


def _fsync_folder(folder: Path) -> None:
    if not hasattr(os, "O_DIRECTORY"):
        return  # Windows: os.replace is durable enough; folders cannot be opened
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def make_backup(path: Path, now: datetime) -> Path:
    """Copy the current workbook to reservekopieen/NAME jjjj-mm-dd uummss.xlsx (complete or not at all)."""
    folder = path.parent / BACKUP_FOLDER
    folder.mkdir(exist_ok=True)
    stamp = f"{now:%Y-%m-%d %H%M%S}"
    same_second = [p for p in backups_of(path) if stamp in p.name]
    counter = 1 + max((int(_backup_pattern(path).match(p.name).group(2) or 1) for p in same_second), default=0)
    name = f"{path.stem} {stamp}{path.suffix}" if counter == 1 else f"{path.stem} {stamp} ({counter}){path.suffix}"
    final = folder / name
    partial = folder / f".{name}.tmp"
    try:
        shutil.copy2(path, partial)
        with open(partial, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(partial, final)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return final


def rotate_backups(path: Path, keep: int) -> None:
    """Keep the newest ``keep`` backups; housekeeping, so a file that will not go is left for next time."""
    found = backups_of(path)
    for old in found[: max(len(found) - keep, 0)]:
        try:
            old.unlink(missing_ok=True)
        except OSError:
            pass


def write_temporary(path: Path, package, when: datetime) -> Path:
    """The new workbook, complete and on disk, as a hidden temporary file next to ``path``."""
    try:
        fd, temp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as error:
        raise WriteBackRefused(write_failed_message(path, error)) from error
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            package.write_to(out, when)
            out.flush()
            os.fsync(out.fileno())
        shutil.copymode(path, temp)
        with zipfile.ZipFile(temp) as check:  # the new file reads back (CRC of every rewritten member)
            for name in package.changed:
                check.read(name)
    except OSError as error:
        temp.unlink(missing_ok=True)
        raise WriteBackRefused(write_failed_message(path, error)) from error
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return temp


def file_identity(path: Path) -> tuple[int, int, int]:
    """What changes when any program saves the file: inode, size, modification time."""
    info = path.stat()
    return info.st_ino, info.st_size, info.st_mtime_ns


RENAME_EXCHANGE = 2  # linux/fs.h
_AT_FDCWD = -100


def _renameat2():
    if not sys.platform.startswith("linux"):
        return None
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):  # a C library without it (glibc before 2.28, musl)
        return None
    function.argtypes = (ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint)
    return function


_RENAMEAT2 = _renameat2()


def exchange_names(first: Path, second: Path) -> bool:
    """Swap two files' names in one step (Linux); False where the system or file system cannot."""
    if _RENAMEAT2 is None:
        return False
    if _RENAMEAT2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, getattr(errno, "ENOTSUP", errno.EINVAL), errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(second))


def swap_in(temp: Path, path: Path, identity: tuple[int, int, int]) -> None:
    """Put ``temp`` in ``path``'s place, unless another program saved ``path`` since ``identity``.

    A program can save in the moment between the last check and the rename; a plain rename
    would then throw its save away. So the old file stays reachable until it is known to be
    untouched: the names are exchanged (the old file then sits at ``temp``), or where that is
    not possible the old file gets a second name first. Changed after all (written in place,
    or replaced by the program's own rename): its save is put back and ``WriteBackRefused``.
    """
    if exchange_names(temp, path):
        if file_identity(temp) == identity:
            temp.unlink()  # the old version (the backup holds a copy)
            return
        exchange_names(temp, path)  # its save back in place; ours goes
        temp.unlink(missing_ok=True)
        raise WriteBackRefused(changed_meanwhile_message(path))
    hold = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")  # a leftover name remove_leftovers knows
    try:
        os.link(path, hold)
    except OSError:  # no hard links here (some network shares): the plain rename, as before
        os.replace(temp, path)
        return
    try:
        if file_identity(hold) != identity:
            raise WriteBackRefused(changed_meanwhile_message(path))
        os.replace(temp, path)
        if file_identity(hold) != identity:  # written in place meanwhile: its save back
            os.replace(hold, path)
            raise WriteBackRefused(changed_meanwhile_message(path))
    finally:
        hold.unlink(missing_ok=True)


def put_in_place(path: Path, temp: Path, backups: int, identity: tuple[int, int, int], now: datetime) -> Path | None:
    """Keep a backup of the old workbook, then rename the new one over it (atomic).

    A crash or kill at any moment leaves ``path`` either the old or the new
    workbook: the new one is complete and on disk before the rename, and a
    backup gets its real name only once it is complete. The old file must not
    be open in this process (Windows refuses to replace an open file).
    ``identity`` is the old file's ``file_identity`` when it was read: if it
    changed meanwhile (saved by Excel, a second review), nothing is replaced.
    """
    try:
        if file_identity(path) != identity:
            raise WriteBackRefused(changed_meanwhile_message(path))
        backup = make_backup(path, now) if backups > 0 else None
        for owner, program in owner_files(path):  # opened while we were writing?
            if owner.exists():
                raise WorkbookLocked(locked_message(path, owner, program))
        if file_identity(path) != identity:
            raise WriteBackRefused(changed_meanwhile_message(path))
        try:
            swap_in(temp, path, identity)
        except PermissionError:
            raise WorkbookLocked(replace_failed_message(path)) from None
    except OSError as error:  # everything above happens before the rename, or is the rename
        temp.unlink(missing_ok=True)
        raise WriteBackRefused(write_failed_message(path, error)) from error
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    try:
        _fsync_folder(path.parent)  # make the rename itself durable
    except OSError:
        pass
    if backups > 0:
        rotate_backups(path, backups)
    return backup
