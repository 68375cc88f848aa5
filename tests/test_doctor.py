"""`cardkeep doctor`: each check fires on what would make a card go wrong, and stays quiet otherwise."""

import datetime as dt
import json

import pytest

from cardkeep import doctor
from cardkeep.dates import PartialDate
from cardkeep.formats.jsonbook import import_book
from cardkeep.store import book
from cardkeep.store.db import open_db
from tests.conftest import EXAMPLES

TODAY = dt.date(2026, 11, 20)
HOME = {"street": "12 Elm St", "city": "Springfield", "country": "US"}


@pytest.fixture
def db(db_path):
    db = open_db(db_path)
    yield db
    db.close()


def add(db, name, **kwargs):
    kwargs.setdefault("address", HOME)
    return book.add_contact(db, name, today=dt.date(2026, 1, 1), **kwargs)


def found(db, check=None, **kwargs):
    return [f for f in doctor.diagnose(db, today=TODAY, **kwargs) if check is None or f.check == check]


def test_every_check_is_registered_once():
    names = [name for name, _ in doctor.CHECKS]
    assert names == ["duplicates", "no-address", "no-country", "returned", "unverified", "deceased-in-name", "no-name",
                     "impossible-dates", "duplicate-dates", "unreadable-dates"]


def test_a_healthy_book_has_no_findings(db):
    ada = add(db, "Ada Okafor", emails=["ada@example.org"], dates=[("birthday", PartialDate(3, 14, 1978))])
    add(db, "Ben Okafor", household=book.contact_household(db, ada))
    add(db, "Sam Lee", phones=["+1 555 0100"])
    for household_id in book.household_ids(db):
        book.verify_address(db, household_id, on=dt.date(2026, 1, 5))
    assert found(db) == []


def test_duplicates_by_name_email_or_phone(db):
    first = add(db, "Ada Okafor")
    second = add(db, "ada  okafor")  # same name, other case and spacing
    add(db, "Zoë Müller", emails=["zoe@example.org"])
    add(db, "Zoe Mueller", emails=["ZOE@example.org"])
    add(db, "Sam Lee", phones=["+1 (555) 010-0200"])
    add(db, "Samuel Lee", phones=["15550100200"])
    add(db, "Max Ng", phones=["112"])  # too short to mean anything
    add(db, "Mia Ng", phones=["112"])
    findings = found(db, "duplicates")
    assert [(f.ref, f.problem.split("(")[-1]) for f in findings] == [
        (f"c{first}", "same name)"), ("c3", "same e-mail address)"), ("c5", "same phone number)")
    ]
    assert findings[0].problem == f"probably the same person as c{second} ada okafor (same name)"
    assert findings[0].fix == f"cardkeep show c{first}; then, if it is one person, cardkeep rm c{second}"


def test_household_without_a_current_address(db):
    ada = add(db, "Ada Okafor", address=None)
    moved = add(db, "Ben Lee", address=None)
    book.move(db, book.contact_household(db, moved), HOME, since=dt.date(2026, 1, 1))
    gone = add(db, "Old Friend", address=None)
    book.set_household_status(db, book.contact_household(db, gone), "lost-touch")
    dead = add(db, "Late Uncle", address=None)
    book.set_contact_status(db, dead, "deceased", on=dt.date(2025, 1, 1))
    findings = found(db, "no-address")
    household = book.contact_household(db, ada)
    assert [(f.ref, f.name) for f in findings] == [(f"h{household}", "Ada Okafor")]
    assert findings[0].fix.startswith(f"cardkeep move h{household} --street")


def test_returned_mail_and_unverified_addresses(db):
    returned = book.contact_household(db, add(db, "Grace Holloway"))
    old = book.contact_household(db, add(db, "Walter Gruber"))
    fresh = book.contact_household(db, add(db, "Nora Quinn"))
    never = book.contact_household(db, add(db, "Ian Never"))
    book.verify_address(db, returned, on=dt.date(2020, 11, 20))
    book.mark_address_returned(db, returned, on=dt.date(2026, 1, 9))
    book.verify_address(db, old, on=dt.date(2023, 11, 19))  # three years and a day before TODAY
    book.verify_address(db, fresh, on=dt.date(2023, 11, 20))  # exactly three years: still fine
    db.execute("update households set created = '2019-05-01' where id = ?", [never])
    assert [(f.ref, f.problem) for f in found(db, "returned")] == [
        (f"h{returned}", "mail to 12 Elm St, Springfield came back on 2026-01-09")
    ]
    assert [(f.ref, f.problem) for f in found(db, "unverified")] == [
        (f"h{old}", "address not verified since 2023-11-19, over 3 years ago"),
        (f"h{never}", "address never verified (on file since 2019-05-01), over 3 years ago"),
    ]
    assert found(db, "unverified")[0].fix.startswith(f"cardkeep verify h{old}")
    assert len(found(db, "unverified", unverified_years=10)) == 0


