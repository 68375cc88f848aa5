"""The plan rules as plain functions: each reason has a case that fires it and one that keeps it quiet."""

import datetime as dt

import pytest
from hypothesis import given, strategies as st

from cardkeep.errors import CardkeepError
from cardkeep.model import Address, Card, Household, ImportantDate, Note, Person
from cardkeep.plan import rules as planning
from cardkeep.settings import SettingsError, load_settings

TODAY = dt.date(2026, 11, 23)
YEAR = 2026
CONFIG = {"sender": {"country": "US"}}
HOME = Address("US", "Springfield", verified_on=dt.date(2026, 1, 5))


def exchanged(years, *, back=None):
    """Holiday cards sent in `years`, and received in `back` (default: the same years)."""
    back = years if back is None else back
    cards = [Card(y, "holiday", "sent", dt.date(y, 12, 5), f"Design {y}") for y in years]
    return tuple(cards + [Card(y, "holiday", "received", dt.date(y, 12, 18)) for y in back])


def house(**fields) -> Household:
    base = dict(
        id=1,
        mailing_name="Ada & Ben Okafor",
        created=dt.date(2016, 1, 10),
        members=(Person(1, "Ada Okafor", "Ada"), Person(2, "Ben Okafor", "Ben")),
        address=HOME,
        cards=exchanged(range(2016, 2026)),
    )
    base.update(fields)
    return Household(**base)


def decide(h: Household, config=CONFIG, today=TODAY, year=YEAR, **kw) -> planning.Decision:
    return planning.decide(h, planning.Season.of(load_settings(config), year), today=today, **kw)


def fired(h: Household, text: str, **kw) -> bool:
    return any(text in reason for reason in decide(h, **kw).reasons)


# ---------------------------------------------------------------- the ordinary case


def test_a_faithful_friend_gets_a_card_with_a_history_and_a_mail_by_date():
    d = decide(house())
    assert d.decision == "send"
    assert d.reasons == ("sent every year since 2016", "they sent us one in 2025: reciprocate")
    assert d.mail_by == dt.date(2026, 12, 15)  # 20 December less 5 domestic days
    assert (d.country, d.international, d.years_sent, d.years_back, d.first_year) == ("US", False, 10, 10, 2016)


def test_json_shape():
    data = decide(house()).to_json()
    assert data == {
        "household": "h1", "mailing_name": "Ada & Ben Okafor", "decision": "send",
        "reasons": ["sent every year since 2016", "they sent us one in 2025: reciprocate"],
        "mail_by": "2026-12-15", "country": "US", "international": False,
        "first_year": 2016, "years_sent": 10, "years_back": 10,
    }


# ---------------------------------------------------------------- skip, always


@pytest.mark.parametrize(
    ("h", "reason"),
    [
        (house(status="do-not-send"), "household is do-not-send"),
        (house(members=(Person(1, "Ada Okafor", "Ada", "do-not-send"),)), "do-not-send"),
        (house(members=(Person(1, "Ada Okafor", "Ada", "do-not-send"),
                        Person(2, "Ben Okafor", "Ben", "deceased", dt.date(2019, 1, 1)))), "do-not-send"),
    ],
)
def test_do_not_send_skips_even_a_faithful_friend(h, reason):
    d = decide(h)
    assert (d.decision, d.reasons) == ("skip", (reason,))


def test_do_not_send_quiet_when_one_member_still_wants_cards():
    h = house(members=(Person(1, "Ada Okafor", "Ada", "do-not-send"), Person(2, "Ben Okafor", "Ben")))
    assert decide(h).decision == "send"


def test_everyone_deceased_skips():
    gone = (Person(1, "Ada", status="deceased", deceased_on=dt.date(2020, 1, 1)),
            Person(2, "Ben", status="deceased", deceased_on=dt.date(2021, 1, 1)))
    d = decide(house(members=gone))
    assert (d.decision, d.reasons) == ("skip", ("everyone deceased",))
    assert not fired(house(members=gone[:1] + (Person(2, "Ben Okafor", "Ben"),)), "everyone deceased")


def test_lost_touch_skips():
    assert decide(house(status="lost-touch")).reasons == ("lost touch",)
    assert not fired(house(), "lost touch")


