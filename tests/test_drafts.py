"""Card drafts as plain functions: the context per recipient, the templates, the sandbox, the checks."""

import datetime as dt
import json

import pytest
from hypothesis import given, strategies as st

from cardkeep import customs
from cardkeep.drafts import render as drafts
from cardkeep.drafts.render import DraftError
from cardkeep.errors import InvalidInput
from cardkeep.formats import jsonbook as interchange
from cardkeep.store import book
from cardkeep.store.db import open_db
from tests.conftest import EXAMPLES

TODAY = dt.date(2026, 11, 23)


def person(name, given=None, *, salutation=None, nickname=None, status="active", deceased_on=None, dates=(),
           notes=(), pid="c1"):
    return {
        "id": pid, "name": name, "given_name": given or name.split()[0], "family_name": name.split()[-1],
        "nickname": nickname, "salutation": salutation, "status": status, "deceased_on": deceased_on,
        "tags": [], "emails": [], "phones": [], "uid": None, "created": "2020-01-01",
        "dates": [{"kind": k, "year": y, "month": m, "day": d, "label": label, "rule": None, "lead_days": None}
                  for k, y, m, d, label in dates],
        "notes": [{"text": text, "created": created} for created, text in notes],
    }


def house(members, cards=(), *, hid="h1", created="2021-05-01", country=None, mailing_name=None):
    address = {"street": "1 Main St", "city": "Town", "country": country} if country else None
    return {
        "id": hid, "mailing_name": mailing_name,
        "display_name": mailing_name or book.generated_mailing_name(members), "status": "active",
        "created": created, "tags": [], "address": address, "addresses": [address] if address else [],
        "members": list(members), "cards": list(cards),
    }


def card(year, direction, *, news=None, message=None, occasion="holiday"):
    return {"year": year, "occasion": occasion, "direction": direction, "date": f"{year}-12-10", "contact": None,
            "design": "Snowy owl" if direction == "sent" else None, "message": message,
            "signed_by_hand": True if direction == "sent" else None, "news": news, "returned": False}


@pytest.fixture
def sample_db(db_path):
    db = open_db(db_path)
    data = json.loads((EXAMPLES / "book.json").read_text(encoding="utf-8"))
    interchange.import_book(db, data, source="book.json", today="2026-01-01")
    return db


def by_name(db, name):
    return book.household_record(db, book.resolve_household(db, name))


# ---------------------------------------------------------------- context


def test_context_for_a_household_with_rich_notes(sample_db):
    context = drafts.build_context(by_name(sample_db, "Ada Okafor"), today=TODAY)
    assert context["salutation"] == "Ada & Emeka"  # the members with a salutation, not every child
    assert context["member_names"] == ["Ada", "Emeka", "Chidi", "Ngozi"]
    assert (context["known_since"], context["years_known"]) == (2016, 10)
    assert context["last_received"]["year"] == 2025
    assert context["news"] == "Chidi is learning to drive; Ngozi has a new puppy, Max"
    assert context["notes"] == ["Ada started teaching piano at the community school"]
    assert [m["phrase"] for m in context["milestones"]] == ["your 25th wedding anniversary", "Emeka's 50th birthday"]
    assert context["remembering"] == []
    assert context["prompts"] == [
        "Ada started teaching piano at the community school",
        "their news: Chidi is learning to drive; Ngozi has a new puppy, Max",
    ]
    assert context["letter"] == ""


def test_context_for_a_household_with_nothing_known():
    record = house([person("Diego Ramírez")], created="2026-03-15")
    context = drafts.build_context(record, today=TODAY)
    assert context["salutation"] == "Diego"
    assert (context["known_since"], context["years_known"]) == (2026, 0)
    assert context["notes"] == [] and context["milestones"] == [] and context["prompts"] == []
    for optional in ("news", "last_received", "last_sent", "last_year_message", "celebrant"):
        assert optional not in context
    assert "nickname" not in context["members"][0]  # absent, so a template using it fails loudly


