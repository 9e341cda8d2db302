"""normalise_name on the forms of the eval README, worked out by hand, and its invariants."""

from __future__ import annotations

import re
import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chainbreaker.parties.names import NormalName, normalise_name
from tests.parties.names import dev_set

Case = tuple[str, str | None, tuple[str, ...], tuple[str, ...]]

# (text, schema, tokens, legal forms)
CASES: list[Case] = [
    # titles
    (
        "Lic. BRAYAN MOISES LUQUIN RODRIGUEZ",
        "Person",
        ("brayan", "moises", "luquin", "rodriguez"),
        (),
    ),
    ("Mr Ping Yun Chang", "Person", ("ping", "yun", "chang"), ()),
    ("Sra. Ana Paulina Barajas Sahd", "Person", ("ana", "paulina", "barajas", "sahd"), ()),
    (
        "Ing. HAROLDO GEREMIAS LORENZANA CORDON",
        None,
        ("haroldo", "geremias", "lorenzana", "cordon"),
        (),
    ),
    ("Don Noemi Gonzalez Valencia", "Person", ("noemi", "gonzalez", "valencia"), ()),
    ("DON PILO", None, ("don", "pilo"), ()),  # "Don" is also a name: kept before one token
    ("Sr. Juan Perez", "Person", ("juan", "perez"), ()),  # written with a dot: a title
    ("Juan Perez Jr.", "Person", ("juan", "perez"), ()),
    # Chinese romanisations: punctuation, hyphens, apostrophes, tone marks
    ("Hsia Feng-ping", "Person", ("hsia", "feng", "ping"), ()),
    ("Hsia Feng-p'ing", "Person", ("hsia", "feng", "ping"), ()),
    ("XIA, Fengbing", "Person", ("xia", "fengbing"), ()),
    ("KUO YUN NIEN", "Person", ("kuo", "yun", "nien"), ()),
    ("Tien-min Wang", "Person", ("tien", "min", "wang"), ()),
    ("Ji Song-yan", "Person", ("ji", "song", "yan"), ()),
    ("GUOYUNNIAN", "Person", ("guoyunnian",), ()),
    ("Wáng Guóyīng", "Person", ("wang", "guoying"), ()),
    ("Yǒngān Hú", None, ("yongan", "hu"), ()),
    # Spanish names
    ("Jesús Joaquín Olivas Ojeda", "Person", ("jesus", "joaquin", "olivas", "ojeda"), ()),
    ("WALDEMAR LORENZANA-LIMA", "Person", ("waldemar", "lorenzana", "lima"), ()),
    ("Ismael Reyna y Felix", "Person", ("ismael", "reyna", "y", "felix"), ()),
    ("Samark J. Lopez Bello", "Person", ("samark", "j", "lopez", "bello"), ()),
    ("Ma. Teresa Quintana", "Person", ("ma", "teresa", "quintana"), ()),
    # companies: legal forms
    (
        "ALLYRISE TECHNOLOGY GROUP CO LIMITED/ATTN SALES",
        "Company",
        ("allyrise", "technology", "group"),
        ("co ltd",),
    ),
    (
        "Allyrise Technology Group Co., Limited",
        "Company",
        ("allyrise", "technology", "group"),
        ("co ltd",),
    ),
    (
        "ALLYRISE TECHNOLOGY GROUP Company Limited",
        None,
        ("allyrise", "technology", "group"),
        ("co ltd",),
    ),
    ("COPY RED S A DE C V C/O FREIGHT AGENT", None, ("copy", "red"), ("sa de cv",)),
    ("COPY RED, S.A. DE C.V.", "Company", ("copy", "red"), ("sa de cv",)),
    ("Atun Trading (Hebei) Co., Ltd.", "Company", ("atun", "trading", "hebei"), ("co ltd",)),
    ("SMT TECNOLOGÍA, C.A.", "Company", ("smt", "tecnologia"), ("ca",)),
    (
        "AEROCOMERCIAL ALAS DE COLOMBIA Limitada",
        "Company",
        ("aerocomercial", "alas", "de", "colombia"),
        ("ltda",),
    ),
    (
        "AEROCOMERCIAL ALAS DE COLOMBIA LTDA.",
        "Company",
        ("aerocomercial", "alas", "de", "colombia"),
        ("ltda",),
    ),
    (
        "Inmobiliaria Tijuana Costa S. de R.L. de C.V.",
        "Company",
        ("inmobiliaria", "tijuana", "costa"),
        ("s de rl de cv",),
    ),
    ("SMILETECHNOLOGIES S.A. LLC", "Company", ("smiletechnologies",), ("sa", "llc")),
    (
        "YASON GENERAL MACHINERY CO., LTD. NANCHANG BRANCH",
        None,
        ("yason", "general", "machinery", "nanchang", "branch"),
        ("co ltd",),
    ),
    ("Tet Kham (s) Pte., LTD", "Company", ("tet", "kham", "s"), ("pte ltd",)),
    (
        "SOCIALIKA RENTAS Y CATERING S A DE C V, MEXICO",
        "Company",
        ("socialika", "rentas", "y", "catering"),
        ("sa de cv",),
    ),
    (
        "ALLYRISE TECHNOLOGY GROUP CO LIMITE",
        "Company",
        ("allyrise", "technology", "group"),
        ("co ltd",),
    ),  # 35 chars
    ("V P PROPERTIES INC C/O FREIGHT AGENT", "Company", ("vp", "properties"), ("inc",)),
    ("AG & CARLON, S.A. DE C.V.", "Company", ("ag", "and", "carlon"), ("sa de cv",)),
    ("ASES DE COMPETENCIA & CIA. S.A.", "Company", ("ases", "de", "competencia"), ("cia", "sa")),
    ("Global Chemical Co.", "Company", ("global", "chemical"), ("co",)),
    ("Global Chemical Co.", None, ("global", "chemical", "co"), ()),  # "co" alone is ambiguous
    ("CEC LIMITED", "Company", ("cec",), ("limited",)),
    ("LIMITED", "Company", ("limited",), ()),  # never the whole name
    ("OOO Romashka", "Company", ("romashka",), ("ooo",)),
    # legal forms are never taken from a person
    ("Maria Sa", "Person", ("maria", "sa"), ()),
    ("Dr. Reddy's Laboratories Ltd.", "Company", ("dr", "reddys", "laboratories"), ("limited",)),
    # Han characters
    ("张建", "Person", ("zhang", "jian"), ()),
    ("張建", "Person", ("zhang", "jian"), ()),
    ("张 建", None, ("zhang", "jian"), ()),
    ("王国英", "Person", ("wang", "guoying"), ()),
    ("王國英", None, ("wang", "guoying"), ()),
    ("郑 广华", "Person", ("zheng", "guanghua"), ()),
    ("鄭广華", "Person", ("zheng", "guanghua"), ()),
    ("Zhang 建", "Person", ("zhang", "jian"), ()),
    ("Zheng 广华", "Person", ("zheng", "guanghua"), ()),
    ("HU YONGAN 胡永安", "Person", ("hu", "yongan"), ()),
    ("欧阳明华", "Person", ("ouyang", "minghua"), ()),  # two-character surname
    ("河北奥诺机械设备有限公司", "Company", ("hebei", "aonuo", "jixie", "shebei"), ("co ltd",)),
    # other scripts
    ("Иван Петров", "Person", ("ivan", "petrov"), ()),
    # nothing left
    ("", "Person", (), ()),
    ("  ,;  ", None, (), ()),
    ("/ATTN SALES", "Company", (), ()),
]


