"""Contact-book commands: add, show, list, search, edit, note, tag, move, verify, status, household, rm."""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer

from cardkeep.cli import complete, output
from cardkeep.cli._app import (
    JsonOption,
    TodayOption,
    app,
    check_country,
    check_date,
    check_partial_date,
    choice,
    confirm,
    get_db,
    resolve_today,
    state,
)
from cardkeep.dates import parse_iso_date, parse_partial_date
from cardkeep.errors import UsageError
from cardkeep.store import book

Who = Annotated[str, typer.Argument(metavar="WHO", autocompletion=complete.people, help="A name, or an id such as c12 (person) or h3 (household).")]
OnOption = Annotated[str | None, typer.Option("--on", metavar="YYYY-MM-DD", callback=check_date, help="When (default: today).")]
Street = Annotated[str | None, typer.Option("--street", rich_help_panel="Address", metavar="TEXT", help="Street and number.")]
Extended = Annotated[str | None, typer.Option("--extended", rich_help_panel="Address", metavar="TEXT", help="Second address line (flat, c/o).")]
City = Annotated[str | None, typer.Option("--city", rich_help_panel="Address", metavar="TEXT")]
Region = Annotated[str | None, typer.Option("--region", rich_help_panel="Address", metavar="TEXT", help="State, province or prefecture.")]
PostalCode = Annotated[str | None, typer.Option("--postal-code", rich_help_panel="Address", metavar="TEXT")]
Country = Annotated[
    str | None, typer.Option("--country", rich_help_panel="Address", metavar="CC", callback=check_country, help="ISO country code (default: [sender] country).")
]
Tags = Annotated[list[str] | None, typer.Option("--tag", rich_help_panel="Contact details", metavar="TAG", autocompletion=complete.tags, help="A tag; repeat for more.")]
Emails = Annotated[list[str] | None, typer.Option("--email", rich_help_panel="Contact details", metavar="EMAIL", help="An e-mail address; repeat for more.")]
Phones = Annotated[list[str] | None, typer.Option("--phone", rich_help_panel="Contact details", metavar="PHONE", help="A phone number; repeat for more.")]
Birthday = Annotated[
    str | None, typer.Option("--birthday", rich_help_panel="Contact details", metavar="DATE", callback=check_partial_date, help="YYYY-MM-DD, or --MM-DD without a year.")
]
Anniversary = Annotated[str | None, typer.Option("--anniversary", rich_help_panel="Contact details", metavar="DATE", callback=check_partial_date, help="YYYY-MM-DD or --MM-DD.")]


def _address(street, extended, city, region, postal_code, country) -> dict[str, Any] | None:
    given = {
        "street": street,
        "extended": extended,
        "city": city,
        "region": region,
        "postal_code": postal_code,
        "country": country,
    }
    if not any(given.values()):
        return None
    if not given["country"]:
        given["country"] = _home_country()
    return given


def _home_country() -> str:
    """The [sender] country, for an address given without --country."""
    from cardkeep.settings import load_settings

    country = load_settings().home
    if not country:
        raise UsageError("--country is required (or set `country` under [sender] in the config)")
    return country


def _dates(birthday: str | None, anniversary: str | None) -> list[tuple[str, Any]]:
    """The `--birthday` and `--anniversary` options, parsed (YYYY-MM-DD or --MM-DD)."""
    given = (("birthday", birthday), ("anniversary", anniversary))
    return [(kind, parse_partial_date(text, what=f"--{kind}")) for kind, text in given if text]


def _on(value: str | None, today: str | None = None) -> Any:
    return parse_iso_date(value, what="--on") if value else resolve_today(today)


@app.command()
def init() -> None:
    """Create an empty book (at --db, else $CARDKEEP_DB, else the user data directory)."""
    existed = state.path.exists()
    get_db(create=True)
    output.echo(f"{'A book already exists at' if existed else 'Created an empty book at'} {state.path}")


@app.command()
def path() -> None:
    """Print the database file in use."""
    output.echo(str(state.path))


