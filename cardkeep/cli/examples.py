"""Two or three examples for every command, shown at the end of its `--help` (and so in docs/cli.md).

Kept in one table so that they read alike; `tests/test_cli_help.py` checks that each command has
them and that each one parses as written (every option and value accepted).
"""

from __future__ import annotations

EXAMPLES: dict[str, tuple[str, ...]] = {
    "init": ("cardkeep init", "cardkeep --db ~/cards/family.db init"),
    "path": ("cardkeep path", "cardkeep --db ~/cards/family.db path"),
    "add": (
        'cardkeep add "Ada Okafor" --salutation Ada --birthday 1978-03-14 --tag friends',
        'cardkeep add "Emeka Okafor" --household "Ada Okafor"',
        'cardkeep add "Sam Lee" --street "12 Elm St" --city Springfield --postal-code 62701 --country US',
    ),
    "show": ("cardkeep show ada", "cardkeep show h3 --json"),
    "list": ("cardkeep list --tag friends", "cardkeep list --status deceased --json"),
    "search": ("cardkeep search zoe", "cardkeep search oneill --json"),
    "edit": ('cardkeep edit ada --nickname "Addie"', "cardkeep edit c12 --birthday --08-19 --email ada@example.org"),
    "note": ('cardkeep note ada "new puppy Max"', 'cardkeep note c12 "moved to Denver" --on 2026-05-01'),
    "tag": ("cardkeep tag ada friends piano", "cardkeep tag h3 always"),
    "untag": ("cardkeep untag ada piano", "cardkeep untag h3 always"),
    "move": (
        'cardkeep move ada --street "1550 Larimer St" --city Denver --postal-code 80202 --country US',
        'cardkeep move h3 --street "4 Rue Cler" --city Paris --country FR --since 2026-09-01',
    ),
    "verify": ("cardkeep verify ada", "cardkeep verify h3 --on 2026-11-02"),
    "returned": ("cardkeep returned ada", "cardkeep returned h3 --on 2026-01-09"),
    "status": (
        'cardkeep status "Bob Whitaker" deceased --on 2025-05-10',
        "cardkeep status h3 lost-touch",
        "cardkeep status c12 active",
    ),
    "rm": ("cardkeep rm c12", "cardkeep rm h3 --yes"),
    "household": ('cardkeep household new c12 c13 --name "The Okafor Family"', "cardkeep household rename h3 --auto"),
    "household new": ("cardkeep household new c12 c13", 'cardkeep household new ada emeka --name "The Okafor Family"'),
    "household rename": ('cardkeep household rename h3 "The Okafor Family"', "cardkeep household rename h3 --auto"),
    "household greeting": ('cardkeep household greeting h3 "Dear Smiths,"', "cardkeep household greeting ada --clear"),
    "household join": ("cardkeep household join c12 h3", 'cardkeep household join emeka "Ada Okafor"'),
    "household leave": ("cardkeep household leave c12", "cardkeep household leave emeka --today 2026-09-01"),
    "sent": (
        'cardkeep sent "Aunt Rosa" --occasion birthday --design "Robin"',
        'cardkeep sent ada --date 2025-12-05 --message "Merry Christmas"',
    ),
    "received": (
        'cardkeep received ada --news "Chidi passed his driving test"',
        "cardkeep received h3 --year 2025 --date 2026-01-04",
    ),
    "history": ("cardkeep history ada", "cardkeep history --occasion birthday --json"),
    "plan": ("cardkeep plan", "cardkeep plan --save --design Robin", "cardkeep plan --year 2026 --today 2026-11-01 --json"),
    "mark": ("cardkeep mark Ada Rosa signed", "cardkeep mark --all mailed", "cardkeep mark --all stamped --on 2026-12-10"),
    "progress": ("cardkeep progress", "cardkeep progress --year 2026 --json"),
    "labels": ("cardkeep labels --template 5160", "cardkeep labels --start 7 --skip 9,10", "cardkeep labels --return --count 30"),
    "labels print": (
        "cardkeep labels --plan --template 5160",
        "cardkeep labels ada rosa --output friends.pdf",
        "cardkeep labels --tag friends --print --printer Office_Laser",
    ),
    "labels templates": ("cardkeep labels templates", "cardkeep labels templates --json"),
    "labels calibrate": (
        "cardkeep labels calibrate --template 5160 --test-sheet test.pdf",
        "cardkeep labels calibrate --dx 0.8 --dy -1.2",
        "cardkeep labels calibrate --reset --dx 0.5",
    ),
    "envelopes": ("cardkeep envelopes --size 10", "cardkeep envelopes ada --size DL --output ada.pdf",
                  "cardkeep envelopes --plan --size C6 --print"),
    "drafts": ("cardkeep drafts --letter letter.md", "cardkeep drafts templates --copy holiday"),
    "drafts make": (
        "cardkeep drafts ada --template holiday --format md --output -",
        "cardkeep drafts --tag friends --size 5x7 --output friends.pdf",
        "cardkeep drafts --plan --on-card --print --printer Office_Laser",
    ),
    "drafts templates": ("cardkeep drafts templates", "cardkeep drafts templates --copy holiday --to my-holiday.j2"),
    "lint": ("cardkeep lint letter.md", "cardkeep lint --json letter.md", "cardkeep lint --fix letter.md"),
    "remind": ("cardkeep remind", "cardkeep remind --within 3w", "cardkeep remind --today 2026-12-01 --json"),
    "cron": ("cardkeep cron", "cardkeep cron --weekly"),
    "calendar": ("cardkeep calendar --output cards.ics", "cardkeep calendar --today 2026-01-01 > cards.ics"),
    "date": ("cardkeep date add ada anniversary 2001-06-23 --label wedding", "cardkeep date list ada"),
    "date add": (
        "cardkeep date add ada anniversary 2001-06-23 --label wedding",
        "cardkeep date add sam birthday --08-19",
        "cardkeep date add rosa custom \"2nd sun may\" --label \"Mother's Day\"",
    ),
    "date list": ("cardkeep date list", "cardkeep date list ada --json"),
    "date edit": ("cardkeep date edit d3 --on 1978-03-15", 'cardkeep date edit d3 --label "" --lead 10'),
    "card": ("cardkeep card list ada", "cardkeep card edit k12 --year 2025"),
    "card list": ('cardkeep card list "Ada Okafor"', "cardkeep card list h3 --json"),
    "card edit": ("cardkeep card edit k12 --year 2025", 'cardkeep card edit k12 --design "Snowy owl" --not-returned'),
    "card rm": ("cardkeep card rm k12", "cardkeep card rm k12 --yes"),
    "notes": ("cardkeep notes list ada", "cardkeep notes rm n5"),
    "notes list": ("cardkeep notes list ada", "cardkeep notes list c12 --json"),
    "notes edit": ('cardkeep notes edit n5 "new puppy Max (a beagle)"', "cardkeep notes edit n5 --on 2025-12-18"),
    "notes rm": ("cardkeep notes rm n5", "cardkeep notes rm n5 --yes"),
    "date rm": ("cardkeep date rm d12", "cardkeep --db ~/cards/family.db date rm d3"),
    "export": (
        "cardkeep export --format json --output book.json",
        "cardkeep export --format vcard --version 3.0 --output phone.vcf",
        "cardkeep export --profile mailmerge --output merge.csv",
    ),
    "import": (
        "cardkeep import contacts.vcf --dry-run",
        "cardkeep import google.csv --tag imported",
        'cardkeep import sheet.csv --map "Full name=name" --map "Town=city"',
    ),
    "sync": (
        "cardkeep sync ~/.contacts/phone --dry-run",
        "cardkeep sync ~/.contacts/phone --conflict book --json",
        "cardkeep sync ~/.contacts/icloud --version 3.0 --households",
    ),
    "backup": ("cardkeep backup", "cardkeep backup ~/safe/cards.db"),
    "restore": ("cardkeep restore backup.db", "cardkeep restore ~/safe/cards.db --yes"),
    "doctor": ("cardkeep doctor", "cardkeep doctor --json"),
}
