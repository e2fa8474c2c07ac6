"""The xlsx package: zip members (raw copies), relationships, content types."""

from __future__ import annotations

import posixpath
import struct
import zipfile
import zlib
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote

from lxml import etree

from ... import zip_integrity
from ...problems import WorkbookUnreadable
from ..messages import WriteBackRefused, unsupported_workbook_message

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
XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)


# --- the zip package --------------------------------------------------------------------------


def qname(ns: str, tag: str) -> str:
    return f"{{{ns}}}{tag}"


def local_name(element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def parse_xml(data: bytes):
    return etree.fromstring(data, XML_PARSER)


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
                "<IHHHHHIIIHH",
                0x04034B50,
                version,
                flags,
                method,
                dos_time,
                dos_date,
                crc,
                compressed,
                size,
                len(encoded),
                0,
            )
            out.write(header)
            out.write(encoded)
            for chunk in chunks:
                out.write(chunk)
            central.append(
                struct.pack(
                    "<IHHHHHHIIIHHHHHII",
                    0x02014B50,
                    (system << 8) | version,
                    version,
                    flags,
                    method,
                    dos_time,
                    dos_date,
                    crc,
                    compressed,
                    size,
                    len(encoded),
                    0,
                    0,
                    0,
                    0,
                    external,
                    offset,
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
            self.root = etree.Element(qname(NS_PKG_REL, "Relationships"), nsmap={None: NS_PKG_REL})
        self.changed = False

    def __iter__(self):
        return iter(self.root.findall(qname(NS_PKG_REL, "Relationship")))

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
            self.root,
            qname(NS_PKG_REL, "Relationship"),
            Id=f"rId{n}",
            Type=rel_type,
            Target=relative_target(self.source, part),
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
        return self.root.findall(qname(NS_CT, "Override"))

    def add(self, part: str, content_type: str) -> None:
        name = "/" + part
        for override in self.overrides():
            if override.get("PartName", "").casefold() == name.casefold():
                return
        etree.SubElement(self.root, qname(NS_CT, "Override"), PartName=name, ContentType=content_type)
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
