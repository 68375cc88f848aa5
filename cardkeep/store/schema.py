"""The schema, as append-only migrations applied when the database opens.

Never edit a migration once it has shipped: add a new one. `tests/test_migrations.py` upgrades a
database made at every earlier version.
"""

from __future__ import annotations

import re

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


# Tables whose ids people see (c12, h3) or keep (a date's or a note's id, a card in the history).
_NEVER_REUSED = ("households", "contacts", "notes", "dates", "cards")


@migration
def m003_ids_never_reused(db: Database) -> None:
    """Ids are never reused: `rm c19` then `add` must not make a new c19 that old notes, exports and
    backups would take for someone else. SQLite does that only for AUTOINCREMENT tables, and adding
    it means rebuilding each table (same columns, checks and indexes; the rows and ids kept).

    `open_db` runs the upgrade with foreign keys off (with them on, dropping a table would cascade
    into its children), and checks them before it commits. With `legacy_alter_table` the old table
    is renamed without rewriting the references to it, so the new one takes its name and its
    references; the rows are copied, then the renamed old table is dropped."""
    conn = db.conn
    if conn.execute("PRAGMA foreign_keys").fetchone()[0]:
        raise RuntimeError("m003 rebuilds tables: run it with foreign keys off (open_db does)")
    conn.execute("PRAGMA legacy_alter_table = ON")
    try:
        for table in _NEVER_REUSED:
            sql = conn.execute("select sql from sqlite_master where type = 'table' and name = ?", [table]).fetchone()[0]
            if "AUTOINCREMENT" in sql.upper():
                continue
            new_sql, count = re.subn(r"\bid INTEGER PRIMARY KEY\b", "id INTEGER PRIMARY KEY AUTOINCREMENT", sql, count=1)
            if count != 1:
                raise RuntimeError(f"m003: no integer primary key found in {table}")
            indexes = [r[0] for r in conn.execute(
                "select sql from sqlite_master where type = 'index' and tbl_name = ? and sql is not null", [table]
            )]
            conn.execute(f"ALTER TABLE {table} RENAME TO {table}_before_m003")
            conn.execute(new_sql)
            conn.execute(f"INSERT INTO {table} SELECT * FROM {table}_before_m003")
            conn.execute(f"DROP TABLE {table}_before_m003")
            for index in indexes:
                conn.execute(index)
    finally:
        conn.execute("PRAGMA legacy_alter_table = OFF")


# The namespace of the UIDs made for people and households that had none before m004: the same
# UIDs their vCard exports carried before (computed then at export time from id and creation day),
# so a phone holding an older export still matches. Never change it.
UID_NAMESPACE = "6f1d3c2e-8a4b-4d6e-9c1f-2b7a5e3d4c10"


@migration
def m004_stable_uids(db: Database) -> None:
    """Every person and household has a stored UID from the moment it exists: exports carry it and
    a re-import matches on it. Existing rows without one (or with one an earlier row has) get the UID
    their exports already had (uuid5 of id and creation day); every later insert sets one (`cardkeep.store.book.new_uid`). No trigger: a restored
    book may hold none (`cardkeep.services.backup`)."""
    import uuid

    namespace = uuid.UUID(UID_NAMESPACE)
    conn = db.conn
    if "uid" not in {r[1] for r in conn.execute("PRAGMA table_info(households)")}:
        conn.execute("ALTER TABLE households ADD COLUMN uid TEXT")
    conn.execute("CREATE INDEX IF NOT EXISTS households_uid ON households(uid)")
    for table, suffix in (("contacts", ""), ("households", ":household")):
        # No UID, or one an earlier row has (a copy imported with --on-conflict new): a UID of its own.
        missing = conn.execute(
            f"""select id, created from {table} t where uid is null or trim(uid) = ''
                or exists (select 1 from {table} e where lower(trim(e.uid)) = lower(trim(t.uid)) and e.id < t.id)"""
        ).fetchall()
        conn.executemany(
            f"update {table} set uid = ? where id = ?",
            [(str(uuid.uuid5(namespace, f"{row_id}:{created}{suffix}")), row_id) for row_id, created in missing],
        )


@migration
def m005_sync_state(db: Database) -> None:
    """What `cardkeep sync DIR` knew of each card at the last sync, so that the next one can tell who
    changed what on which side: one row per card and folder (a book may sync with several folders).

    `file` is the card's file name in the folder (NULL: the card was deleted there and the person
    kept in the book); `file_hash`, `mtime_ns` and `size` the file as last seen or written (an unchanged
    size and time skip reading it); `book_card` the card cardkeep wrote from the book then (vCard 4.0),
    to tell what the book changed since (`book_key`, a digest of the record it was written from, spares
    writing the card again to compare when nothing changed); `file_card` what cardkeep read from the file then (JSON), to
    tell what the folder changed since. No foreign key on `record_id`: a deletion in the book is
    something the next sync must see."""
    db.execute(
        """
        CREATE TABLE sync_items (
            id INTEGER PRIMARY KEY,
            folder TEXT NOT NULL,                -- the folder's absolute path
            uid TEXT NOT NULL,                   -- the card's UID, lower case, without urn:uuid:
            kind TEXT NOT NULL CHECK (kind IN ('person', 'household')),
            record_id INTEGER,                   -- the contact's (or household's) id
            file TEXT,
            file_hash TEXT,
            mtime_ns INTEGER,
            size INTEGER,
            book_card TEXT,
            book_key TEXT,                       -- a digest of the book's record behind book_card
            file_card TEXT,
            UNIQUE (folder, uid)
        )"""
    )


@migration
def m006_household_greeting(db: Database) -> None:
    """A household's own greeting line ("Dear Smiths,"), used on its cards as written instead of the
    one generated from the members (`cardkeep.customs.greeting`). NULL: none, the generated one."""
    conn = db.conn
    if "greeting" not in {r[1] for r in conn.execute("PRAGMA table_info(households)")}:
        conn.execute("ALTER TABLE households ADD COLUMN greeting TEXT")
