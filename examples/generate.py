"""Generate examples/book.json: a realistic sample contact book in the interchange format.

Deterministic (seeded), so the file only changes when this script does:

    python examples/generate.py > examples/book.json

The hand-written households cover the cases the plan, labels and drafts must get right; the rest
are ordinary friends with ten years of cards, some of whom never send one back.
"""

from __future__ import annotations

import json
import random

RNG = random.Random(2026)
YEARS = range(2016, 2026)  # ten holiday seasons of history; 2026's cards are not out yet
DESIGNS = [
    "Snowy owl", "Red cardinal", "Village at dusk", "Paper lanterns", "Winter fox", "Pine cones",
    "Skating pond", "Letterpress star", "Watercolour wreath", "Candle in the window", "Hand-drawn sleigh",
]

_ids = {"h": 0, "c": 0}


def next_id(prefix: str) -> str:
    _ids[prefix] += 1
    return f"{prefix}{_ids[prefix]}"


def person(name, given=None, family=None, *, salutation=None, nickname=None, status="active", deceased_on=None,
           tags=(), emails=(), phones=(), dates=(), notes=()):
    parts = name.split()
    return {
        "id": next_id("c"),
        "name": name,
        "given_name": given if given is not None else " ".join(parts[:-1]) or parts[0],
        "family_name": family if family is not None else (parts[-1] if len(parts) > 1 else None),
        "nickname": nickname,
        "salutation": salutation,
        "status": status,
        "deceased_on": deceased_on,
        "tags": sorted(tags),
        "emails": list(emails),
        "phones": list(phones),
        "uid": None,
        "created": "2016-01-10",
        "dates": [
            {"kind": k, "year": y, "month": m, "day": d, "label": label, "rule": None, "lead_days": None}
            for k, y, m, d, label in dates
        ],
        "notes": [{"text": text, "created": created} for created, text in notes],
    }


def address(street, city, postal_code, country, *, region=None, extended=None, valid_from=None, valid_to=None,
            verified_on="2025-11-02", returned_on=None):
    return {
        "street": street, "extended": extended, "city": city, "region": region, "postal_code": postal_code,
        "country": country, "valid_from": valid_from, "valid_to": valid_to, "verified_on": verified_on,
        "returned_on": returned_on,
    }


def card(year, direction, *, occasion="holiday", date=None, design=None, message=None, news=None,
         returned=False, contact=None):
    if direction == "sent":
        design = design or DESIGNS[(year + len(message or "")) % len(DESIGNS)]
        date = date or f"{year}-12-{RNG.randint(2, 12):02d}"
    else:
        date = date or f"{year}-12-{RNG.randint(10, 22):02d}"
    return {
        "year": year, "occasion": occasion, "direction": direction, "date": date, "contact": contact,
        "design": design if direction == "sent" else None, "message": message,
        "signed_by_hand": True if direction == "sent" else None, "news": news, "returned": returned,
    }


def holiday_history(years, *, they_send=1.0, news=None):
    cards = []
    for year in years:
        cards.append(card(year, "sent"))
        if RNG.random() < they_send:
            cards.append(card(year, "received", news=(news or {}).get(year)))
    return cards


def household(members, addresses, cards, *, mailing_name=None, status="active", tags=(), created="2016-01-10"):
    return {
        "id": next_id("h"), "mailing_name": mailing_name, "status": status, "created": created,
        "tags": sorted(tags), "addresses": addresses, "members": members, "cards": cards,
    }