def test_a_card_already_sent_this_year_is_not_sent_twice():
    h = house(cards=exchanged(range(2016, 2026)) + (Card(2026, "holiday", "sent", dt.date(2026, 11, 20)),))
    d = decide(h)
    assert (d.decision, d.reasons) == ("skip", ("already sent on 2026-11-20",))
    # A first card, sent this year: the history starts this year, not nowhere.
    d = decide(house(cards=(Card(2026, "holiday", "sent", dt.date(2026, 11, 20)),)))
    assert (d.years_sent, d.first_year) == (1, 2026)
    d = decide(house(cards=(Card(2026, "holiday", "received", dt.date(2026, 11, 20)),)))
    assert (d.years_back, d.first_year) == (1, 2026)
    # A birthday card this year is not the holiday card.
    h = house(cards=exchanged(range(2016, 2026)) + (Card(2026, "birthday", "sent", dt.date(2026, 3, 1)),))
    assert decide(h).decision == "send"


# ---------------------------------------------------------------- the relationship


def test_new_this_year():
    h = house(created=dt.date(2026, 3, 15), cards=())
    d = decide(h)
    assert (d.decision, d.reasons) == ("send", ("new this year",))
    assert not fired(house(), "new this year")


def test_no_cards_at_all_and_not_new_is_to_consider():
    d = decide(house(created=dt.date(2024, 5, 1), cards=()))
    assert d.decision == "consider"
    assert d.reasons == ("in the book since 2024 but no card either way yet: consider",)


def test_they_wrote_years_ago_and_we_never_did():
    d = decide(house(cards=exchanged([], back=[2019, 2021])))
    assert (d.decision, d.reasons) == ("consider", ("they sent us cards in 2 years (last in 2021), we never have: consider",))


def test_gaps_in_sending_are_counted_over_the_whole_history():
    d = decide(house(cards=exchanged([2014, 2015, 2017, 2020, 2021], back=[2014, 2021])))
    assert d.reasons[0] == "sent 5 of 12 years since 2014, last in 2021"
    assert d.decision == "send"


def test_reciprocate_fires_when_they_wrote_last_year_even_if_we_did_not():
    h = house(cards=(Card(2025, "holiday", "received", dt.date(2025, 12, 20)),))
    d = decide(h)
    assert (d.decision, d.reasons) == ("send", ("they sent us one in 2025: reciprocate",))
    h = house(cards=exchanged(range(2016, 2026)) + (Card(2026, "holiday", "received", dt.date(2026, 11, 20)),))
    assert fired(h, "they already sent one this year: reciprocate")


def test_reciprocate_quiet_when_their_last_card_is_older():
    assert not fired(house(cards=exchanged(range(2016, 2026), back=[2016, 2024])), "reciprocate")


# ---------------------------------------------------------------- quiet years and long friendships


def test_no_card_back_in_five_years_is_to_consider():
    d = decide(house(cards=exchanged(range(2019, 2026), back=[2019, 2020])))
    assert d.decision == "consider"
    assert "no card back in 5 years: consider" in d.reasons


def test_never_a_card_back():
    d = decide(house(cards=exchanged(range(2020, 2026), back=[])))
    assert (d.decision, "never sent one back in 6 years: consider" in d.reasons) == ("consider", True)


def test_quiet_years_below_the_threshold_stay_quiet():
    d = decide(house(cards=exchanged(range(2019, 2026), back=[2019, 2020, 2021])))
    assert d.decision == "send"
    assert not any("card back" in r or "never" in r for r in d.reasons)


def test_quiet_threshold_is_configurable():
    h = house(cards=exchanged(range(2019, 2026), back=[2019, 2020, 2021, 2022]))
    assert decide(h).decision == "send"
    assert decide(h, config={**CONFIG, "plan": {"quiet_years": 3}}).decision == "consider"


