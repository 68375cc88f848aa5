"""`cardkeep lint` end to end: output formats, exit codes, stdin, --fix, selection, suppression, config."""

import json
import os

from tests.conftest import EXAMPLES

LETTER = (
    "Dear Ada,\n"
    "The garden did well this year.\n"
    "We flew first class to the Maldives again.\n"
    "Love,\n"
)
BRAG = "We flew first class to the Maldives again."


def write(tmp_path, text, name="letter.md"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_text_format_is_exact_and_exit_1_on_findings(cli, tmp_path):
    path = write(tmp_path, LETTER)
    result = cli("lint", path)
    assert result.exit_code == 1
    assert result.stdout == (
        f'{path}:3:1: warning: brag.luxury: boasts of luxury travel and spending ("first class") '
        "(cut it, or tell it over coffee if they ask)\n"
    )
    assert result.stderr == ""


def test_clean_file_exits_0_with_no_output(cli, tmp_path):
    result = cli("lint", write(tmp_path, "Dear Ada,\nWe think of you often.\nLove,\n"))
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")


def test_json_shape(cli, tmp_path):
    path = write(tmp_path, "Dear Valued Customer,\n" + LETTER)
    result = cli("lint", "--format", "json", path)
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["version"] == 1
    assert [(f["line"], f["rule"], f["severity"]) for f in data["findings"]] == [
        (1, "salutation.generic", "error"), (4, "brag.luxury", "warning")]
    assert set(data["findings"][0]) == {
        "path", "line", "column", "end_line", "end_column", "rule", "severity", "message", "suggestion",
        "confidence", "tier"}
    assert data["findings"][1]["path"] == str(path)
    assert (data["findings"][1]["column"], data["findings"][1]["end_column"]) == (1, len(BRAG) + 1)


def test_json_with_no_findings_is_still_a_document(cli, tmp_path):
    result = cli("lint", "--format", "json", write(tmp_path, "Dear Ada,\n"))
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {"version": 1, "findings": []}


def test_json_flag_is_the_json_format(cli, tmp_path):
    """--json, as on every read command, prints what --format json prints."""
    path = write(tmp_path, "Dear Valued Customer,\n" + LETTER)
    flag, long = cli("lint", "--json", path), cli("lint", "--format", "json", path)
    assert (flag.exit_code, flag.stdout) == (long.exit_code, long.stdout)
    assert json.loads(flag.stdout)["findings"]


def test_stdin_with_dash(cli):
    result = cli("lint", "-", input="Dear Occupant,\n")
    assert result.exit_code == 1
    assert result.stdout.startswith("-:1:1: error: salutation.generic: ")


def test_several_files_and_the_exit_code_is_never_the_count(cli, tmp_path):
    a = write(tmp_path, "Dear Occupant,\nDear Sir or Madam,\nSent from my iPhone\n", "a.txt")
    b = write(tmp_path, LETTER, "b.txt")
    result = cli("lint", a, b)
    assert result.exit_code == 1
    assert [line.split(":")[0] for line in result.stdout.splitlines()] == [str(a)] * 3 + [str(b)]


def test_missing_file_is_a_usage_error_and_nothing_is_linted(cli, tmp_path):
    good = write(tmp_path, LETTER)
    result = cli("lint", good, tmp_path / "nope.md")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"Error: cannot read {tmp_path / 'nope.md'}: no such file\n"


def test_unreadable_inputs_exit_2(cli, tmp_path):
    binary = tmp_path / "card.bin"
    binary.write_bytes(b"\xff\xfe\x00bad")
    for args in [(binary,), (tmp_path,), ()]:
        result = cli("lint", *args)
        assert result.exit_code == 2, args
        assert result.stderr.startswith("Error: ") and len(result.stderr.splitlines()) == 1


def test_bad_options_exit_2(cli, tmp_path):
    path = write(tmp_path, LETTER)
    assert cli("lint", "--format", "xml", path).exit_code == 2
    result = cli("lint", "--select", "bragg", path)
    assert result.exit_code == 2
    assert "unknown rule or family 'bragg'" in result.stderr


def test_select_and_ignore_by_family(cli, tmp_path):
    path = write(tmp_path, "Dear Valued Customer,\n" + LETTER + "So humbled to be named VP again.\n")
    rules = lambda *args: [line.split(": ")[2] for line in cli("lint", *args, path).stdout.splitlines()]  # noqa: E731
    assert rules() == ["salutation.generic", "brag.luxury", "brag.humble.modesty"]
    assert rules("--select", "brag") == ["brag.luxury", "brag.humble.modesty"]
    assert rules("--select", "brag.humble", "--select", "salutation") == ["salutation.generic", "brag.humble.modesty"]
    assert rules("--ignore", "brag.humble,salutation") == ["brag.luxury"]
    assert cli("lint", "--ignore", "brag", "--ignore", "salutation", path).exit_code == 0


def test_inline_suppression(cli, tmp_path):
    path = write(tmp_path, "Dear Ada,\n" + BRAG + "  # cardkeep: ignore brag\nLove,\n")
    assert cli("lint", path).exit_code == 0
    path = write(tmp_path, "cardkeep: disable brag\n" + BRAG + "\ncardkeep: enable brag\n" + BRAG + "\n")
    result = cli("lint", path)
    assert result.exit_code == 1 and [line.split(":")[1] for line in result.stdout.splitlines()] == ["4"]


def test_config_allow_list_and_ignore(cli, tmp_path):
    path = write(tmp_path, LETTER + "Can't complain, except that our new boat is too big for the dock!\nGlitter inside!\n")
    assert cli("lint", path).stdout.count("\n") == 3
    config = tmp_path / "config.toml"
    assert os.environ["CARDKEEP_CONFIG"] == str(config)
    config.write_text('[lint]\nignore = ["glitter"]\n[lint.allow]\n"brag.humble" = ["our new boat"]\n', encoding="utf-8")
    result = cli("lint", path)
    assert [line.split(": ")[2] for line in result.stdout.splitlines()] == ["brag.luxury"]
    config.write_text('[lint]\nallow = {"brag" = ["MALDIVES", "boat"]}\nignore = "glitter"\n', encoding="utf-8")
    assert cli("lint", path).exit_code == 0


def test_config_max_words_and_a_bad_config(cli, tmp_path):
    path = write(tmp_path, "Dear Ada, the garden did well and we think of you.\n")
    config = tmp_path / "config.toml"
    config.write_text("[lint]\nmax_words = 5\n", encoding="utf-8")
    result = cli("lint", path)
    assert result.exit_code == 1 and "tone.too-long" in result.stdout
    config.write_text('[lint]\nmax_words = "lots"\n', encoding="utf-8")
    result = cli("lint", path)
    assert result.exit_code == 1 and result.stderr.startswith("Error: config: [lint] max_words")


def test_fix_rewrites_the_file_keeps_a_backup_and_shows_the_diff(cli, tmp_path):
    path = write(tmp_path, "Dear Valued Customer,\n" + LETTER)
    path.chmod(0o640)
    result = cli("lint", "--fix", path)
    assert path.read_text(encoding="utf-8") == "Dear Valued Customer,\nDear Ada,\nThe garden did well this year.\nLove,\n"
    assert (tmp_path / "letter.md.bak").read_text(encoding="utf-8") == "Dear Valued Customer,\n" + LETTER
    assert oct(path.stat().st_mode & 0o777) == oct(0o640)
    assert f"--- {path}\n+++ {path}\n" in result.stdout and f"-{BRAG}\n" in result.stdout
    assert "+" + "Dear" not in result.stdout  # only removals
    # what is left is reported, against the fixed file's own line numbers, and decides the exit code
    assert f"{path}:1:1: error: salutation.generic" in result.stdout
    assert result.exit_code == 1
    assert "removed 1 brag line(s)" in result.stderr


def test_fix_with_nothing_left_exits_0_and_a_second_run_changes_nothing(cli, tmp_path):
    path = write(tmp_path, LETTER)
    assert cli("lint", "--fix", path).exit_code == 0
    fixed = path.read_text(encoding="utf-8")
    backup = (tmp_path / "letter.md.bak").read_text(encoding="utf-8")
    result = cli("lint", "--fix", path)
    assert (result.exit_code, result.stdout) == (0, "")
    assert path.read_text(encoding="utf-8") == fixed and (tmp_path / "letter.md.bak").read_text() == backup


def test_fix_never_touches_other_families(cli, tmp_path):
    text = "Dear Occupant,\nGlitter inside!\nLove,\nThe Smith Family\n"
    path = write(tmp_path, text)
    result = cli("lint", "--fix", path)
    assert result.exit_code == 1
    assert path.read_text(encoding="utf-8") == text and not (tmp_path / "letter.md.bak").exists()


def test_fix_from_stdin_writes_the_fixed_text_to_stdout_and_the_diff_to_stderr(cli):
    result = cli("lint", "--fix", "-", input="Dear Occupant,\n" + LETTER)
    assert result.stdout == "Dear Occupant,\nDear Ada,\nThe garden did well this year.\nLove,\n"
    assert f"-{BRAG}\n" in result.stderr and "--- -\n+++ - (fixed)\n" in result.stderr
    assert "-:1:1: error: salutation.generic" in result.stderr
    assert result.exit_code == 1


def test_fix_json_reports_what_was_removed(cli, tmp_path):
    path = write(tmp_path, LETTER)
    result = cli("lint", "--fix", "--format", "json", path)
    data = json.loads(result.stdout)
    assert data["findings"] == [] and [f["line"] for f in data["removed"]] == [3]
    assert f"-{BRAG}\n" in result.stderr
    assert result.exit_code == 0
    result = cli("lint", "--fix", "--format", "json", path)  # nothing left to remove
    assert json.loads(result.stdout) == {"version": 1, "findings": [], "removed": []}


def test_rules_lists_examples_both_ways(cli):
    result = cli("lint", "--rules")
    assert result.exit_code == 0
    assert "brag.humble.complaint (warning): " in result.stdout
    assert "  catches:   Our pool is so big it takes forever to heat up in the spring.\n" in result.stdout
    assert "  lets pass: I'm exhausted after the move, but happy to be closer to Mom.\n" in result.stdout
    data = json.loads(cli("lint", "--rules", "--format", "json", "--select", "signature").stdout)
    assert data and all(r["rule"].startswith("signature.") and r["catches"] and r["lets_pass"] for r in data)


def test_the_sample_letter(cli):
    result = cli("lint", "--select", "brag", EXAMPLES / "letter.md")
    assert result.exit_code == 1
    assert [line.split(":")[1] for line in result.stdout.splitlines()] == ["7", "8", "13", "16"]
    assert "consider cutting" in result.stdout.splitlines()[0]  # warm news the model is unsure of


def test_lint_never_creates_the_database(cli, tmp_path):
    db = tmp_path / "book.db"
    assert os.environ["CARDKEEP_DB"] == str(db)
    cli("lint", write(tmp_path, LETTER))
    cli("lint", "--fix", write(tmp_path, LETTER, "b.md"))
    cli("lint", "-", input=LETTER)
    cli("lint", "--rules")
    assert not db.exists()
    assert not list(tmp_path.glob("book.db*"))


def test_fix_keeps_the_original_byte_for_byte_in_the_backup_with_its_permissions(cli, tmp_path):
    path = tmp_path / "letter.md"
    original = ("\ufeff" + LETTER.replace("\n", "\r\n")).encode("utf-8")
    path.write_bytes(original)
    path.chmod(0o600)
    cli("lint", "--fix", path)
    backup = tmp_path / "letter.md.bak"
    assert backup.read_bytes() == original
    assert oct(backup.stat().st_mode & 0o777) == oct(0o600)
    assert path.read_bytes() == original.replace(BRAG.encode() + b"\r\n", b"")


def test_fix_through_a_symlink_fixes_the_letter_and_keeps_the_link(cli, tmp_path):
    real = write(tmp_path, LETTER, name="real.md")
    link = tmp_path / "letter.md"
    link.symlink_to(real)
    assert cli("lint", "--fix", link).exit_code == 0
    assert link.is_symlink() and BRAG not in real.read_text(encoding="utf-8")
    assert (tmp_path / "letter.md.bak").read_text(encoding="utf-8") == LETTER


def test_fix_with_the_same_letter_named_twice_still_backs_up_the_original(cli, tmp_path):
    path = write(tmp_path, LETTER)
    cli("lint", "--fix", path, tmp_path / "." / "letter.md")
    assert (tmp_path / "letter.md.bak").read_text(encoding="utf-8") == LETTER
    assert BRAG not in path.read_text(encoding="utf-8")
