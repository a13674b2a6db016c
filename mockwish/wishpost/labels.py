"""WishPost shipping labels and bag labels as real PDFs (wishpost-api.txt "Generate a Label", create_order's
PDF_*_URL fields, "Download Bag Label"; supplement-wishpost.md section 4). No HTTP, no database: the routes turn
their rows into `LabelParcel`/`BagLabel` values and serve the bytes.

One label per page, in the page size of the requested format (`FORMATS`): "10" is the 10x10 cm label, "15" the
10x5 cm one, "4x2" the 4x2 in DLP label and "A4" one large label per A4 sheet. Each label carries a Code 128
barcode of the tracking number with the number printed under it, the WOSP id, channel and otype, sender,
recipient and a goods/weight/value line.

Text: Helvetica (a standard PDF font, nothing embedded) for whatever Windows-1252 covers; an embedded subset of
DejaVu Sans Condensed (shipped in fonts/, Latin with Latin Extended A/B/Additional, Greek, Cyrillic) for other
Latin, Greek and Cyrillic text; Adobe's standard CJK CID fonts (STSong-Light, MSung-Light, HeiseiKakuGo-W5,
HYGothic-Medium: referenced, not embedded, so the viewer supplies the glyphs, as every Asian-font-aware PDF viewer
does) for Chinese, Japanese and Korean. Any other script (Arabic, Hebrew, Thai, Devanagari, emoji...) is not
drawn: a local-language field holding one falls back to its English field, and an English field holding one is
transliterated by Unicode decomposition, with "?" for what has no Latin base letter. Nothing raises on text.

reportlab is imported on the first render, not at import time, and the fonts are registered once per process.
"""

from __future__ import annotations

import functools
import io
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from datetime import datetime

    from reportlab.pdfgen.canvas import Canvas

MM: Final = 72 / 25.4  # PDF points per millimetre
INCH: Final = 72.0
_PT: Final = 25.4 / 72  # millimetres per point: layouts are drawn in millimetres, font sizes given in points

# page sizes in PDF points (width, height), by download_label's `format`
FORMATS: Final[Mapping[str, tuple[float, float]]] = MappingProxyType({
    "A4": (210 * MM, 297 * MM),
    "10": (100 * MM, 100 * MM),  # 10x10 cm, the 4x4 in label
    "15": (100 * MM, 50 * MM),  # 10x5 cm
    "4x2": (4 * INCH, 2 * INCH),  # DLP only
})
# other names clients give the same sizes (inches, centimetres)
FORMAT_ALIASES: Final[Mapping[str, str]] = MappingProxyType({"4x4": "10", "10x10": "10", "10x5": "15"})
# generate_label's printcode -> format (supplement-wishpost.md 4: WP-DOC leaves out 1 = A4)
PRINTCODE_FORMATS: Final[Mapping[int, str]] = MappingProxyType({1: "A4", 2: "10", 3: "4x2"})

FONT_DIR: Final = Path(__file__).resolve().parent / "fonts"
# DejaVu Sans Condensed cut to Latin, Greek and Cyrillic (fonts/LICENSE-DejaVu.txt says how), under our own names
_TTF_FILES: Final = {"MockwishLGC": "DejaVuSansCondensed-LGC.ttf",
                     "MockwishLGC-Bold": "DejaVuSansCondensed-Bold-LGC.ttf"}
# Adobe's CJK character collections, by script; CID fonts have no bold, so bold text uses the same face
_CID_FONTS: Final = {"sc": "STSong-Light", "tc": "MSung-Light", "jp": "HeiseiKakuGo-W5", "kr": "HYGothic-Medium"}
_COUNTRY_CJK: Final = {"JP": "jp", "KR": "kr", "TW": "tc", "HK": "tc", "MO": "tc"}


