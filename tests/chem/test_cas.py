"""CAS RN parsing: check digits worked out by hand."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chainbreaker.chem.cas import check_digit, is_valid_cas, looks_like_cas, parse_cas
from chainbreaker.errors import InvalidCAS


def test_check_digit_of_fentanyl() -> None:
    # 437-38-7: 8*1 + 3*2 + 7*3 + 3*4 + 4*5 = 8 + 6 + 21 + 12 + 20 = 67 -> 7
    assert check_digit("43738") == 7


def test_check_digit_of_npp() -> None:
    # 39742-60-4: 0*1 + 6*2 + 2*3 + 4*4 + 7*5 + 9*6 + 3*7 = 0+12+6+16+35+54+21 = 144 -> 4
    assert check_digit("3974260") == 4


@pytest.mark.parametrize(
    ("text", "canonical"),
    [("437-38-7", "437-38-7"), ("437387", "437-38-7"), (" 39742-60-4 ", "39742-60-4")],
)
def test_parse_with_and_without_hyphens(text: str, canonical: str) -> None:
    assert parse_cas(text).number == canonical


def test_bad_check_digit_says_which_digit_is_expected() -> None:
    with pytest.raises(InvalidCAS, match=r"5 given, 4 expected"):
        parse_cas("39742-60-5")


@pytest.mark.parametrize("text", ["fentanyl", "12-3", "0437-38-7", "1-23-4", ""])
def test_not_a_cas(text: str) -> None:
    assert not is_valid_cas(text)


def test_shape_test_accepts_bare_digits() -> None:
    assert looks_like_cas("437387")
    assert not looks_like_cas("1234")


@given(st.integers(min_value=10_000, max_value=999_999_999))
def test_any_body_with_its_check_digit_is_valid(body: int) -> None:
    digits = str(body)
    number = f"{digits[:-2]}-{digits[-2:]}-{check_digit(digits)}"
    assert parse_cas(number).number == number
    assert parse_cas(number.replace("-", "")).number == number


@given(st.integers(min_value=10_000, max_value=999_999_999), st.integers(1, 9))
def test_a_wrong_check_digit_is_always_caught(body: int, shift: int) -> None:
    digits = str(body)
    wrong = (check_digit(digits) + shift) % 10
    with pytest.raises(InvalidCAS):
        parse_cas(f"{digits[:-2]}-{digits[-2:]}-{wrong}")