@pytest.mark.parametrize("where", ["household", "member"])
def test_an_exempt_tag_keeps_the_cards_going(where):
    cards = exchanged(range(2016, 2026), back=[2016])
    if where == "household":
        h = house(cards=cards, tags=frozenset({"elder"}))
    else:
        h = house(cards=cards, members=(Person(1, "Rosa", "Rosa", tags=frozenset({"always"})),))
    d = decide(h)
    assert d.decision == "send"
    tag = "elder" if where == "household" else "always"
    assert f"no card back in 9 years, but tagged {tag}: send anyway" in d.reasons


def test_exempt_tags_are_configurable():
    h = house(cards=exchanged(range(2016, 2026), back=[2016]), tags=frozenset({"elder"}))
    assert decide(h, config={**CONFIG, "plan": {"exempt_tags": ["godparent"]}}).decision == "consider"


def test_a_long_friendship_does_not_drop_for_a_few_quiet_years():
    """The loyalty-program mistake: judging only the last few years. Twenty years of cards back,
    then four quiet ones, with a strict three-year threshold: still send."""
    h = house(cards=exchanged(range(2002, 2026), back=range(2002, 2022)))
    d = decide(h, config={**CONFIG, "plan": {"quiet_years": 3}})
    assert d.decision == "send"
    assert ("quiet since 2021, but they sent cards in 20 years since 2002: a long friendship, keep sending"
            in d.reasons)
    # The same four quiet years after only two years of cards back: consider.
    short = house(cards=exchanged(range(2020, 2026), back=[2020, 2021]))
    assert decide(short, config={**CONFIG, "plan": {"quiet_years": 3}}).decision == "consider"


def test_a_long_friendship_quiet_for_as_long_as_it_lasted_is_to_consider():
    h = house(cards=exchanged(range(2006, 2026), back=range(2006, 2012)))  # 6 years back, then 14 quiet
    assert decide(h).decision == "consider"


# ---------------------------------------------------------------- addresses


def test_no_current_address_is_to_consider():
    d = decide(house(address=None))
    assert (d.decision, d.mail_by) == ("consider", None)
    assert "no current address: add one with `cardkeep move`" in d.reasons


def test_unverified_address():
    h = house(address=Address("US", "Duluth", verified_on=dt.date(2021, 3, 1)))
    assert fired(h, "address unverified since 2021: check it")
    assert decide(h).decision == "send"
    assert not fired(house(address=Address("US", "Duluth", verified_on=dt.date(2024, 3, 1))), "unverified")
    assert not fired(house(address=Address("US", "Duluth")), "unverified")  # nothing known: nothing said


def test_returned_card_means_the_address_needs_fixing():
    cards = exchanged(range(2016, 2025)) + (Card(2025, "holiday", "sent", dt.date(2025, 12, 5), returned=True),)
    h = house(cards=cards, address=Address("US", "Brooklyn", verified_on=dt.date(2020, 1, 1),
                                           returned_on=dt.date(2026, 1, 9)))
    d = decide(h)
    assert d.decision == "consider"
    assert "card came back in 2025: address needs fixing" in d.reasons
    assert not any("unverified" in r for r in d.reasons)  # one address problem at a time
    # Verified (or moved) since: the flag on the address is gone and so is the reason.
    fixed = house(cards=cards, address=Address("US", "Brooklyn", verified_on=dt.date(2026, 2, 1)))
    assert not fired(fixed, "came back")


def test_moved_recently():
    h = house(moved=True, address=Address("US", "Denver", valid_from=dt.date(2026, 3, 1)))
    assert fired(h, "moved to Denver in 2026: new address")
    assert not fired(house(moved=True, address=Address("US", "Denver", valid_from=dt.date(2019, 3, 1))), "moved")
    # A first address is not a move.
    assert not fired(house(address=Address("US", "Denver", valid_from=dt.date(2026, 3, 1))), "moved")


def test_a_move_is_news_until_a_card_goes_to_the_new_address():
    moved_2026 = Address("US", "Seattle", valid_from=dt.date(2026, 5, 1))
    cards = exchanged(range(2016, 2027))  # the 2026 card (5 December) went to Seattle
    assert fired(house(moved=True, address=moved_2026), "moved to Seattle in 2026", year=2026)
    assert not fired(house(moved=True, address=moved_2026, cards=cards), "moved", year=2027,
                     today=dt.date(2027, 11, 20))