@dataclass(frozen=True, slots=True)
class LabelParcel:
    """What one WishPost parcel label shows. `*_local` fields are the recipient-country language; empty ones
    fall back to the English field on a local label."""

    tracking_number: str  # the barcode; the WOSP id while no waybill number exists yet
    wish_standard_tracking_id: str
    channel_name: str = ""
    otype: str = ""
    sender_name: str = ""
    sender_address: str = ""
    sender_city: str = ""
    sender_province: str = ""
    sender_country: str = "China"
    sender_phone: str = ""
    sender_zipcode: str = ""
    to: str = ""
    recipient_address: str = ""
    recipient_city: str = ""
    recipient_province: str = ""
    recipient_postcode: str = ""
    recipient_country: str = ""
    recipient_country_short: str = ""
    recipient_phone: str = ""
    to_local: str = ""
    recipient_address_local: str = ""
    recipient_city_local: str = ""
    recipient_province_local: str = ""
    recipient_country_local: str = ""
    content: str = ""
    quantity: int = 1
    weight_kg: float = 0.0
    declared_value: float = 0.0
    currency: str = "USD"
    user_desc: str = ""
    created: str = ""


@dataclass(frozen=True, slots=True)
class BagLabel:
    """What one bag label (orders_bag/download_label) shows."""

    bag_number: str
    hub_warehouse_name: str = ""  # Chinese, as hub_warehouse_table prints it
    parcel_count: int = 0
    weight_kg: float = 0.0
    user_name: str = ""  # who made the bag: the user, or the carrier
    created: str = ""  # Beijing time
    hub_warehouse_code: int | None = None
    hub_warehouse_name_en: str = ""
    pickup_service: int | None = None  # 2801 STO pickup, 9999 self-delivery
    pickup_service_name: str = ""


def label_filename(user_name: str, now: datetime) -> str:
    """The bag-label download's file name, as in wishpost-api.txt ("username_Label_20190626141055.pdf")."""
    return f"{user_name}_Label_{now:%Y%m%d%H%M%S}.pdf"


def format_key(fmt: str) -> str:
    """The `FORMATS` key for `fmt` (case-insensitive: "a4" is "A4"; "4x4" is "10"); ValueError for an unknown
    format."""
    wanted = str(fmt).strip().lower()
    wanted = FORMAT_ALIASES.get(wanted, wanted)
    for key in FORMATS:
        if key.lower() == wanted:
            return key
    raise ValueError(f"unknown label format {fmt!r}; expected one of {', '.join(FORMATS)}")


def render_labels(parcels: Sequence[LabelParcel], fmt: str, local: bool) -> bytes:
    """One PDF with one label per parcel, one per page, in `fmt`'s page size; `local` draws the recipient in the
    recipient-country language. ValueError for an unknown format or no parcels."""
    key = format_key(fmt)
    if not parcels:
        raise ValueError("no parcels to label")
    lang = "LCL" if local else "EN"
    return _render(key, f"WishPost labels ({lang})", [functools.partial(_draw_parcel, p, local) for p in parcels])


def render_bag_labels(bags: Sequence[BagLabel], fmt: str = "10") -> bytes:
    """One PDF with one bag label per page. ValueError for an unknown format or no bags."""
    key = format_key(fmt)
    if not bags:
        raise ValueError("no bags to label")
    return _render(key, "WishPost bag labels", [functools.partial(_draw_bag, b) for b in bags])


# --- rendering ------------------------------------------------------------------------------------------------

_Draw = Callable[["_Painter", str, str], None]  # (painter, layout "square"/"wide", format key) -> None
_DESIGN: Final = {"square": (100.0, 100.0), "wide": (100.0, 50.0)}  # layouts' own size in mm


def _render(key: str, title: str, pages: Sequence[_Draw]) -> bytes:
    from reportlab.pdfgen.canvas import Canvas

    fonts = _fonts()
    width, height = FORMATS[key]
    layout = "wide" if width > height * 1.5 else "square"
    design_w, design_h = _DESIGN[layout]
    margin = 10 * MM if key == "A4" else 0.0
    scale = min((width - 2 * margin) / (design_w * MM), (height - 2 * margin) / (design_h * MM))
    # top-aligned on A4, filling (or centred on) label stock
    x0 = (width - design_w * MM * scale) / 2
    y0 = height - margin - design_h * MM * scale if key == "A4" else (height - design_h * MM * scale) / 2
    buf = io.BytesIO()
    canvas = Canvas(buf, pagesize=(width, height), invariant=True, pageCompression=True)
    canvas.setTitle(title)
    canvas.setAuthor("WishPost (mockwish sandbox)")
    canvas.setCreator("mockwish")
    for draw in pages:
        canvas.saveState()
        canvas.translate(x0, y0)
        canvas.scale(MM * scale, MM * scale)  # from here on, units are millimetres of the layout
        draw(_Painter(canvas, fonts), layout, key)
        canvas.restoreState()
        canvas.showPage()
    canvas.save()
    return buf.getvalue()


