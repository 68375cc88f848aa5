import pytest
from hypothesis import given, strategies as st

from cardkeep.errors import InvalidInput
from cardkeep.printing.addressing import (
    country_name,
    format_address,
    is_secondary_unit,
    normalize_country,
    postal_line,
    postal_upper,
    return_address_lines,
    sender_language,
)

YAMADA = {
    "street": "渋谷区神宮前1-2-3", "extended": "メゾン神宮前 301", "city": "東京都", "region": "東京都",
    "postal_code": "150-0001", "country": "JP",
}
MULLER = {"street": "Schönhauser Allee 45", "city": "Berlin", "region": "Berlin", "postal_code": "10435", "country": "DE"}


DENVER = {"street": "1550 Larimer St", "extended": "Apt 12B", "city": "Denver", "region": "CO",
          "postal_code": "80202", "country": "US"}


def test_us_domestic_has_no_country_line_and_upper_cases_city_and_state():
    assert format_address("Hannah & Lars Jensen", DENVER, home="US") == [
        "Hannah & Lars Jensen", "1550 Larimer St Apt 12B", "DENVER, CO 80202",
    ]


def test_us_secondary_unit_goes_on_the_street_line_or_above_never_below():
    # USPS Publication 28: the unit ends the delivery address line, or goes on the line above it.
    assert format_address("Hannah", DENVER, home="US", unit_above=True) == [
        "Hannah", "Apt 12B", "1550 Larimer St", "DENVER, CO 80202",
    ]
    for unit in ("Ste 200", "# 5", "Unit 4", "Apartment 3-C", "Building 7, Suite 1200", "Fl 2"):
        assert is_secondary_unit(unit), unit
        assert format_address("H", dict(DENVER, extended=unit), home="US")[1] == f"1550 Larimer St {unit}"
    # Anything else (a c/o line, a building's name) goes above the street line, from abroad too.
    for other in ("c/o Ana Ruiz", "Riverside Apartments"):
        assert not is_secondary_unit(other), other
        assert format_address("H", dict(DENVER, extended=other), home="DE") == [
            "H", other, "1550 Larimer St", "DENVER, CO 80202", "UNITED STATES"]
    # Other countries keep Google's order: the extended line after the street.
    assert format_address("H", dict(DENVER, country="GB", extended="Flat 2"), home="GB")[1:3] == [
        "1550 Larimer St", "Flat 2"]


def test_postal_line_is_the_line_carrying_the_code():
    lines = format_address("Hannah", DENVER, home="US")
    assert postal_line(lines, "80202") == 2
    assert postal_line(lines, None) is None and postal_line(lines, "99999") is None


def test_germany_from_the_us_postal_code_before_city_no_state_country_line_in_english():
    assert format_address("Jürgen & Zoë Müller", MULLER, home="US") == [
        "Jürgen & Zoë Müller", "Schönhauser Allee 45", "10435 BERLIN", "GERMANY",
    ]


def test_germany_domestic_has_no_country_line():
    assert format_address("Jürgen", MULLER, home="DE")[-1] == "10435 BERLIN"


def test_japan_in_japanese_keeps_japanese_order_with_the_name_after_the_address():
    # Google's JP format "〒%Z%n%S%n%A%n%O%n%N" (Japan Post's horizontal style); the country line last.
    assert format_address("山田 太郎・花子 様", YAMADA, home="US") == [
        "〒150-0001", "東京都", "渋谷区神宮前1-2-3", "メゾン神宮前 301", "山田 太郎・花子 様", "JAPAN",
    ]
    assert format_address("山田 太郎", YAMADA, home="JP") == [
        "〒150-0001", "東京都", "渋谷区神宮前1-2-3", "メゾン神宮前 301", "山田 太郎 様",
    ]


def test_korean_in_hangul_follows_googles_korean_order():
    address = {"street": "세종대로 110", "city": "중구", "region": "서울특별시", "postal_code": "04524", "country": "KR"}
    assert format_address("김민준", address, home="US") == ["서울특별시 중구", "세종대로 110", "김민준", "04524",
                                                         "SOUTH KOREA"]


def test_japan_in_latin_script_uses_the_latin_format_and_keeps_the_city():
    address = {"street": "1-2-3 Jingumae", "city": "Shibuya-ku", "region": "Tokyo", "postal_code": "150-0001",
               "country": "JP"}
    assert format_address("Taro Yamada", address, home="GB") == [
        "Taro Yamada", "1-2-3 Jingumae", "Shibuya-ku, TOKYO", "150-0001", "JAPAN",
    ]


def test_japanese_city_the_format_has_no_slot_for_joins_the_street():
    address = dict(YAMADA, city="渋谷区", street="神宮前1-2-3")
    assert "渋谷区神宮前1-2-3" in format_address("山田", address, home="US")


def test_chinese_municipality_typed_as_both_province_and_city_prints_once():
    address = {"street": "建国路88号", "city": "北京市", "region": "北京市", "postal_code": "100022", "country": "CN"}
    assert format_address("张伟", address, home="US") == ["100022", "北京市", "建国路88号", "张伟", "CHINA"]


def test_a_city_the_format_already_prints_is_not_repeated():
    address = {"street": "1 Raffles Pl", "city": "Singapore", "postal_code": "048616", "country": "SG"}
    assert format_address("Wei Lim", address, home="US") == ["Wei Lim", "1 Raffles Pl", "SINGAPORE 048616",
                                                             "REP. OF SINGAPORE"]


