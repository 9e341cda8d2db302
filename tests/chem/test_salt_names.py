"""Salt and hydrate words at the end of names."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chainbreaker.chem.salt_names import strip_salt_words


@pytest.mark.parametrize(
    ("name", "base", "words"),
    [
        ("Fentanyl citrate", "Fentanyl", "citrate"),
        ("4-AP 2HCl", "4-AP", "2HCl"),
        ("4-piperidone hydrochloride monohydrate", "4-piperidone", "hydrochloride monohydrate"),
        ("norfentanyl, HCl", "norfentanyl", "HCl"),
        ("fentanilo clorhidrato", "fentanilo", "clorhidrato"),
        ("sufentanil dihydrogen citrate", "sufentanil", "dihydrogen citrate"),
    ],
)
def test_trailing_salt_words_are_removed(name: str, base: str, words: str) -> None:
    assert strip_salt_words(name) == (base, words)


@pytest.mark.parametrize(
    "name",
    ["fentanyl", "hydrochloride", "propionyl chloride", "sodium chloride", "acetate buffer pH 5"],
)
def test_nothing_to_remove(name: str) -> None:
    # a name made only of salt words, or with no salt word at its end, is left alone;
    # "chloride" alone is not a salt word (propionyl chloride is a reagent, not a salt)
    assert strip_salt_words(name) is None


@given(st.text(max_size=60))
def test_the_base_is_a_prefix_of_the_name(name: str) -> None:
    result = strip_salt_words(name)
    if result is not None:
        base, words = result
        assert name.startswith(base) and base and words
