"""mockwish.wishpost.labels: real PDF labels, read back with pypdf (pages, page size, text, the Code 128 bars)."""

from __future__ import annotations

import io
import subprocess
import sys
from datetime import datetime

import pytest
from pypdf import PdfReader

from mockwish.wishpost.labels import (
    FORMATS,
    PRINTCODE_FORMATS,
    BagLabel,
    LabelParcel,
    format_key,
    label_filename,
    render_bag_labels,
    render_labels,
)

MM = 72 / 25.4
# the page sizes in points, written out independently of FORMATS (supplement-wishpost.md 4; generate_label)
PAGE_SIZES = {"A4": (210 * MM, 297 * MM), "10": (100 * MM, 100 * MM), "15": (100 * MM, 50 * MM),
              "4x2": (4 * 72, 2 * 72)}

DOC = LabelParcel(  # the values of wishpost-api.txt's create_order example
    "PP001764319BJ", "WOSP000000022891AUS", channel_name="Wishpost EPC", otype="36-1", sender_name="ZENG WEI",
    sender_address="756 ROOM 2 DANYUAN MEILONGYUAN LONGHUA", sender_city="SHENZHEN", sender_province="GUANGDONG",
    sender_phone="18620352867", sender_zipcode="310000", to="Kali West", recipient_address="20/37 Gerrale Street",
    recipient_city="Cronulla", recipient_province="New South Wales", recipient_postcode="2230",
    recipient_country="Australia", recipient_country_short="AU", recipient_phone="11", content="LED light",
    quantity=3, weight_kg=0.15, declared_value=11.45, currency="USD", user_desc="asgfdgs", created="2014-02-07")
RU = LabelParcel(
    "RU123456789CN", "WOSP000000000001RUS", channel_name="Wishpost EPC", otype="36-1", to="Ivan Petrov",
    recipient_address="ul. Tverskaya 7, kv. 12", recipient_city="Moscow", recipient_country="Russia",
    recipient_country_short="RU", recipient_postcode="125009", to_local="Иван Петров",
    recipient_address_local="ул. Тверская, д. 7, кв. 12", recipient_city_local="Москва",
    recipient_country_local="Россия")
CN = LabelParcel(
    "CN0012345678", "WOSP000000000002CHN", to="Zhang Wei", recipient_address="88 Jianguo Road, Chaoyang",
    recipient_city="Beijing", recipient_country="China", recipient_country_short="CN", to_local="张伟",
    recipient_address_local="北京市朝阳区建国路88号 SOHO现代城A座1201室", recipient_city_local="北京市",
    recipient_country_local="中国")
FR = LabelParcel(
    "FR0000000042", "WOSP000000000003FRA", to="Francois Lefevre", recipient_country="France",
    recipient_country_short="FR", to_local="François Lefèvre-Dœuf", recipient_address_local="12 rue de l'Église",
    recipient_city_local="Besançon")
PL = LabelParcel("PL7", "WOSP000000000004POL", to="Lukasz Wojcik", to_local="Łukasz Wójcik",
                 recipient_city_local="Łódź", recipient_country_short="PL")
JP = LabelParcel("JP1", "WOSP000000000005JPN", to="Yamada Taro", to_local="山田 太郎",
                 recipient_address_local="東京都渋谷区神南1-2-3 やまだビル", recipient_country_short="JP")
KR = LabelParcel("KR1", "WOSP000000000006KOR", to="Kim Minjun", to_local="김민준",
                 recipient_address_local="서울특별시 강남구 테헤란로 123", recipient_country_short="KR")
GR = LabelParcel("GR1", "WOSP000000000007GRC", to="Georgios Papadopoulos", to_local="Γιώργος Παπαδόπουλος",
                 recipient_country_short="GR")
ALL = (DOC, RU, CN, FR, PL, JP, KR, GR)


