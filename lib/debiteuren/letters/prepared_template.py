"""A Word template prepared once for a batch, then filled by docxtpl letter after letter.

``DocxTemplate.render`` opens the template with python-docx, cleans its XML for
Jinja (``patch_xml``) for every letter, and ``save`` serialises and compresses
every part again, about 0.8 MB of styles included: together some 30 ms a
letter, most of a batch. Here the opening and cleaning happen once per template.
Per letter, docxtpl's own steps fill the prepared XML (``render_xml_part``,
which also turns line breaks and tabs into Word's; ``fix_tables``;
``fix_docpr_ids``; ``InlineImage`` for the betaal-QR), and the .docx is the
template's zip with the filled parts, the pictures and their relationships put
in, named and numbered as python-docx would. Parts docxtpl does not fill are
copied unchanged.

The result depends only on the template and the letter: the same letter gives
the same bytes, alone or anywhere in a batch (fixed zip dates, no clock).
A ``PreparedTemplate`` is filled one letter at a time (it reuses its parsed
document); it is not for two threads at once.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass

import jinja2
from docx.image.image import Image
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.oxml import serialize_part_xml
from docx.opc.packuri import PackURI
from docx.oxml.parser import parse_xml
from docx.oxml.shape import CT_Inline
from docx.shared import Length
from docxtpl import DocxTemplate, InlineImage
from lxml import etree

from .templates import jinja_source

# The core properties docxtpl fills (DocxTemplate.render_properties).
CORE_PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")
CONTENT_TYPES = "[Content_Types].xml"
CONTENT_TYPES_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
RELATIONSHIPS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # a fixed date keeps the bytes the same on every run
# Level 3 deflates a letter's ~0.8 MB of XML in a third of the default level's time, ~30 % larger.
ZIP_LEVEL = 3


@dataclass(frozen=True)
class _Story:
    """A part docxtpl fills: the body, a header or footer, the footnotes."""

    member: str  # zip member name, e.g. word/header1.xml
    source: str  # the XML after docxtpl's patch_xml, ready for Jinja
    encoding: str
    first_free_id: int  # python-docx's StoryPart.next_id, for a picture's wp:docPr
    rel_ids: frozenset[str]  # relationship ids the part already has


class _Pictures:
    """The pictures one letter adds, named as python-docx names them: word/media/imageN.ext, rIdN."""

    def __init__(self, taken_members: set[str]):
        self.taken = set(taken_members)  # lower case: part names are case-insensitive
        self.media: dict[str, tuple[str, bytes, str, str]] = {}  # sha1 -> (member, blob, ext, content type)
        self.relations: dict[str, dict[str, str]] = {}  # story member -> {media member: rId}

    def add(self, story: _Story, image: Image) -> str:
        """The relationship id from ``story`` to ``image``, adding both when new."""
        if image.sha1 not in self.media:
            number = 1
            while any(re.fullmatch(rf"word/media/image{number}\.[^/]+", m) for m in self.taken):
                number += 1
            member = f"word/media/image{number}.{image.ext}"
            self.taken.add(member.lower())
            self.media[image.sha1] = (member, image.blob, image.ext, image.content_type)
        member = self.media[image.sha1][0]
        relations = self.relations.setdefault(story.member, {})
        if member not in relations:
            used = story.rel_ids | set(relations.values())
            relations[member] = next(f"rId{n}" for n in range(1, len(used) + 2) if f"rId{n}" not in used)
        return relations[member]


class _StoryPart:
    """What docxtpl's InlineImage asks of the part being filled: python-docx's ``new_pic_inline``."""

    def __init__(self, story: _Story, pictures: _Pictures):
        self.story, self.pictures = story, pictures
        self.next_id = story.first_free_id

    def new_pic_inline(self, image_descriptor, width: Length | None = None, height: Length | None = None):
        image = Image.from_file(image_descriptor)
        rel_id = self.pictures.add(self.story, image)
        cx, cy = image.scaled_dimensions(width, height)
        shape_id, self.next_id = self.next_id, self.next_id + 1
        return CT_Inline.new_pic_inline(shape_id, rel_id, image.filename, cx, cy)


def _first_free_id(element) -> int:
    used = [int(value) for value in element.xpath("//@id") if value.isdigit()]
    return max(used) + 1 if used else 1


class PreparedTemplate:
    """A .docx template opened and cleaned for Jinja once; ``fill`` makes one letter's .docx bytes."""

    def __init__(self, source: bytes, environment: jinja2.Environment):
        self.environment = environment
        self.template = DocxTemplate(io.BytesIO(source))
        self.template.init_docx()
        document = self.template.docx
        with zipfile.ZipFile(io.BytesIO(source)) as archive:
            self.members = {info.filename: archive.read(info) for info in archive.infolist() if not info.is_dir()}
        self.rels = {}  # member -> its relationships element, for the parts that may get a picture
        body_part = document.part
        body_source = self.template.patch_xml(self.template.get_xml())
        self.body = self._story(body_part, body_source, "utf-8", body_part.element)
        self.document_element = body_part.element
        self.body_element = self.document_element.body
        self.stories: list[_Story] = []  # headers and footers, as DocxTemplate.build_headers_footers_xml
        sources = [self.body.source]
        for uri in (self.template.HEADER_URI, self.template.FOOTER_URI):
            for _, part in self.template.get_headers_footers(uri):
                xml = self.template.get_part_xml(part)
                sources.append(self.template.patch_xml(xml))
                if any(s.member == part.partname.membername for s in self.stories):
                    continue  # one part used by two sections is filled once
                encoding = self.template.get_headers_footers_encoding(xml)
                self.stories.append(self._story(part, sources[-1], encoding, part.element))
        # What templates.template_source gives, for check_template without opening the .docx again.
        self.jinja_source = jinja_source(sources)
        self.footnotes = [
            self._story(part, self.template.patch_xml(part.blob.decode("utf-8")), "utf-8", parse_xml(part.blob))
            for part in document.part.package.iter_parts()
            if part.content_type == CT.WML_FOOTNOTES
        ]
        try:
            core_part = document.part.package.part_related_by(RT.CORE_PROPERTIES)
        except KeyError:
            core_part = None  # docxtpl would add python-docx's default (dated now); an unfilled part is left out
        self.core_part = core_part
        self.core_initial = (
            {name: getattr(document.core_properties, name) for name in CORE_PROPERTIES} if core_part else {}
        )
        content_types = etree.fromstring(self.members[CONTENT_TYPES])
        self.content_types = content_types
        self.default_extensions = {
            e.get("Extension", "").lower() for e in content_types.iter(f"{{{CONTENT_TYPES_NS}}}Default")
        }

    def _story(self, part, source: str, encoding: str, element) -> _Story:
        member = part.partname.membername
        rels_member = part.partname.rels_uri.membername
        if rels_member in self.members:
            self.rels[member] = etree.fromstring(self.members[rels_member])
            rel_ids = frozenset(r.get("Id") for r in self.rels[member])
        else:
            rel_ids = frozenset()
        return _Story(member, source, encoding, _first_free_id(element), rel_ids)

    def image(self, picture: bytes, width: Length | None = None, height: Length | None = None) -> InlineImage:
        """A picture for the context, as docxtpl's ``InlineImage``."""
        return InlineImage(self.template, io.BytesIO(picture), width=width, height=height)

    def _render(self, story: _Story, context: Mapping, pictures: _Pictures) -> str:
        return self.template.render_xml_part(story.source, _StoryPart(story, pictures), context, self.environment)

    def fill(self, context: Mapping[str, object]) -> bytes:
        """The .docx of one letter: what ``DocxTemplate.render(context)`` and ``save`` give, part for part.

        Raises what Jinja raises (``jinja2.UndefinedError`` for a missing field).
        """
        template = self.template
        pictures = _Pictures({m.lower() for m in self.members})
        filled: dict[str, bytes] = {}

        # Body: as DocxTemplate.render -> build_xml, fix_tables, fix_docpr_ids, map_tree.
        body = template.fix_tables(self._render(self.body, context, pictures))
        template.docx_ids_index = 1000
        template.fix_docpr_ids(body)
        self.document_element.replace(self.body_element, body)
        self.body_element = body
        filled[self.body.member] = serialize_part_xml(self.document_element)

        # Headers and footers: python-docx reads the filled XML back (XmlPart.load) and writes it.
        for story in self.stories:
            xml = self._render(story, context, pictures).encode(story.encoding)
            filled[story.member] = serialize_part_xml(parse_xml(xml))
        for story in self.footnotes:
            filled[story.member] = self._render(story, context, pictures).encode("utf-8")

        # Core properties (title, subject, ...): written only when a field changed one.
        rendered = {
            name: self.environment.from_string(value).render(context) for name, value in self.core_initial.items()
        }
        if rendered != self.core_initial:
            properties = template.docx.core_properties
            for name, value in rendered.items():
                setattr(properties, name, value)
            filled[self.core_part.partname.membername] = serialize_part_xml(self.core_part.element)

        # Pictures: the media, a relationship from each part that shows one, a content type per new extension.
        for member, relations in pictures.relations.items():
            partname = PackURI("/" + member)
            rels = self.rels.get(member)
            rels = (
                etree.fromstring(etree.tostring(rels))
                if rels is not None
                else etree.Element(f"{{{RELATIONSHIPS_NS}}}Relationships", nsmap={None: RELATIONSHIPS_NS})
            )
            for media, rel_id in relations.items():
                target = PackURI("/" + media).relative_ref(partname.baseURI)
                etree.SubElement(rels, f"{{{RELATIONSHIPS_NS}}}Relationship", Id=rel_id, Type=RT.IMAGE, Target=target)
            filled[partname.rels_uri.membername] = serialize_part_xml(rels)
        new_types = {ext.lower(): ctype for _, _, ext, ctype in pictures.media.values()}
        new_types = {ext: ctype for ext, ctype in new_types.items() if ext not in self.default_extensions}
        if new_types:
            content_types = etree.fromstring(etree.tostring(self.content_types))
            for ext, ctype in sorted(new_types.items()):
                default = etree.Element(f"{{{CONTENT_TYPES_NS}}}Default", Extension=ext, ContentType=ctype)
                content_types.insert(0, default)
            filled[CONTENT_TYPES] = serialize_part_xml(content_types)

        media = {member: blob for member, blob, _, _ in pictures.media.values()}
        names = list(self.members) + [m for m in filled if m not in self.members] + list(media)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            for name in names:
                info = zipfile.ZipInfo(name, ZIP_DATE)
                info.external_attr = 0o600 << 16
                data = filled.get(name, media.get(name, self.members.get(name)))
                archive.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=ZIP_LEVEL)
        return buffer.getvalue()
