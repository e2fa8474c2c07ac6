"""The file writer: change only the zip members that must change, copy every other one raw.

An .xlsx (or .xlsm) is a zip of XML parts. Loading it into a spreadsheet model
and saving it again (openpyxl) drops what the model does not know: text boxes,
x14 extensions (data bars, sparklines), pivot caches, slicers. So this writer
never does that. It changes exactly these members, and only when needed:

- the result sheets' XML (replaced) and their Table parts;
- the Acties sheet XML (rows appended, the dimension and validation / conditional
  formatting ranges that end at the table's last row extended) and its Table;
- ``xl/styles.xml`` when a date or euro format (or a cell format using it) is not
  there yet: appended, never renumbered;
- ``xl/workbook.xml``, its ``.rels``, ``[Content_Types].xml`` and ``docProps/app.xml``
  only to add a result sheet that does not exist yet (added at the end).

New cells are inline strings (``t="inlineStr"``), so ``sharedStrings.xml`` is
not touched, and text is never read as a formula. Every other member is copied
as its compressed bytes (local header rebuilt from the central directory), so
its content is byte-for-byte what it was; that is also what makes a write of a
register with 250,000 invoices take a fraction of a second.

The write is atomic: the new workbook is written to a temporary file in the same
folder, flushed to disk, and put in place with ``os.replace``; the previous
version is copied to ``reservekopieen/`` first (the last ``backups`` are kept).
A write holds ``register_lock`` (an OS lock on ``.NAME.debiteuren.lock`` next to
the workbook, which the command line holds over a whole review with letters), so
a second review is refused, and it removes what a killed write left behind.
"""

from __future__ import annotations

from collections.abc import Sequence

import bisect
import copy
import ctypes
import errno
import os
import posixpath
import re
import secrets
import shutil
import socket
import struct
import sys
import tempfile
import threading
import zipfile
import zlib
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from urllib.parse import unquote
from xml.sax.saxutils import escape, quoteattr

from lxml import etree

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None
    import msvcrt

from ..dutch import format_date
from . import zip_integrity
from .file_backend import check_path
from .problems import WorkbookUnreadable
from .schema import header_key
from .tables import locate_header, normalise_cell
from .writeback import (
    BACKUP_FOLDER,
    structured_column,
    BUILTIN_FORMATS,
    DATE,
    DATETIME,
    FORMAT_FOR_KIND,
    HEADER_ROW,
    TABLE_STYLE,
    TEXT,
    TITLE_ROW,
    ActionCells,
    SheetCells,
    WorkbookBusy,
    WorkbookLocked,
    WriteBackRefused,
    WriteReport,
    cells_in_the_way_message,
    place_appended_rows,
    changed_meanwhile_message,
    column_letter,
    format_suits,
    locked_message,
    missing_actions_sheet_message,
    no_header_message,
    not_a_worksheet_message,
    replace_failed_message,
    totals_row_message,
    unsupported_workbook_message,
    write_failed_message,
    read_only_message,
    busy_message,
)

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
NS_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
NS_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
NS_X14 = "http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"
NS_XM = "http://schemas.microsoft.com/office/excel/2006/main"
NS_EP = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
NS_VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
NS_STRICT_MAIN = "http://purl.oclc.org/ooxml/spreadsheetml/main"

REL_OFFICE_DOCUMENT = NS_R + "/officeDocument"
REL_WORKSHEET = NS_R + "/worksheet"
REL_TABLE = NS_R + "/table"
REL_STYLES = NS_R + "/styles"
REL_PIVOT_TABLE = NS_R + "/pivotTable"
REL_HYPERLINK = NS_R + "/hyperlink"
REL_CALC_CHAIN = NS_R + "/calcChain"
REL_EXTENDED_PROPERTIES = NS_R + "/extended-properties"

CT_WORKSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
CT_TABLE = "application/vnd.openxmlformats-officedocument.spreadsheetml.table+xml"
CT_STYLES = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"

CONTENT_TYPES = "[Content_Types].xml"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)

# Children of a result sheet that float over it or describe its page, kept when it is replaced.
KEPT_SHEET_CHILDREN = {
    "sheetPr",
    "printOptions",
    "pageMargins",
    "pageSetup",
    "headerFooter",
    "drawing",
    "legacyDrawing",
    "legacyDrawingHF",
    "drawingHF",
    "picture",
    "oleObjects",
    "controls",
    "AlternateContent",  # mc: wrapper Excel puts around controls and OLE objects
}


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


# --- the zip package --------------------------------------------------------------------------


def _q(ns: str, tag: str) -> str:
    return f"{{{ns}}}{tag}"


def _local(element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def parse_xml(data: bytes):
    return etree.fromstring(data, _PARSER)


def range_boundaries(ref: str):
    # openpyxl costs a tenth of a second to import: only a write that changes ranges pays it.
    from openpyxl.utils.cell import range_boundaries as boundaries

    return boundaries(ref)


def xml_bytes(root) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def rels_part(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def resolve_target(source_part: str, target: str) -> str:
    target = unquote(target)
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(source_part), target))


def relative_target(source_part: str, part: str) -> str:
    return posixpath.relpath(part, posixpath.dirname(source_part) or ".")


