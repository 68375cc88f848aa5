"""`cardkeep labels` and `cardkeep envelopes` are light commands: the `cardkeep` script loads the
printing commands' module alone, their help is the same as with every command loaded, and they
print the same labels."""

import json

import pytest

from cardkeep.cli import LIGHT_COMMANDS
from tests.test_lint_light import FULL, LIGHT, run

NOT_FOR_LABELS = ("cardkeep.cli.book", "cardkeep.cli.drafts", "cardkeep.cli.lint", "cardkeep.drafts", "cardkeep.lint",
                  "jinja2", "cardkeep.formats")


def test_labels_and_envelopes_are_light():
    assert LIGHT_COMMANDS["labels"] == LIGHT_COMMANDS["envelopes"] == "printing"


@pytest.mark.parametrize("args", [("labels", "--help"), ("labels", "print", "--help"), ("labels", "templates", "--help"),
                                  ("envelopes", "--help")])
def test_help_is_the_full_help(args):
    light, full = run(LIGHT, *args), run(FULL, *args)
    assert light.returncode == full.returncode == 0
    assert light.stdout == full.stdout and "Usage" in light.stdout


def test_labels_load_only_the_printing_commands(tmp_path, monkeypatch):
    from tests.test_labels_cli import SENDER

    (tmp_path / "config.toml").write_text(SENDER)
    done = run(LIGHT, "labels", "--return", "--count", "2", "-o", str(tmp_path / "r.pdf"))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Wrote 2 return-address labels on 1 sheet of avery-5160")
    modules = set(json.loads(done.stderr.strip().splitlines()[-1]))
    assert "cardkeep.cli.printing" in modules and "reportlab" in modules
    assert sorted(m for m in modules if m.startswith(NOT_FOR_LABELS)) == []