@dataclass(frozen=True)
class _Fonts:
    regular: str
    bold: str
    ttf: str
    ttf_bold: str
    coverage: frozenset[int]  # code points the embedded TTF pair draws


@functools.cache
def _fonts() -> _Fonts:
    """Registers the embedded TTF pair and the CJK CID fonts with reportlab, once per process."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfbase.ttfonts import TTFont

    coverage: frozenset[int] | None = None
    for name, file in _TTF_FILES.items():
        font = TTFont(name, str(FONT_DIR / file))
        pdfmetrics.registerFont(font)
        chars = frozenset(font.face.charToGlyph)
        coverage = chars if coverage is None else coverage & chars
    for face in _CID_FONTS.values():
        pdfmetrics.registerFont(UnicodeCIDFont(face))
    assert coverage is not None
    return _Fonts("Helvetica", "Helvetica-Bold", "MockwishLGC", "MockwishLGC-Bold", coverage)


# --- scripts ---------------------------------------------------------------------------------------------------

_KANA: Final = ((0x3040, 0x30FF), (0x31F0, 0x31FF), (0xFF65, 0xFF9F))
_HANGUL: Final = ((0x1100, 0x11FF), (0x3130, 0x318F), (0xA960, 0xA97F), (0xAC00, 0xD7FF), (0xFFA0, 0xFFDC))
_HAN_AND_CJK_SYMBOLS: Final = ((0x2E80, 0x2FDF), (0x3000, 0x303F), (0x3100, 0x312F), (0x31A0, 0x31BF),
                               (0x3200, 0x33FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF),
                               (0xFE30, 0xFE4F), (0xFF00, 0xFFEF))


def _in(cp: int, ranges: tuple[tuple[int, int], ...]) -> bool:
    return any(lo <= cp <= hi for lo, hi in ranges)


def _cjk(cp: int) -> str | None:
    """"jp", "kr" or "han" for a character only a CJK CID font draws, else None."""
    if cp < 0x1100:
        return None
    if _in(cp, _KANA):
        return "jp"
    if _in(cp, _HANGUL):
        return "kr"
    return "han" if _in(cp, _HAN_AND_CJK_SYMBOLS) else None


@functools.lru_cache(maxsize=4096)
def _cp1252(ch: str) -> bool:
    try:
        ch.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


def _drawable(ch: str, coverage: frozenset[int]) -> bool:
    cp = ord(ch)
    return 0x20 <= cp < 0x7F or cp in coverage or _cjk(cp) is not None or (cp >= 0xA0 and _cp1252(ch))


def _clean(text: object, coverage: frozenset[int], strict: bool) -> str | None:
    """`text` on one line with every character drawable. A character that is not: None when `strict`, else its
    decomposition's drawable base letters ("ǅ" -> "DŽ", "ﬁ" -> "fi") or "?"."""
    text = unicodedata.normalize("NFC", " ".join(("" if text is None else str(text)).split()))
    if all(_drawable(ch, coverage) for ch in text):
        return text
    if strict:
        return None
    out = []
    for ch in text:
        if _drawable(ch, coverage):
            out.append(ch)
        else:
            base = "".join(c for c in unicodedata.normalize("NFKD", ch)
                           if not unicodedata.combining(c) and _drawable(c, coverage))
            out.append(base or "?")
    return "".join(out)


# --- drawing ---------------------------------------------------------------------------------------------------

_ELLIPSIS: Final = "\u2026"


