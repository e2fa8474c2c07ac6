"""Every zip member of a workbook checked against its CRC before anything is read or written.

An .xlsx is a zip. A member stored without compression has no other guard than
its CRC-32: with one bit flipped, an invoice of € 10.000 reads as € 90.000, and
neither calamine nor a raw copy into the next version notices. So every member
(the sheets read, and the theme, docProps or unread sheets the writer copies as
they are) is checked once per version of the file; a damaged one gets one Dutch
sentence naming the part, and nothing is read or written.

``verify_members(path)`` remembers what it verified by the file's identity
(inode, size, modification and change time), so the review's read and its
writes verify a version once; ``remember_verified`` records a version this
process wrote itself from verified members.
"""

from __future__ import annotations

import os
import struct
import threading
import zipfile
import zlib
from pathlib import Path

from .problems import WorkbookUnreadable

_CHUNK = 1 << 22
_verified: set[tuple] = set()
_guard = threading.Lock()


def damaged_part_message(workbook: str, part: str, what: str) -> str:
    """One Dutch sentence: which part of which workbook is damaged, and what to do.

    >>> damaged_part_message("reg.xlsx", "xl/worksheets/sheet2.xml", "klopt niet met zijn controlegetal")
    "De werkmap 'reg.xlsx' is beschadigd: het onderdeel 'xl/worksheets/sheet2.xml' klopt niet met zijn controlegetal, dus er is niets uit gelezen of in geschreven; gebruik een reservekopie (map reservekopieen) of open de werkmap in Excel, controleer hem en sla hem opnieuw op."
    """
    return (
        f"De werkmap '{workbook}' is beschadigd: het onderdeel '{part}' {what}, dus er is niets uit gelezen of in "
        "geschreven; gebruik een reservekopie (map reservekopieen) of open de werkmap in Excel, controleer hem "
        "en sla hem opnieuw op."
    )


def identity(path: Path) -> tuple:
    info = os.stat(path)
    return (str(Path(path).resolve()), info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)


def remember_verified(path: Path) -> None:
    """``path`` as it is now was written by this process from verified members."""
    with _guard:
        _verified.add(identity(path))


def accept_verified(key: tuple) -> None:
    """A version another process of this read verified (``identity`` as it saw it)."""
    if key == identity(Path(key[0])):
        with _guard:
            _verified.add(key)


def verify_members(path: Path) -> None:
    """Raise ``WorkbookUnreadable`` (naming the part) unless every member's data matches its CRC."""
    path = Path(path)
    key = identity(path)
    with _guard:
        if key in _verified:
            return
    damaged = first_damaged_member(path)
    if damaged is not None:
        part, what = damaged
        raise WorkbookUnreadable(damaged_part_message(path.name, part, what))
    with _guard:
        _verified.add(key)


def first_damaged_member(path: Path) -> tuple[str, str] | None:
    """(part, what is wrong in Dutch) of the first member that does not match its CRC, or None."""
    with open(path, "rb") as handle:
        try:
            archive = zipfile.ZipFile(handle)
        except zipfile.BadZipFile:
            raise WorkbookUnreadable(f"'{path.name}' is beschadigd of geen geldige Excel-werkmap.") from None
        with archive:
            for info in archive.infolist():
                what = _member_problem(handle, info)
                if what is not None:
                    return info.filename, what
    return None


def _member_problem(handle, info: zipfile.ZipInfo) -> str | None:
    if info.flag_bits & 0x1:
        return None  # encrypted: refused elsewhere (no workbook has such members)
    handle.seek(info.header_offset)
    header = handle.read(30)
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        return "is afgekapt of overschreven"
    name_length, extra_length = struct.unpack("<HH", header[26:30])
    handle.seek(info.header_offset + 30 + name_length + extra_length)
    remaining = info.compress_size
    crc, size = 0, 0
    if info.compress_type == zipfile.ZIP_STORED:
        inflate = None
    elif info.compress_type == zipfile.ZIP_DEFLATED:
        inflate = zlib.decompressobj(-15)
    else:
        return None  # another method: zipfile and calamine refuse it with their own words
    try:
        while remaining:
            data = handle.read(min(_CHUNK, remaining))
            if not data:
                return "is afgekapt"
            remaining -= len(data)
            if inflate is None:
                crc, size = zlib.crc32(data, crc), size + len(data)
                continue
            while data:
                out = inflate.decompress(data, _CHUNK)
                crc, size = zlib.crc32(out, crc), size + len(out)
                data = inflate.unconsumed_tail
        if inflate is not None:
            out = inflate.flush()
            crc, size = zlib.crc32(out, crc), size + len(out)
    except zlib.error:
        return "is niet meer uit te pakken"
    if crc != info.CRC or size != info.file_size:
        return "klopt niet met zijn controlegetal"
    return None
