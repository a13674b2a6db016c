"""Tracking numbers by carrier: which numbers each accepted carrier issues (a pattern), and numbers that fit
them for generated orders.

Neither the v2 docs nor the supplement say what a carrier's numbers look like or that Wish checks them: the
docs' own fulfil example ships USPS with "12345679", and the supplement (2.5) only asks for letters and digits
without spaces. The patterns below are the carriers' public formats, kept loose (lengths and prefixes; the only
check digit tested is the UPU S10 one, which every international postal item carries) so that a real number is
never refused; they are read by generated orders always, and by fulfil-one and modify-tracking only when
`order_tracking_number_check` is on (off by default, as the real API records no such rule). Numbers are
compared in upper case: "1z..." is UPS's "1Z...".

A carrier listed in ANY_NUMBER accepts any number (see the list for why); every accepted carrier is either
there or in PATTERNS (tests/test_tracking_numbers.py holds the two to the carrier table)."""

from __future__ import annotations

import random
import re
from functools import cache

from mockwish.errors import WishError, merchant_error, register

NOT_OF_CARRIER = "tracking_number_not_of_carrier"  # the check (MOCKWISH_ORDER_TRACKING_NUMBER_CHECK) refuses it

register(
    merchant_error(NOT_OF_CARRIER, 1000, 400, "invalid_param",
                   "{number} is not a tracking number of {provider}", "{number} 不是 {provider} 的运单号",
                   "{number} n'est pas un numéro de suivi de {provider}",
                   "{number} ist keine Sendungsnummer von {provider}"),
)

S10 = r"[A-Z]{2}\d{9}[A-Z]{2}"  # UPU S10: service letters, 8 digits and a check digit, the issuing post's country
_S10 = re.compile(r"[A-Z]{2}(\d{8})(\d)[A-Z]{2}", re.ASCII)
S10_WEIGHTS = (8, 6, 4, 2, 3, 5, 9, 7)  # UPU S10, annex: the serial's digits weighted, modulo 11

# carrier (canonical spelling) -> the numbers it issues, as a regex matched in full against the upper-cased number
PATTERNS: dict[str, str] = {
    # IMpb 20-22 digits (9400..., 9205..., 9361...; Certified Mail 20 digits), the same after a 420+ZIP routing
    # prefix (what a scanner reads off the label), and international items in S10 with US
    "USPS": r"\d{20,22}|420\d{5}(?:\d{4})?\d{20,22}|[A-Z]{2}\d{9}US",
    # 1Z + shipper (6) + service (2) + package (8); UPS Freight / InfoNotice numbers: a letter and 10 digits
    "UPS": r"1Z[0-9A-Z]{16}|[KT]\d{10}",
    # Express 12 digits, Ground 15, Ground 96-prefixed barcodes 20
    "FedEx": r"\d{12}|\d{15}|\d{20}",
    # Express waybill 10 digits; piece ids JJD + 18-20 digits; Global Forwarding JVGL...; eCommerce GM + 16-22 digits
    "DHL": r"\d{10}|JJD\d{16,20}|JVGL\d{6,12}|GM\d{16,22}",
    "DHLGlobalMail": r"GM\d{16,22}|" + S10,
    # China Post's ePacket: S10 with an L service letter and CN
    "EPacket": r"L[A-Z]\d{9}CN",
    # China Post air mail: registered (R.), parcels (C.), unregistered small packets (U.), all S10 with CN
    "ChinaAirPost": r"[A-Z]{2}\d{9}CN",
    # EMS items are S10 with an E service letter; China's domestic EMS numbers are 13 digits
    "EMS (China)": r"E[A-Z]\d{9}CN|\d{13}",
    "EMS": r"E[A-Z]\d{9}[A-Z]{2}",
    # their own numbers, or the S10 number of the post that carries the last mile
    "4PX": r"4PX\d{10,13}CN|" + S10,
    "YunExpress": r"YT\d{16}|" + S10,
    # SF + 13 digits, or the 12-digit domestic waybill
    "SFExpress": r"SF\d{13}|\d{12}",
    # consignment numbers 9 digits; international express in S10 (GE...WW)
    "TNT": r"\d{9}|" + S10,
}

