"""Window envelopes the letters are laid out for, and where the address must sit on the sheet.

A letter goes into a window envelope folded in three (A4 in equal thirds of
99 mm, the address on the top third). The folded sheet is smaller than the
envelope, so it slides: up to the envelope's height minus 99 mm up and down,
and its width minus 210 mm sideways. The address must show through the window
wherever the sheet ends up, and nothing else may: ``always_visible`` is the
part of the sheet the window shows in every position, ``ever_visible`` the part
it shows in some position. ``ADDRESS_FIELD`` is where the templates put the
address (tools/make_templates.py); the doctest below proves it lies inside every
envelope's ``always_visible`` area, and tests/test_letter_layout.py reads the
address's position back from the PDF.

Measurements are data with their source (letter_templates/LEESMIJ.md shows them):

>>> [e.name for e in ENVELOPES]
['EA5/6 (DL, 110 × 220 mm)', 'C6/5 (114 × 229 mm)']
>>> [e.always_visible() for e in ENVELOPES]
[Area(left=20.0, top=50.0, right=100.0, bottom=84.0), Area(left=20.0, top=54.0, right=91.0, bottom=84.0)]
>>> SAFE_AREA
Area(left=20.0, top=54.0, right=91.0, bottom=84.0)
>>> SAFE_AREA.contains(ADDRESS_FIELD)
True
>>> WINDOW_ZONE  # keep everything but the address out of this band of the sheet
Area(left=0.0, top=39.0, right=110.0, bottom=99.0)
"""

from __future__ import annotations

from dataclasses import dataclass

SHEET_WIDTH_MM = 210.0
FOLDED_PANEL_MM = 99.0  # A4 (297 mm) folded in three equal parts


@dataclass(frozen=True)
class Area:
    """A rectangle on the sheet, in mm from its top-left corner."""

    left: float
    top: float
    right: float
    bottom: float

    def contains(self, other: Area) -> bool:
        return (
            self.left <= other.left
            and self.top <= other.top
            and other.right <= self.right
            and other.bottom <= self.bottom
        )

    def overlaps(self, other: Area) -> bool:
        return not (
            other.right <= self.left or self.right <= other.left or other.bottom <= self.top or self.bottom <= other.top
        )

    def intersection(self, other: Area) -> Area:
        return Area(
            max(self.left, other.left),
            max(self.top, other.top),
            min(self.right, other.right),
            min(self.bottom, other.bottom),
        )

    def union_bounds(self, other: Area) -> Area:
        return Area(
            min(self.left, other.left),
            min(self.top, other.top),
            max(self.right, other.right),
            max(self.bottom, other.bottom),
        )


@dataclass(frozen=True)
class WindowEnvelope:
    """An envelope with its window on the left, in mm (window measured from the envelope's edges)."""

    name: str
    height: float
    width: float
    window_left: float
    window_bottom: float
    window_width: float
    window_height: float
    source: str

    @property
    def window_top(self) -> float:
        return self.height - self.window_bottom - self.window_height

    @property
    def slack(self) -> tuple[float, float]:
        """How far the folded sheet can slide sideways and up and down."""
        return self.width - SHEET_WIDTH_MM, self.height - FOLDED_PANEL_MM

    def always_visible(self) -> Area:
        """The part of the sheet inside the window wherever the sheet lies in the envelope."""
        dx, dy = self.slack
        return Area(
            self.window_left,
            self.window_top,
            self.window_left + self.window_width - dx,
            self.window_top + self.window_height - dy,
        )

    def ever_visible(self) -> Area:
        """The part of the sheet that shows through the window in some position."""
        dx, dy = self.slack
        return Area(
            self.window_left - dx,
            self.window_top - dy,
            self.window_left + self.window_width,
            self.window_top + self.window_height,
        )


DIN_680 = (
    "DIN 680 (Fensterbriefhüllen), zoals samengevat in Wikipedia 'DIN lang' "
    "(https://de.wiki.li/DIN_lang): venster 90 mm breed en 45 mm hoog, 20 mm van links en 15 mm van onder"
)
ENVELOPES: tuple[WindowEnvelope, ...] = (
    WindowEnvelope("EA5/6 (DL, 110 × 220 mm)", 110.0, 220.0, 20.0, 15.0, 90.0, 45.0, DIN_680),
    WindowEnvelope("C6/5 (114 × 229 mm)", 114.0, 229.0, 20.0, 15.0, 90.0, 45.0, DIN_680),
)


def _all(areas: list[Area], combine) -> Area:
    result = areas[0]
    for area in areas[1:]:
        result = combine(result, area)
    return result


# Where the address shows through every envelope above, in every position of the sheet.
SAFE_AREA = _all([e.always_visible() for e in ENVELOPES], Area.intersection)
# Where anything printed might show through some window: only the address belongs here.
WINDOW_ZONE = _all([e.ever_visible() for e in ENVELOPES], Area.union_bounds)
WINDOW_ZONE = Area(0.0, WINDOW_ZONE.top, WINDOW_ZONE.right, WINDOW_ZONE.bottom)  # and left of it, the sheet's edge

# The address field the templates use: 25 mm from the left (the page margin), from 55 mm down,
# at most 66 mm wide and 29 mm high (six lines of 10 pt). tools/make_templates.py builds it from these.
ADDRESS_FIELD = Area(left=25.0, top=55.0, right=91.0, bottom=84.0)
# The first thing after the address starts below the window zone.
BODY_AFTER_ADDRESS_MM = WINDOW_ZONE.bottom + 1.0