class Package:
    """A workbook's zip members: read from the file, changed or added in memory, written raw."""

    def __init__(self, path: Path, *, verify: bool = True):
        self.path = path
        if verify:
            zip_integrity.verify_members(path)  # once per version of the file: nothing damaged is copied on
        self._file = open(path, "rb")
        try:
            self._zip = zipfile.ZipFile(self._file)
        except zipfile.BadZipFile:
            self._file.close()
            raise WorkbookUnreadable(f"'{path.name}' is beschadigd of geen geldige Excel-werkmap.") from None
        self.infos = {info.filename: info for info in self._zip.infolist()}
        self._names = {name.casefold(): name for name in self.infos}
        self.changed: dict[str, bytes] = {}
        self.added: list[str] = []
        self.removed: set[str] = set()

    def close(self) -> None:
        self._zip.close()
        self._file.close()

    def __enter__(self):
        return self

    def __exit__(self, *_):
        self.close()

    def member(self, part: str) -> str | None:
        """The zip member name of a part (part names are case-insensitive)."""
        name = self._names.get(part.casefold())
        return None if name is None or name in self.removed else name

    def exists(self, part: str) -> bool:
        return self.member(part) is not None

    def read(self, part: str) -> bytes:
        name = self.member(part)
        if name is None:
            raise WorkbookUnreadable(zip_integrity.damaged_part_message(self.path.name, part, "ontbreekt"))
        if name in self.changed:
            return self.changed[name]
        try:
            return self._zip.read(name)
        except (zipfile.BadZipFile, zlib.error, EOFError):
            raise WorkbookUnreadable(
                zip_integrity.damaged_part_message(self.path.name, name, "klopt niet met zijn controlegetal")
            ) from None

    def xml(self, part: str):
        """A part parsed as XML; a part that is no XML is a damaged workbook, named in Dutch."""
        data = self.read(part)
        try:
            return parse_xml(data)
        except etree.XMLSyntaxError:
            raise WorkbookUnreadable(
                zip_integrity.damaged_part_message(self.path.name, self.member(part) or part, "is geen geldige XML")
            ) from None

    def put(self, part: str, data: bytes) -> None:
        name = self.member(part)
        if name is None:
            name = part
            self._names[part.casefold()] = part
            self.added.append(part)
            self.removed.discard(part)
        self.changed[name] = data

    def remove(self, part: str) -> None:
        name = self.member(part)
        if name is not None:
            self.removed.add(name)
            self.changed.pop(name, None)
            if name in self.added:
                self.added.remove(name)

    def free_name(self, pattern: str) -> str:
        """The first part name ``pattern.format(n)`` not in use."""
        n = 1
        while self.exists(pattern.format(n)):
            n += 1
        return pattern.format(n)

    def raw_member(self, name: str, chunk: int = 1 << 20):
        """The compressed bytes of an untouched member, in chunks, as they are stored."""
        info = self.infos[name]
        self._file.seek(info.header_offset)
        header = self._file.read(30)
        signature, *_, name_length, extra_length = struct.unpack("<IHHHHHIIIHH", header)
        if signature != 0x04034B50:
            raise WorkbookUnreadable(f"'{self.path.name}' is beschadigd (zip-onderdeel '{name}').")
        self._file.seek(info.header_offset + 30 + name_length + extra_length)
        remaining = info.compress_size
        while remaining:
            data = self._file.read(min(chunk, remaining))
            if not data:
                raise WorkbookUnreadable(f"'{self.path.name}' is beschadigd (zip-onderdeel '{name}' is afgekapt).")
            remaining -= len(data)
            yield data

    def write_to(self, out, when: datetime) -> None:
        """Write the package as a zip to the binary file ``out``."""
        names = [n for n in self.infos if n not in self.removed] + list(self.added)
        if len(names) >= 0xFFFF:
            raise WriteBackRefused(unsupported_workbook_message(self.path.name, "te veel onderdelen (zip64)"))
        central = []
        offset = 0
        for name in names:
            info = self.infos.get(name)
            if info is not None and info.flag_bits & 0x1:
                raise WriteBackRefused(unsupported_workbook_message(self.path.name, "versleutelde onderdelen"))
            if name in self.changed:
                data = self.changed[name]
                compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
                payload = compressor.compress(data) + compressor.flush()
                crc, size, method = zlib.crc32(data), len(data), zipfile.ZIP_DEFLATED
                flags = (info.flag_bits & 0x800) if info is not None else 0
                stamp = info.date_time if info is not None else when.timetuple()[:6]
                external = info.external_attr if info is not None else 0
                system = info.create_system if info is not None else 0
                chunks = [payload]
                compressed = len(payload)
            else:
                crc, size, method = info.CRC, info.file_size, info.compress_type
                flags = info.flag_bits & ~0x08  # sizes go in the local header: no data descriptor
                stamp, external, system = info.date_time, info.external_attr, info.create_system
                chunks = self.raw_member(name)
                compressed = info.compress_size
            if max(size, compressed, offset) >= 0xFFFFFFFF:
                raise WriteBackRefused(unsupported_workbook_message(self.path.name, "groter dan 4 GB (zip64)"))
            if flags & 0x800:
                encoded = name.encode("utf-8")
            else:
                try:
                    encoded = name.encode("cp437")  # how zipfile decoded a name without the UTF-8 flag
                except UnicodeEncodeError:
                    encoded, flags = name.encode("utf-8"), flags | 0x800
            dos_time, dos_date = _dos_stamp(stamp)
            version = 20
            header = struct.pack(
                "<IHHHHHIIIHH", 0x04034B50, version, flags, method, dos_time, dos_date,
                crc, compressed, size, len(encoded), 0,
            )
            out.write(header)
            out.write(encoded)
            for chunk in chunks:
                out.write(chunk)
            central.append(
                struct.pack(
                    "<IHHHHHHIIIHHHHHII", 0x02014B50, (system << 8) | version, version, flags, method, dos_time, dos_date,
                    crc, compressed, size, len(encoded), 0, 0, 0, 0, external, offset,
                )
                + encoded
            )
            offset += len(header) + len(encoded) + compressed
        directory = b"".join(central)
        out.write(directory)
        out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central), len(directory), offset, 0))