def test_unverified_years_comes_from_the_config(db, tmp_path):
    household = book.contact_household(db, add(db, "Walter Gruber"))
    book.verify_address(db, household, on=dt.date(2025, 1, 1))
    assert found(db, "unverified") == []
    (tmp_path / "config.toml").write_text("[doctor]\nunverified_years = 1\n")
    assert [f.ref for f in found(db, "unverified")] == [f"h{household}"]
    (tmp_path / "config.toml").write_text("[doctor]\nunverified_years = 0\n")
    with pytest.raises(Exception, match=r"\[doctor\] unverified_years"):
        found(db)


def test_a_mailing_name_that_still_names_someone_who_died(db):
    bob = add(db, "Bob Whitaker")
    household = book.contact_household(db, bob)
    add(db, "Carol Whitaker", household=household)
    book.rename_household(db, household, "Bob & Carol Whitaker")
    book.set_contact_status(db, bob, "deceased", on=dt.date(2026, 5, 10))
    findings = found(db, "deceased-in-name")
    assert [(f.ref, f.problem) for f in findings] == [
        (f"h{household}", f"the mailing name still names Bob Whitaker (c{bob}), who died on 2026-05-10")
    ]
    assert findings[0].fix.startswith(f"cardkeep household rename h{household} --auto")
    # A generated name already leaves him out; a hand-typed one without him is fine too.
    book.rename_household(db, household, None)
    assert found(db, "deceased-in-name") == []
    book.rename_household(db, household, "Mrs. Carol Whitaker")
    assert found(db, "deceased-in-name") == []


def test_a_shared_given_name_is_not_flagged(db):
    senior = add(db, "John Smith")
    household = book.contact_household(db, senior)
    add(db, "John Smith Jr", given_name="John", household=household)
    book.rename_household(db, household, "John Smith Jr")
    book.set_contact_status(db, senior, "deceased", on=dt.date(2024, 1, 1))
    assert found(db, "deceased-in-name") == []


def test_contacts_with_no_real_name(db):
    email_only = add(db, "ada@example.org", emails=["ada@example.org"])
    same_as_email = add(db, "Ben", emails=["ben"])
    symbols = add(db, "???")
    add(db, "O'Brien")
    add(db, "山田 太郎")
    assert [(f.ref, f.problem) for f in found(db, "no-name")] == [
        (f"c{email_only}", "known only by an e-mail address"),
        (f"c{same_as_email}", "known only by an e-mail address"),
        (f"c{symbols}", "the name '???' has no letters in it"),
    ]
    assert found(db, "no-name")[0].fix == f'cardkeep edit c{email_only} --name "Their Name"'


def test_dates_that_cannot_be_right(db):
    future = add(db, "Baby Future", dates=[("birthday", PartialDate(1, 1, 2027))])
    early = add(db, "Early Wed", dates=[("birthday", PartialDate(3, 14, 1978)), ("anniversary", PartialDate(6, 23, 1970))])
    dead = add(db, "Gone Before", dates=[("birthday", PartialDate(7, 4, 1944))])
    book.set_contact_status(db, dead, "deceased", on=dt.date(1940, 1, 1))
    fine = add(db, "Fine Person", dates=[("birthday", PartialDate(2, 29, 1988)), ("anniversary", PartialDate(6, 1, 2010)),
                                         ("birthday", PartialDate(12, 25))])
    assert fine
    problems = [(f.ref, f.problem) for f in found(db, "impossible-dates")]
    assert problems == [
        (f"c{future}", "birthday 2027-01-01 is in the future"),
        (f"c{early}", "anniversary 1970-06-23 is before the birthday 1978-03-14"),
        (f"c{dead}", "date of death 1940-01-01 is before the birthday 1944-07-04"),
    ]


def test_the_sample_book(db):
    import_book(db, json.loads((EXAMPLES / "book.json").read_text()), source="book.json", today="2026-11-01")
    findings = doctor.diagnose(db, today=TODAY)
    by_name = {(f.check, f.name) for f in findings}
    assert ("returned", "Grace Holloway") in by_name  # mail came back in January
    assert ("unverified", "Walter Gruber") in by_name  # last checked in 2019
    assert ("unverified", "Grace Holloway") not in by_name  # reported once, as returned
    named = {f.name for f in findings}
    # The special households with good data say nothing.
    assert not named & {"Ada, Emeka, Chidi & Ngozi Okafor", "Carol Whitaker", "Hannah & Lars Jensen", "Marcus Fenwick"}
    assert not [f for f in findings if f.check in ("deceased-in-name", "no-name", "impossible-dates", "no-address")]