def test_context_leaves_out_the_dead_and_remembers_them():
    record = house([
        person("Bob Whitaker", salutation="Bob", status="deceased", deceased_on="2025-05-10", pid="c1",
               notes=[("2020-01-01", "Bob's note")]),
        person("Carol Whitaker", salutation="Carol", pid="c2"),
    ])
    context = drafts.build_context(record, today=TODAY)
    assert context["salutation"] == "Carol"
    assert context["member_names"] == ["Carol"]
    assert context["remembering"] == ["Bob"]
    assert context["notes"] == []
    # Two seasons on, the card no longer names him unasked.
    assert drafts.build_context(record, today=dt.date(2027, 11, 23))["remembering"] == []


def test_last_year_message_and_old_news():
    record = house([person("Nora Quinn")], [
        card(2024, "received", news="new job"),
        card(2025, "sent", message="So glad you found the new flat!"),
        card(2026, "sent", message="this year's card is not last year's"),
    ])
    context = drafts.build_context(record, today=TODAY)
    assert context["last_year_message"] == "So glad you found the new flat!"
    assert context["last_sent"]["year"] == 2025
    assert "news" not in context  # 2024's news is too old to ask about as if it were fresh
    assert context["last_received"]["news"] == "new job"
    assert drafts.build_context(record, today=dt.date(2025, 11, 1))["news"] == "new job"


@pytest.mark.parametrize(
    ("members", "expected"),
    [
        ([("Rosa Pemberton", "Aunt Rosa")], "Aunt Rosa"),
        ([("Sam Lee", None), ("Priya Nair", None)], "Sam & Priya"),
        ([("Ann Bell", None), ("Ben Bell", None), ("Cy Bell", None)], "Ann, Ben & Cy"),
        ([("山田 太郎", "太郎さん"), ("山田 花子", "花子さん")], "太郎さん、花子さん"),
    ],
)
def test_salutation_name(members, expected):
    rows = [person(name, salutation=salutation) for name, salutation in members]
    assert drafts.salutation_name(rows) == expected


def test_the_greeting_names_whom_the_envelope_names():
    rows = [person("Ada Okafor", salutation="Ada"), person("Emeka Okafor"), person("Chidi Okafor")]
    assert drafts.salutation_name(rows, "Ada & Emeka Okafor") == "Ada & Emeka"
    assert drafts.salutation_name(rows, "The Okafor Family") == "Ada"  # those with a salutation
    assert drafts.salutation_name(rows[1:], "The Okafor Family") == "Emeka & Chidi"
    couple = [person("Margaret Chen", salutation="Maggie"), person("David Chen")]
    assert drafts.salutation_name(couple, "Margaret & David Chen") == "Maggie & David"


def test_birthday_celebrant_is_the_next_birthday_and_the_card_greets_them():
    record = house([
        person("Ada Okafor", salutation="Ada", dates=[("birthday", 1978, 3, 14, None)], pid="c1"),
        person("Emeka Okafor", salutation="Emeka", dates=[("birthday", 1976, 9, 2, None)], pid="c2"),
    ])
    context = drafts.build_context(record, today=dt.date(2026, 8, 20), occasion="birthday")
    assert context["celebrant"] == {
        "name": "Emeka Okafor", "given_name": "Emeka", "salutation": "Emeka", "date": "2026-09-02",
        "number": 50, "words": "turns 50", "ordinal": "50th", "round": True,
    }
    assert context["salutation"] == "Emeka"
    # A few days late still counts; months late means next year's birthday.
    assert drafts.build_context(record, today=dt.date(2026, 9, 5), occasion="birthday")["celebrant"]["name"] == (
        "Emeka Okafor")
    assert drafts.build_context(record, today=dt.date(2026, 10, 1), occasion="birthday")["celebrant"]["date"] == (
        "2027-03-14")


def test_a_leap_day_birthday_milestone_follows_the_leap_policy():
    record = house([person("Zoë Müller", dates=[("birthday", 1986, 2, 29, None)])])
    assert drafts.build_context(record, today=TODAY)["milestones"][0]["date"] == "2026-02-28"
    assert drafts.build_context(record, today=TODAY, leap_day="mar1")["milestones"][0]["date"] == "2026-03-01"