def _dos_stamp(stamp) -> tuple[int, int]:
    year, month, day, hour, minute, second = stamp[:6]
    if year < 1980:
        year, month, day, hour, minute, second = 1980, 1, 1, 0, 0, 0
    return (hour << 11) | (minute << 5) | (second // 2), ((year - 1980) << 9) | (month << 5) | day


# --- relationships and content types ---------------------------------------------------------


class Relationships:
    """A part's ``.rels``: parsed on demand, written back only when changed."""

    def __init__(self, package: Package, source_part: str):
        self.package = package
        self.source = source_part
        self.part = rels_part(source_part) if source_part else "_rels/.rels"
        if package.exists(self.part):
            self.root = package.xml(self.part)
        else:
            self.root = etree.Element(_q(NS_PKG_REL, "Relationships"), nsmap={None: NS_PKG_REL})
        self.changed = False

    def __iter__(self):
        return iter(self.root.findall(_q(NS_PKG_REL, "Relationship")))

    def target(self, rel) -> str:
        return resolve_target(self.source, rel.get("Target"))

    def internal(self, rel) -> bool:
        return rel.get("TargetMode") != "External"

    def of_type(self, rel_type: str):
        return [r for r in self if r.get("Type") == rel_type]

    def by_id(self, rel_id: str):
        for rel in self:
            if rel.get("Id") == rel_id:
                return rel
        return None

    def add(self, rel_type: str, part: str) -> str:
        used = {r.get("Id") for r in self}
        n = 1
        while f"rId{n}" in used:
            n += 1
        etree.SubElement(
            self.root, _q(NS_PKG_REL, "Relationship"),
            Id=f"rId{n}", Type=rel_type, Target=relative_target(self.source, part),
        )
        self.changed = True
        return f"rId{n}"

    def remove(self, rel) -> None:
        self.root.remove(rel)
        self.changed = True

    def save(self) -> None:
        if self.changed:
            self.package.put(self.part, xml_bytes(self.root))


class ContentTypes:
    def __init__(self, package: Package):
        self.package = package
        self.root = package.xml(CONTENT_TYPES)
        self.changed = False

    def overrides(self):
        return self.root.findall(_q(NS_CT, "Override"))

    def add(self, part: str, content_type: str) -> None:
        name = "/" + part
        for override in self.overrides():
            if override.get("PartName", "").casefold() == name.casefold():
                return
        etree.SubElement(self.root, _q(NS_CT, "Override"), PartName=name, ContentType=content_type)
        self.changed = True

    def remove(self, part: str) -> None:
        name = "/" + part
        for override in self.overrides():
            if override.get("PartName", "").casefold() == name.casefold():
                self.root.remove(override)
                self.changed = True

    def parts_of(self, content_type: str) -> list[str]:
        return [o.get("PartName").lstrip("/") for o in self.overrides() if o.get("ContentType") == content_type]

    def save(self) -> None:
        if self.changed:
            self.package.put(CONTENT_TYPES, xml_bytes(self.root))


# --- styles: number formats appended, never renumbered ----------------------------------------


class Styles:
    """``xl/styles.xml``: finds or appends the cell formats the written cells need."""

    def __init__(self, package: Package, workbook: "Workbook"):
        self.package = package
        rels = workbook.rels.of_type(REL_STYLES)
        if rels:
            self.part = workbook.rels.target(rels[0])
            self.root = package.xml(self.part)
        else:  # a workbook without styles (some generators): the minimal stylesheet Excel writes
            self.part = "xl/styles.xml" if not package.exists("xl/styles.xml") else package.free_name("xl/styles{}.xml")
            self.root = parse_xml(_MINIMAL_STYLES)
            workbook.rels.add(REL_STYLES, self.part)
            workbook.content_types.add(self.part, CT_STYLES)
            self.package.put(self.part, xml_bytes(self.root))
        self.ns = etree.QName(self.root).namespace
        self.cell_xfs = self.root.find(_q(self.ns, "cellXfs"))
        if self.cell_xfs is None:
            raise WriteBackRefused(unsupported_workbook_message(package.path.name, "styles.xml zonder cellXfs"))
        self.changed = False
        self._xfs = self.cell_xfs.findall(_q(self.ns, "xf"))
        self._keys = [self._key(xf) for xf in self._xfs]

    @staticmethod
    def _key(xf) -> bytes:
        return etree.tostring(xf, method="c14n")

    def _custom_formats(self) -> dict[int, str]:
        numfmts = self.root.find(_q(self.ns, "numFmts"))
        if numfmts is None:
            return {}
        return {int(f.get("numFmtId")): f.get("formatCode", "") for f in numfmts.findall(_q(self.ns, "numFmt"))}

    def format_code(self, xf_index: int) -> str:
        if not 0 <= xf_index < len(self._xfs):
            xf_index = 0
        fmt_id = int(self._xfs[xf_index].get("numFmtId", "0")) if self._xfs else 0
        return self._custom_formats().get(fmt_id) or BUILTIN_FORMATS.get(fmt_id, "General")

    def format_id(self, code: str) -> int:
        for fmt_id, builtin in ((0, "General"), (49, "@")):
            if code == builtin:
                return fmt_id
        custom = self._custom_formats()
        for fmt_id, existing in custom.items():
            if existing == code:
                return fmt_id
        numfmts = self.root.find(_q(self.ns, "numFmts"))
        if numfmts is None:
            numfmts = etree.Element(_q(self.ns, "numFmts"))
            self.root.insert(0, numfmts)  # numFmts is the stylesheet's first child
        new_id = max([163, *custom]) + 1
        etree.SubElement(numfmts, _q(self.ns, "numFmt"), numFmtId=str(new_id), formatCode=code)
        numfmts.set("count", str(len(numfmts)))
        self.changed = True
        return new_id

    def with_format(self, base: int, code: str) -> int:
        """A cell format like ``base`` but with number format ``code``: found, or appended at the end."""
        if not 0 <= base < len(self._xfs):
            base = 0
        if self._xfs and self.format_code(base) == code:
            return base
        fmt_id = self.format_id(code)
        xf = copy.deepcopy(self._xfs[base]) if self._xfs else etree.Element(_q(self.ns, "xf"))
        xf.tail = None
        xf.set("numFmtId", str(fmt_id))
        xf.set("applyNumberFormat", "1")
        if not self._xfs:
            for attr in ("fontId", "fillId", "borderId", "xfId"):
                xf.set(attr, "0")
        key = self._key(xf)
        if key in self._keys:
            return self._keys.index(key)
        self.cell_xfs.append(xf)
        self._xfs.append(xf)
        self._keys.append(key)
        self.cell_xfs.set("count", str(len(self._xfs)))
        self.changed = True
        return len(self._xfs) - 1

    def for_kind(self, kind: str | None, base: int = 0) -> int:
        """The style for a value of ``kind`` in a cell whose format would be ``base``."""
        if kind is None or kind == TEXT:
            return base
        if format_suits(kind, self.format_code(base)):
            return base
        return self.with_format(base, FORMAT_FOR_KIND[kind])

    def save(self) -> None:
        if self.changed:
            self.package.put(self.part, xml_bytes(self.root))


_MINIMAL_STYLES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b'<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
    b'<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
    b'<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    b'<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    b'<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
    b'<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    b"</styleSheet>"
)


# --- the workbook -----------------------------------------------------------------------------


class Workbook:
    """``xl/workbook.xml`` with its sheets, relationships, content types and table inventory."""

    def __init__(self, package: Package):
        self.package = package
        root_rels = Relationships(package, "")
        documents = root_rels.of_type(REL_OFFICE_DOCUMENT)
        if not documents:
            raise WorkbookUnreadable(f"'{package.path.name}' is geen Excel-werkmap (geen workbook.xml).")
        self.part = root_rels.target(documents[0])
        self.root = package.xml(self.part)
        self.ns = etree.QName(self.root).namespace
        if self.ns == NS_STRICT_MAIN:
            raise WriteBackRefused(
                unsupported_workbook_message(
                    package.path.name, "het is een 'Strict Open XML'-werkmap; sla hem op als gewone Excel-werkmap"
                )
            )
        self.rels = Relationships(package, self.part)
        self.content_types = ContentTypes(package)
        self.changed = False
        pr = self.root.find(_q(self.ns, "workbookPr"))
        self.date1904 = pr is not None and pr.get("date1904", "0").lower() in ("1", "true")
        self.sheets_element = self.root.find(_q(self.ns, "sheets"))

    def sheets(self) -> list[tuple[str, str]]:
        """(name, part) per worksheet, in workbook order."""
        result = []
        for sheet in self.sheets_element.findall(_q(self.ns, "sheet")):
            rel = self.rels.by_id(sheet.get(_q(NS_R, "id")))
            if rel is not None and rel.get("Type") == REL_WORKSHEET:
                result.append((sheet.get("name"), self.rels.target(rel)))
        return result

    def sheet_part(self, name: str) -> str | None:
        for sheet_name, part in self.sheets():
            if sheet_name.casefold() == name.casefold():
                return part
        return None

    def is_other_sheet(self, name: str) -> bool:
        """Whether ``name`` is taken by a sheet that is no worksheet (a chart sheet, a dialog sheet)."""
        for sheet in self.sheets_element.findall(_q(self.ns, "sheet")):
            if sheet.get("name", "").casefold() == name.casefold():
                rel = self.rels.by_id(sheet.get(_q(NS_R, "id")))
                return rel is None or rel.get("Type") != REL_WORKSHEET
        return False

    def sheet_name(self, name: str) -> str:
        for sheet_name, _ in self.sheets():
            if sheet_name.casefold() == name.casefold():
                return sheet_name
        return name

    def add_sheet(self, name: str) -> str:
        """Register a new worksheet part at the end of the workbook; returns the part name."""
        part = self.package.free_name("xl/worksheets/sheet{}.xml")
        rel_id = self.rels.add(REL_WORKSHEET, part)
        ids = [int(s.get("sheetId", "0")) for s in self.sheets_element.findall(_q(self.ns, "sheet"))]
        element = etree.SubElement(self.sheets_element, _q(self.ns, "sheet"))
        element.set("name", name)
        element.set("sheetId", str(max(ids, default=0) + 1))
        element.set(_q(NS_R, "id"), rel_id)
        self.content_types.add(part, CT_WORKSHEET)
        self.changed = True
        return part

    def defined_names(self) -> set[str]:
        names = self.root.find(_q(self.ns, "definedNames"))
        if names is None:
            return set()
        return {n.get("name", "").casefold() for n in names.findall(_q(self.ns, "definedName"))}

    def extend_names(self, sheet_name: str, old_last: int, new_last: int, first_col: int, last_col: int) -> None:
        """Defined names over the sheet's table that end at its last row grow with it, as in Excel."""
        names = self.root.find(_q(self.ns, "definedNames"))
        if names is None:
            return
        for name in names.findall(_q(self.ns, "definedName")):
            if name.text:
                grown = _extend_name_ranges(name.text, sheet_name, old_last, new_last, first_col, last_col)
                if grown != name.text:
                    name.text = grown
                    self.changed = True

    def set_print_titles(self, sheet_name: str, rows: str) -> None:
        """Rows repeated at the top of every printed page of a sheet (``_xlnm.Print_Titles``)."""
        sheets = self.sheets_element.findall(_q(self.ns, "sheet"))
        index = next(i for i, sheet in enumerate(sheets) if sheet.get("name", "").casefold() == sheet_name.casefold())
        quoted = "'" + sheets[index].get("name").replace("'", "''") + "'"
        names = self.root.find(_q(self.ns, "definedNames"))
        if names is None:
            names = etree.Element(_q(self.ns, "definedNames"))
            anchor = self.sheets_element
            for tag in ("functionGroups", "externalReferences"):
                found = self.root.find(_q(self.ns, tag))
                anchor = found if found is not None else anchor
            anchor.addnext(names)
        for name in names.findall(_q(self.ns, "definedName")):
            if name.get("name", "").casefold() == "_xlnm.print_titles" and name.get("localSheetId") == str(index):
                if name.text != f"{quoted}!{rows}":
                    name.text = f"{quoted}!{rows}"
                    self.changed = True
                return
        element = etree.SubElement(names, _q(self.ns, "definedName"), name="_xlnm.Print_Titles")
        element.set("localSheetId", str(index))
        element.text = f"{quoted}!{rows}"
        self.changed = True

    def table_parts(self) -> list[str]:
        found = {p for p in self.content_types.parts_of(CT_TABLE) if self.package.exists(p)}
        return sorted(found)

    def drop_calc_chain(self) -> None:
        """Remove the calculation chain (a cache Excel rebuilds) when cells it lists lose their formula."""
        for rel in self.rels.of_type(REL_CALC_CHAIN):
            part = self.rels.target(rel)
            self.package.remove(part)
            self.content_types.remove(part)
            self.rels.remove(rel)

    def save(self) -> None:
        if self.changed:
            self.package.put(self.part, xml_bytes(self.root))
        self.rels.save()
        self.content_types.save()