def test_a_flagged_address_is_not_a_card_that_came_back():
    flagged = Address("US", "Brooklyn", verified_on=dt.date(2020, 1, 1), returned_on=dt.date(2026, 6, 1))
    assert fired(house(address=flagged), "address flagged as returned on 2026-06-01: check it")
    assert not fired(house(address=flagged), "card came back")


# ---------------------------------------------------------------- life events


def test_a_death_in_the_household():
    people = (Person(1, "Bob Whitaker", "Bob", "deceased", dt.date(2025, 5, 10)), Person(2, "Carol Whitaker", "Carol"))
    d = decide(house(members=people, mailing_name="Carol Whitaker"))
    assert d.decision == "send"
    assert "Bob died in 2025: address to Carol alone; consider a thinking-of-you note" in d.reasons
    # A death since last December is the first holiday season without them.
    people = (Person(1, "Bob Whitaker", "Bob", "deceased", dt.date(2026, 5, 10)), Person(2, "Carol Whitaker", "Carol"))
    assert fired(house(members=people, mailing_name="Carol Whitaker"), "Bob died in 2026 (the first holidays since)")


def test_a_death_long_ago_is_not_mentioned_again():
    people = (Person(1, "Bob Whitaker", "Bob", "deceased", dt.date(2019, 5, 10)), Person(2, "Carol Whitaker", "Carol"))
    assert not fired(house(members=people, mailing_name="Carol Whitaker"), "died")


def test_a_hand_set_mailing_name_that_still_names_the_deceased_is_flagged():
    people = (Person(1, "Bob Whitaker", "Bob", "deceased", dt.date(2026, 5, 10)), Person(2, "Carol Whitaker", "Carol"))
    assert fired(house(members=people, mailing_name="Bob & Carol Whitaker"), "the mailing name still says Bob")
    assert not fired(house(members=people, mailing_name="Carol Whitaker"), "mailing name still")


def test_round_wedding_anniversary_and_birthday_this_year():
    dates = (ImportantDate(1, "anniversary", 2001, 6, 23, "wedding"), ImportantDate(2, "anniversary", 2001, 6, 23, "wedding"),
             ImportantDate(2, "birthday", 1976, 9, 2))
    d = decide(house(dates=dates))
    assert d.reasons.count("25th wedding anniversary this year") == 1
    assert "Ben turns 50 this year" in d.reasons


def test_ordinary_anniversaries_and_birthdays_stay_quiet():
    dates = (ImportantDate(1, "anniversary", 2003, 6, 23, "wedding"), ImportantDate(2, "birthday", 1977, 9, 2),
             ImportantDate(2, "birthday", None, 9, 2))
    assert decide(house(dates=dates)).reasons == ("sent every year since 2016", "they sent us one in 2025: reciprocate")


def test_a_deceased_persons_birthday_is_not_a_milestone():
    people = (Person(1, "Bob", "Bob", "deceased", dt.date(2010, 1, 1)), Person(2, "Carol", "Carol"))
    assert not fired(house(members=people, dates=(ImportantDate(1, "birthday", 1946, 7, 4),)), "turns")


def test_first_holiday_since_the_new_baby():
    notes = (Note(2, "new baby Anika born on 2 April", dt.date(2026, 4, 12)),)
    assert fired(house(notes=notes), "first holiday since the new baby (noted 2026-04-12)")


def test_baby_news_from_before_the_last_card_is_old_news():
    notes = (Note(2, "new baby Anika born on 2 April", dt.date(2025, 4, 12)),)
    assert not fired(house(notes=notes), "baby")
    notes = (Note(2, "Ada started teaching piano", dt.date(2026, 4, 12)),)
    assert not fired(house(notes=notes), "baby")
    notes = (Note(2, "they visited Babylon, NY", dt.date(2026, 4, 12)),)  # a whole word, not a prefix
    assert not fired(house(notes=notes), "baby")


def test_a_member_born_since_the_last_card():
    people = (Person(1, "Ada", "Ada"), Person(3, "Anika Okafor", "Anika"))
    h = house(members=people, dates=(ImportantDate(3, "birthday", 2026, 4, 2),))
    assert fired(h, "first holiday since Anika was born")