@pytest.mark.parametrize(("text", "schema", "tokens", "forms"), CASES)
def test_normalise_name(
    text: str, schema: str | None, tokens: tuple[str, ...], forms: tuple[str, ...]
) -> None:
    name = normalise_name(text, schema)
    assert name.original == text
    assert name.tokens == tokens
    assert name.legal_forms == forms


def test_dropped_says_what_and_why() -> None:
    assert normalise_name("Lic. BRAYAN LUQUIN", "Person").dropped == ("title 'Lic.'",)
    name = normalise_name("ALLYRISE TECHNOLOGY GROUP CO LIMITED/ATTN SALES", "Company")
    assert name.dropped == ("attention line '/ATTN SALES'", "legal form 'CO LIMITED'")
    name = normalise_name("COPY RED S A DE C V C/O FREIGHT AGENT", "Company")
    assert name.dropped == ("care of 'C/O FREIGHT AGENT'", "legal form 'S A DE C V'")
    name = normalise_name("SMT TECNOLOGÍA, C.A.", "Company")
    assert name.dropped == ("legal form 'C.A.'",)
    name = normalise_name("SOCIALIKA S A DE C V, MEXICO", "Company")
    assert "country 'MEXICO'" in name.dropped
    name = normalise_name("河北奥诺机械设备有限公司", "Company")
    assert name.dropped == ("legal form '有限公司'",)


def test_truncation_is_only_assumed_at_a_field_width() -> None:
    # 35 characters: "LIMITE" is "LIMITED" cut short; at another length it is a word
    cut = "ALLYRISE TECHNOLOGY GROUP CO LIMITE"
    assert len(cut) == 35
    assert normalise_name(cut, "Company").tokens == ("allyrise", "technology", "group")
    longer = "THE ALLYRISE TECHNOLOGY GROUP CO LIMITE"
    assert normalise_name(longer, "Company").tokens[-1] == "limite"


def test_country_after_a_person_name_needs_care() -> None:
    # a given name may be a country: "SMITH, Jordan" keeps it; ", CHINA" is always noise
    assert normalise_name("SMITH, Jordan", "Person").tokens == ("smith", "jordan")
    assert normalise_name("ZHANG, Wei, CHINA", "Person").tokens == ("zhang", "wei")
    assert normalise_name("ACME TRADING LTD, Jordan", "Company").tokens == ("acme", "trading")