# A sheet-qualified range in a defined name: Acties!$A$2:$A$9 or 'Mijn acties'!A2:C9.
_NAME_RANGE = re.compile(
    r"(?P<sheet>'(?:[^']|'')+'|[^\s!'(),;=+*/<>&^-]+)!"
    r"(?P<c1>\$?[A-Za-z]{1,3})(?P<r1>\$?\d+):(?P<c2>\$?[A-Za-z]{1,3})(?P<d2>\$?)(?P<r2>\d+)"
)


def _column_number(letters: str) -> int:
    number = 0
    for ch in letters.replace("$", "").upper():
        number = number * 26 + ord(ch) - 64
    return number


def _extend_name_ranges(text: str, sheet_name: str, old_last: int, new_last: int, first_col: int, last_col: int) -> str:
    """``text`` (a defined name's formula) with each range on ``sheet_name`` ending at ``old_last`` extended.

    >>> _extend_name_ranges("Acties!$A$2:$A$3", "Acties", 3, 6, 1, 10)
    'Acties!$A$2:$A$6'
    >>> _extend_name_ranges("'Acties'!B2:C3,Facturen!$A$2:$A$3", "acties", 3, 5, 1, 10)
    "'Acties'!B2:C5,Facturen!$A$2:$A$3"
    >>> _extend_name_ranges("Acties!$M$2:$M$3", "Acties", 3, 6, 1, 10)  # beside the table: untouched
    'Acties!$M$2:$M$3'
    """

    def grow(match: re.Match) -> str:
        sheet = match.group("sheet")
        sheet = sheet[1:-1].replace("''", "'") if sheet.startswith("'") else sheet
        if sheet.casefold() != sheet_name.casefold() or int(match.group("r2")) != old_last:
            return match.group(0)
        c1, c2 = _column_number(match.group("c1")), _column_number(match.group("c2"))
        if c2 < first_col or c1 > last_col or int(match.group("r1").replace("$", "")) > old_last:
            return match.group(0)
        return match.group(0)[: match.start("r2") - match.start()] + str(new_last)

    return _NAME_RANGE.sub(grow, text)


def _table_identity(root) -> tuple[int, str]:
    return int(root.get("id", "0")), root.get("displayName") or root.get("name") or ""


# --- cell XML ---------------------------------------------------------------------------------

_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_LOOKS_ESCAPED = re.compile(r"_(x[0-9A-Fa-f]{4})_")
EXCEL_EPOCH = date(1899, 12, 30)
EXCEL_EPOCH_1904 = date(1904, 1, 1)


def excel_text(text: str) -> str:
    """Text as Excel stores it: its own ``_xHHHH_`` escapes for characters XML cannot hold."""
    text = _LOOKS_ESCAPED.sub(r"_x005F_\1_", text)
    return _ILLEGAL_XML.sub(lambda m: f"_x{ord(m.group()):04X}_", text)


def inline_string_xml(ref: str, text: str, style: int = 0) -> str:
    text = excel_text(text)
    space = ' xml:space="preserve"' if text != text.strip() or "\n" in text else ""
    s = f' s="{style}"' if style else ""
    return f'<c r="{ref}"{s} t="inlineStr"><is><t{space}>{escape(text)}</t></is></c>'


def serial_date(value: date, date1904: bool) -> str:
    epoch = EXCEL_EPOCH_1904 if date1904 else EXCEL_EPOCH
    if isinstance(value, datetime):
        seconds = value.hour * 3600 + value.minute * 60 + value.second
        days = (value.date() - epoch).days
        return repr(days + seconds / 86400) if seconds else str(days)
    return str((value - epoch).days)


def number_text(value: object) -> str:
    if isinstance(value, Decimal):
        return format(value, "f")  # exact: the Decimal's own digits, never through float
    if isinstance(value, float):
        return repr(value)
    return str(int(value))


def cell_xml(ref: str, value: object, kind: str, style: int, date1904: bool) -> str:
    """One cell; ``value`` is already of ``kind`` (see writeback.plan_*)."""
    if value is None:
        return f'<c r="{ref}" s="{style}"/>' if style else ""
    if kind == TEXT or isinstance(value, str):
        return inline_string_xml(ref, str(value), style)
    if kind in (DATE, DATETIME):
        earliest = (EXCEL_EPOCH_1904 if date1904 else date(1900, 3, 1))
        day = value.date() if isinstance(value, datetime) else value
        if day < earliest:  # Excel has no serial number for it: keep it readable as text
            return inline_string_xml(ref, format_date(value), 0)
        text = serial_date(value, date1904)
    elif isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return ""
    else:
        text = number_text(value)
    s = f' s="{style}"' if style else ""
    return f'<c r="{ref}"{s}><v>{text}</v></c>'


def formula_cell_xml(ref: str, formula: str, style: int, array: bool = False) -> str:
    """A cell holding a formula without a cached value (Excel computes it when the file opens)."""
    s = f' s="{style}"' if style else ""
    kind = f' t="array" ref="{ref}"' if array else ""
    return f'<c r="{ref}"{s}><f{kind}>{escape(formula)}</f></c>'


# --- result sheets ----------------------------------------------------------------------------

_NEW_SHEET_ROOT = (
    f'<worksheet xmlns="{NS_MAIN}" xmlns:r="{NS_R}" xmlns:mc="{NS_MC}">'
)


