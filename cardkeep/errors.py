"""One error type, caught once in the CLI layer.

Every message is a sentence a user can act on: what is wrong and where.
"""


class CardkeepError(Exception):
    """An error the user can fix. The CLI prints it as one line and exits with `exit_code`."""

    exit_code = 1


class UsageError(CardkeepError):
    """The command line itself is wrong: a bad option value, a missing argument."""

    exit_code = 2


class NotFound(CardkeepError):
    """No contact, household or other record matches."""


class Ambiguous(CardkeepError):
    """A name matches more than one record; the message lists the candidates."""

    exit_code = 2


class InvalidInput(CardkeepError):
    """Data given to cardkeep (a date, a file, a record) is malformed."""


class DatabaseError(CardkeepError):
    """The database file cannot be opened, is not cardkeep's, or is newer than this version."""
