from pathlib import Path

import pytest

from exokg.errors import InputError
from exokg.io.tables import read_table, split_multi


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "t.tsv"
    path.write_bytes(text.encode("utf-8"))
    return path


def test_reads_rows_with_line_numbers_and_nfc(tmp_path: Path) -> None:
    decomposed = "integrin α6β4".replace("α", "α")  # already NFC; add a combining form below
    path = write(tmp_path, "id\tlabel\n\na\tCafe\u0301\nb\t" + decomposed + "\n")
    rows = read_table(path, required=("id",))
    assert [(r.line, r["id"]) for r in rows] == [(3, "a"), (4, "b")]
    assert rows[0]["label"] == "Café"  # composed to NFC


def test_missing_column_names_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, "id\tlabel\nx\ty\n")
    with pytest.raises(InputError) as caught:
        read_table(path, required=("id", "type"))
    assert caught.value.line == 1 and "type" in caught.value.message and caught.value.path == path


def test_stray_tab_is_reported_with_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, "id\tlabel\na\tb\nc\td\te\n")
    with pytest.raises(InputError) as caught:
        read_table(path)
    assert caught.value.line == 3 and "stray tab" in caught.value.message


def test_invalid_utf8_is_reported_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "t.tsv"
    path.write_bytes(b"id\tlabel\na\tok\nb\t\xff\n")
    with pytest.raises(InputError) as caught:
        read_table(path)
    assert caught.value.line == 3 and "UTF-8" in caught.value.message


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="file not found"):
        read_table(tmp_path / "absent.tsv")


def test_split_multi() -> None:
    assert split_multi(" a | b||c ") == ["a", "b", "c"]
    assert split_multi("") == []


# ---- issue 12, items 10 and 14: nothing is dropped silently --------------------------------------------


def test_cr_only_line_endings_are_named(tmp_path: Path) -> None:
    path = write(tmp_path, "id\tlabel\rx\ty\r")
    with pytest.raises(InputError, match="CR-only line ending") as caught:
        read_table(path, required=("id",))
    assert caught.value.path == path and caught.value.line == 1


def test_crlf_is_still_read(tmp_path: Path) -> None:
    rows = read_table(write(tmp_path, "id\tlabel\r\nx\ty\r\n"), required=("id",))
    assert [r.cells for r in rows] == [{"id": "x", "label": "y"}]


def test_a_byte_order_mark_is_skipped(tmp_path: Path) -> None:
    rows = read_table(write(tmp_path, "\ufeffid\tlabel\nx\ty\n"), required=("id",), columns=("id", "label"))
    assert rows[0]["id"] == "x"


def test_a_duplicated_column_is_named_not_reported_as_missing(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"column 'label' appears twice \(columns 2 and 3\)") as caught:
        read_table(write(tmp_path, "id\tlabel\tlabel\nx\ty\tz\n"), required=("id",))
    assert caught.value.line == 1


def test_a_misspelt_column_is_named(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"unknown column.*'synonym'") as caught:
        read_table(write(tmp_path, "id\tlabel\tsynonym\nx\ty\tz\n"), columns=("id", "label", "synonyms"))
    assert caught.value.path is not None and caught.value.path.name == "t.tsv"