def test_over_contact_warning():
    extra = tuple(Card(2026, occ, "sent", dt.date(2026, m, 1)) for occ, m in
                  [("birthday", 2), ("thank-you", 5), ("sympathy", 8)])
    d = decide(house(cards=exchanged(range(2016, 2026)) + extra))  # with last December's: 4
    assert d.decision == "send"
    assert "already sent 4 cards in the last 12 months: maybe keep this one short and warm" in d.reasons
    assert not fired(house(cards=exchanged(range(2016, 2026)) + extra[:2]), "cards in the last 12 months")


def test_a_design_they_already_had():
    assert fired(house(), "already had the Design 2019 design in 2019: pick another", design="design 2019")
    assert not fired(house(), "already had", design="Snowy owl")


def test_late_when_the_mail_by_date_has_passed():
    assert fired(house(), "mail-by date 2026-12-15 has passed: mail it soon", today=dt.date(2026, 12, 17))
    assert not fired(house(), "has passed")


# ---------------------------------------------------------------- the whole plan


def test_plan_sorts_international_first_then_mail_by_then_name():
    houses = [
        house(id=1, mailing_name="Zed", address=Address("US")),
        house(id=2, mailing_name="Amy", address=Address("US")),
        house(id=3, mailing_name="Jo", address=Address("FR")),
        house(id=4, mailing_name="Kim", address=Address("AU")),  # slower: earlier mail-by
        house(id=5, mailing_name="Nobody", address=None),
    ]
    p = planning.plan(houses, year=YEAR, today=TODAY, settings=load_settings(CONFIG))
    assert [d.mailing_name for d in p.decisions] == ["Kim", "Jo", "Amy", "Zed", "Nobody"]
    assert [d.mail_by for d in p.decisions][:3] == [dt.date(2026, 12, 2), dt.date(2026, 12, 6), dt.date(2026, 12, 15)]
    assert p.stamps() == {"domestic": 2, "international": 2}
    assert (p.home, p.home_inferred) == ("US", False)


def test_home_country_is_inferred_from_the_book_when_not_configured():
    houses = [house(id=1, address=Address("DE")), house(id=2, address=Address("DE")), house(id=3, address=Address("US"))]
    p = planning.plan(houses, year=YEAR, today=TODAY, settings=load_settings({}))
    assert (p.home, p.home_inferred) == ("DE", True)
    assert [d.international for d in p.decisions] == [True, False, False]


def test_lead_times_and_target_date_from_the_config():
    config = {**CONFIG, "plan": {"arrive_by": "12-18"}, "mail": {"domestic": 3, "countries": {"FR": 20}}}
    p = planning.plan([house(id=1), house(id=2, address=Address("FR"))], year=YEAR, today=TODAY,
                      settings=load_settings(config))
    assert [(d.country, d.mail_by) for d in p.decisions] == [("FR", dt.date(2026, 11, 28)), ("US", dt.date(2026, 12, 15))]


def test_a_japanese_households_holiday_card_is_a_new_year_card():
    japan = house(id=2, mailing_name="山田 太郎・花子 様", address=Address("JP"))
    abroad = planning.plan([house(id=1), japan], year=YEAR, today=TODAY, settings=load_settings(CONFIG))
    jp = next(d for d in abroad.decisions if d.country == "JP")
    assert jp.mail_by == dt.date(2027, 1, 1) - dt.timedelta(days=14)  # arrives on 1 January, from the US
    assert any(r.startswith("a New Year card (nengajō)") for r in jp.reasons)
    at_home = planning.plan([japan], year=YEAR, today=TODAY, settings=load_settings({"sender": {"country": "JP"}}))
    assert at_home.decisions[0].mail_by == dt.date(2026, 12, 25)  # Japan Post's New Year deadline
    birthday = planning.plan([japan], year=YEAR, today=TODAY, settings=load_settings(
        {**CONFIG, "plan": {"targets": {"birthday": "06-01"}}}), occasion="birthday")
    assert not any("New Year" in r for r in birthday.decisions[0].reasons)