class _Painter:
    """Text, lines and barcodes on a canvas whose units are millimetres. Text is split into runs by the font
    that draws them; `hint` (an ISO2 country) picks the CJK face for Han characters."""

    def __init__(self, canvas: Canvas, fonts: _Fonts) -> None:
        self.canvas = canvas
        self.fonts = fonts

    def clean(self, text: object) -> str:
        return _clean(text, self.fonts.coverage, strict=False) or ""

    def local(self, local_value: str, english_value: str) -> str:
        """The local-language value when it is given and fully drawable, else the English one."""
        return _clean(local_value, self.fonts.coverage, strict=True) or self.clean(english_value)

    def runs(self, text: str, bold: bool, hint: str) -> list[tuple[str, str]]:
        f = self.fonts
        kinds = {_cjk(ord(ch)) for ch in text} - {None}
        if not kinds:
            if all(ord(ch) < 0x7F or _cp1252(ch) for ch in text):
                return [(f.bold if bold else f.regular, text)]
            return [(f.ttf_bold if bold else f.ttf, text)]
        if "jp" in kinds:
            script = "jp"
        elif "kr" in kinds:
            script = "kr"
        else:
            script = _COUNTRY_CJK.get(hint.upper(), "sc")
        cid, std, ttf = _CID_FONTS[script], (f.bold if bold else f.regular), (f.ttf_bold if bold else f.ttf)
        runs: list[tuple[str, str]] = []
        for ch in text:  # Latin in Helvetica: a viewer's stand-in for the CID font may space it badly
            cp = ord(ch)
            font = cid if _cjk(cp) is not None else std if cp < 0x7F or _cp1252(ch) else ttf
            if runs and runs[-1][0] == font:
                runs[-1] = (font, runs[-1][1] + ch)
            else:
                runs.append((font, ch))
        return runs

    def width(self, text: str, size: float, bold: bool, hint: str) -> float:
        from reportlab.pdfbase.pdfmetrics import stringWidth

        return sum(stringWidth(chunk, font, size) for font, chunk in self.runs(text, bold, hint))

    def fit(self, text: str, size: float, max_w: float, bold: bool, hint: str) -> str:
        """`text`, cut with an ellipsis to fit `max_w`."""
        if self.width(text, size, bold, hint) <= max_w:
            return text
        lo, hi = 0, len(text)  # the longest prefix that fits with the ellipsis: binary search
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.width(text[:mid].rstrip() + _ELLIPSIS, size, bold, hint) <= max_w:
                lo = mid
            else:
                hi = mid - 1
        return text[:lo].rstrip() + _ELLIPSIS

    def text(self, x: float, y: float, text: str, size_pt: float, max_w: float, *, bold: bool = False,
             hint: str = "CN", align: str = "left", shrink: float = 0.75) -> None:
        """One line at baseline `y`; too wide, it shrinks down to `shrink` of its size, then is cut."""
        if not text:
            return
        size = size_pt * _PT
        width = self.width(text, size, bold, hint)
        if width > max_w:
            size = max(size * max_w / width, size_pt * _PT * shrink)
            text = self.fit(text, size, max_w, bold, hint)
            width = self.width(text, size, bold, hint)
        if align == "center":
            x += (max_w - width) / 2
        elif align == "right":
            x += max_w - width
        obj = self.canvas.beginText(x, y)
        for font, chunk in self.runs(text, bold, hint):
            obj.setFont(font, size)
            obj.textOut(chunk)
        self.canvas.drawText(obj)

    def wrap(self, text: str, size_pt: float, max_w: float, max_lines: int, *, bold: bool = False,
             hint: str = "CN") -> list[str]:
        """`text` broken into at most `max_lines` lines at spaces or between CJK characters; the last is cut."""
        size = size_pt * _PT

        def fits(s: str) -> bool:
            return self.width(s, size, bold, hint) <= max_w

        lines: list[str] = []
        line = ""
        for spaced, token in _tokens(text):
            candidate = f"{line} {token}" if spaced and line else line + token
            if fits(candidate):
                line = candidate
                continue
            if line:
                lines.append(line)
            while len(token) > 1 and not fits(token):  # a token wider than the line breaks anywhere
                cut = max(1, len(self.fit(token, size, max_w, bold, hint)) - 1)
                lines.append(token[:cut])
                token = token[cut:]
            line = token
        if line:
            lines.append(line)
        if len(lines) > max_lines:
            lines = [*lines[:max_lines - 1], self.fit(" ".join(lines[max_lines - 1:]), size, max_w, bold, hint)]
        return lines

    def paragraph(self, x: float, y: float, text: str, size_pt: float, max_w: float, max_lines: int,
                  leading: float, *, bold: bool = False, hint: str = "CN") -> float:
        """Wrapped lines from baseline `y` down; returns the baseline after the last one."""
        for line in self.wrap(text, size_pt, max_w, max_lines, bold=bold, hint=hint):
            self.text(x, y, line, size_pt, max_w, bold=bold, hint=hint)
            y -= leading
        return y

    def hline(self, y: float, x0: float, x1: float, weight: float = 0.25) -> None:
        self.canvas.setLineWidth(weight)
        self.canvas.line(x0, y, x1, y)

    def box(self, x: float, y: float, w: float, h: float, weight: float = 0.3) -> None:
        self.canvas.setLineWidth(weight)
        self.canvas.rect(x, y, w, h, stroke=1, fill=0)

    def barcode(self, value: str, x: float, y: float, max_w: float, height: float, max_module: float) -> None:
        """A Code 128 of `value` centred in `max_w`, at least ten modules of quiet zone each side."""
        from reportlab.graphics.barcode.code128 import Code128

        symbol = Code128(value, barWidth=1.0, barHeight=height, quiet=0, humanReadable=0)
        modules, _ = symbol.wrap(0, 0)  # the symbol's width at one unit per module
        module = min(max_module, max_w / (modules + 20))
        symbol.barWidth = module
        self.canvas.setFillGray(0)
        symbol.drawOn(self.canvas, x + (max_w - modules * module) / 2, y)