# ---------------------------------------------------------------- the greeting line (customs.greeting)


def greeting(record, **options):
    return drafts.build_context(record, today=TODAY, **options)["greeting"]


YAMADA = [person("山田 太郎", "太郎", pid="c1"), person("山田 花子", "花子", pid="c2")]


def test_a_japanese_household_is_greeted_the_japanese_way():
    # To Japan, names written in Japanese take さん and no "Dear", though the card is in English.
    assert greeting(house(YAMADA, country="JP")) == "太郎さん、花子さん"
    # Salutations that already carry an honorific keep it, once (the "Dear 太郎さん、花子さん,").
    stored = [person("山田 太郎", "太郎", salutation="太郎さん", pid="c1"),
              person("山田 花子", "花子", salutation="花子様", pid="c2")]
    assert greeting(house(stored, country="JP")) == "太郎さん、花子様"
    # Romanised names in Japan: an English card greets them in English.
    assert greeting(house([person("Taro Yamada"), person("Hanako Yamada", pid="c2")], country="JP")) == (
        "Dear Taro & Hanako,")
    # Only Japan's custom says so: the same names in the US get the card's own form.
    assert greeting(house(YAMADA, country="US")) == "Dear 太郎 & 花子,"


def test_a_couple_is_greeted_both_by_their_own_salutations():
    couple = [person("Margaret Chen", salutation="Maggie"), person("David Chen", pid="c2")]
    assert greeting(house(couple, country="US")) == "Dear Maggie & David,"
    assert greeting(house(couple, country="US"), occasion="anniversary") == "Dear Maggie & David,"
    three = [person("Ann Bell"), person("Ben Bell", pid="c2"), person("Cy Bell", pid="c3")]
    assert greeting(house(three)) == "Dear Ann, Ben & Cy,"


def test_the_households_own_greeting_is_used_as_written_but_not_on_a_birthday_card():
    members = [person("Ada Okafor", salutation="Ada", dates=[("birthday", 1978, 12, 1, None)]),
               person("Emeka Okafor", salutation="Emeka", pid="c2")]
    record = {**house(members, country="US"), "greeting": "Dear Okafors,"}
    assert greeting(record) == "Dear Okafors,"
    assert greeting(record, language="de") == "Dear Okafors,"  # the household's words, in any card
    assert greeting(record, occasion="birthday") == "Dear Ada,"  # a birthday card greets the one it is for


def test_a_household_without_a_country_is_greeted_by_the_home_countrys_custom():
    record = house(YAMADA)  # no address: it is where the sender is
    assert greeting(record, home="JP") == "太郎さん、花子さん"
    assert greeting(record, home="US") == "Dear 太郎 & 花子,"
    assert greeting(record) == "Dear 太郎 & 花子,"  # no home known: no custom


def test_german_forms_only_in_a_german_card():
    anna_peter = house([person("Anna Weber"), person("Peter Weber", pid="c2")], country="DE")
    assert greeting(anna_peter) == "Dear Anna & Peter,"  # a German address does not make a German card
    assert greeting(anna_peter, language="de") == "Liebe Anna und Peter,"
    ingrid = house([person("Ingrid Vogel", salutation="Tante Ingrid")], country="DE")
    karl = house([person("Karl Vogel", salutation="Onkel Karl")], country="US")
    assert (greeting(ingrid, language="de"), greeting(karl, language="de")) == ("Liebe Tante Ingrid,", "Lieber Onkel Karl,")
    # One person whose gender the book does not say: no guessing Liebe or Lieber.
    assert greeting(house([person("Kim Berg")], country="DE"), language="de") == "Hallo Kim,"
    # A Japanese household in a German card: Japan's custom still decides its greeting.
    assert greeting(house(YAMADA, country="JP"), language="de") == "太郎さん、花子さん"