def _read(pdf: bytes) -> PdfReader:
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    assert len(pdf) > 1024  # one client takes a body under 1000 bytes for "not a valid PDF"
    return PdfReader(io.BytesIO(pdf))


def _texts(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in _read(pdf).pages]


@pytest.mark.parametrize("fmt", sorted(FORMATS))
@pytest.mark.parametrize("local", [False, True])
def test_one_page_per_parcel_in_the_formats_page_size(fmt: str, local: bool) -> None:
    parcels = [DOC, RU, CN]
    reader = _read(render_labels(parcels, fmt, local))
    assert len(reader.pages) == len(parcels)
    want_w, want_h = PAGE_SIZES[fmt]
    for page, parcel in zip(reader.pages, parcels, strict=True):
        box = page.mediabox
        assert float(box.left) == 0 and float(box.bottom) == 0
        assert abs(float(box.width) - want_w) <= 1 and abs(float(box.height) - want_h) <= 1, (fmt, box)
        text = page.extract_text()
        assert parcel.tracking_number in text and parcel.wish_standard_tracking_id in text
        assert ("LCL" if local else "EN") in text  # the label says its language


def test_formats_and_printcodes() -> None:
    assert set(FORMATS) == set(PAGE_SIZES)
    for name, (w, h) in PAGE_SIZES.items():
        assert FORMATS[name] == pytest.approx((w, h), abs=0.01)
    assert dict(PRINTCODE_FORMATS) == {1: "A4", 2: "10", 3: "4x2"}
    assert format_key("a4") == "A4" and format_key(" 10 ") == "10" and format_key("4X2") == "4x2"


def test_english_label_shows_every_part() -> None:
    (text,) = _texts(render_labels([DOC], "10", False))
    for part in ("PP001764319BJ", "WOSP000000022891AUS", "Wishpost EPC", "36-1", "ZENG WEI",
                 "756 ROOM 2 DANYUAN MEILONGYUAN LONGHUA", "SHENZHEN", "18620352867", "Kali West",
                 "20/37 Gerrale Street", "Cronulla", "New South Wales 2230", "Australia", "AU", "LED light",
                 "3", "0.150 kg", "11.45 USD", "asgfdgs", "2014-02-07"):
        assert part in text, part


@pytest.mark.parametrize("parcel", [RU, CN, FR, PL, JP, KR, GR], ids=lambda p: p.recipient_country_short)
def test_local_label_shows_the_local_recipient(parcel: LabelParcel) -> None:
    """Cyrillic, Latin with accents and Greek come from the embedded TTF, Chinese/Japanese/Korean from the CJK CID
    fonts; the text reads back exactly. The English label shows the English recipient instead."""
    (local,) = _texts(render_labels([parcel], "10", True))
    (english,) = _texts(render_labels([parcel], "10", False))
    assert parcel.to_local in local and parcel.to not in local
    assert parcel.to in english and parcel.to_local not in english
    for field in (parcel.recipient_address_local, parcel.recipient_city_local, parcel.recipient_country_local):
        assert field in local
    assert parcel.tracking_number in local and parcel.tracking_number in english


def test_local_label_in_the_small_formats_too() -> None:
    for fmt in ("15", "4x2", "A4"):
        texts = _texts(render_labels([RU, CN, FR], fmt, True))
        assert "Иван Петров" in texts[0] and "张伟" in texts[1] and "François Lefèvre-Dœuf" in texts[2]


def test_empty_local_fields_fall_back_to_english() -> None:
    (text,) = _texts(render_labels([DOC], "10", True))
    assert "Kali West" in text and "20/37 Gerrale Street" in text and "Australia" in text