def _tokens(text: str) -> list[tuple[bool, str]]:
    """(space before, token): words, and each CJK character on its own."""
    tokens: list[tuple[bool, str]] = []
    word, word_spaced, spaced = "", False, False
    for ch in text:
        if ch == " " or _cjk(ord(ch)) is not None:
            if word:
                tokens.append((word_spaced, word))
                word = ""
            if ch == " ":
                spaced = True
            else:
                tokens.append((spaced, ch))
                spaced = False
            continue
        if not word:
            word_spaced, spaced = spaced, False
        word += ch
    if word:
        tokens.append((word_spaced, word))
    return tokens


def _barcode_text(value: str) -> str:
    """What Code 128 encodes: printable ASCII."""
    return "".join(ch if 0x20 <= ord(ch) < 0x7F else "?" for ch in " ".join(str(value or "").split())) or "?"


def _join(*parts: str, sep: str = ", ") -> str:
    return sep.join(p for p in (str(s or "").strip() for s in parts) if p)


def _money(value: float) -> str:
    return f"{value:.2f}"


def _parcel_text(p: LabelParcel, local: bool, pt: _Painter) -> dict[str, str]:
    """Every string a parcel label shows, cleaned; the recipient in the local language when `local`."""
    if local:
        name = pt.local(p.to_local, p.to)
        address = pt.local(p.recipient_address_local, p.recipient_address)
        city = pt.local(p.recipient_city_local, p.recipient_city)
        province = pt.local(p.recipient_province_local, p.recipient_province)
        country = pt.local(p.recipient_country_local, p.recipient_country)
    else:
        name, address, city, province, country = (pt.clean(v) for v in (
            p.to, p.recipient_address, p.recipient_city, p.recipient_province, p.recipient_country))
    goods = pt.clean(p.content) or "Goods"
    from_phone, to_phone = pt.clean(p.sender_phone), pt.clean(p.recipient_phone)
    return {
        "tracking": _barcode_text(p.tracking_number or p.wish_standard_tracking_id),
        "wosp": pt.clean(p.wish_standard_tracking_id),
        "channel": pt.clean(p.channel_name),
        "otype": pt.clean(p.otype),
        "cc": pt.clean(p.recipient_country_short).upper(),
        "from_name": pt.clean(p.sender_name),
        "from_addr": pt.clean(p.sender_address),
        "from_place": pt.clean(_join(p.sender_city, p.sender_province, _join(p.sender_zipcode, p.sender_country,
                                                                             sep=" "))),
        "from_phone": f"Tel: {from_phone}" if from_phone else "",
        "to_name": name,
        "to_addr": address,
        "to_place": _join(city, _join(province, pt.clean(p.recipient_postcode), sep=" ")),
        "to_country": country,
        "to_phone": f"Tel: {to_phone}" if to_phone else "",
        "goods": f"{goods} \u00d7 {p.quantity}",
        "weight": f"{p.weight_kg:.3f} kg",
        "value": _join(_money(p.declared_value), pt.clean(p.currency), sep=" "),
        "desc": pt.clean(p.user_desc),
        "created": pt.clean(p.created),
        "lang": "LCL" if local else "EN",
    }


