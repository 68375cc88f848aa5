"""The schema, as append-only migrations applied when the database opens.

Never edit a migration once it has shipped: add a new one. `tests/test_migrations.py` upgrades a
database made at every earlier version.
"""

from __future__ import annotations

from sqlite_utils import Database, Migrations

migrations = Migrations("cardkeep")
# Our own record of the migrations, in order: sqlite-utils keeps its list private.
MIGRATION_NAMES: tuple[str, ...] = ()


def migration(fn):
    """Register `fn` as the next migration (with sqlite-utils, which applies it in a transaction)."""
    global MIGRATION_NAMES
    MIGRATION_NAMES += (fn.__name__,)
    return migrations()(fn)


@migration
def m001_contact_book(db: Database) -> None:
    db.execute(
        """
        CREATE TABLE households (
            id INTEGER PRIMARY KEY,
            mailing_name TEXT,               -- NULL: generated from the living members
            status TEXT NOT NULL DEFAULT 'active'
                CHECK (status IN ('active', 'do-not-send', 'lost-touch')),
            created TEXT NOT NULL
        )"""
    )
    db.execute(
        """
        CREATE TABLE contacts (
            id INTEGER PRIMARY KEY,
            household_id INTEGER NOT NULL REFERENCES households(id),
            name TEXT NOT NULL CHECK (trim(name) != ''),
            given_name TEXT,
            family_name TEXT,
            nickname TEXT,
            salutation TEXT,
            status TEXT NOT NULL DEFAULT 'active'
                CHECK (status IN ('active', 'deceased', 'do-not-send')),
            deceased_on TEXT,
            emails TEXT NOT NULL DEFAULT '[]',   -- JSON list of strings
            phones TEXT NOT NULL DEFAULT '[]',   -- JSON list of strings
            uid TEXT,                            -- vCard UID, for matching on re-import
            search_key TEXT NOT NULL DEFAULT '', -- folded name for accent-insensitive search
            created TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX contacts_household ON contacts(household_id)")
    db.execute("CREATE INDEX contacts_uid ON contacts(uid)")
    db.execute(
        """
        CREATE TABLE household_tags (
            household_id INTEGER NOT NULL REFERENCES households(id) ON DELETE CASCADE,
            tag TEXT NOT NULL,
            PRIMARY KEY (household_id, tag)
        )"""
    )
    db.execute(
        """
        CREATE TABLE contact_tags (
            contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
            tag TEXT NOT NULL,
            PRIMARY KEY (contact_id, tag)
        )"""
    )
    db.execute(
        """
        CREATE TABLE addresses (
            id INTEGER PRIMARY KEY,
            household_id INTEGER NOT NULL REFERENCES households(id) ON DELETE CASCADE,
            street TEXT NOT NULL DEFAULT '',
            extended TEXT,
            city TEXT NOT NULL DEFAULT '',
            region TEXT,
            postal_code TEXT,
            country TEXT NOT NULL,               -- ISO 3166-1 alpha-2
            valid_from TEXT,
            valid_to TEXT,                       -- NULL: the current address
            verified_on TEXT,
            returned_on TEXT
        )"""
    )
    db.execute("CREATE INDEX addresses_household ON addresses(household_id)")
    db.execute(
        """
        CREATE TABLE notes (
            id INTEGER PRIMARY KEY,
            contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
            text TEXT NOT NULL,
            created TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX notes_contact ON notes(contact_id)")
    db.execute(
        """
        CREATE TABLE dates (
            id INTEGER PRIMARY KEY,
            contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
            kind TEXT NOT NULL CHECK (kind IN ('birthday', 'anniversary', 'memorial', 'custom')),
            year INTEGER,
            month INTEGER,
            day INTEGER,
            label TEXT,
            rule TEXT,                           -- RRULE text for rule-based dates
            lead_days INTEGER
        )"""
    )
    db.execute("CREATE INDEX dates_contact ON dates(contact_id)")
    db.execute(
        """
        CREATE TABLE cards (
            id INTEGER PRIMARY KEY,
            household_id INTEGER NOT NULL REFERENCES households(id) ON DELETE CASCADE,
            contact_id INTEGER REFERENCES contacts(id) ON DELETE SET NULL,
            year INTEGER NOT NULL,
            occasion TEXT NOT NULL DEFAULT 'holiday',
            direction TEXT NOT NULL CHECK (direction IN ('sent', 'received')),
            date TEXT,
            design TEXT,
            message TEXT,
            signed_by_hand INTEGER,
            news TEXT,
            returned INTEGER NOT NULL DEFAULT 0
        )"""
    )
    db.execute("CREATE INDEX cards_household ON cards(household_id, year)")


@migration
def m002_card_batches(db: Database) -> None:
    """The saved plan (`plan --save`): one batch per year and occasion, one row per card in it."""
    db.execute(
        """
        CREATE TABLE batches (
            id INTEGER PRIMARY KEY,
            year INTEGER NOT NULL,
            occasion TEXT NOT NULL DEFAULT 'holiday',
            arrive_by TEXT NOT NULL,             -- the target date the mail-by dates count back from
            design TEXT,                         -- the card design for the whole batch, if chosen
            saved TEXT NOT NULL,
            UNIQUE (year, occasion)
        )"""
    )
    db.execute(
        """
        CREATE TABLE batch_cards (
            id INTEGER PRIMARY KEY,
            batch_id INTEGER NOT NULL REFERENCES batches(id) ON DELETE CASCADE,
            household_id INTEGER NOT NULL REFERENCES households(id) ON DELETE CASCADE,
            mailing_name TEXT NOT NULL,          -- as planned; the envelope may still change
            country TEXT,
            international INTEGER NOT NULL DEFAULT 0,
            mail_by TEXT NOT NULL,
            state TEXT NOT NULL DEFAULT 'planned'
                CHECK (state IN ('planned', 'written', 'signed', 'addressed', 'stamped', 'mailed')),
            typeset INTEGER NOT NULL DEFAULT 0,  -- 1: deliberately not signed by hand
            design TEXT,
            message TEXT,
            updated TEXT,
            card_id INTEGER REFERENCES cards(id) ON DELETE SET NULL,  -- the sent card, once mailed
            UNIQUE (batch_id, household_id)
        )"""
    )
    db.execute("CREATE INDEX batch_cards_household ON batch_cards(household_id)")
