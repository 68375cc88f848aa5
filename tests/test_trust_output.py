"""Issue 17: an --output is never the book, its -wal/-shm, a backup, a directory or a device;
`-` is standard output; writes are atomic and leave the old file intact on failure."""

import os
import stat

import pytest

from cardkeep import fileio
from cardkeep.errors import CardkeepError, UsageError
from tests.conftest import EXAMPLES


@pytest.fixture
def book(cli, db_path, tmp_path):
    (tmp_path / "config.toml").write_text(
        '[sender]\nname = "Ada"\nstreet = "1 Main St"\ncity = "Austin"\nstate = "TX"\npostal_code = "78701"\n'
        'country = "US"\n'
    )
    assert cli("import", EXAMPLES / "book.json").exit_code == 0
    saved = cli("plan", "--year", "2026", "--today", "2026-11-01", "--save")
    assert saved.exit_code == 0, saved.output
    return db_path


def export_json(cli):
    result = cli("export")
    assert result.exit_code == 0
    return result.stdout


@pytest.mark.parametrize("command", [
    ["export", "-f", "csv"], ["calendar"], ["labels", "--plan", "2026"], ["envelopes", "--plan", "2026"],
    ["drafts", "--format", "md", "--plan", "2026"],
])
@pytest.mark.parametrize("suffix", ["", "-wal", "-shm"])
def test_no_output_replaces_the_book_or_its_wal(cli, book, command, suffix):
    before = export_json(cli)
    target = f"{book}{suffix}"
    result = cli("--db", book, *command, "--output", target)
    assert result.exit_code == 2, result.output
    assert "choose another path" in result.stderr
    assert result.stderr.count("Error") == 1
    assert export_json(cli) == before


def test_a_symlink_or_hard_link_to_the_book_is_refused(cli, book, tmp_path):
    before = export_json(cli)
    (tmp_path / "link.csv").symlink_to(book)
    os.link(book, tmp_path / "hard.csv")
    for name in ("link.csv", "hard.csv"):
        result = cli("export", "-f", "csv", "--output", tmp_path / name)
        assert result.exit_code == 2, result.output
    assert export_json(cli) == before


def test_a_backup_is_never_an_output(cli, book, tmp_path):
    assert cli("backup").exit_code == 0
    [saved] = list((tmp_path / "backups").iterdir())
    data = saved.read_bytes()
    result = cli("export", "--output", saved)
    assert result.exit_code == 2
    assert "backups directory" in result.stderr
    assert saved.read_bytes() == data


def test_a_directory_or_device_is_refused(cli, book, tmp_path):
    (tmp_path / "folder").mkdir()
    for target in (tmp_path / "folder", "/dev/null", "/dev/full", f"{tmp_path}/new/"):
        result = cli("export", "-f", "csv", "--output", target)
        assert result.exit_code == 2, (target, result.output)
        assert "Traceback" not in result.output
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


@pytest.mark.parametrize("target", ["/dev/stdout", "/dev/fd/1", "/proc/self/fd/1", "/dev/full", "/dev/new-file"])
def test_device_paths_are_refused_whatever_they_point_at(target):
    # checked without writing: a regression here must not replace the real /dev/stdout
    with pytest.raises(UsageError, match="use - for standard output"):
        fileio.check_output(target)


@pytest.mark.parametrize("command", [["export"], ["calendar"], ["drafts", "--format", "md", "--plan", "2026"]])
def test_dash_is_standard_output(cli, book, tmp_path, command, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = cli(*command, "--output", "-")
    assert result.exit_code == 0, result.output
    assert result.stdout
    assert not (tmp_path / "-").exists()


def test_labels_dash_is_standard_output(cli, book, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = cli("labels", "--plan", "2026", "--output", "-")
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes.startswith(b"%PDF")
    assert not (tmp_path / "-").exists()


def test_write_atomic_leaves_the_old_file_on_failure(tmp_path, monkeypatch):
    target = tmp_path / "out.csv"
    target.write_text("old")

    def broken(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(fileio.os, "replace", broken)
    with pytest.raises(CardkeepError, match="No space left"):
        fileio.write_atomic(target, "new", private=True)
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]  # no temporary left behind


def test_private_output_is_0600(tmp_path):
    path = fileio.write_atomic(tmp_path / "x.csv", "data", private=True)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_check_output_without_a_guarded_book(tmp_path):
    fileio.guard_book(None)
    assert fileio.check_output(tmp_path / "a.txt") == tmp_path / "a.txt"
    with pytest.raises(UsageError):
        fileio.check_output(tmp_path)


def test_backup_to_a_new_folder_with_a_slash(cli, book, tmp_path):
    result = cli("backup", f"{tmp_path}/newdir/x/")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "newdir" / "x").is_dir()
    assert len(list((tmp_path / "newdir" / "x").iterdir())) == 1