def _draw_parcel(p: LabelParcel, local: bool, pt: _Painter, layout: str, key: str) -> None:
    t = _parcel_text(p, local, pt)
    hint = t["cc"] or "CN"
    if layout == "wide":
        _parcel_wide(pt, t, hint, key)
    else:
        _parcel_square(pt, t, hint, key)


def _header(pt: _Painter, t: dict[str, str], y: float, w: float, big: float) -> None:
    """WishPost / channel at the left, otype in a box and the destination country code at the right."""
    pt.text(3, y + (5.2 if big > 10 else 3.0), "WishPost", big, 40, bold=True)
    pt.text(3, y + (1.2 if big > 10 else 0.4), t["channel"], big * 0.55, w * 0.42)
    cc_w = 13 if big > 10 else 10
    if t["cc"]:
        pt.box(w - 2 - cc_w, y, cc_w, 9.5 if big > 10 else 6, weight=0.5)
        pt.text(w - 2 - cc_w, y + (2.2 if big > 10 else 1.4), t["cc"], big * 1.5, cc_w, bold=True, align="center")
    if t["otype"]:
        ot_w = 18 if big > 10 else 14
        pt.box(w - 3 - cc_w - ot_w, y, ot_w, 9.5 if big > 10 else 6, weight=0.5)
        pt.text(w - 3 - cc_w - ot_w, y + (3 if big > 10 else 1.8), t["otype"], big * 0.9, ot_w, bold=True,
                align="center")


def _parcel_square(pt: _Painter, t: dict[str, str], hint: str, key: str) -> None:
    w = 100.0
    pt.box(1.5, 1.5, 97, 97, weight=0.6)
    _header(pt, t, 87.5, w, 13)
    pt.hline(86, 1.5, 98.5, 0.5)
    # sender
    pt.text(3, 82.3, "FROM:", 6, 12, bold=True)
    pt.text(12, 82.3, t["from_name"], 7, 84, bold=True)
    y = pt.paragraph(12, 79.3, t["from_addr"], 6.5, 84, 2, 2.7)
    pt.text(12, y, _join(t["from_place"], t["from_phone"], sep="  "), 6.5, 84)
    pt.hline(71.5, 1.5, 98.5, 0.5)
    # recipient
    pt.text(3, 67, "TO:", 7, 12, bold=True)
    pt.text(12, 67, t["to_name"], 11, 84, bold=True, hint=hint)
    y = pt.paragraph(12, 62.5, t["to_addr"], 9, 84, 2, 3.9, hint=hint)
    pt.text(12, y, t["to_place"], 9, 84, hint=hint)
    pt.text(12, y - 4, t["to_country"], 9, 60, bold=True, hint=hint)
    pt.text(72, y - 4, t["to_phone"], 7.5, 25, align="right")
    pt.hline(45, 1.5, 98.5, 0.5)
    # barcode
    pt.barcode(t["tracking"], 1.5, 30.5, 97, 13, 0.45)
    pt.text(1.5, 26.3, t["tracking"], 11, 97, bold=True, align="center")
    pt.hline(24.5, 1.5, 98.5, 0.5)
    # WOSP id, goods
    pt.text(3, 20.6, f"WOSP: {t['wosp']}", 8, 62, bold=True)
    pt.text(65, 20.6, t["created"], 7, 31.5, align="right")
    pt.text(3, 16.4, t["goods"], 7.5, 93)
    pt.text(3, 12.6, _join(f"Weight: {t['weight']}", f"Value: {t['value']}", sep="    "), 7.5, 93)
    pt.text(3, 8.8, _join("Ref:", t["desc"], sep=" ") if t["desc"] else "", 7, 93)
    pt.text(3, 3.2, f"mockwish sandbox label, not for shipping  \u00b7  {key}  \u00b7  {t['lang']}", 5, 93)


