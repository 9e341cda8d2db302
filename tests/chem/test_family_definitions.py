"""The precursor-family definitions as read from families.yaml."""

from __future__ import annotations

from chainbreaker.chem.family_definitions import load_families


def test_families_yaml_defines_the_five_families() -> None:
    ids = {f.id for f in load_families()}
    assert ids == {
        "family:4-piperidone",
        "family:4-ap",
        "family:npp",
        "family:anpp",
        "family:norfentanyl",
    }
    for family in load_families():
        assert family.sources, family.id
        assert family.rule


def test_every_core_maps_the_six_piperidine_atoms_to_named_atoms() -> None:
    # the classifier finds the piperidine ring (map numbers 1-6) in every core form
    for family in load_families():
        assert family.cores, family.id
        for core in family.cores:
            assert {1, 2, 3, 4, 5, 6} <= set(core.maps), (family.id, core.form)
            assert set(core.maps) <= set(family.atoms), (family.id, core.form)


def test_rule_text_is_on_one_line() -> None:
    for family in load_families():
        assert "\n" not in family.rule
        assert "  " not in family.rule


def test_loading_twice_gives_the_same_definitions() -> None:
    assert load_families() is load_families()