# The page of a result sheet, in the schema's order; the old sheet's own are kept, except the header
# (it names this review's peildatum).
PAGE_ELEMENTS = ("printOptions", "pageMargins", "pageSetup", "headerFooter")
_PAGE_MARGINS = '<pageMargins left="0.5" right="0.5" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
# A4 landscape, one page wide and as many pages tall as it takes.
_PAGE_SETUP = '<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/>'


def header_footer_xml(cells: SheetCells) -> str:
    """The printed page's header (sheet name, peildatum) and footer (page x of y), Excel's codes."""
    right = f"&amp;RPeildatum {format_date(cells.peildatum)}" if cells.peildatum else ""
    return (
        f"<headerFooter><oddHeader>&amp;L&amp;B&amp;A&amp;B{right}</oddHeader>"
        "<oddFooter>&amp;CPagina &amp;P van &amp;N</oddFooter></headerFooter>"
    )


def result_sheet_xml(
    cells: SheetCells, styles: Styles, date1904: bool, table_rel_id: str, old_root=None, table_name: str = ""
) -> tuple[bytes, bool]:
    """The worksheet XML of a result sheet, and whether the old version had formulas."""
    had_formulas = False
    kept_before, kept_after = [], []  # elements of the old sheet that stay
    kept_page: dict[str, object] = {}
    if old_root is not None:
        start = etree.Element(old_root.tag, attrib=dict(old_root.attrib), nsmap=old_root.nsmap)
        head = etree.tostring(start).decode()
        head = head[: head.rfind("/>")] + ">"
        ns = etree.QName(old_root).namespace
        tag = re.match(r"<([^\s>/]+)", head).group(1)
        if ":" in tag and old_root.nsmap.get(None) != ns:
            # A root written with a prefix (x:worksheet): our children use the default namespace.
            head = head.replace(f"<{tag}", f'<{tag} xmlns="{ns}"', 1)
        closing = f"</{tag}>"
        had_formulas = old_root.find(f"{{{ns}}}sheetData/{{{ns}}}row/{{{ns}}}c/{{{ns}}}f") is not None
        for child in old_root:
            if _local(child) in PAGE_ELEMENTS:
                kept_page[_local(child)] = child
            elif _local(child) in KEPT_SHEET_CHILDREN:
                (kept_before if _local(child) == "sheetPr" else kept_after).append(child)
    else:
        head, closing = _NEW_SHEET_ROOT, "</worksheet>"
    if not kept_before and "pageSetup" not in kept_page:
        head += '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>'
    width = max(len(cells.columns), 1)
    last_col = column_letter(width)
    last_row = cells.last_row
    column_styles = [styles.for_kind(c.kind) for c in cells.columns]
    parts = [head]
    parts.append(f'<dimension ref="A{TITLE_ROW}:{last_col}{last_row}"/>')
    parts.append(
        '<sheetViews><sheetView workbookViewId="0">'
        f'<pane ySplit="{HEADER_ROW}" topLeftCell="A{HEADER_ROW + 1}" activePane="bottomLeft" state="frozen"/>'
        f'<selection pane="bottomLeft" activeCell="A{HEADER_ROW + 1}" sqref="A{HEADER_ROW + 1}"/>'
        "</sheetView></sheetViews>"
    )
    parts.append('<sheetFormatPr defaultRowHeight="15"/>')
    if cells.columns:
        parts.append("<cols>")
        for index, column in enumerate(cells.columns, start=1):
            parts.append(f'<col min="{index}" max="{index}" width="{column.width:.1f}" customWidth="1"/>')
        parts.append("</cols>")
    parts.append("<sheetData>")
    parts.append(f'<row r="{TITLE_ROW}">{inline_string_xml(f"A{TITLE_ROW}", cells.title)}</row>')
    header = "".join(
        inline_string_xml(f"{column_letter(i)}{HEADER_ROW}", c.header) for i, c in enumerate(cells.columns, start=1)
    )
    parts.append(f'<row r="{HEADER_ROW}">{header}</row>')
    letters = [column_letter(i) for i in range(1, width + 1)]
    kinds = [c.kind for c in cells.columns]
    for offset, row in enumerate(cells.rows, start=1):
        r = HEADER_ROW + offset
        body = "".join(
            cell_xml(f"{letters[i]}{r}", value, kinds[i], column_styles[i], date1904) for i, value in enumerate(row)
        )
        parts.append(f'<row r="{r}">{body}</row>')
    if cells.totals is not None:
        r = cells.last_row
        body = []
        for i, value in enumerate(cells.totals):
            ref = f"{letters[i]}{r}"
            if isinstance(value, Decimal):
                formula = f"SUBTOTAL(109,{table_name}[{structured_column(cells.columns[i].header)}])"
                body.append(f'<c r="{ref}" s="{column_styles[i]}"><f>{escape(formula)}</f><v>{number_text(value)}</v></c>')
            elif value is not None:
                body.append(inline_string_xml(ref, str(value)))
        parts.append(f'<row r="{r}">{"".join(body)}</row>')
    parts.append("</sheetData>")
    for name in PAGE_ELEMENTS:
        if name == "headerFooter":
            parts.append(header_footer_xml(cells))
        elif name in kept_page:
            parts.append(etree.tostring(kept_page[name]).decode())
        elif name == "pageMargins":
            parts.append(_PAGE_MARGINS)
        elif name == "pageSetup":
            parts.append(_PAGE_SETUP)
    r_declared = f'xmlns:r="{NS_R}"' in head
    parts.append(
        f'<tableParts count="1"><tablePart r:id="{table_rel_id}"{"" if r_declared else f" xmlns:r={quoteattr(NS_R)}"}/>'
        "</tableParts>"
    )
    parts.append(closing)
    data = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + "".join(parts).encode("utf-8")
    if kept_before or kept_after:
        # Put the kept elements in their schema places: sheetPr first, the rest before tableParts.
        root = parse_xml(data)
        for element in reversed(kept_before):
            root.insert(0, copy.deepcopy(element))
        table_parts = root[len(root) - 1]
        for element in kept_after:
            table_parts.addprevious(copy.deepcopy(element))
        data = xml_bytes(root)
    return data, had_formulas


def table_column_name(header: str) -> str:
    r"""A header as a tableColumn name: Excel wants line breaks and tabs as _xHHHH_ escapes there.

    >>> table_column_name("Niet\nvervallen")
    'Niet_x000a_vervallen'
    """
    text = excel_text(header)
    return text.replace("\r", "_x000d_").replace("\n", "_x000a_").replace("\t", "_x0009_")


def table_xml(
    table_id: int, name: str, ref: str, headers: list[str], totals: tuple[object, ...] | None = None
) -> bytes:
    """A Table part; with ``totals`` its last row is a totals row (a label, or a sum per money column)."""

    def column(i: int, header: str) -> str:
        total = ""
        if totals is not None and isinstance(totals[i - 1], Decimal):
            total = ' totalsRowFunction="sum"'
        elif totals is not None and totals[i - 1] is not None:
            total = f" totalsRowLabel={quoteattr(str(totals[i - 1]))}"
        return f"<tableColumn id={quoteattr(str(i))} name={quoteattr(table_column_name(header))}{total}/>"

    columns = "".join(column(i, h) for i, h in enumerate(headers, start=1))
    filter_ref, shown = ref, 'totalsRowShown="0"'
    if totals is not None:
        first, last = ref.split(":")
        last_col, last_row = re.match(r"([A-Z]+)(\d+)", last).groups()
        filter_ref, shown = f"{first}:{last_col}{int(last_row) - 1}", 'totalsRowCount="1"'
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<table xmlns="{NS_MAIN}" id="{table_id}" name={quoteattr(name)} displayName={quoteattr(name)} '
        f'ref="{ref}" {shown}><autoFilter ref="{filter_ref}"/>'
        f'<tableColumns count="{len(headers)}">{columns}</tableColumns>'
        f'<tableStyleInfo name="{TABLE_STYLE}" showFirstColumn="0" showLastColumn="0" '
        'showRowStripes="1" showColumnStripes="0"/></table>'
    ).encode("utf-8")