# carriers whose numbers the mock does not know, so any letters-and-digits number is theirs:
# - WishPost: a parcel carries the number of whichever channel carries it (S10, a national carrier's own, the
#   WishPost barcode); the WishPost surface makes those numbers and fulfils its orders with them;
# - national posts: domestic numbers in formats of their own besides the UPU S10 of international items, and no
#   single public source of them;
# - couriers, freight carriers (PRO numbers), marketplaces' and resellers' services: numbers of their own, or
#   of the carrier they hand the parcel to, none documented where the mock can cite it;
# - the docs' test carriers (Test_...) and default-provider: no format at all.
ANY_NUMBER: tuple[str, ...] = (
    "ABF", "ADSOne", "APCPostalLogistics", "AirpakExpress", "AlliedExpress", "AmazonMCF", "AmazonMCFUK",
    "AmazonMCFUS", "AnPost", "AnjunExpress", "Aramex", "AsendiaGermany", "AsendiaHK", "AsendiaUK", "AsendiaUSA",
    "AuPostChina", "AustraliaPost", "AustrianPost", "AustrianPostRegistered", "B2CEurope", "BPost",
    "BPostInternational", "BRTBartolini", "Belpost", "BlueCareExpress", "BrazilCorreios", "CJGLS", "CNEExpress",
    "Cacesa", "CanadaPost", "CanparCourier", "Caribou", "Celeritas", "CeskaPosta", "Ceva", "ChoirExpress",
    "ChronopostFrance", "ColisPrive", "Colissimo", "CorreosChile", "CorreosCostaRica", "CorreosDeEspana",
    "CorreosDeMexico", "CorreosExpress", "CouriersPlease", "CroatianPost", "Cubyn", "CyprusPost",
    "DBSchenkerSweden", "DHL2MannHandling", "DHLBenelux", "DHLFreightSweden", "DHLGermany", "DHLGlobalMailAsia",
    "DHLLTL", "DHLNetherlands", "DHLParcelNL", "DHLParcelUK", "DHLPoland", "DHLSpainDomestic", "DHLeCommerce",
    "DPD", "DPD Romania", "DPDFrance", "DPDGermany", "DPDIreland", "DPDPoland", "DPDUK", "DPEXChina",
    "DXDelivery", "DXFreight", "DanmarkPost", "DeutschePost", "Dicom", "Direct Freight Express", "DirectLink",
    "ECFirstClass", "ECMS", "EFS", "ELTAHellenicPost", "EMPSExpress", "EPostG", "ETOMARS", "Envialia", "Estafeta",
    "Estes", "Evri", "FMX", "Fastbox", "FastwayAustralia", "FastwayIreland", "FedExApex", "FedExCrossBorder",
    "FedExPolandDomestic", "FedExUK", "Freipost", "FreteRapido", "GLS", "GLSCzech", "GLSItaly", "GLSNetherlands",
    "GLSSpain", "GlobegisticsInc", "Hermes", "HermesGermany", "HongKongPost", "HunterExpress", "IML", "InPost",
    "IndiaPost", "IndiaPostInternational", "IndonesiaPost", "Intelcom", "Intelipost", "IsraelPost", "ItalySDA",
    "JanioAsia", "JapanPost", "KoreaPost", "KoreaPostDomestic", "LaPosteColissimo", "LandmarkGlobal", "LaoPost",
    "LaserShip", "LatviaPost", "LegionExpress", "LithuaniaPost", "LoneStarOvernight", "Lotte Global Logistics",
    "MRW", "MagyarPosta", "MailAmericas", "MalaysiaPost", "MalaysiaPostPosDaftar", "MexicoRedpack",
    "MexicoSendaExpress", "NewZealandPost", "Newgistics", "Nexive", "NorskGlobal", "Olistpax", "OmniParcel",
    "Omniva", "OnTrac", "OneWorldExpress", "PFLogistics", "PTSWorldwideExpress", "PTTPosta", "Packeta",
    "Palletways", "Panther Reference", "PaquetExpress", "Parcel.One", "ParcelForce", "Pilot", "PitneyBowes",
    "PocztaPolska", "PortugalCTT", "Post11", "PostNL", "PostNLInternational", "PostNLInternational3S", "PostNord",
    "PostSerbia", "PosteItaliane", "PostenNorge/Bring", "ProCarrier", "Purolator", "Qxpress", "RLCarriers",
    "Rincos", "RoyalMail", "RussianPost", "SG Link Vietnam", "Sagawa", "Saia", "Samyoung&CelloSquare",
    "SekoLogistics", "SekoLogistics US", "Sending", "Sendle", "SequoiaLog", "ShipGate", "Shipter", "SimplyPost",
    "SingaporePost", "SingaporeSpeedpost", "Slovenska Posta", "SoutheasternFreightLines", "Spring", "SprintPack",
    "StarlinksGlobal", "SwedenPosten", "SwissPost", "TNTAustralia", "TNTClickItaly", "TNTFrance", "TNTItaly",
    "TNTPostItaly", "TNTUK", "TaiwanPost", "Test_Delhivery", "Test_WishPostDHL", "Test_WishPostFedEx",
    "Test_WishPostTNT", "Test_WishPostUPS", "ThailandThaiPost", "Tipsa", "TollIPEC", "TollPriority",
    "Total Express", "TrakPak", "TransMission", "TuffnellsParcelsExpress", "TurkishPost", "UBISmartParcel", "UDS",
    "UPSFreight", "UPSMailInnovations", "UPSSurePost", "UkrPoshta", "VietnamPostEMS", "We World Express",
    "WeDoLogisitics", "WishPost", "XDP", "XPO", "XpertDelivery", "YODEL", "YRC", "Yamato", "YodelInternational",
    "Zeleris", "Zinc", "default-provider", "ePostGlobal", "wnDirect",
)