def test_the_cards_language_is_the_senders_never_a_countrys():
    assert customs.card_language({}, {}) == "en"
    assert customs.card_language({}, {"country": "DE"}) == "en"  # not guessed from where the sender lives
    assert customs.card_language({}, {"country": "DE", "language": "DE "}) == "de"
    assert customs.card_language({"language": "en"}, {"language": "de"}) == "en"  # [drafts] language first


def test_the_greetings_words_are_checked_like_the_templates():
    # The form's words ("Dear", ",") are the template's; only the names are data: a generic
    # greeting is an error wherever it came from, and a name is never taken for a merge field.
    record = {**house([person("Ada Okafor", salutation="Ada")]), "greeting": "Dear Valued Customer,"}
    with pytest.raises(DraftError, match="salutation"):
        drafts.make_drafts([record], drafts.load_template("holiday"), today=TODAY)
    odd = house([person("Ada Okafor", salutation="[First Name]")])
    body, spans = drafts.render(compile_("{{ greeting }}\n\nHi."), drafts.build_context(odd, today=TODAY))
    assert body.startswith("Dear [First Name],") and (5, 17) in spans
    assert drafts.render(compile_("{{ greeting|upper }}"), drafts.build_context(RECIPIENT, today=TODAY))[0] == "DEAR ADA,"


def test_drafts_for_reads_the_card_language_from_the_config(sample_db, tmp_path):
    record = by_name(sample_db, "山田 太郎")
    holiday = drafts.load_template("holiday")
    (tmp_path / "config.toml").write_text('[sender]\ncountry = "US"\nlanguage = "de"\n', encoding="utf-8")
    run = drafts.drafts_for(sample_db, [book.parse_id(record["id"])[1], book.resolve_household(sample_db, "Rosa")],
                            holiday, today=TODAY)
    assert [d.body.split("\n")[0] for d in run.drafts] == ["太郎さん、花子さん", "Hallo Aunt Rosa,"]
    (tmp_path / "config.toml").write_text('[sender]\ncountry = "US"\nlanguage = "de"\n[drafts]\nlanguage = "en"\n',
                                          encoding="utf-8")
    run = drafts.drafts_for(sample_db, [book.resolve_household(sample_db, "Rosa")], holiday, today=TODAY)
    assert run.drafts[0].body.startswith("Dear Aunt Rosa,")


# ---------------------------------------------------------------- templates


def test_every_occasion_ships_a_template_that_compiles():
    assert drafts.shipped_templates() == list(drafts.OCCASIONS)
    for name in drafts.OCCASIONS:
        template = drafts.load_template(name)
        assert template.filename == f"{name}.j2"
        assert drafts.template_description(drafts.template_source(name))


OCCASION_EXPECTATIONS = {
    "holiday": ("Dear Ada & Emeka,", "your 25th wedding anniversary and Emeka's 50th birthday", "Warmly,"),
    "birthday": ("Dear Ada,", "Happy birthday!", "With love,"),
    "anniversary": ("Dear Ada & Emeka,", "Happy anniversary!", "With love and congratulations,"),
    "sympathy": ("Dear Ada & Emeka,", "We were so sorry to hear your sad news", "With deepest sympathy,"),
    "thank-you": ("Dear Ada & Emeka,", "Thank you so much.", "With gratitude,"),
}


@pytest.mark.parametrize("occasion", drafts.OCCASIONS)
def test_each_occasion_template(sample_db, occasion):
    greeting, middle, closing = OCCASION_EXPECTATIONS[occasion]
    context = drafts.build_context(by_name(sample_db, "Ada Okafor"), today=TODAY, occasion=occasion)
    body, spans = drafts.render(drafts.load_template(occasion), context)
    assert body.startswith(greeting + "\n\n")
    assert middle in body
    assert body.endswith("\n\n" + closing)  # the closing words and nothing after: signed by hand
    assert "\n\n\n" not in body and "None" not in body
    assert spans  # the values it printed are known as data