class TableRegistry:
    """Every Table in the workbook: ids and names must stay unique."""

    def __init__(self, workbook: Workbook):
        self.workbook = workbook
        self.ids: dict[str, int] = {}
        self.names: dict[str, str] = {}
        for part in workbook.table_parts():
            table_id, name = _table_identity(workbook.package.xml(part))
            self.ids[part] = table_id
            self.names[part] = name

    def free_id(self) -> int:
        return max(self.ids.values(), default=0) + 1

    def free_name(self, wanted: str, own_part: str | None) -> str:
        taken = {n.casefold() for p, n in self.names.items() if p != own_part} | self.workbook.defined_names()
        name, n = wanted, 2
        while name.casefold() in taken:
            name, n = f"{wanted}_{n}", n + 1
        return name

    def register(self, part: str, table_id: int, name: str) -> None:
        self.ids[part], self.names[part] = table_id, name

    def forget(self, part: str) -> None:
        self.ids.pop(part, None)
        self.names.pop(part, None)


def _remove_part_with_rels(workbook: Workbook, part: str) -> None:
    package = workbook.package
    package.remove(part)
    package.remove(rels_part(part))
    workbook.content_types.remove(part)


def write_result_sheet(workbook: Workbook, styles: Styles, tables: TableRegistry, cells: SheetCells) -> bool:
    """Replace (or add) one result sheet; returns True when it was added."""
    package = workbook.package
    if workbook.is_other_sheet(cells.name):
        raise WriteBackRefused(not_a_worksheet_message(cells.name))
    part = workbook.sheet_part(cells.name)
    added = part is None
    old_root = None
    if added:
        part = workbook.add_sheet(cells.name)
    else:
        old_root = package.xml(part)
    rels = Relationships(package, part)
    table_part = None
    for rel in list(rels):
        kind = rel.get("Type")
        if kind == REL_TABLE and rels.internal(rel):
            if table_part is None:
                table_part = rels.target(rel)
                table_rel_id = rel.get("Id")
            else:  # another Table on a result sheet goes with the sheet's cells
                tables.forget(rels.target(rel))
                _remove_part_with_rels(workbook, rels.target(rel))
                rels.remove(rel)
        elif kind == REL_PIVOT_TABLE and rels.internal(rel):
            _remove_part_with_rels(workbook, rels.target(rel))
            rels.remove(rel)
        elif kind == REL_HYPERLINK:
            rels.remove(rel)
    if table_part is None:
        table_part = package.free_name("xl/tables/table{}.xml")
        table_rel_id = rels.add(REL_TABLE, table_part)
        workbook.content_types.add(table_part, CT_TABLE)
        table_id = tables.free_id()
    else:
        table_id = tables.ids.get(table_part) or tables.free_id()
    name = tables.free_name(cells.table_name, table_part)
    tables.register(table_part, table_id, name)
    xml, had_formulas = result_sheet_xml(cells, styles, workbook.date1904, table_rel_id, old_root, name)
    if had_formulas:
        workbook.drop_calc_chain()
    package.put(part, xml)
    ref = f"A{HEADER_ROW}:{column_letter(max(len(cells.columns), 1))}{cells.last_row}"
    headers = [c.header for c in cells.columns] or ["Kolom1"]
    package.put(table_part, table_xml(table_id, name, ref, headers, cells.totals))
    workbook.set_print_titles(cells.name, f"${HEADER_ROW}:${HEADER_ROW}")
    rels.save()
    return added


def update_app_properties(package: Package, workbook: Workbook, new_names: list[str]) -> None:
    """List new sheets in docProps/app.xml; left alone when its layout is not the usual one."""
    root_rels = Relationships(package, "")
    rels = root_rels.of_type(REL_EXTENDED_PROPERTIES)
    if not rels or not new_names:
        return
    part = root_rels.target(rels[0])
    if not package.exists(part):
        return
    root = package.xml(part)
    pairs = root.find(f"{{{NS_EP}}}HeadingPairs/{{{NS_VT}}}vector")
    titles = root.find(f"{{{NS_EP}}}TitlesOfParts/{{{NS_VT}}}vector")
    if pairs is None or titles is None:
        return
    variants = pairs.findall(f"{{{NS_VT}}}variant")
    title_elements = titles.findall(f"{{{NS_VT}}}lpstr")
    existing = {name for name, _ in workbook.sheets()} - set(new_names)
    position = 0
    for index in range(0, len(variants) - 1, 2):
        count_element = variants[index + 1].find(f"{{{NS_VT}}}i4")
        if count_element is None:
            return
        count = int(count_element.text)
        names = {t.text for t in title_elements[position : position + count]}
        if names and names <= existing:
            anchor = title_elements[position + count - 1]
            for offset, name in enumerate(new_names, start=1):
                element = etree.Element(f"{{{NS_VT}}}lpstr")
                element.text = name
                titles.insert(titles.index(anchor) + offset, element)
            count_element.text = str(count + len(new_names))
            titles.set("size", str(len(title_elements) + len(new_names)))
            package.put(part, xml_bytes(root))
            return
        position += count


# --- appending to Acties ----------------------------------------------------------------------

_CELL_REF = re.compile(r"^([A-Za-z]{1,3})(\d+)$")


def _split_ref(ref: str) -> tuple[int, int]:
    match = _CELL_REF.match(ref.replace("$", ""))
    col = 0
    for ch in match.group(1).upper():
        col = col * 26 + ord(ch) - 64
    return col, int(match.group(2))


def _has_value(cell, ns: str) -> bool:
    return any(cell.find(f"{{{ns}}}{tag}") is not None for tag in ("v", "is", "f"))


class SheetRows:
    """The rows of a worksheet's sheetData, with their Excel row numbers (made explicit)."""

    def __init__(self, root):
        self.ns = etree.QName(root).namespace
        self.sheet_data = root.find(_q(self.ns, "sheetData"))
        self.rows: dict[int, object] = {}
        previous = 0
        for row in self.sheet_data.findall(_q(self.ns, "row")):
            number = int(row.get("r")) if row.get("r") else previous + 1
            row.set("r", str(number))
            self.rows[number] = row
            previous = number
        self.numbers = sorted(self.rows)
        self._cells: dict[int, dict[int, object]] = {}

    def cells(self, number: int) -> dict[int, object]:
        """Column number -> cell element of one row (read once, then kept up to date)."""
        if number in self._cells:
            return self._cells[number]
        row = self.rows.get(number)
        if row is None:
            return {}
        result, previous = {}, 0
        for cell in row.findall(_q(self.ns, "c")):
            if cell.get("r"):
                col, _ = _split_ref(cell.get("r"))
            else:
                col = previous + 1
                cell.set("r", f"{column_letter(col)}{number}")
            result[col] = cell
            previous = col
        self._cells[number] = result
        return result

    def row(self, number: int):
        row = self.rows.get(number)
        if row is not None:
            return row
        row = etree.Element(_q(self.ns, "row"), r=str(number))
        index = bisect.bisect_right(self.numbers, number)
        if index < len(self.numbers):
            self.rows[self.numbers[index]].addprevious(row)
        else:
            self.sheet_data.append(row)
        self.rows[number] = row
        self.numbers.insert(index, number)
        return row

    def put_cell(self, number: int, col: int, xml: str) -> None:
        """Put a cell (``xml`` as written by cell_xml) in its place, replacing an empty one there."""
        row = self.row(number)
        row.attrib.pop("spans", None)  # an optional hint; ours would be stale
        fragment = etree.fromstring(f'<x xmlns="{self.ns}">{xml}</x>'.encode("utf-8"), _PARSER)[0]
        existing = self.cells(number)
        if col in existing:
            existing[col].getparent().replace(existing[col], fragment)
        else:
            later = [c for c in existing if c > col]
            if later:
                existing[min(later)].addprevious(fragment)
            else:
                row.append(fragment)
        self._cells.setdefault(number, existing)[col] = fragment