@app.command()
def add(
    name: Annotated[str, typer.Argument(metavar="NAME", help="The person's name as you would write it.")],
    household: Annotated[
        str | None, typer.Option("--household", metavar="WHO", autocompletion=complete.people, help="Join this household (a name or h-id) instead of a new one.")
    ] = None,
    nickname: Annotated[str | None, typer.Option("--nickname", rich_help_panel="Name", metavar="TEXT")] = None,
    salutation: Annotated[str | None, typer.Option("--salutation", rich_help_panel="Name", metavar="TEXT", help='How a card greets them: "Aunt Rosa".')] = None,
    given_name: Annotated[str | None, typer.Option("--given-name", rich_help_panel="Name", metavar="TEXT")] = None,
    family_name: Annotated[str | None, typer.Option("--family-name", rich_help_panel="Name", metavar="TEXT")] = None,
    tag: Tags = None,
    email: Emails = None,
    phone: Phones = None,
    birthday: Birthday = None,
    anniversary: Anniversary = None,
    street: Street = None,
    extended: Extended = None,
    city: City = None,
    region: Region = None,
    postal_code: PostalCode = None,
    country: Country = None,
    today: TodayOption = None,
) -> None:
    """Add a person (in a household of their own unless --household)."""
    db = get_db(create=True)
    dates = _dates(birthday, anniversary)
    household_id = book.resolve_household(db, household) if household else None
    namesakes = book.same_name_contacts(db, name)
    contact_id = book.add_contact(
        db,
        name,
        today=resolve_today(today),
        household=household_id,
        given_name=given_name,
        family_name=family_name,
        nickname=nickname,
        salutation=salutation,
        emails=email or (),
        phones=phone or (),
        tags=tag or (),
        address=_address(street, extended, city, region, postal_code, country),
        dates=dates,
    )
    if namesakes:
        output.warn(f"{name!r} has the same name as {', '.join(namesakes)}; use ids to tell them apart")
    contact = book.get_contact(db, contact_id)
    output.echo(f"Added {book.cid(contact_id)} {contact['name']} to {book.hid(contact['household_id'])}")


def _show_text(record: dict[str, Any]) -> None:
    esc = output.escape
    head = f"{record['id']}  {esc(record['display_name'])}"
    extras = [record["status"]] + ([f"tags: {' '.join(record['tags'])}"] if record["tags"] else [])
    output.print_styled(output.styled(head, "bold") + f"  ({esc('; '.join(extras))})")
    if record["greeting"]:
        output.print_styled(f"  greeting: {esc(record['greeting'])}")
    for a in record["addresses"]:
        lines = ", ".join(
            part for part in (a["street"], a["extended"], a["city"], a["region"], a["postal_code"], a["country"]) if part
        )
        if a["valid_to"]:
            when = f"until {a['valid_to']}"
        else:
            when = "current" + (f" since {a['valid_from']}" if a["valid_from"] else "")
        flags = [when]
        flags.append(f"verified {a['verified_on']}" if a["verified_on"] else "unverified")
        if a["returned_on"]:
            flags.append(f"mail returned {a['returned_on']}")
        output.print_styled(f"  address: {esc(lines)}  ({', '.join(flags)})")
    for m in record["members"]:
        status = "" if m["status"] == "active" else f"  [{m['status']}" + (
            f" {m['deceased_on']}]" if m["deceased_on"] else "]"
        )
        greeting = f'  greet as "{m["salutation"]}"' if m["salutation"] else ""
        output.print_styled(f"  {m['id']} {esc(m['name'])}{greeting}{esc(status)}")
        if m["tags"]:
            output.print_styled(f"      tags: {esc(' '.join(m['tags']))}")
        for contact_detail in m["emails"] + m["phones"]:
            output.print_styled(f"      {esc(contact_detail)}")
        for d in m["dates"]:
            day = d["rule"] or str(book.PartialDate(d["month"], d["day"], d["year"]))
            label = f" ({d['label']})" if d["label"] else ""
            output.print_styled(f"      {d['kind']}{esc(label)}: {esc(day)}")
        for n in m["notes"]:
            output.print_styled(f"      note {n['created']}: {esc(n['text'])}")
    if record["cards"]:
        years = {}
        for c in record["cards"]:
            years.setdefault(c["year"], []).append(f"{c['direction']} {c['occasion']}")
        summary = "; ".join(f"{y}: {', '.join(v)}" for y, v in sorted(years.items())[-5:])
        output.print_styled(f"  cards: {esc(summary)}")