def test_sympathy_and_holiday_name_who_died():
    record = house([
        person("Bob Whitaker", salutation="Bob", status="deceased", deceased_on="2026-05-10", pid="c1"),
        person("Carol Whitaker", salutation="Carol", pid="c2"),
    ])
    for occasion, words in (("sympathy", "so sorry to hear about Bob"), ("holiday", "and of Bob, this season")):
        body, _ = drafts.render(drafts.load_template(occasion),
                                drafts.build_context(record, today=TODAY, occasion=occasion))
        assert words in body
        assert "Dear Carol," in body


def test_round_birthday_and_anniversary_say_the_number():
    record = house([person("Ada Okafor", dates=[("birthday", 1986, 12, 1, None),
                                                ("anniversary", 2001, 12, 5, "wedding")])])
    birthday = drafts.render(drafts.load_template("birthday"),
                             drafts.build_context(record, today=TODAY, occasion="birthday"))[0]
    anniversary = drafts.render(drafts.load_template("anniversary"),
                                drafts.build_context(record, today=TODAY, occasion="anniversary"))[0]
    assert "Happy 40th birthday!" in birthday
    assert "Happy 25th anniversary!" in anniversary


# ---------------------------------------------------------------- the sandbox and strictness


def compile_(source, name="mine.j2"):
    return drafts.compile_template(source, name=name, filename=name)


RECIPIENT = house([person("Ada Okafor", salutation="Ada", notes=[("2026-01-01", "ask about Max the puppy")])])


@pytest.mark.parametrize(
    "attack",
    [
        "{{ ''.__class__.__mro__ }}",
        "{{ salutation.__class__.__mro__[1].__subclasses__() }}",
        "{{ members.__class__.__base__ }}",
        "{% for c in ''.__class__.__mro__[1].__subclasses__() %}{{ c }}{% endfor %}",
        "{{ notes.pop.__self__ }}",
        "{{ cycler.__init__.__globals__ }}",
    ],
)
def test_the_sandbox_blocks_python_internals(attack):
    template = compile_("Dear {{ salutation }},\n" + attack)
    context = drafts.build_context(RECIPIENT, today=TODAY)
    with pytest.raises(DraftError) as info:
        drafts.render(template, context)
    message = str(info.value)
    assert "template mine.j2, line 2" in message
    assert "h1 Ada Okafor" in message
    assert "sandbox" in message or "undefined" in message or "not defined" in message


def test_the_sandbox_refuses_to_mutate_the_context():
    template = compile_("{{ notes.append('x') }}")
    with pytest.raises(DraftError, match="sandbox"):
        drafts.render(template, drafts.build_context(RECIPIENT, today=TODAY))


@pytest.mark.parametrize(
    "source",
    [
        "{% for i in range(10**9) %}x{% endfor %}",
        "{{ 'x' * 10**9 }}",
        "{{ [salutation] * 10**8 }}",
        "{{ 2 ** 100000 }}",
        "{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}",
    ],
)
def test_a_runaway_template_is_an_error_not_a_hang(source):
    with pytest.raises(DraftError, match=r"template mine.j2, line 1: .*, for h1 Ada Okafor"):
        drafts.render(compile_(source), drafts.build_context(RECIPIENT, today=TODAY))


@pytest.mark.parametrize(
    ("source", "field", "line"),
    [
        ("Dear {{ salutation }},\n\n{{ nickname }}\n", "nickname", 3),
        ("Dear {{ salutation }},\n{{ members[0].nickname }}\n", "nickname", 2),
        ("{% if true %}\n\nHow is {{ news }}?\n{% endif %}", "news", 3),
        ("{{ last_received.news }}", "last_received", 1),
    ],
)
def test_a_missing_field_names_template_line_field_and_recipient(source, field, line):
    with pytest.raises(DraftError) as info:
        drafts.render(compile_(source), drafts.build_context(RECIPIENT, today=TODAY))
    message = str(info.value)
    assert f"template mine.j2, line {line}" in message
    assert f"field '{field}' is not defined" in message
    assert "for h1 Ada Okafor" in message


def test_optional_fields_can_be_tested_and_defaulted():
    source = "{% if news is defined %}{{ news }}{% else %}no news{% endif %} / {{ nickname | default('none') }}"
    body, _ = drafts.render(compile_(source), drafts.build_context(RECIPIENT, today=TODAY))
    assert body == "no news / none"