def _extend_ranges(sqref: str, old_last: int, new_last: int, first_col: int, last_col: int) -> str:
    """Extend each range of a space-separated sqref that ends at ``old_last`` within the columns."""
    result = []
    for part in sqref.split():
        try:
            min_col, min_row, max_col, max_row = range_boundaries(part)
        except (ValueError, TypeError):
            result.append(part)
            continue
        if (
            max_row == old_last
            and min_row is not None
            and min_row <= old_last
            and min_col is not None
            and max_col >= first_col
            and min_col <= last_col
        ):
            part = f"{column_letter(min_col)}{min_row}:{column_letter(max_col)}{new_last}"
        result.append(part)
    return " ".join(result)


def _extend_rules(root, old_last: int, new_last: int, first_col: int, last_col: int) -> None:
    """Validation and conditional formatting that end at the table's last row grow with it."""
    ns = etree.QName(root).namespace
    paths = (f"{{{ns}}}dataValidations/{{{ns}}}dataValidation", f"{{{ns}}}conditionalFormatting")
    for path in paths:
        for element in root.iterfind(path):
            if element.get("sqref"):
                element.set("sqref", _extend_ranges(element.get("sqref"), old_last, new_last, first_col, last_col))
    for tag in ("dataValidation", "conditionalFormatting"):
        for element in root.iter(_q(NS_X14, tag)):
            sqref = element.find(_q(NS_XM, "sqref"))
            if sqref is not None and sqref.text:
                sqref.text = _extend_ranges(sqref.text, old_last, new_last, first_col, last_col)


def _grow_dimension(root, last_col: int, last_row: int) -> None:
    ns = etree.QName(root).namespace
    dimension = root.find(_q(ns, "dimension"))
    if dimension is None or not dimension.get("ref"):
        return
    try:
        min_col, min_row, max_col, max_row = range_boundaries(dimension.get("ref"))
    except (ValueError, TypeError):
        return
    max_col, max_row = max(max_col or 1, last_col), max(max_row or 1, last_row)
    dimension.set("ref", f"{column_letter(min_col or 1)}{min_row or 1}:{column_letter(max_col)}{max_row}")


def _column_styles(root) -> dict[int, int]:
    ns = etree.QName(root).namespace
    result = {}
    for col in root.iterfind(f"{{{ns}}}cols/{{{ns}}}col"):
        if col.get("style"):
            for index in range(int(col.get("min")), int(col.get("max")) + 1):
                result[index] = int(col.get("style"))
    return result


def _read_sheet_grid(path: Path, sheet_name: str) -> list[list[object]]:
    import python_calamine as calamine

    workbook = calamine.CalamineWorkbook.from_path(str(path))
    try:
        return workbook.get_sheet_by_name(sheet_name).to_python(skip_empty_area=False)
    finally:
        workbook.close()


def check_package(path: Path, *, verify: bool = True) -> None:
    """Everything a write will need, checked without writing: ``WorkbookUnreadable`` names a damaged part.

    Every member's CRC, then the parts a write parses: the package and workbook relationships,
    ``[Content_Types].xml``, ``workbook.xml``, the styles, every Table and every worksheet's
    relationships, ``docProps/app.xml``. ``controleer`` and every read call it, so a workbook
    that reads as "in orde" can also be written (``verify=False``: the read checks the CRCs).
    """
    with Package(Path(path), verify=verify) as package:
        workbook = Workbook(package)
        for rel in workbook.rels.of_type(REL_STYLES):
            package.xml(workbook.rels.target(rel))
        TableRegistry(workbook)
        for _, part in workbook.sheets():
            if not package.exists(part):
                package.read(part)  # raises: a sheet the workbook lists is missing
            rels = Relationships(package, part)
            for rel in rels.of_type(REL_TABLE):
                if rels.internal(rel):
                    package.xml(rels.target(rel))  # a Table the sheet names: there, and XML
        root_rels = Relationships(package, "")
        for rel in root_rels.of_type(REL_EXTENDED_PROPERTIES):
            if package.exists(root_rels.target(rel)):
                package.xml(root_rels.target(rel))


def existing_grid(path, sheet_name: str) -> list[list[object]] | None:
    """A result sheet's current cells (for Kerncijfers, whose rows build up), or None."""
    path = Path(path)
    with Package(path) as package:
        workbook = Workbook(package)
        if workbook.sheet_part(sheet_name) is None:
            return None
        name = workbook.sheet_name(sheet_name)
    return _read_sheet_grid(path, name)


def _calculated_columns(table_root, first_col: int) -> dict[int, tuple[str, bool]]:
    """Sheet column -> (formula, is array) of the Table's calculated columns (``calculatedColumnFormula``)."""
    ns = etree.QName(table_root).namespace
    result = {}
    columns = table_root.find(_q(ns, "tableColumns"))
    for offset, column in enumerate(columns.findall(_q(ns, "tableColumn"))):
        formula = column.find(_q(ns, "calculatedColumnFormula"))
        if formula is not None and formula.text:
            result[first_col + offset] = (formula.text, formula.get("array") in ("1", "true"))
    return result