# what generated orders get ('#' a digit, '?' a capital letter, anything else as it is): one template per carrier,
# fitting its pattern; a carrier without one gets an S10 number with CN (the country the sandbox ships from)
TEMPLATES: dict[str, str] = {
    "USPS": "940###################", "UPS": "1Z??????##########", "FedEx": "############", "DHL": "##########",
    "DHLGlobalMail": "GM################", "EPacket": "LX#########CN", "ChinaAirPost": "RB#########CN",
    "EMS (China)": "EA#########CN", "EMS": "E?#########CN", "4PX": "4PX##########CN",
    "YunExpress": "YT################", "SFExpress": "SF#############", "TNT": "#########",
    "WishPost": "WI###############CN",  # the WishPost surface's own parcels have numbers of their own
}
DEFAULT_TEMPLATE = "??#########CN"


@cache
def _compiled(provider: str) -> re.Pattern[str] | None:
    regex = PATTERNS.get(provider)
    return None if regex is None else re.compile(regex, re.ASCII)


def s10_check_digit(serial: str) -> int:
    """The check digit of an S10 item's 8-digit serial number."""
    rest = 11 - sum(int(d) * w for d, w in zip(serial, S10_WEIGHTS, strict=True)) % 11
    return 0 if rest == 10 else 5 if rest == 11 else rest


def fits(provider: str, number: str) -> bool:
    """Whether a carrier (canonical spelling) could have issued this number; True for a carrier whose format the
    mock does not know. An S10-shaped number must carry its check digit."""
    compiled = _compiled(provider)
    if compiled is None:
        return True
    number = number.strip().upper()
    if compiled.fullmatch(number) is None:
        return False
    s10 = _S10.fullmatch(number)
    return s10 is None or s10_check_digit(s10.group(1)) == int(s10.group(2))


def check(provider: str, number: str) -> None:
    """Refuse (1000) a number the carrier cannot have issued."""
    if not fits(provider, number):
        raise WishError(NOT_OF_CARRIER, number=number, provider=provider)


def generate(rng: random.Random, provider: str) -> str:
    """A number of the carrier's for a generated order (deterministic for the rng's state)."""
    template = TEMPLATES.get(provider, DEFAULT_TEMPLATE)
    number = "".join(str(rng.randrange(10)) if ch == "#" else chr(65 + rng.randrange(26)) if ch == "?" else ch
                     for ch in template)
    s10 = _S10.fullmatch(number)
    if s10 is not None:  # the drawn last digit becomes the check digit (the same draws as before)
        number = number[:10] + str(s10_check_digit(s10.group(1))) + number[11:]
    return number