def _parcel_wide(pt: _Painter, t: dict[str, str], hint: str, key: str) -> None:
    w = 100.0
    pt.box(1, 1, 98, 48, weight=0.5)
    _header(pt, t, 42.2, w, 9)
    pt.hline(41.5, 1, 99, 0.4)
    # sender (left column), recipient (right column)
    pt.text(2.5, 38.3, "FROM:", 5, 10, bold=True)
    pt.text(2.5, 35.6, t["from_name"], 5.5, 33, bold=True)
    y = pt.paragraph(2.5, 33.4, t["from_addr"], 5, 33, 2, 2.1)
    y = pt.paragraph(2.5, y, t["from_place"], 5, 33, 2, 2.1)
    pt.text(2.5, y, t["from_phone"], 5, 33)
    pt.canvas.setLineWidth(0.3)
    pt.canvas.line(37, 41.5, 37, 22.5)
    pt.text(38.5, 38.3, "TO:", 5.5, 10, bold=True)
    pt.text(44, 38.3, t["to_name"], 8.5, 54, bold=True, hint=hint)
    y = pt.paragraph(38.5, 35, t["to_addr"], 7, 59, 2, 2.9, hint=hint)
    pt.text(38.5, y, t["to_place"], 7, 59, hint=hint)
    pt.text(38.5, y - 2.9, t["to_country"], 7, 40, bold=True, hint=hint)
    pt.text(79, y - 2.9, t["to_phone"], 5.5, 19, align="right")
    pt.hline(22.5, 1, 99, 0.4)
    # barcode, WOSP id, goods
    pt.barcode(t["tracking"], 1, 11.3, 98, 10, 0.4)
    pt.text(1, 7.9, t["tracking"], 8, 98, bold=True, align="center")
    pt.text(2.5, 4.6, f"WOSP: {t['wosp']}", 6, 45, bold=True)
    pt.text(48, 4.6, _join(t["weight"], t["value"], sep="   "), 5.5, 49.5, align="right")
    pt.text(2.5, 2, _join(t["goods"], t["desc"], t["created"], sep="   "), 4.5, 70)
    pt.text(73, 2, f"sandbox \u00b7 {key} \u00b7 {t['lang']}", 4.5, 24.5, align="right")


def _draw_bag(b: BagLabel, pt: _Painter, layout: str, key: str) -> None:
    number = _barcode_text(b.bag_number)
    hub = _join(pt.clean(b.hub_warehouse_name), pt.clean(b.hub_warehouse_name_en), sep="  ")
    hub_line = f"HUB {b.hub_warehouse_code}" if b.hub_warehouse_code is not None else ""
    service = (f"Pickup service: {b.pickup_service} {pt.clean(b.pickup_service_name)}".strip()
               if b.pickup_service is not None else "")
    facts = f"Parcels: {b.parcel_count}    Weight: {b.weight_kg:.3f} kg"
    user_name, created = pt.clean(b.user_name), pt.clean(b.created)
    who = _join(f"Owner: {user_name}" if user_name else "", f"Created: {created}" if created else "", sep="    ")
    if layout == "wide":  # 10x5 cm or 4x2 in stock
        pt.box(1, 1, 98, 48, weight=0.5)
        pt.text(2.5, 43.5, "WishPost BAG", 9, 45, bold=True)
        pt.text(48, 43.5, hub_line, 9, 49.5, bold=True, align="right")
        pt.hline(41.5, 1, 99, 0.4)
        pt.text(2.5, 35.5, hub, 11, 95, bold=True)
        pt.text(2.5, 30.5, _join(service, facts, sep="    "), 6.5, 95)
        pt.text(2.5, 26.5, who, 6, 95)
        pt.barcode(number, 1, 10, 98, 13, 0.4)
        pt.text(1, 5.5, number, 9, 98, bold=True, align="center")
        pt.text(73, 2, f"sandbox \u00b7 {key}", 4.5, 24.5, align="right")
        return
    pt.box(1.5, 1.5, 97, 97, weight=0.6)
    pt.text(3, 91, "WishPost BAG LABEL", 13, 60, bold=True)
    pt.text(63, 91, hub_line, 13, 33.5, bold=True, align="right")
    pt.hline(86, 1.5, 98.5, 0.5)
    pt.text(3, 76, hub, 16, 94, bold=True)
    pt.text(3, 68, service, 10, 94)
    pt.text(3, 62, facts, 10, 94)
    pt.text(3, 56, who, 8, 94)
    pt.hline(50, 1.5, 98.5, 0.5)
    pt.barcode(number, 1.5, 22, 97, 22, 0.45)
    pt.text(1.5, 15, number, 12, 97, bold=True, align="center")
    pt.text(3, 3.2, f"mockwish sandbox bag label  \u00b7  {key}", 5, 93)