@app.command()
def show(who: Who, json: JsonOption = False) -> None:
    """Show a household: members, addresses (with history), dates, notes, recent cards."""
    db = get_db()
    record = book.household_record(db, book.resolve_household(db, who))
    if json:
        output.print_json(record)
    else:
        _show_text(record)


@app.command("list")
def list_(
    tag: Annotated[str | None, typer.Option("--tag", metavar="TAG", autocompletion=complete.tags, help="Only people (or their households) with this tag.")] = None,
    status: Annotated[
        str | None, typer.Option("--status", metavar="STATUS", callback=choice("active", "deceased", "do-not-send", "lost-touch"), help="active, deceased, do-not-send or lost-touch.")
    ] = None,
    json: JsonOption = False,
) -> None:
    """List people, one line each."""
    rows = book.list_contacts(get_db(), tag=tag, status=status)
    if json:
        output.print_json(rows)
        return
    output.print_table(
        ([r["id"], r["name"], r["household"], r["status"], " ".join(r["tags"]), r["city"], r["country"]] for r in rows),
        ["id", "name", "household", "status", "tags", "city", "country"],
    )


@app.command()
def search(text: Annotated[str, typer.Argument(metavar="TEXT", help="Part of a name or a note.")], json: JsonOption = False) -> None:
    """Find people by name, nickname or note, ignoring case and accents ("zoe" finds "Zoë")."""
    rows = book.search(get_db(), text)
    if json:
        output.print_json(rows)
        return
    if not rows:
        raise typer.Exit(1)  # like grep: nothing found is exit 1, silently
    output.print_table(([r["id"], r["name"], r["matched"]] for r in rows), ["id", "name", "matched"])


@app.command()
def edit(
    who: Who,
    name: Annotated[str | None, typer.Option("--name", rich_help_panel="Name", metavar="NAME")] = None,
    nickname: Annotated[str | None, typer.Option("--nickname", rich_help_panel="Name", metavar="TEXT")] = None,
    salutation: Annotated[str | None, typer.Option("--salutation", rich_help_panel="Name", metavar="TEXT")] = None,
    given_name: Annotated[str | None, typer.Option("--given-name", rich_help_panel="Name", metavar="TEXT")] = None,
    family_name: Annotated[str | None, typer.Option("--family-name", rich_help_panel="Name", metavar="TEXT")] = None,
    tag: Tags = None,
    email: Emails = None,
    phone: Phones = None,
    birthday: Birthday = None,
    anniversary: Anniversary = None,
    street: Street = None,
    extended: Extended = None,
    city: City = None,
    region: Region = None,
    postal_code: PostalCode = None,
    country: Country = None,
    today: TodayOption = None,
) -> None:
    """Change a person's details.

    Address options correct the current address in place (use `move` for a move)."""
    db = get_db()
    contact_id = book.resolve_contact(db, who)
    dates = _dates(birthday, anniversary)
    household_id = book.contact_household(db, contact_id)
    changes = {"name": name, "nickname": nickname, "salutation": salutation, "given_name": given_name,
               "family_name": family_name, "emails": email, "phones": phone}
    fixes = {k: v for k, v in {"street": street, "extended": extended, "city": city, "region": region,
                                "postal_code": postal_code, "country": country}.items() if v is not None}
    if fixes and "country" not in fixes and book.current_address(db, household_id) is None:
        fixes["country"] = _home_country()  # a first address, as `add` would take it
    from cardkeep.store.db import transaction

    with transaction(db):
        book.edit_contact(db, contact_id, changes)
        for kind, date in dates:
            book.set_single_date(db, contact_id, kind, date)
        if tag:
            book.add_tags(db, book.Match("contact", contact_id, who), tag)
        if fixes:
            book.correct_address(db, household_id, fixes, today=resolve_today(today))
    output.echo(f"Updated {book.cid(contact_id)} {book.get_contact(db, contact_id)['name']}")