def test_scripts() -> None:
    assert normalise_name("Zhang Jian").script == "latin"
    assert normalise_name("Wáng Guóyīng").script == "latin"
    assert normalise_name("张建").script == "han"
    assert normalise_name("Zhang 建").script == "mixed"
    assert normalise_name("HU YONGAN 胡永安").script == "mixed"
    assert normalise_name("Иван Петров").script == "cyrillic"
    assert normalise_name("محمد علي").script == "arabic"
    assert normalise_name("김정은").script == "other"


def test_alternatives() -> None:
    # one reading: none
    assert normalise_name("王国英", "Person").alternatives == ()
    assert normalise_name("HU YONGAN 胡永安", "Person").alternatives == ()
    # the Latin part written differently from the Han reading: both kept
    assert normalise_name("HU YONG AN 胡永安", "Person").alternatives == (("hu", "yongan"),)
    # a surname with a surname reading: that first, the everyday reading after
    name = normalise_name("单建", "Person")
    assert name.tokens == ("shan", "jian")
    assert ("dan", "jian") in name.alternatives
    # a company in Han characters: business words also in English
    name = normalise_name("河北奥诺机械设备有限公司", "Company")
    assert name.alternatives == (("hebei", "aonuo", "machinery", "equipment"),)
    # English and Chinese names of one company
    name = normalise_name("HEBEI AONUO MACHINERY CO LTD 河北奥诺机械有限公司", "Company")
    assert name.tokens == ("hebei", "aonuo", "machinery")
    assert ("hebei", "aonuo", "jixie") in name.alternatives
    assert name.legal_forms == ("co ltd",)


def test_schema_spellings() -> None:
    for schema in ("Company", "company", "Organization", "LegalEntity"):
        assert normalise_name("ACME CO LTD", schema).tokens == ("acme",)
    # a vessel's name is kept whole
    assert normalise_name("OCEAN STAR LTD", "Vessel").tokens == ("ocean", "star", "ltd")


def test_result_is_cached_and_immutable() -> None:
    a = normalise_name("GUZMAN LOERA, Joaquin", "Person")
    assert a is normalise_name("GUZMAN LOERA, Joaquin", "Person")
    assert isinstance(a, NormalName)
    with pytest.raises(AttributeError):
        a.tokens = ()  # type: ignore[misc]


# --- invariants ------------------------------------------------------------------------------

_TOKEN = re.compile(r"^[a-z0-9]+$")
_SCHEMAS = st.sampled_from(["Person", "Company", None, "Unknown", "Vessel"])


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=60), _SCHEMAS)
def test_never_raises_and_tokens_are_ascii_lower_alphanumerics(
    text: str, schema: str | None
) -> None:
    name = normalise_name(text, schema)
    for tokens in (name.tokens, *name.alternatives):
        assert all(_TOKEN.match(t) for t in tokens)
    assert name.script in {"latin", "han", "cyrillic", "arabic", "mixed", "other"}


_LATIN_WORDS = st.lists(
    st.text(alphabet=string.ascii_letters + "áéíóúñüÁÉÍÓÚÑ", min_size=1, max_size=10)
    | st.sampled_from(
        [
            "S.A.",
            "de",
            "C.V.",
            "Co.,",
            "Ltd.",
            "Lic.",
            "Mr",
            "Don",
            "y",
            "&",
            "/ATTN",
            "C/O",
            "SALES",
            "LIMITED",
            "Jr.",
            "(HK)",
            "-",
            "'",
            ",",
        ]
    ),
    min_size=1,
    max_size=8,
)


@settings(max_examples=400, deadline=None)
@given(_LATIN_WORDS, _SCHEMAS)
def test_idempotent_on_its_own_output(words: list[str], schema: str | None) -> None:
    first = normalise_name(" ".join(words), schema)
    again = normalise_name(" ".join(first.tokens), schema)
    assert again.tokens == first.tokens


@pytest.mark.skipif(not dev_set.PRESENT, reason="shared eval set not present")
def test_every_dev_query_keeps_a_name() -> None:
    """No dev query loses all its tokens, and Han queries read as pinyin."""
    for query, _ in dev_set.labelled_queries():
        name = normalise_name(query["name"], dev_set.schema(query))
        assert name.tokens, query["name"]


def test_arabic_script() -> None:
    # frequent name words from the table, with their vowels
    assert normalise_name("محمد علي", "Person").tokens == ("muhammad", "ali")
    assert normalise_name("مُحَمَّد", "Person").tokens == ("muhammad",)  # vowel signs ignored
    assert normalise_name("حسن نصر الله", "Person").tokens == ("hasan", "nasr", "allah")
    # other words letter by letter, the article as its own word
    assert normalise_name("أيمن الظواهري", "Person").tokens == ("ayman", "al", "zuahri")
    # a company: شركة before the name and ذ.م.م after it are legal forms
    name = normalise_name("شركة النور ذ.م.م", "Company")
    assert name.tokens == ("al", "nur")
    assert name.legal_forms == ("co", "llc")
    # the same name in two scripts: the Latin reading, the other as an alternative
    name = normalise_name("Muhammad Ali محمد علي", "Person")
    assert name.tokens == ("muhammad", "ali")
    assert name.script == "mixed"
    name = normalise_name("Mohammed Ali محمد علي", "Person")
    assert name.alternatives == (("muhammad", "ali"),)