def special_households():
    yield household(
        [
            person("Ada Okafor", salutation="Ada", dates=[("birthday", 1978, 3, 14, None),
                                                          ("anniversary", 2001, 6, 23, "wedding")],
                   notes=[("2024-12-18", "Ada started teaching piano at the community school")]),
            person("Emeka Okafor", salutation="Emeka", dates=[("birthday", 1976, 9, 2, None)]),
            person("Chidi Okafor", dates=[("birthday", 2009, 5, 30, None)]),
            person("Ngozi Okafor", dates=[("birthday", 2012, 11, 11, None)]),
        ],
        [address("12 Elm St", "Springfield", "62701", "US", region="IL", valid_from="2012-04-01")],
        holiday_history(YEARS, news={2025: "Chidi is learning to drive; Ngozi has a new puppy, Max"}),
        tags=["friends", "always"],
    )
    yield household(
        [person("Sam Lee", salutation="Sam", tags=["college"], dates=[("birthday", None, 8, 19, None)]),
         person("Priya Nair", salutation="Priya", dates=[("birthday", 1990, 1, 27, None)],
                notes=[("2026-04-12", "new baby Anika born on 2 April")])],
        [address("88 Harbor View Rd", "Portland", "97209", "US", region="OR")],
        holiday_history(range(2019, 2026)),
        tags=["friends"],
    )
    # Bob died this year: the mailing name must drop him; the first season after is flagged.
    yield household(
        [person("Bob Whitaker", salutation="Bob", status="deceased", deceased_on="2026-05-10",
                dates=[("birthday", 1944, 7, 4, None), ("memorial", 2026, 5, 10, None)]),
         person("Carol Whitaker", salutation="Carol", tags=["elder"], dates=[("birthday", 1947, 12, 1, None)],
                notes=[("2026-06-01", "Bob's funeral was at St. Mark's; Carol is staying in the house")])],
        [address("403 Maple Ave", "Madison", "53703", "US", region="WI", verified_on="2024-10-05")],
        holiday_history(YEARS) + [card(2026, "sent", occasion="sympathy", date="2026-05-20",
                                       design="Plain ivory", message="Thinking of you, Carol.")],
        tags=["family"],
    )
    # Moved last year: the old address is history, the new one current.
    yield household(
        [person("Hannah Jensen", salutation="Hannah"), person("Lars Jensen", salutation="Lars")],
        [address("2210 N Halsted St", "Chicago", "60614", "US", region="IL", valid_to="2025-08-01",
                 verified_on="2021-11-30"),
         address("1550 Larimer St", "Denver", "80202", "US", region="CO", extended="Apt 12B",
                 valid_from="2025-08-01", verified_on="2025-08-15")],
        holiday_history(YEARS, they_send=0.8, news={2025: "We moved to Denver in August!"}),
    )
    # An address nobody has checked since 2019.
    yield household(
        [person("Walter Gruber", salutation="Uncle Walt", tags=["family"], dates=[("birthday", 1950, 2, 3, None)])],
        [address("17 Birch Ln", "Duluth", "55802", "US", region="MN", verified_on="2019-01-12")],
        holiday_history(YEARS, they_send=0.3),
    )
    yield household(
        [person("Marcus Fenwick", status="do-not-send", notes=[("2022-03-01", "asked not to receive mail")])],
        [address("9 Commerce Plaza", "Austin", "78701", "US", region="TX")],
        holiday_history(range(2016, 2021), they_send=0.0),
        status="do-not-send",
    )
    yield household(
        [person("山田 太郎", "太郎", "山田", salutation="太郎さん", dates=[("birthday", 1975, 10, 8, None)]),
         person("山田 花子", "花子", "山田", salutation="花子さん")],
        [address("渋谷区神宮前1-2-3", "東京都", "150-0001", "JP", region="東京都", extended="メゾン神宮前 301")],
        holiday_history(YEARS, news={2024: "Hanako began studying calligraphy"}),
        mailing_name="山田 太郎・花子 様",
        tags=["friends", "international"],
    )
    yield household(
        [person("Jürgen Müller", salutation="Jürgen"), person("Zoë Müller", salutation="Zoë",
                                                              dates=[("birthday", 1988, 2, 29, None)])],
        [address("Schönhauser Allee 45", "Berlin", "10435", "DE")],
        holiday_history(YEARS, they_send=0.9),
        tags=["friends", "international"],
    )
    yield household(
        [person("Łukasz Nowak", salutation="Łukasz", dates=[("birthday", 1983, 6, 17, None)],
                notes=[("2025-12-22", "ask about his trip to Gdańsk")])],
        [address("ul. Floriańska 15/4", "Kraków", "31-019", "PL")],
        holiday_history(range(2018, 2026)),
        tags=["international"],
    )
    yield household(
        [person("Amélie Dubois", salutation="Amélie"), person("Théo Dubois", salutation="Théo")],
        [address("8 rue de la République", "Lyon", "69002", "FR")],
        holiday_history(YEARS, they_send=0.2),
        tags=["international"],
    )
    yield household(
        [person("José García", salutation="José", dates=[("anniversary", 2016, 9, 10, "wedding")])],
        [address("Calle de Alcalá 123", "Madrid", "28009", "ES")],
        holiday_history(range(2021, 2026)),
        tags=["international"],
    )
    yield household(
        [person("Rosa Pemberton", salutation="Aunt Rosa", tags=["family", "elder"],
                dates=[("birthday", 1936, 4, 22, None)],
                notes=[("2025-12-28", "loves the robin cards; hard of hearing, so write, don't call")])],
        [address("14 Primrose Hill Rd", "London", "NW3 3AD", "GB")],
        holiday_history(YEARS, they_send=0.2),
        tags=["always"],
    )
    yield household(
        [person("Ελένη Παπαδοπούλου", "Ελένη", "Παπαδοπούλου", salutation="Ελένη")],
        [address("Οδός Ερμού 25", "Αθήνα", "105 63", "GR")],
        holiday_history(range(2020, 2026), they_send=0.7),
        tags=["international"],
    )
    yield household(
        [person("Mette Ærø", salutation="Mette")],
        [address("Vestergade 3", "Ærøskøbing", "5970", "DK")],
        holiday_history(range(2017, 2026), they_send=0.6),
        tags=["international"],
    )
    # Mail came back last year: the address needs fixing before a card goes out.
    yield household(
        [person("Grace Holloway", salutation="Grace")],
        [address("55 Ocean Pkwy", "Brooklyn", "11218", "US", region="NY", verified_on="2020-11-20",
                 returned_on="2026-01-09")],
        [*holiday_history(range(2016, 2025), they_send=0.5), card(2025, "sent", returned=True)],
    )
    # Four cards in twelve months: the plan should say so, gently.
    yield household(
        [person("Nora Quinn", salutation="Nora", dates=[("birthday", 1992, 3, 3, None)])],
        [address("301 Pine St", "Seattle", "98101", "US", region="WA")],
        [*holiday_history(range(2022, 2026)),
         card(2026, "sent", occasion="birthday", date="2026-02-25", design="Balloons"),
         card(2026, "sent", occasion="thank-you", date="2026-05-02", design="Pressed flowers"),
         card(2026, "sent", occasion="sympathy", date="2026-08-14", design="Plain ivory"),
         card(2026, "sent", occasion="other", date="2026-10-01", design="Autumn leaves")],
    )
    yield household(
        [person("Diego Ramírez", salutation="Diego", dates=[("birthday", 1985, 12, 29, None)])],
        [address("742 Sunset Blvd", "Los Angeles", "90028", "US", region="CA", valid_from="2026-03-15")],
        [],
        created="2026-03-15",
        tags=["work"],
    )
    # Friends for twenty years who went quiet for three: a long friendship does not drop.
    yield household(
        [person("Irene Kowalski", salutation="Irene"), person("Tom Kowalski", salutation="Tom")],
        [address("6 Lakeshore Dr", "Cleveland", "44114", "US", region="OH")],
        [c for y in YEARS for c in ([card(y, "sent")] + ([card(y, "received")] if y < 2023 else []))],
        tags=["friends"],
    )