# ---------------------------------------------------------------- the command


def test_doctor_exit_0_on_a_healthy_book(cli, db):
    household = book.contact_household(db, add(db, "Ada Okafor"))
    book.verify_address(db, household, on=dt.date(2026, 1, 1))
    result = cli("doctor", "--today", "2026-11-20")
    assert (result.exit_code, result.stdout) == (0, "No problems found.\n")
    assert cli("doctor", "--json", "--today", "2026-11-20").stdout == "[]\n"


def test_doctor_lists_problems_with_fixes_and_exits_1(cli, db):
    household = book.contact_household(db, add(db, "Grace Holloway"))
    book.mark_address_returned(db, household, on=dt.date(2026, 1, 9))
    add(db, "Late Entry", address=None)
    result = cli("doctor", "--today", "2026-11-20")
    assert result.exit_code == 1
    assert result.stdout == (
        "h2 Late Entry: no current address: no card can go out\n"
        "    fix: cardkeep move h2 --street ... --city ... --postal-code ... --country CC\n"
        "h1 Grace Holloway: mail to 12 Elm St, Springfield came back on 2026-01-09\n"
        "    fix: cardkeep move h1 --street ... (the new address), or cardkeep verify h1 if it is right\n"
    )
    assert result.stderr == "2 problems found\n"
    as_json = json.loads(cli("doctor", "--json", "--today", "2026-11-20").stdout)
    assert [(f["check"], f["ref"]) for f in as_json] == [("no-address", "h2"), ("returned", "h1")]
    assert set(as_json[0]) == {"check", "ref", "name", "problem", "fix"}


def test_doctor_reads_and_never_writes(cli, db, db_path):
    add(db, "Ada Okafor")
    add(db, "Ada Okafor")
    before = "\n".join(db.conn.iterdump())
    assert cli("doctor", "--today", "2026-11-20").exit_code == 1
    assert "\n".join(open_db(db_path).conn.iterdump()) == before


def test_doctor_today_is_validated(cli):
    result = cli("doctor", "--today", "2026-02-30")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: --today:")


def test_a_couple_sharing_a_phone_or_an_e_mail_is_not_a_duplicate(db):
    ada = add(db, "Ada Okafor", phones=["+1 555 010 0200"], emails=["okafors@example.org"])
    add(db, "Emeka Okafor", household=book.contact_household(db, ada), address=None,
        phones=["+1 555 010 0200"], emails=["okafors@example.org"])
    assert found(db, "duplicates") == []


def test_a_wrong_labelled_date_is_fixed_with_date_rm_and_add(db):
    ada = add(db, "Ada Okafor", dates=[("birthday", PartialDate(3, 14, 1978))])
    wedding = book.add_date(db, ada, "anniversary", PartialDate(6, 23, 1970), label="wedding")
    plain = add(db, "Ben Ode", dates=[("birthday", PartialDate(1, 1, 2027))])
    fixes = {f.ref: f.fix for f in found(db, "impossible-dates")}
    assert fixes[f"c{ada}"].startswith(
        f'cardkeep date rm d{wedding}; then cardkeep date add c{ada} anniversary YYYY-MM-DD --label "wedding"')
    assert fixes[f"c{plain}"] == f"cardkeep edit c{plain} --birthday YYYY-MM-DD (or --MM-DD without the year)"


def test_a_date_recorded_twice_and_a_rule_nobody_can_read(db):
    ada = add(db, "Ada Okafor", dates=[("birthday", PartialDate(3, 14, 1978))])
    emeka = add(db, "Emeka Okafor", household=book.contact_household(db, ada),
                dates=[("anniversary", PartialDate(6, 23, 2001))])
    book.add_date(db, emeka, "anniversary", PartialDate(6, 23, 2001))  # entered twice
    book.add_date(db, ada, "anniversary", PartialDate(6, 23, 2001))  # the spouse's copy is not a duplicate
    db.execute("insert into dates (contact_id, kind, rule, label) values (?, 'custom', 'bogus rule', 'Name day')",
               [ada])
    (twice,) = found(db, "duplicate-dates")
    assert (twice.ref, twice.fix) == (f"c{emeka}", "cardkeep date rm d3")
    (bad,) = found(db, "unreadable-dates")
    assert bad.ref == f"c{ada}" and "'bogus rule'" in bad.problem and bad.fix.startswith("cardkeep date rm d5")
