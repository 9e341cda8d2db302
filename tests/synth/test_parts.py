"""The parts of the synthetic manifests: ids, spellings, disguises, vocabularies."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pypinyin.style.wadegiles import to_wade_glides

from chainbreaker.chem.cas import is_valid_cas
from chainbreaker.chem.scan import default_scanner
from chainbreaker.errors import DataError
from chainbreaker.parties.loaders import load_list
from chainbreaker.synth.indicators import Indicator, written
from chainbreaker.synth.parties import PartyMaker, fill
from chainbreaker.synth.plants import obfuscate
from chainbreaker.synth.profiles import s10_check_digit
from chainbreaker.synth.vocab import DATA_DIR, load_vocab, read_vocab
from chainbreaker.synth.watchlist import Variants, listed_entries, reserved_names, typo

REAL_SDN = (
    Path(__file__).resolve().parents[2].parent / "shared/screening/data/ofac_sdn_2024-05-03/sdn.csv"
)


def test_s10_check_digit() -> None:
    # UPU S10's own example AA473124829GB: 4*8+7*6+3*4+1*2+2*3+4*5+8*9+2*7 = 200,
    # 200 mod 11 = 2, 11 - 2 = 9
    assert s10_check_digit("47312482") == 9
    # 1*8+2*6+3*4+4*2+5*3+6*5+7*9+8*7 = 204, 204 mod 11 = 6, 11 - 6 = 5
    assert s10_check_digit("12345678") == 5
    # a sum of 0 gives 11 - 0 = 11, written 5
    assert s10_check_digit("00000000") == 5


def test_fill() -> None:
    rng = random.Random(1)
    phone = fill(rng, "+1 212 555-01##")
    assert re.fullmatch(r"\+1 212 555-01\d\d", phone)
    assert re.fullmatch(r"[A-Z]{3}\d{6}[0-9A-Z]{3}", fill(rng, "@@@######%%%"))
    assert fill(rng, "no placeholders") == "no placeholders"


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz ", min_size=1, max_size=30), st.integers())
def test_typo_is_one_edit(text: str, seed: int) -> None:
    out = typo(random.Random(seed), text)
    words, new = text.split(" "), out.split(" ")
    assert len(words) == len(new)
    changed = [(a, b) for a, b in zip(words, new, strict=True) if a != b]
    assert len(changed) <= 1
    for a, b in changed:
        assert abs(len(a) - len(b)) <= 1 and a[0] == b[0]


def test_wade_giles_table_agrees_with_pypinyin() -> None:
    # pypinyin's table gives 'hei' for pinyin 'hai'; Wade-Giles writes 'hai' (as in Shanghai,
    # the same in both systems), so that one syllable is not compared.
    cn = load_vocab().parties["cultures"]["cn"]
    for table in (cn["surnames"], cn["syllables"]):
        for pinyin, wade in table.items():
            if pinyin == "hai":
                continue
            assert to_wade_glides(pinyin.lower()).replace("v", "ü") == wade.lower(), pinyin


def test_listed_variants_by_hand() -> None:
    vocab = load_vocab()
    entries = {e.id: e for e in listed_entries(vocab)}
    variants = Variants(vocab)
    zhou = entries["90111"]
    # Zhou -> Chou, jian -> chien, guo -> kuo
    forms = {variants.wade_giles(random.Random(s), zhou) for s in range(40)}
    assert forms == {"Chou Chien-kuo", "Chien-kuo Chou"}
    xu = entries["90112"]  # Xu -> Hsü, qiang -> ch'iang; apostrophe and umlaut often dropped
    forms = {variants.wade_giles(random.Random(s), xu) for s in range(200)}
    assert forms == {
        f"{a} {b}" if first else f"{b} {a}"
        for a in ("Hsü", "Hsu")
        for b in ("Chih-ch'iang", "Chih-chiang")
        for first in (True, False)
    }
    montiel = entries["90121"]
    seen = {variants.written(random.Random(s), montiel) for s in range(60)}
    assert ("Efrain Montiel", "one_surname") in seen
    assert ("Efrain Montiel Arreola", "word_order") in seen
    wuhan = entries["90101"]
    seen = {variants.written(random.Random(s), wuhan) for s in range(80)}
    assert ("Yuanheng Biotechnology (Wuhan) Co., Ltd.", "place_moved") in seen
    assert ("Wuhan Yuanheng Biotechnology Company Limited", "legal_form") in seen
    assert ("Yuanheng Biotech", "aka") in seen


def test_clean_names_avoid_listed_names() -> None:
    vocab = load_vocab()
    reserved = reserved_names(listed_entries(vocab))
    assert ("zhou", "jianguo") in reserved and ("montiel", "efrain") in reserved
    maker = PartyMaker(vocab, reserved | {(s.lower(), "") for s in ()})
    rng = random.Random(3)
    names = {maker.person_name(rng, "cn").lower() for _ in range(20_000)}
    for surname, given_name in reserved:
        assert f"{given_name} {surname}" not in names and f"{surname} {given_name}" not in names


def test_indicator_forms_are_equivalent() -> None:
    phone = Indicator("phone", "+86 138 0713 4452", "CN", "", "s", "n")
    forms = {written(random.Random(s), phone) for s in range(60)}
    assert forms == {
        ("+86 138 0713 4452", "exact"),
        ("+8613807134452", "without spaces"),
        ("008613807134452", "international prefix written 00"),
        ("13807134452", "without the country code"),
    }
    rfc = Indicator("company_number", "IQN1707146B3", "MX", "", "s", "n")
    forms = {written(random.Random(s), rfc) for s in range(30)}
    assert forms == {("IQN1707146B3", "exact"), ("IQN-170714-6B3", "with separators")}


def test_obfuscations_are_still_found_by_the_chem_scan() -> None:
    scanner = default_scanner()
    names = ["1-boc-4-piperidone", "N-phenethyl-4-piperidone", "4-anilinopiperidine"]
    found = 0
    total = 0
    for name in names:
        for seed in range(10):
            text = obfuscate(random.Random(seed), name)
            assert text != name
            total += 1
            found += bool(scanner.scan_lines([text])[0])
    # the scanner knows digits for letters, dropped hyphens and spaced letters (docs/chem.md)
    assert found >= 0.8 * total


def test_vocab_cas_numbers_valid_and_refused_when_wrong(tmp_path: Path) -> None:
    vocab = load_vocab()
    assert vocab.chemicals and all(is_valid_cas(c.cas) for c in vocab.chemicals)
    for name in ("goods", "parties", "watchlist", "indicators", "plants"):
        (tmp_path / f"{name}.yaml").write_bytes((DATA_DIR / f"{name}.yaml").read_bytes())
    (tmp_path / "lab_chemicals.yaml").write_text(
        "chemicals:\n  - {name: Salt, cas: '7647-14-4', unit: g, packs: [500], price: [1, 2]}\n"
    )
    with pytest.raises(DataError, match="7647-14-4"):
        read_vocab(tmp_path)


def test_invented_parties_are_not_on_the_real_sdn_list(tmp_path: Path) -> None:
    if not REAL_SDN.is_file():
        pytest.skip("the shared copy of the real SDN list is absent")
    real = load_list(REAL_SDN, "ofac-csv")
    real_names = {" ".join(n.full.upper().split()) for e in real.entities for n in e.names}
    for entry in listed_entries(load_vocab()):
        assert " ".join(entry.name.upper().split()) not in real_names, entry.name