def test_a_template_syntax_error_names_file_and_line():
    with pytest.raises(Exception, match=r"template mine.j2, line 2: .*") as info:
        compile_("Dear {{ salutation }},\n{% if %}")
    assert isinstance(info.value, InvalidInput)


def test_contact_data_is_data_and_prints_literally():
    record = house([person("Ada Okafor", salutation="{{ 7*7 }}",
                           notes=[("2026-01-01", "{% raw %}{{ 7*7 }} {% endraw %}{# x #} {{ ''.__class__ }}")])])
    body, spans = drafts.render(compile_("Dear {{ salutation }},\n\n{{ notes[0] }}"),
                                drafts.build_context(record, today=TODAY))
    assert body == "Dear {{ 7*7 }},\n\n{% raw %}{{ 7*7 }} {% endraw %}{# x #} {{ ''.__class__ }}"
    assert [body[a:b] for a, b in spans] == ["{{ 7*7 }}", "{% raw %}{{ 7*7 }} {% endraw %}{# x #} {{ ''.__class__ }}"]


# ---------------------------------------------------------------- checks on the rendered draft


def test_template_syntax_in_a_note_is_not_an_unrendered_field():
    record = house([person("Ada Okafor", salutation="Ada", notes=[("2026-01-01", "she wrote {{ 7*7 }} on the cake")])])
    run = drafts.make_drafts([record], compile_("Dear {{ salutation }},\n\n{{ notes[0] }}\n\nLove,"), today=TODAY)
    assert run.drafts[0].body == "Dear Ada,\n\nshe wrote {{ 7*7 }} on the cake\n\nLove,"


@pytest.mark.parametrize(
    "source",
    [
        "Dear Valued Customer,\n\nHappy holidays.\n\nWarmly,",
        "Dear {{ salutation }},\n\nHello [First Name], happy holidays.\n\nWarmly,",
        "Dear %%Name%%,\n\nHappy holidays.\n\nWarmly,",
    ],
)
def test_generic_salutations_and_stray_merge_fields_in_the_template_are_errors(source):
    with pytest.raises(DraftError, match=r"draft for h1 Ada Okafor \(template mine.j2\): line \d+: salutation\."):
        drafts.make_drafts([RECIPIENT], compile_(source), today=TODAY)


def test_a_generic_salutation_from_the_book_is_an_error_too():
    record = house([person("Ada Okafor", salutation="Valued Customer")])
    with pytest.raises(DraftError, match="salutation"):
        drafts.make_drafts([record], drafts.load_template("holiday"), today=TODAY)


def test_a_typeset_signature_is_refused():
    template = compile_("Dear {{ salutation }},\n\nHappy holidays.\n\nLove,\nJo")
    with pytest.raises(DraftError, match="sign by hand"):
        drafts.make_drafts([RECIPIENT], template, today=TODAY, signer_names=["Jo Baker"])
    ok = drafts.make_drafts([RECIPIENT], drafts.load_template("holiday"), today=TODAY, signer_names=["Jo Baker"])
    assert ok.drafts[0].body.endswith("Warmly,")
    closing = compile_("Dear {{ salutation }},\n\nHappy holidays.\n\nLove from the four of us,")
    run = drafts.make_drafts([RECIPIENT], closing, today=TODAY, signer_names=["The Riveras"])
    assert run.drafts[0].body.endswith("of us,")
    with pytest.raises(DraftError, match="sign by hand"):
        drafts.make_drafts([RECIPIENT], compile_("Dear {{ salutation }},\n\nLove,\nthe Riveras"), today=TODAY,
                           signer_names=["The Riveras"])