def test_scripts_without_a_font_degrade_without_raising() -> None:
    """Arabic (no font, and no right-to-left layout): the local label shows the English field. An English field
    in such a script is transliterated by decomposition, '?' where there is no Latin base letter."""
    arabic = LabelParcel("SA1", "WOSP000000000008SAU", to="Ahmed Ali", to_local="أحمد علي",
                         recipient_address="King Fahd Road", recipient_address_local="طريق الملك فهد",
                         recipient_country_short="SA")
    (text,) = _texts(render_labels([arabic], "10", True))
    assert "Ahmed Ali" in text and "King Fahd Road" in text and "أحمد" not in text
    odd = LabelParcel("TH1", "WOSP000000000009THA", to="ﬁne ③ สมชาย", content="toy \U0001F600")
    (text,) = _texts(render_labels([odd], "10", False))
    assert "fine 3 ?????" in text and "toy ?" in text


def test_long_fields_are_wrapped_or_cut_not_dropped() -> None:
    long = LabelParcel("LONG1", "WOSP000000000010USA", to="A" * 200, recipient_address="Street " * 60,
                       content="word " * 80, to_local="张" * 120)
    for fmt in FORMATS:
        for local in (False, True):
            (text,) = _texts(render_labels([long], fmt, local))
            assert "LONG1" in text and "WOSP000000000010USA" in text
            assert ("张张张" if local else "AAAA") in text and "\u2026" in text


def test_barcode_bars_decode_to_the_tracking_number() -> None:
    parcels = [DOC, CN, LabelParcel("LP00123456789012345", "WOSP000000000011USA"),
               LabelParcel("WOSP000000000012USA", "WOSP000000000012USA")]
    for fmt in FORMATS:
        reader = _read(render_labels(parcels, fmt, False))
        for page, parcel in zip(reader.pages, parcels, strict=True):
            assert _decode_code128(page) == parcel.tracking_number


def test_bag_labels() -> None:
    bags = [BagLabel("WI2019110400000123BAG", "华东2仓", 12, 3.5, "shop_a", "2019-06-24 17:37:33"),
            BagLabel("WI2019110400000124BAG", "EPC WISE Shanghai Warehouse", 3, 0.75, "shop_a", "2019-06-24")]
    pdf = render_bag_labels(bags)
    reader = _read(pdf)
    assert len(reader.pages) == 2
    assert float(reader.pages[0].mediabox.width) == pytest.approx(PAGE_SIZES["10"][0], abs=1)
    texts = [page.extract_text() for page in reader.pages]
    assert "WI2019110400000123BAG" in texts[0] and "华东2仓" in texts[0] and "12" in texts[0]
    assert "WI2019110400000124BAG" in texts[1] and "EPC WISE Shanghai Warehouse" in texts[1]
    assert [_decode_code128(page) for page in reader.pages] == [b.bag_number for b in bags]
    for fmt in FORMATS:
        page = _read(render_bag_labels(bags[:1], fmt)).pages[0]
        assert abs(float(page.mediabox.height) - PAGE_SIZES[fmt][1]) <= 1
        assert "WI2019110400000123BAG" in page.extract_text()


def test_bad_arguments_raise_value_error() -> None:
    with pytest.raises(ValueError, match="format"):
        render_labels([DOC], "11", False)
    with pytest.raises(ValueError, match="format"):
        render_labels([DOC], "", True)
    with pytest.raises(ValueError, match="parcels"):
        render_labels([], "10", False)
    with pytest.raises(ValueError):
        render_bag_labels([], "10")
    with pytest.raises(ValueError):
        render_bag_labels([BagLabel("B1")], "A5")


def test_label_filename() -> None:
    assert label_filename("username", datetime(2019, 6, 26, 14, 10, 55)) == "username_Label_20190626141055.pdf"
    assert label_filename("shop_a", datetime(2024, 1, 2, 3, 4, 5)) == "shop_a_Label_20240102030405.pdf"


def test_output_is_deterministic_and_a_pdf_per_call() -> None:
    first = render_labels(ALL, "10", True)
    assert render_labels(ALL, "10", True) == first
    assert len(_read(first).pages) == len(ALL)
    assert render_labels(ALL, "10", False) != first