def test_uk_postcode_on_its_own_line_and_greek_capitals_without_accents():
    rosa = {"street": "14 Primrose Hill Rd", "city": "London", "postal_code": "NW3 3AD", "country": "GB"}
    assert format_address("Rosa Pemberton", rosa, home="US") == [
        "Rosa Pemberton", "14 Primrose Hill Rd", "LONDON", "NW3 3AD", "UNITED KINGDOM",
    ]
    eleni = {"street": "Οδός Ερμού 25", "city": "Αθήνα", "postal_code": "105 63", "country": "GR"}
    assert format_address("Ελένη Παπαδοπούλου", eleni, home="US")[1:] == ["Οδός Ερμού 25", "105 63 ΑΘΗΝΑ", "GREECE"]


def test_canada_upper_cases_everything_post_canada_asks_for():
    address = {"street": "24 Sussex Dr", "city": "Ottawa", "region": "ON", "postal_code": "K1M 1M4", "country": "CA"}
    assert format_address("Ada Lovelace", address, home="CA") == ["ADA LOVELACE", "24 SUSSEX DR", "OTTAWA ON K1M 1M4"]


def test_missing_fields_drop_their_separators():
    address = {"street": "1 Main St", "city": "Springfield", "country": "US"}
    assert format_address("Y", address, home="US") == ["Y", "1 Main St", "SPRINGFIELD"]
    address = {"street": "1-1", "city": "京都市", "region": "京都府", "country": "JP"}
    assert format_address("X", address, home="JP") == ["京都府", "京都市1-1", "X"]


def test_country_line_in_the_sender_language_and_unknown_home_always_gets_one():
    assert format_address("x", YAMADA, home="FR", language="fr")[-1] == "JAPON"
    assert format_address("x", YAMADA, home="DE", language="de")[-1] == "JAPAN"
    assert format_address("x", MULLER, home="FR", language="fr")[-1] == "ALLEMAGNE"
    assert format_address("x", MULLER, home=None)[-1] == "GERMANY"
    assert country_name("NZ", "xx") == "NEW ZEALAND"
    assert sender_language({"country": "DE"}) == "de"
    assert sender_language({"country": "US"}) == "en"
    assert sender_language({"country": "DE", "language": "FR"}) == "fr"


def test_return_address_adds_the_home_country_only_for_mail_abroad():
    sender = {"name": "Pat Doe", "street": "5 Oak St", "city": "Boston", "region": "MA", "postal_code": "02116",
              "country": "us"}
    assert return_address_lines(sender) == ["Pat Doe", "5 Oak St", "BOSTON, MA 02116"]
    assert return_address_lines(sender, destination="US") == ["Pat Doe", "5 Oak St", "BOSTON, MA 02116"]
    assert return_address_lines(sender, destination="JP")[-1] == "UNITED STATES"


def test_return_address_needs_the_sender_table():
    with pytest.raises(InvalidInput, match=r"\[sender\]"):
        return_address_lines({})
    with pytest.raises(InvalidInput, match="country"):
        return_address_lines({"street": "1 A", "city": "B"})


def test_normalize_country():
    assert normalize_country(" de ") == "DE"
    with pytest.raises(InvalidInput, match="'XX' is not a known ISO country code"):
        normalize_country("XX")


def test_postal_upper():
    assert postal_upper("Ærøskøbing") == "ÆRØSKØBING"
    assert postal_upper("Ἀθῆναι") == "ΑΘΗΝΑΙ"


field = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=20)


@given(street=field, city=field, region=field, postal=field, name=field,
       country=st.sampled_from(["US", "DE", "JP", "GB", "FR", "CA", "BR", "CN", "KR", "CH", "AE", "SG"]))
def test_every_word_typed_is_printed_except_an_unused_region(street, city, region, postal, name, country):
    address = {"street": street, "city": city, "region": region, "postal_code": postal, "country": country}
    lines = format_address(name, address, home=country)
    text = " ".join(lines).upper()
    assert all(line == line.strip() and line for line in lines)
    for value in (street, city, postal, name):
        for word in value.split():
            assert postal_upper(word).strip(" ,-") in postal_upper(text)


def test_postal_upper_strips_greek_accents_and_leaves_other_scripts_as_typed():
    from cardkeep.printing.addressing import postal_upper

    assert postal_upper("Οδός Ερμού, Αθήνα") == "ΟΔΟΣ ΕΡΜΟΥ, ΑΘΗΝΑ"
    # NFC over the whole line would turn the compatibility ideograph U+F900 into U+8C48.
    assert postal_upper("µ \uf900") == "Μ \uf900"


def test_a_japanese_name_on_japanese_mail_carries_the_honorific_once():
    assert format_address("山田 太郎", YAMADA, home="US")[-2] == "山田 太郎 様"
    assert format_address("山田 太郎・花子 様", YAMADA, home="US")[-2] == "山田 太郎・花子 様"
    assert format_address("株式会社山田 御中", YAMADA, home="US")[-2] == "株式会社山田 御中"
    assert format_address("Taro Yamada", YAMADA, home="US")[-2] == "Taro Yamada"  # Latin script: no 様