@pytest.mark.parametrize(
    ("plan_table", "message"),
    [
        ({"quiet_years": "five"}, "quiet_years"),
        ({"quiet_years": 0}, "quiet_years"),
        ({"arrive_by": "12/20"}, "arrive_by"),
        ({"arrive_by": "02-30"}, "arrive_by"),
        ({"exempt_tags": "always"}, "exempt_tags"),
    ],
)
def test_bad_settings_name_the_key(plan_table, message):
    with pytest.raises(SettingsError, match=message):
        load_settings({"plan": plan_table})


def test_a_29_february_target_holds_in_every_year():
    config = {"plan": {"targets": {"other": "02-29"}}}
    assert load_settings(config).arrive_by(2027, "other") == dt.date(2027, 2, 28)
    assert load_settings(config).arrive_by(2028, "other") == dt.date(2028, 2, 29)
    people = (Person(1, "Bob Whitaker", "Bob", "deceased", dt.date(2027, 5, 10)), Person(2, "Carol Whitaker", "Carol"))
    d = planning.decide(house(members=people), planning.Season.of(load_settings(config), 2028, "other"),
                        today=dt.date(2028, 1, 20))
    assert "Bob died in 2027: address to Carol alone; consider a thinking-of-you note" in d.reasons


def test_other_occasions_need_a_target_date():
    with pytest.raises(CardkeepError, match=r"\[plan.targets\] thank-you"):
        load_settings({}).arrive_by(YEAR, "thank-you")
    s = load_settings({"plan": {"targets": {"thank-you": "01-15"}}})
    assert s.arrive_by(2027, "thank-you") == dt.date(2027, 1, 15)


_years = st.sets(st.integers(1990, 2025), max_size=30)


@given(sent=_years, back=_years, tags=st.sets(st.sampled_from(["always", "elder", "work"])))
def test_decisions_are_deterministic_and_always_explained(sent, back, tags):
    h = house(cards=exchanged(sorted(sent), back=sorted(back)), tags=frozenset(tags))
    first, again = decide(h), decide(h)
    assert first == again
    assert first.decision in planning.DECISIONS
    assert first.reasons  # never a decision without a reason
    # A tagged household is never downgraded for being quiet.
    if tags & {"always", "elder"} and sent:
        assert first.decision == "send"


@given(st.integers(0, 40))
def test_more_years_of_cards_back_never_turn_send_into_consider(extra):
    """Whole-history judgement is monotone: a longer record of cards back can only help."""
    base = exchanged(range(1980, 2026), back=range(2015, 2019))
    longer = exchanged(range(1980, 2026), back=range(2015 - extra, 2019))
    rank = {"send": 0, "consider": 1}
    assert rank[decide(house(cards=longer)).decision] <= rank[decide(house(cards=base)).decision]


def test_leap_day_today():
    """29 February: "a year ago" is 28 February, and nothing breaks."""
    leap = dt.date(2028, 2, 29)
    cards = exchanged(range(2016, 2028)) + (
        Card(2027, "other", "sent", dt.date(2027, 2, 28)),
        Card(2027, "birthday", "sent", dt.date(2027, 3, 1)),
        Card(2027, "thank-you", "sent", dt.date(2027, 3, 2)),
    )
    d = decide(house(cards=cards, address=Address("US", verified_on=dt.date(2025, 2, 28))), today=leap, year=2028)
    assert "address unverified since 2025: check it" in d.reasons
    # The card of 28 February 2027 is exactly a year old: not "in the last 12 months".
    assert not any("cards in the last 12 months" in r for r in d.reasons)
    d = decide(house(cards=cards), today=dt.date(2028, 2, 28), year=2028)
    assert "already sent 4 cards in the last 12 months: maybe keep this one short and warm" not in d.reasons
    d = decide(house(cards=cards + (Card(2027, "other", "sent", dt.date(2027, 4, 1)),)), today=leap, year=2028)
    assert "already sent 4 cards in the last 12 months: maybe keep this one short and warm" in d.reasons


def test_a_plan_made_in_january_for_last_december_is_late():
    d = decide(house(), today=dt.date(2027, 1, 4), year=2026)
    assert d.reasons[-1] == "mail-by date 2026-12-15 has passed: mail it soon"