@app.command()
def note(
    who: Who,
    text: Annotated[str, typer.Argument(metavar="TEXT", help='What to remember: "new puppy Max".')],
    on: OnOption = None,
    today: TodayOption = None,
) -> None:
    """Add a dated relationship note to a person."""
    db = get_db()
    contact_id = book.resolve_contact(db, who)
    book.add_note(db, contact_id, text, on=_on(on, today))
    output.echo(f"Noted for {book.cid(contact_id)}")


TagArgs = Annotated[list[str], typer.Argument(metavar="TAG...", autocompletion=complete.tags, help="One or more tags.")]


@app.command()
def tag(who: Who, tags: TagArgs) -> None:
    """Tag a person or a household (h-id or mailing name). Selecting by tag matches either."""
    db = get_db()
    target = book.resolve_target(db, who)
    book.add_tags(db, target, tags)
    output.echo(f"Tagged {target.ref}: {' '.join(t.lower() for t in tags)}")


@app.command()
def untag(who: Who, tags: TagArgs) -> None:
    """Remove tags from a person or a household."""
    db = get_db()
    target = book.resolve_target(db, who)
    book.remove_tags(db, target, tags)
    output.echo(f"Untagged {target.ref}: {' '.join(t.lower() for t in tags)}")


@app.command()
def move(
    who: Who,
    street: Street = None,
    extended: Extended = None,
    city: City = None,
    region: Region = None,
    postal_code: PostalCode = None,
    country: Country = None,
    since: Annotated[str | None, typer.Option("--since", metavar="YYYY-MM-DD", callback=check_date, help="Moving day (default today).")] = None,
    today: TodayOption = None,
) -> None:
    """Record a household's new address; the old one is kept as history."""
    db = get_db()
    household_id = book.resolve_household(db, who)
    address = _address(street, extended, city, region, postal_code, country)
    if not address:
        raise UsageError("give the new address: --street, --city, --postal-code, --country ...")
    when = parse_iso_date(since, what="--since") if since else resolve_today(today)
    book.move(db, household_id, address, since=when)
    output.echo(f"Moved {book.hid(household_id)} {book.mailing_name(db, household_id)} on {when}")


@app.command()
def verify(who: Who, on: OnOption = None, today: TodayOption = None) -> None:
    """Mark a household's current address as checked."""
    db = get_db()
    household_id = book.resolve_household(db, who)
    when = _on(on, today)
    book.verify_address(db, household_id, on=when)
    output.echo(f"Verified the address of {book.hid(household_id)} on {when}")


@app.command()
def returned(who: Who, on: OnOption = None, today: TodayOption = None) -> None:
    """Mail came back: flag the address and mark the last card sent there undeliverable."""
    db = get_db()
    household_id = book.resolve_household(db, who)
    when = _on(on, today)
    card = book.mark_returned(db, household_id, on=when)
    what = f"; the {card['year']} {card['occasion']} card is marked undeliverable" if card else ""
    output.echo(f"Flagged the address of {book.hid(household_id)} as returned on {when}{what}")


@app.command()
def status(
    who: Who,
    new_status: Annotated[str, typer.Argument(metavar="STATUS", callback=choice("active", "deceased", "do-not-send", "lost-touch"), help="active, deceased, do-not-send, lost-touch.")],
    on: OnOption = None,
    today: TodayOption = None,
) -> None:
    """Set a person's or a household's status.

    A person: active, deceased (on --on, default today) or do-not-send; the mailing name drops the
    dead. A household (h-id): active, do-not-send or lost-touch."""
    db = get_db()
    target = book.resolve_target(db, who)
    if target.kind == "household":
        book.set_household_status(db, target.id, new_status)
    else:
        day = resolve_today(today)
        when = parse_iso_date(on, what="--on") if on else day
        book.set_contact_status(db, target.id, new_status, on=when, today=day)
        if new_status == "deceased":
            household_id = book.contact_household(db, target.id)
            output.echo(f"The mailing name of {book.hid(household_id)} is now: {book.mailing_name(db, household_id)}")
    output.echo(f"{target.ref} is now {new_status}")


household_app = typer.Typer(help="Create, rename, greet, join and leave households.", no_args_is_help=True)
app.add_typer(household_app, name="household")


