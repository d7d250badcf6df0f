"""The client pseudonym and the normalisation of identity fields (docs/consent.md)."""

from __future__ import annotations

from datetime import date

import pytest

from consent.errors import IdentityError
from consent.pseudonym import (
    client_ref,
    is_client_ref,
    network_secret,
    normalise_identity,
)

SECRET = network_secret(b"master", "amsterdam")
BORN = "1980-02-29"


def ref(**identity):
    identity.setdefault("geboortedatum", BORN)
    return client_ref(SECRET, **identity)


def test_the_pseudonym_is_64_lowercase_hex_characters():
    value = ref(achternaam="Berg", voornamen="Jan")
    assert is_client_ref(value)


def test_full_first_names_and_their_initials_give_the_same_ref():
    assert ref(achternaam="Berg", voornamen="Jan Pieter") == ref(achternaam="Berg",
                                                                 voorletters="J.P.")


@pytest.mark.parametrize("voorletters", ["J.P.", "J. P.", "JP", "jp", "j.p", " J.P. "])
def test_voorletters_are_read_in_every_common_spelling(voorletters):
    assert ref(achternaam="Berg", voorletters=voorletters) == ref(achternaam="Berg",
                                                                  voornamen="Jan Pieter")


def test_a_hyphenated_first_name_gives_two_initials():
    assert ref(achternaam="Berg", voornamen="Jan-Pieter") == ref(achternaam="Berg",
                                                                 voorletters="J.P.")


def test_a_two_letter_initial_like_th_is_one_initial():
    assert ref(achternaam="Berg", voorletters="Th.") == ref(achternaam="Berg",
                                                            voornamen="Theodorus")


def test_the_dutch_ij_is_one_initial():
    assert ref(achternaam="Berg", voorletters="IJ.") == ref(achternaam="Berg",
                                                            voornamen="IJsbrand")


def test_first_names_win_over_voorletters_when_both_are_given():
    assert ref(achternaam="Berg", voornamen="Jan", voorletters="X.") == ref(
        achternaam="Berg", voorletters="J.")


@pytest.mark.parametrize(("achternaam", "voorvoegsel"), [
    ("van der Berg", None),
    ("Berg", "van der"),
    ("Berg", "Van Der"),
    ("Van der Berg", "van der"),
    ("  van  der   berg ", None),
    ("van der-Berg", None),
])
def test_the_tussenvoegsel_may_sit_in_the_surname_or_apart(achternaam, voorvoegsel):
    assert ref(achternaam=achternaam, voorvoegsel=voorvoegsel, voornamen="Jan") == ref(
        achternaam="Berg", voorvoegsel="van der", voornamen="Jan")


def test_a_different_tussenvoegsel_is_a_different_person():
    assert ref(achternaam="Berg", voorvoegsel="van den", voornamen="Jan") != ref(
        achternaam="Berg", voorvoegsel="van der", voornamen="Jan")


def test_apostrophe_tussenvoegsels_are_recognised():
    assert ref(achternaam="'t Hart", voornamen="Anna") == ref(achternaam="Hart",
                                                              voorvoegsel="’t", voornamen="Anna")


def test_a_tussenvoegsel_inside_a_double_name_stays_part_of_it():
    canonical = normalise_identity("Jansen-van der Berg", voornamen="Jan", geboortedatum=BORN)
    assert canonical == "v1|jansenvanderberg||j|1980-02-29"


def test_a_surname_that_is_only_a_tussenvoegsel_word_keeps_it():
    assert normalise_identity("Van", voornamen="Jan", geboortedatum=BORN) == "v1|van||j|1980-02-29"


@pytest.mark.parametrize("spelling", ["Müller", "MULLER", "muller", "Mülle r", "Mul-ler"])
def test_case_diacritics_whitespace_and_hyphens_do_not_matter(spelling):
    assert ref(achternaam=spelling, voornamen="Émile") == ref(achternaam="Muller",
                                                             voornamen="Emile")


def test_letters_without_a_decomposition_are_transliterated():
    assert ref(achternaam="Øster", voornamen="Jan") == ref(achternaam="Oster", voornamen="Jan")
    assert ref(achternaam="Straß", voornamen="Jan") == ref(achternaam="Strass", voornamen="Jan")


def test_the_birth_date_may_be_a_date_or_an_iso_string():
    assert ref(achternaam="Berg", voornamen="Jan", geboortedatum=date(1980, 2, 29)) == ref(
        achternaam="Berg", voornamen="Jan", geboortedatum="1980-02-29")


def test_a_different_birth_date_is_a_different_person():
    assert ref(achternaam="Berg", voornamen="Jan", geboortedatum="1980-03-01") != ref(
        achternaam="Berg", voornamen="Jan")


def test_the_same_person_has_a_different_ref_in_another_network():
    other = network_secret(b"master", "utrecht")
    assert client_ref(other, achternaam="Berg", voornamen="Jan", geboortedatum=BORN) != ref(
        achternaam="Berg", voornamen="Jan")


def test_the_network_secret_is_derived_deterministically_from_the_master():
    assert network_secret(b"master", "amsterdam") == SECRET
    assert network_secret(b"other-master", "amsterdam") != SECRET


@pytest.mark.parametrize(("identity", "field"), [
    ({"achternaam": "", "voornamen": "Jan", "geboortedatum": BORN}, "achternaam"),
    ({"achternaam": "Berg", "geboortedatum": BORN}, "voornamen"),
    ({"achternaam": "Berg", "voorletters": "..", "geboortedatum": BORN}, "voorletters"),
    ({"achternaam": "Berg", "voornamen": "Jan"}, "geboortedatum"),
    ({"achternaam": "Berg", "voornamen": "Jan", "geboortedatum": "29-02-1980"}, "geboortedatum"),
])
def test_a_missing_or_unreadable_identity_field_is_named_without_its_value(identity, field):
    with pytest.raises(IdentityError) as caught:
        normalise_identity(**identity)
    assert caught.value.field == field
    assert "1980" not in str(caught.value)


def test_the_canonical_form_is_versioned():
    assert normalise_identity("van der Berg", voornamen="Jan Pieter",
                              geboortedatum=BORN) == "v1|berg|vander|jp|1980-02-29"