FIRST = ["Anna", "Brian", "Chloe", "Daniel", "Elena", "Frank", "Gina", "Henry", "Isla", "Jack", "Kara", "Liam",
         "Maya", "Noah", "Olivia", "Paul", "Quinn", "Ruth", "Steve", "Tara", "Umar", "Vera", "Will", "Yara"]
LAST = ["Abbott", "Baker", "Chen", "Dawson", "Ellis", "Foster", "Gupta", "Hughes", "Ibarra", "Jordan", "Klein",
        "Lopez", "Moreno", "Nguyen", "Olsen", "Patel", "Reyes", "Sato", "Turner", "Vance", "Walsh", "Young"]
PLACES = [("Boston", "MA", "02116"), ("Austin", "TX", "78704"), ("Raleigh", "NC", "27601"),
          ("Tucson", "AZ", "85701"), ("Omaha", "NE", "68102"), ("Burlington", "VT", "05401"),
          ("Savannah", "GA", "31401"), ("Boise", "ID", "83702"), ("Ann Arbor", "MI", "48104")]
STREETS = ["Oak St", "Cedar Ave", "Willow Way", "Hillcrest Rd", "Main St", "Park Pl", "River Rd", "Chestnut Ct"]


def ordinary_households(count):
    for _ in range(count):
        family = RNG.choice(LAST)
        first = RNG.choice(FIRST)
        members = [person(f"{first} {family}", salutation=first,
                          dates=[("birthday", RNG.randint(1950, 1998), RNG.randint(1, 12), RNG.randint(1, 28), None)])]
        if RNG.random() < 0.5:
            partner = RNG.choice([f for f in FIRST if f != first])
            members.append(person(f"{partner} {family}", salutation=partner))
        city, region, postal = RNG.choice(PLACES)
        start = RNG.randint(2016, 2023)
        send_back = RNG.choice([1.0, 0.9, 0.6, 0.0])
        yield household(
            members,
            [address(f"{RNG.randint(10, 9999)} {RNG.choice(STREETS)}", city, postal, "US", region=region,
                     verified_on=f"{RNG.randint(2022, 2025)}-{RNG.randint(1, 12):02d}-15")],
            holiday_history(range(start, 2026), they_send=send_back),
            tags=[RNG.choice(["friends", "neighbours", "work", "family"])],
        )


def main():
    households = list(special_households()) + list(ordinary_households(24))
    print(json.dumps({"cardkeep": 1, "households": households}, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