def append_actions(workbook: Workbook, styles: Styles, actions: ActionCells) -> tuple[int, tuple[str, ...]]:
    """Append the rows to their sheet's table (``actions.spec``); returns (rows appended, columns added)."""
    package = workbook.package
    spec = actions.spec
    sheet_name = next((n for n, _ in workbook.sheets() if header_key(n) == header_key(spec.name)), None)
    if sheet_name is None:
        raise WriteBackRefused(missing_actions_sheet_message(spec.name))
    part = workbook.sheet_part(sheet_name)
    root = package.xml(part)
    ns = etree.QName(root).namespace
    rows = SheetRows(root)
    rels = Relationships(package, part)
    table_part, table_root, other_tables = None, None, []
    for rel in rels.of_type(REL_TABLE):
        candidate = package.xml(rels.target(rel))
        name = candidate.get("displayName") or candidate.get("name")
        if table_root is None and header_key(name) == header_key(spec.name):
            table_part, table_root = rels.target(rel), candidate
        else:
            other_tables.append(candidate.get("ref"))

    if table_root is not None:
        if table_root.get("headerRowCount", "1") == "0":
            raise WriteBackRefused(no_header_message(sheet_name))
        if int(table_root.get("totalsRowCount", "0") or 0) > 0:
            raise WriteBackRefused(totals_row_message(sheet_name))
        first_col, header_row, last_col, old_last = range_boundaries(table_root.get("ref"))
        table_ns = etree.QName(table_root).namespace
        table_columns = table_root.find(_q(table_ns, "tableColumns"))
        headers = [tc.get("name", "") for tc in table_columns.findall(_q(table_ns, "tableColumn"))]
        last_filled = header_row
        for number in reversed([n for n in rows.numbers if header_row < n <= old_last]):
            if any(first_col <= c <= last_col and _has_value(cell, ns) for c, cell in rows.cells(number).items()):
                last_filled = number
                break
        header_positions = {header_key(h): first_col + i for i, h in enumerate(headers)}
    else:
        grid = _read_sheet_grid(package.path, sheet_name)
        if not grid:
            raise WriteBackRefused(no_header_message(sheet_name))
        header_index = locate_header(grid, spec)
        header_cells = grid[header_index]
        header_positions = {
            header_key(v): i + 1 for i, v in enumerate(header_cells) if normalise_cell(v) is not None
        }
        if not any(header_key(c.header) in header_positions for c in spec.columns if c.required):
            raise WriteBackRefused(no_header_message(sheet_name))
        header_row = header_index + 1
        first_col, last_col = min(header_positions.values()), max(header_positions.values())
        last_filled = header_row
        for index in range(header_index + 1, len(grid)):
            row = grid[index]
            if any(c - 1 < len(row) and normalise_cell(row[c - 1]) is not None for c in header_positions.values()):
                last_filled = index + 1
        old_last = last_filled

    # Where each planned column goes; columns the sheet lacks are added at its right.
    placed = place_appended_rows(
        actions, header_positions, header_row=header_row, first_col=first_col, last_col=last_col,
        last_filled=last_filled, old_last=old_last, in_table=table_root is not None,
    )
    positions, added, areas = placed.positions, placed.added, placed.areas
    new_last_col, start, new_last = placed.new_last_col, placed.start, placed.new_last
    in_the_way = []
    for a_col, a_row, b_col, b_row in areas:
        for number in range(a_row, b_row + 1):
            for col, cell in rows.cells(number).items():
                if a_col <= col <= b_col and _has_value(cell, ns):
                    in_the_way.append(f"{column_letter(col)}{number}")
    merged = [m.get("ref") for m in root.iterfind(f"{{{ns}}}mergeCells/{{{ns}}}mergeCell")]
    for ref in other_tables + merged:
        if not ref:
            continue
        min_col, min_row, max_col, max_row = range_boundaries(ref)
        if any(
            min_col <= b_col and max_col >= a_col and min_row <= b_row and max_row >= a_row
            for a_col, a_row, b_col, b_row in areas
        ):
            in_the_way.append(ref)
    if in_the_way:
        raise WriteBackRefused(cells_in_the_way_message(sheet_name, in_the_way))

    # Formats: the cell that is there already, else the last filled row's, else the column's.
    template = rows.cells(last_filled) if last_filled > header_row else {}
    column_style = _column_styles(root)
    def base_style(number, col):
        cell = rows.cells(number).get(col)
        if cell is not None and cell.get("s"):
            return int(cell.get("s"))
        if col in template and template[col].get("s"):
            return int(template[col].get("s"))
        return column_style.get(col, 0)

    for header, col in added:
        style = base_style(header_row, col - 1)  # like the header cell to its left
        rows.put_cell(header_row, col, inline_string_xml(f"{column_letter(col)}{header_row}", header, style))
    value_at = {p: i for i, p in enumerate(positions) if p is not None}
    styled_cols = range(first_col, new_last_col + 1) if table_root is not None else [p for p in positions if p is not None]
    calculated = _calculated_columns(table_root, first_col) if table_root is not None else {}
    for offset, row in enumerate(actions.rows):
        number = start + offset
        for col in styled_cols:
            index = value_at.get(col)
            value = row[index] if index is not None else None
            kind = actions.columns[index].kind if index is not None else None
            base = base_style(number, col)
            ref = f"{column_letter(col)}{number}"
            if index is None and col in calculated:  # the Table's calculated column, filled down as Excel does
                formula, array = calculated[col]
                rows.put_cell(number, col, formula_cell_xml(ref, formula, base, array))
                continue
            style = styles.for_kind(kind if value is not None else None, base)
            xml = cell_xml(ref, value, kind or TEXT, style, workbook.date1904)
            if xml:
                rows.put_cell(number, col, xml)

    if new_last > old_last:
        _extend_rules(root, old_last, new_last, first_col, last_col)
        if table_root is not None:
            workbook.extend_names(sheet_name, old_last, new_last, first_col, last_col)
    _grow_dimension(root, new_last_col, new_last)
    package.put(part, xml_bytes(root))
    if table_root is not None:
        ref = f"{column_letter(first_col)}{header_row}:{column_letter(new_last_col)}{new_last}"
        old_ref = table_root.get("ref")
        table_root.set("ref", ref)
        for auto_filter in table_root.iter(_q(table_ns, "autoFilter")):
            if auto_filter.getparent() is table_root:
                auto_filter.set("ref", ref)
        for sort_state in table_root.iter(_q(table_ns, "sortState")):
            if sort_state.get("ref"):
                sort_state.set("ref", _extend_ranges(sort_state.get("ref"), old_last, new_last, first_col, last_col))
        if added:
            ids = [int(tc.get("id", "0")) for tc in table_columns]
            for offset, (header, _) in enumerate(added, start=1):
                etree.SubElement(
                    table_columns, _q(table_ns, "tableColumn"), id=str(max(ids) + offset), name=table_column_name(header)
                )
            table_columns.set("count", str(len(table_columns.findall(_q(table_ns, "tableColumn")))))
        if ref != old_ref or added:
            package.put(table_part, xml_bytes(table_root))
    return len(actions.rows), tuple(h for h, _ in added)


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


def write_temporary(path: Path, package: Package, when: datetime) -> Path:
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


def put_in_place(
    path: Path, temp: Path, backups: int, identity: tuple[int, int, int], now: datetime
) -> Path | None:
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


# --- the entry point --------------------------------------------------------------------------


def write(
    path: Path,
    plans: list[SheetCells],
    appends: Sequence[ActionCells],
    *,
    generated_at: datetime,
    backups: int = 10,
) -> WriteReport:
    """Write result sheets and append rows to the workbook file at ``path`` (see the module doc)."""
    shown = str(path)
    path = Path(path).resolve()
    check_writable(path)
    if not plans and not appends:
        return WriteReport(shown, live=False)
    with register_lock(path):  # one writer at a time: the identity check and the rename belong together
        identity = file_identity(path)
        with Package(path) as package:
            workbook = Workbook(package)
            styles = Styles(package, workbook)
            tables = TableRegistry(workbook)
            replaced, added_sheets = [], []
            appended, columns_added = [], ()
            for cells in appends:
                count, added_columns = append_actions(workbook, styles, cells)
                appended.append((cells.spec.name, count))
                columns_added += added_columns
            for cells in plans:
                name = workbook.sheet_name(cells.name)
                if write_result_sheet(workbook, styles, tables, cells):
                    added_sheets.append(name)
                else:
                    replaced.append(name)
            styles.save()
            update_app_properties(package, workbook, added_sheets)
            workbook.save()
            temp = write_temporary(path, package, generated_at)
        backup = put_in_place(path, temp, backups, identity, generated_at)  # the old file is closed now
        zip_integrity.remember_verified(path)  # verified members copied, the changed ones read back
    return WriteReport(
        target=shown,
        live=False,
        sheets_replaced=tuple(replaced),
        sheets_added=tuple(added_sheets),
        rows_appended=sum(count for _, count in appended),
        columns_added=columns_added,
        appended=tuple(appended),
        backup=backup,
    )
