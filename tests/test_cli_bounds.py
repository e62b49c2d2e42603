"""Command-line input out of bounds is one clear message and exit 2, never a traceback (issue 12, items 13, 14)."""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from exokg.cli.main import cli
from exokg.errors import InputError
from exokg.query.catalogue import bind_parameters, get_query

EXOKG = str(Path(sys.executable).with_name("exokg"))


@pytest.mark.parametrize(
    "option",
    [["--timeout", "nan"], ["--timeout", "inf"], ["--timeout", "-1"], ["--timeout", "0"], ["--timeout", "1e9"],
     ["--max-rows", "-1"], ["--max-rows", "0"], ["--max-rows", "99999999999"]],
)  # fmt: skip
def test_out_of_bounds_options_are_refused(option: list[str], tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["sparql", "-", "--dist", str(tmp_path), *option], input="ASK {}")
    assert result.exit_code == 2
    assert "Invalid value" in result.output and option[0] in result.output
    assert "truncated" not in result.output


def test_a_query_that_is_not_utf8_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "q.rq"
    path.write_bytes(b"SELECT * WHERE {\n ?s ?p '\xff' }")
    result = CliRunner().invoke(cli, ["sparql", str(path), "--dist", str(tmp_path)])
    assert result.exit_code == 2
    assert "q.rq:2: the query is not UTF-8 text" in result.output


def test_an_endless_stdin_stops_at_the_size_cap(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["sparql", "-", "--dist", str(tmp_path)], input=b"\0" * (1024 * 1024 + 10))
    assert result.exit_code == 2
    assert "longer than 1,048,576 bytes" in result.output


def test_a_5000_digit_integer_is_refused() -> None:
    with pytest.raises(InputError, match="at most 18 digits"):
        bind_parameters(get_query("claims-citing-reference"), {"number": "9" * 5000})


def test_a_string_parameter_that_is_not_utf8_is_refused() -> None:
    query = next(q for q in ("search-entities",) if get_query(q).parameters)
    name = get_query(query).parameters[0].name
    with pytest.raises(InputError, match="not valid UTF-8"):
        bind_parameters(get_query(query), {name: "caf\udce9"})  # what the shell passes for b"caf\xe9"


def test_a_full_disk_on_stdout_is_one_message(tmp_path: Path) -> None:
    def small_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (64, 64))

    with (tmp_path / "out.txt").open("wb") as stdout:
        done = subprocess.run([EXOKG, "query", "list"], stdout=stdout, stderr=subprocess.PIPE, text=True,
                              preexec_fn=small_files, timeout=60, check=False)  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.strip() == "exokg: error: cannot write the output: File too large"
