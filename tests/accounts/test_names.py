"""Finding 6: a name that would print as nothing, or as boxes, is refused with a clear message."""

import unicodedata

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from accounts import names
from accounts.models import User
from infrastructure import fonts
from tests.accounts.helpers import verified_user
from tests.accounts.test_profile import PROFILE
from tests.accounts.test_signup import SIGNUP

INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2069"


@pytest.fixture
def learner(client, db):
    user = verified_user(full_name="Jordan Learner", organization="Riverside")
    client.force_login(user)
    return user


@pytest.mark.parametrize("name", ["\u200b", "\u202e\u200f", INVISIBLE, " \u200b \u2066 "])
def test_a_name_of_only_zero_width_or_direction_characters_is_refused(client, learner, name):
    response = client.post(reverse("profile"), {**PROFILE, "certificate_name": name})
    assert response.status_code == 200
    assert response.context["form"].errors["certificate_name"] == [
        "Enter a name with letters in it: this one is made only of invisible characters."
    ]
    assert User.objects.get(pk=learner.pk).certificate_name == ""


def test_sign_up_refuses_an_invisible_full_name(client, db):
    response = client.post(reverse("account_signup"), {**SIGNUP, "full_name": "\u200b\u202e"})
    assert response.status_code == 200
    assert "full_name" in response.context["form"].errors
    assert not User.objects.filter(email=SIGNUP["email"]).exists()


def test_a_character_no_font_can_draw_is_refused_by_name(client, learner, monkeypatch):
    # A server whose fonts lack the emoji (its own fonts are checked below, in the property).
    monkeypatch.setattr(
        fonts, "drawable_codepoints", lambda: frozenset(map(ord, "Jordan Lerne,CNMT."))
    )
    response = client.post(reverse("profile"), {**PROFILE, "certificate_name": "Jordan 😀"})
    assert response.context["form"].errors["certificate_name"] == [
        "Certificates cannot print 😀 (U+1F600): the certificate font has no such character. "
        "Remove it, or write it another way."
    ]
    response = client.post(reverse("profile"), {**PROFILE, "full_name": "Jordan \U000f0001"})
    assert "U+F0001" in response.context["form"].errors["full_name"][0]


def test_names_in_accented_latin_greek_and_cyrillic_with_direction_marks_inside_are_kept(
    client, learner
):
    name = "Zoë Ñúñez-Łukasz \u200eΩμέγα Жанна, CNMT"
    response = client.post(reverse("profile"), {**PROFILE, "certificate_name": name})
    assert response.status_code == 302
    assert User.objects.get(pk=learner.pk).certificate_name == name


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_any_text_is_either_a_printable_name_or_refused_with_a_reason(text):
    """Never another exception; an accepted name has something visible and nothing undrawable."""
    try:
        names.validate_printable_name(text)
    except ValidationError as error:
        assert error.code in {"unprintable_name", "invisible_name", "undrawable_name"}
        return
    visible = [c for c in text if unicodedata.category(c) not in names.INVISIBLE_CATEGORIES]
    assert visible != []
    assert fonts.undrawable("".join(visible)) == []


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(INVISIBLE + " "), min_size=1, max_size=30))
def test_invisible_only_names_are_always_refused(text):
    with pytest.raises(ValidationError) as raised:
        names.validate_printable_name(text)
    assert raised.value.code == "invisible_name"


@settings(max_examples=200, deadline=None)
@given(
    st.text(
        alphabet=st.characters(categories=["Lu", "Ll"], max_codepoint=0x24F), min_size=1,
        max_size=60,
    )
)  # fmt: skip
def test_latin_names_are_accepted(text):
    names.validate_printable_name(text)  # DejaVu covers Latin-1 and Latin Extended-A/B
    assert fonts.undrawable(text) == []
