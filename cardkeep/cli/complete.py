"""Shell completion (bash, zsh, fish: `cardkeep --install-completion`): contact names, tags, label
sheets and draft templates.

Each function takes what the user has typed so far and returns (value, help) pairs. They read the
book read-only and swallow every error: pressing Tab must never create a book or print anything.
"""

from __future__ import annotations

import typer


def _starting(words, incomplete: str) -> list[tuple[str, str]]:
    from cardkeep.store.find import fold

    key = fold(incomplete)
    seen: set[str] = set()
    found = []
    for word, help_text in words:
        if word not in seen and fold(word).startswith(key):
            seen.add(word)
            found.append((word, help_text))
    return found


def _book_words(ctx: typer.Context, kind: str):
    from cardkeep.paths import db_path
    from cardkeep.store.find import completion_words

    # The group's options are parsed but its callback has not run: read --db from them.
    return completion_words(db_path(ctx.find_root().params.get("db")), kind)


def people(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Names and nicknames in the book."""
    try:
        return _starting(_book_words(ctx, "people"), incomplete)
    except Exception:  # noqa: BLE001 - completion must never fail loudly
        return []


def tags(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """The tags in use."""
    try:
        return _starting(_book_words(ctx, "tags"), incomplete)
    except Exception:  # noqa: BLE001
        return []


def sheets(incomplete: str) -> list[tuple[str, str]]:
    """Label sheet ids and product codes."""
    try:
        from cardkeep.printing import labels

        words = []
        for sheet in labels.templates():
            words.append((sheet.id, sheet.size_text))
            words += [(code, sheet.id) for code in sheet.product_codes]
        return _starting(words, incomplete)
    except Exception:  # noqa: BLE001
        return []


def draft_templates(incomplete: str) -> list[tuple[str, str]]:
    """The shipped draft templates."""
    try:
        from cardkeep.drafts.sandbox import shipped_templates

        return _starting([(name, "template") for name in shipped_templates()], incomplete)
    except Exception:  # noqa: BLE001
        return []


def choices(*values: str):
    """Completion for an option with a fixed set of values."""

    def complete(incomplete: str) -> list[str]:
        return [value for value in values if value.startswith(incomplete)]

    return complete
