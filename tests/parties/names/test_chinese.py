"""Han characters read in pinyin: persons (surname first, given name joined) and companies."""

from __future__ import annotations

import pytest

from chainbreaker.parties.names.chinese import (
    han_company_readings,
    han_given_readings,
    han_person_readings,
)


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("张建", ("zhang", "jian")),
        ("張建", ("zhang", "jian")),  # traditional
        ("王国英", ("wang", "guoying")),
        ("王國英", ("wang", "guoying")),
        ("郑 广华", ("zheng", "guanghua")),  # a written space ends the surname
        ("鄭广華", ("zheng", "guanghua")),  # traditional and simplified mixed
        ("胡永安", ("hu", "yongan")),
        ("欧阳明华", ("ouyang", "minghua")),  # two-character surname
        ("歐陽明華", ("ouyang", "minghua")),
        ("曾伟", ("zeng", "wei")),  # surname reading, not the everyday "ceng"
        ("单建", ("shan", "jian")),
        ("吕伟", ("lu", "wei")),  # ü typed as u
        ("李", ("li",)),
    ],
)
def test_person_reading(text: str, first: tuple[str, ...]) -> None:
    assert han_person_readings(text)[0] == first


def test_other_readings_follow_the_usual_one() -> None:
    readings = han_person_readings("单建")
    assert readings[0] == ("shan", "jian")
    assert ("dan", "jian") in readings
    assert ("lyu", "wei") in han_person_readings("吕伟")
    assert han_given_readings("长青")[:2] == ("changqing", "zhangqing")


def test_company_reading() -> None:
    assert han_company_readings("河北奥诺机械设备") == (
        ("hebei", "aonuo", "jixie", "shebei"),
        ("hebei", "aonuo", "machinery", "equipment"),
    )
    assert han_company_readings("大连瑞亿进出口贸易")[1] == (
        "dalian",
        "ruiyi",
        "import",
        "export",
        "trading",
    )
    # nothing known: the whole name is one trade name
    assert han_company_readings("奥诺") == (("aonuo",),)


def test_characters_pypinyin_does_not_know_give_no_empty_token() -> None:
    for readings in (han_person_readings("𧼡"), han_person_readings("王𧼡")):
        assert all(all(part for part in reading) for reading in readings)
