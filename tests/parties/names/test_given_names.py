"""Given-name forms and particles."""

from __future__ import annotations

from chainbreaker.parties.names import SPANISH_PARTICLES, given_name_forms, is_particle


def test_abbreviations() -> None:
    assert given_name_forms("ma") == ("maria",)
    assert given_name_forms("fco") == ("francisco",)
    assert given_name_forms("Fco") == ("francisco",)
    assert "antonio" in given_name_forms("ant")
    assert given_name_forms("wm") == ("william",)


def test_familiar_forms_and_spellings() -> None:
    assert given_name_forms("pepe") == ("jose",)
    assert "roberto" in given_name_forms("beto")
    forms = given_name_forms("mohammed")
    assert "muhammad" in forms and "mohammed" not in forms
    assert "mohammed" in given_name_forms("muhammad")
    assert "brian" in given_name_forms("brayan")


def test_initials_and_unknown_names_give_nothing() -> None:
    assert given_name_forms("j") == ()
    assert given_name_forms("") == ()
    assert given_name_forms("zeyneddin") == ()


def test_particles() -> None:
    for word in ("de", "del", "la", "las", "los", "y", "da", "dos", "das", "e", "van", "von"):
        assert word in SPANISH_PARTICLES
        assert is_particle(word)
    assert is_particle("DEL")
    assert not is_particle("garcia")
    assert not is_particle("san")  # part of a surname (San Martin), not a particle