def test_parcel_needs_only_the_two_ids() -> None:
    (text,) = _texts(render_labels([LabelParcel("", "WOSP000000000013USA")], "15", True))
    assert "WOSP000000000013USA" in text  # no barcode yet: the WOSP id stands in


def test_missing_values_draw_as_empty() -> None:
    """A caller that passes None for a text field (an absent XML element, say) gets a label, not a crash."""
    blank = LabelParcel("NONE1", "WOSP000000000014USA", **{name: None for name in (  # type: ignore[arg-type]
        "channel_name", "otype", "sender_name", "sender_phone", "to", "to_local", "recipient_phone", "content",
        "recipient_country_short", "user_desc", "created")})
    for local in (False, True):
        (text,) = _texts(render_labels([blank], "10", local))
        assert "NONE1" in text and "None" not in text
    (text,) = _texts(render_bag_labels([BagLabel("BAG1", None, user_name=None)]))  # type: ignore[arg-type]
    assert "BAG1" in text and "None" not in text


def test_importing_the_module_does_not_import_reportlab() -> None:
    code = "import sys, mockwish.wishpost.labels; assert 'reportlab' not in sys.modules, 'reportlab imported'"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


# --- a Code 128 reader for the bars on a page ---------------------------------------------------------------------

def _patterns() -> dict[str, int]:
    """Module widths (bar, space, bar, ...) -> symbol value. The standard table, spot-checked below."""
    from reportlab.graphics.barcode.code128 import _patterns as rl  # letters: A-D bars, a-d spaces, 1-4 modules

    table = {"".join(str(ord(c.lower()) - ord("a") + 1) for c in pattern): value for value, pattern in rl.items()}
    # from the specification (ISO/IEC 15417 table 1): 0 " ", 16 "0", 33 "A", 104 Start B, 105 Start C, 106 Stop
    for widths, value in (("212222", 0), ("123122", 16), ("111323", 33), ("211214", 104), ("211232", 105),
                          ("2331112", 106)):
        assert table[widths] == value
    return table


def _decode_code128(page: object) -> str:
    """The value of the one Code 128 symbol drawn on `page` as filled rectangles (bars)."""
    ops = page.get_contents().operations  # type: ignore[attr-defined]
    bars = []
    for i, (operands, op) in enumerate(ops):
        if op == b"re" and i + 1 < len(ops) and ops[i + 1][1] in (b"f", b"f*"):
            x, _, w, h = (float(v) for v in operands)
            bars.append((x, w, h))
    assert bars, "no bars"
    bars.sort()
    assert len({round(h, 3) for _, _, h in bars}) == 1  # one symbol: every bar the same height
    module = min(w for _, w, _ in bars)
    widths: list[int] = []
    for (x, w, _), nxt in zip(bars, [*bars[1:], None], strict=True):
        widths.append(round(w / module))
        if nxt is not None:
            widths.append(round((nxt[0] - x - w) / module))
    assert all(1 <= n <= 4 for n in widths), widths
    table = _patterns()
    symbols = [table["".join(map(str, widths[i:i + 6]))] for i in range(0, len(widths) - 7, 6)]
    assert table["".join(map(str, widths[-7:]))] == 106  # stop
    start, *data, check = symbols
    assert (start + sum(i * v for i, v in enumerate(data, 1))) % 103 == check, "checksum"
    code = {103: "A", 104: "B", 105: "C"}[start]
    switches = {"A": {99: "C", 100: "B"}, "B": {99: "C", 101: "A"}, "C": {100: "B", 101: "A"}}
    out = []
    for v in data:
        if code == "C" and v < 100:
            out.append(f"{v:02d}")
        elif code != "C" and v < 96:
            out.append(chr(v + 32) if code == "B" or v < 64 else chr(v - 64))
        elif v in switches[code]:
            code = switches[code][v]
        else:
            raise AssertionError(f"unexpected symbol {v} in code set {code}")
    return "".join(out)