def test_one_bad_recipient_stops_the_run_unless_keep_going():
    with_news = house([person("Ada Okafor")], [card(2025, "received", news="a puppy")], hid="h1")
    without = house([person("Ben Bell")], hid="h2")
    also_fine = house([person("Cy Day")], [card(2026, "received", news="a new roof")], hid="h3")
    template = compile_("Dear {{ salutation }},\n\nHow is {{ news }}?\n\nLove,")
    with pytest.raises(DraftError, match=r"line 3: field 'news' is not defined .* for h2 Ben Bell"):
        drafts.make_drafts([with_news, without, also_fine], template, today=TODAY)
    run = drafts.make_drafts([with_news, without, also_fine], template, today=TODAY, keep_going=True)
    assert [d.household for d in run.drafts] == ["h1", "h3"]
    assert [(f.household, f.name) for f in run.failures] == [("h2", "Ben Bell")]
    assert "news" in run.failures[0].message


def test_repeating_last_years_message_is_a_warning():
    record = house([person("Nora Quinn")], [card(2025, "sent", message="Thinking of you.")])
    run = drafts.make_drafts([record], compile_("Dear {{ salutation }},\n\nThinking of you.\n\nLove,"), today=TODAY)
    assert run.drafts[0].warnings == ["repeats what you wrote them last year: 'Thinking of you.'"]


# ---------------------------------------------------------------- the shared letter


def test_the_letter_loses_its_brag_lines_and_says_why():
    text = (EXAMPLES / "letter.md").read_text(encoding="utf-8")
    letter = drafts.prepare_letter(text, path="letter.md")
    lines = text.splitlines()
    # The sample letter's three brag lines, each for its own reason; everything else stays.
    assert [(r["line"], r["rule"].split(".")[1]) for r in letter.removed] == [
        (8, "ranking"), (13, "humble"), (16, "humble")]
    assert "olympiad" in lines[7] and "business class" in lines[12] and "humbled" in lines[15]
    for removed in letter.removed:
        assert removed["rule"].startswith("brag.")
        assert removed["text"] == lines[removed["line"] - 1].strip()
        assert removed["text"] not in letter.text
        assert removed["message"]
    assert "tomatoes than the squirrels" in letter.text  # warm news stays
    assert "Come and see us" in letter.text
    assert not letter.text.startswith("#")  # the heading mark is Markdown, not card text


def test_the_letter_loses_its_typeset_sign_off_so_no_draft_carries_one():
    text = "We had a lovely year.\nSent from my iPhone\n\nLove,\nJamie & Alex Rivera\n"
    letter = drafts.prepare_letter(text, path="letter.md")
    assert letter.text == "We had a lovely year."
    assert [(r["line"], r["text"], r["rule"]) for r in letter.removed] == [
        (2, "Sent from my iPhone", "signature.auto"),
        (5, "Jamie & Alex Rivera", "signature.printed-name"),
    ]
    assert letter.closing == "Love,"  # a closing phrase is not a signature: it ends the card
    assert letter.warnings == []
    family = drafts.prepare_letter("We had a lovely year.\n\nThe Rivera Family\n")
    assert family.text == "We had a lovely year." and family.removed[0]["rule"] == "signature.family-name"


def test_the_letters_greeting_gives_way_and_its_closing_ends_the_card(sample_db):
    text = "Dear friends and family,\n\nWe had a lovely year.\n\nWith love,\n"
    letter = drafts.prepare_letter(text)
    assert letter.text == "We had a lovely year." and letter.closing == "With love,"
    assert [(r["line"], r["rule"]) for r in letter.removed] == [(1, "greeting")]
    run = drafts.drafts_for(sample_db, [1], drafts.load_template("holiday"), today=TODAY, letter=letter)
    body = run.drafts[0].body
    assert body.count("Dear ") == 1 and "friends and family" not in body
    assert body.rstrip().endswith("With love,") and "Warmly," not in body
    # A first line that is a sentence, not a greeting, stays.
    assert drafts.prepare_letter("Hello from a snowy Vermont: what a year it was.\n").text.startswith("Hello")