@household_app.command("new")
def household_new(
    members: Annotated[list[str], typer.Argument(metavar="WHO...", autocompletion=complete.people, help="People who move into it.")],
    name: Annotated[str | None, typer.Option("--name", metavar="NAME", help="Mailing name (default: from the members).")] = None,
    today: TodayOption = None,
) -> None:
    """Make a household of these people (each leaves their old one; empty ones are dropped)."""
    db = get_db()
    contact_ids = [book.resolve_contact(db, who) for who in members]
    from cardkeep.store.db import transaction

    with transaction(db):
        household_id = book.create_household(db, mailing_name=name, today=resolve_today(today))
        for contact_id in contact_ids:
            book.join_household(db, contact_id, household_id)
    output.echo(f"Created {book.hid(household_id)} {book.mailing_name(db, household_id)}")


@household_app.command("rename")
def household_rename(
    who: Who,
    name: Annotated[str | None, typer.Argument(metavar="[NAME]", help="The new mailing name.")] = None,
    auto: Annotated[bool, typer.Option("--auto", help="Generate the name from the living members again.")] = False,
) -> None:
    """Set a household's mailing name by hand ("The Okafor Family"), or --auto."""
    if bool(name) == auto:
        raise UsageError("give either a new name or --auto")
    db = get_db()
    household_id = book.resolve_household(db, who)
    book.rename_household(db, household_id, None if auto else name)
    output.echo(f"{book.hid(household_id)} is now: {book.mailing_name(db, household_id)}")


@household_app.command("greeting")
def household_greeting(
    who: Who,
    greeting: Annotated[str | None, typer.Argument(metavar="[GREETING]", help='The first line of its cards, as written ("Dear Smiths,").')] = None,
    clear: Annotated[bool, typer.Option("--clear", help="Greet the living members by name again.")] = False,
) -> None:
    """Set a household's own greeting for its cards ("Dear Smiths,"), or --clear it.

    A birthday card still greets the one whose birthday it is."""
    if (greeting is not None) == clear:
        raise UsageError("give either a greeting or --clear")
    db = get_db()
    household_id = book.resolve_household(db, who)
    stored = book.set_greeting(db, household_id, None if clear else greeting)
    label = f"{book.hid(household_id)} {book.mailing_name(db, household_id)}"
    if stored is None:
        output.echo(f"{label}: its cards greet the members by name again")
    else:
        output.echo(f'{label}: its cards begin "{stored}"')


@household_app.command("join")
def household_join(
    who: Who, household: Annotated[str, typer.Argument(metavar="HOUSEHOLD", autocompletion=complete.people, help="The household to join (name or h-id).")]
) -> None:
    """Move a person into another household."""
    db = get_db()
    contact_id = book.resolve_contact(db, who)
    household_id = book.resolve_household(db, household)
    book.join_household(db, contact_id, household_id)
    output.echo(f"{book.cid(contact_id)} joined {book.hid(household_id)} {book.mailing_name(db, household_id)}")


@household_app.command("leave")
def household_leave(who: Who, today: TodayOption = None) -> None:
    """A person leaves for a household of their own (give it an address with `move`)."""
    db = get_db()
    contact_id = book.resolve_contact(db, who)
    old = book.contact_household(db, contact_id)
    new = book.leave_household(db, contact_id, today=resolve_today(today))
    output.echo(f"{book.cid(contact_id)} left {book.hid(old)} for a new household {book.hid(new)}")


@app.command()
def rm(
    who: Who,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Delete a person (or a whole household by h-id) and their history."""
    db = get_db()
    target = book.resolve_target(db, who)
    if target.kind == "household":
        label = f"household {target.ref} {book.mailing_name(db, target.id)} and all its members"
    else:
        label = f"{target.ref} {book.get_contact(db, target.id)['name']}"
    if not confirm(f"Delete {label}?", yes, undone="nothing deleted"):
        print("Nothing removed.", file=sys.stderr)
        raise typer.Exit(1)
    if target.kind == "household":
        book.remove_household(db, target.id)
    else:
        book.remove_contact(db, target.id)
    output.echo(f"Deleted {label}")