def test_removed_lines_are_reported_on_every_draft(sample_db):
    letter = drafts.Letter("Our news.", removed=[{"line": 3, "text": "We won.", "rule": "brag.x", "message": "m"}],
                           warnings=["letter.md:1:1: tone.we: all we"])
    run = drafts.drafts_for(sample_db, [1, 2], drafts.load_template("holiday"), today=TODAY, letter=letter)
    for draft in run.drafts:
        data = draft.to_json()
        assert data["removed_lines"] == letter.removed
        assert data["warnings"] == ["letter.md:1:1: tone.we: all we"]
        assert "Our news." in data["body"]


def test_letter_for_card_reflows_markdown_paragraphs():
    assert drafts.letter_for_card("# Title\n\nOne line\nand the next.\n\n\nLast.") == (
        "Title\n\nOne line and the next.\n\nLast.")


def test_json_shape_of_a_draft(sample_db):
    run = drafts.drafts_for(sample_db, [book.resolve_household(sample_db, "Rosa")], drafts.load_template("holiday"),
                            today=TODAY)
    data = run.drafts[0].to_json()
    assert set(data) >= {"household", "salutation", "body", "needs_handwritten_signature", "removed_lines",
                         "warnings"}
    assert data["needs_handwritten_signature"] is True
    assert data["salutation"] == "Aunt Rosa"
    assert data["body"].startswith("Dear Aunt Rosa,")
    assert data["personal_line"] == {"suggested": True,
                                     "prompts": ["loves the robin cards; hard of hearing, so write, don't call"]}


def test_drafts_skip_who_gets_no_card_and_keep_the_order_asked(sample_db):
    ids = [book.resolve_household(sample_db, n) for n in ("Rosa", "Marcus Fenwick", "Ada Okafor")]
    run = drafts.drafts_for(sample_db, ids, drafts.load_template("holiday"), today=TODAY)
    assert [d.mailing_name for d in run.drafts] == ["Rosa Pemberton", "The Okafor Family"]
    assert run.skipped == [("Marcus Fenwick", "household is do-not-send")]


JINJA_ISH = st.lists(
    st.sampled_from(list("{}%#()*'\"_.,[] 7aeFimN") + ["Dear ", "{{", "}}", "{%", "%}", "\u2028", "\x0c", "é", "山"]),
    min_size=1, max_size=30,
).map("".join)


@given(JINJA_ISH.map(str.strip).filter(lambda t: t and "\n" not in t and "\r" not in t))
def test_any_note_prints_literally_and_never_trips_the_draft_checks(note):
    record = house([person("Ada Okafor", salutation="Ada", notes=[("2026-01-01", note)])])
    run = drafts.make_drafts([record], compile_("Dear {{ salutation }},\n\n{{ notes[0] }}\n\nLove,"), today=TODAY)
    assert run.drafts[0].body == f"Dear Ada,\n\n{note}\n\nLove,"


def test_a_likely_brag_is_a_consider_warning_and_names_are_names():
    from cardkeep import lint

    text = "Tiffany learned to ride her bike this summer.\n"
    assert drafts.prepare_letter(text, names={"Tiffany"}).removed == []
    # Whatever the model scores a line, drafts remove only sure brags and ask about the rest.
    letter = drafts.prepare_letter((EXAMPLES / "letter.md").read_text(encoding="utf-8"))
    findings = lint.lint_text((EXAMPLES / "letter.md").read_text(encoding="utf-8"))
    unsure = [f for f in findings if f.rule.startswith("brag") and not lint.is_cut(f)]
    assert len([w for w in letter.warnings if "consider cutting" in w]) == len(
        [f for f in unsure if f.line not in {r["line"] for r in letter.removed}])


def test_ideas_are_each_once_and_say_whom_they_are_about():
    record = house([
        person("Ada Okafor", notes=[("2026-05-01", "started a choir"), ("2026-04-01", "new puppy Max")]),
        person("Emeka Okafor", pid="c2", notes=[("2026-06-01", "new puppy Max"), ("2026-03-01", "Emeka ran a marathon")]),
    ], cards=[card(2026, "received", news="new puppy Max")])
    prompts = drafts.build_context(record, today=TODAY)["prompts"]
    assert prompts == ["Emeka: new puppy Max", "Ada: started a choir", "Emeka ran a marathon"]
