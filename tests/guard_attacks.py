"""The guard fuzzer: Hypothesis strategies for obfuscated SERVICE / LOAD / FROM / update queries, and the
watches that prove none of them reached a server or opened a file.

Used by ``tests/test_sparql_guard.py`` (a few hundred queries in ``make test``) and by
``bench/guard_fuzz.py`` (tens of thousands). The attack templates and lures are data:
``tests/data/guard/attacks.tsv`` and ``tests/data/guard/lures.txt``.
"""

from __future__ import annotations

import ctypes
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

__all__ = ["ATTACKS", "LURES", "Attack", "FileWatch", "NetWatch", "attacks", "benign_queries"]

DATA = Path(__file__).parent / "data" / "guard"


def _read_attacks() -> dict[str, str]:
    rows = {}
    for line in (DATA / "attacks.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, template = line.split("\t")
            rows[name] = template
    return rows


ATTACKS = _read_attacks()
LURES = [
    line for line in (DATA / "lures.txt").read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")
]
_KEYWORD = re.compile(r"^[A-Z]{2,}$")
_PUNCTUATION = set("{}().;*,")
NESTINGS = [
    "{ @ }",
    "OPTIONAL { @ }",
    "{ @ } UNION { ?s ?p ?o }",
    "{ ?s ?p ?o } UNION { @ }",
    "{ SELECT * WHERE { @ } }",
    "FILTER EXISTS { @ }",
    "FILTER NOT EXISTS { @ }",
    "MINUS { @ }",
    "GRAPH ?g { @ }",
    "{ { @ } }",
]
SEPARATORS = [" ", "  ", "\t", "\n", "\r\n", "\r", " # a comment\n", ' # "\n', " # '\n", " #}\n"]
ODD_SEPARATORS = ["\f", "\u00a0", " #\r", "\v"]  # not SPARQL white space, or a comment a lone CR ends


@dataclass(frozen=True)
class Attack:
    """A generated query and what it goes after."""

    template: str
    target: str  # "http" (the loopback server) or "file" (the watched secret file)
    text: str


def _escape(ch: str) -> str:
    return f"\\u{ord(ch):04X}" if ord(ch) < 0x10000 else f"\\U{ord(ch):08X}"


@st.composite
def _keyword(draw: st.DrawFn, word: str) -> str:
    cased = "".join(ch.lower() if draw(st.booleans()) else ch for ch in word)
    # Hypothesis favours small draws, so the plain spelling is the small one: most keywords stay readable
    if draw(st.integers(0, 4)) == 3:  # \u-escape some letters (rdflib decodes these before parsing)
        return "".join(_escape(ch) if draw(st.integers(0, 3)) == 2 else ch for ch in cased)
    return cased


@st.composite
def _target(draw: st.DrawFn, url: str) -> tuple[str, str]:
    """(prologue, term) naming ``url`` as an IRI, a prefixed name, a relative IRI or with \\u escapes."""
    head, _, tail = url.rpartition("/")
    form = draw(st.sampled_from(["iri", "iri", "pname", "base", "escaped"]))
    if form == "pname" and re.fullmatch(r"[A-Za-z0-9_.-]*[A-Za-z0-9_-]", tail):
        return f"PREFIX t: <{head}/>", f"t:{tail}"
    if form == "base":
        return f"BASE <{head}/>", f"<{tail}>"
    if form == "escaped":
        position = draw(st.integers(0, len(url) - 1))
        return "", "<" + url[:position] + _escape(url[position]) + url[position + 1 :] + ">"
    return "", f"<{url}>"


def _nest(body: list[str], nesting: str) -> list[str]:
    before, _, after = nesting.partition("@")
    return before.split() + body + after.split()


@st.composite
def attacks(draw: st.DrawFn, *, server: str, secret: Path) -> Attack:
    """One obfuscated attack on the loopback ``server`` URL or the ``secret`` file."""
    name = draw(st.sampled_from(sorted(ATTACKS)))
    target_kind = draw(st.sampled_from(["http", "http", "file"]))
    url = f"{server}/{name}" if target_kind == "http" else secret.as_uri()
    prologue, term = draw(_target(url))
    tokens = ATTACKS[name].replace("$TARGET", term).split(" ")
    return Attack(name, target_kind, draw(_obfuscate(tokens, prologue)))


@st.composite
def benign_queries(draw: st.DrawFn) -> str:
    """A harmless query under the obfuscations the guard must *not* refuse (case, whitespace, comments,
    nesting, strings): a guard that refused everything would fail on these."""
    tokens = [
        "SELECT",
        "*",
        "WHERE",
        "{",
        "?s",
        "?p",
        "?o",
        "[[",
        "OPTIONAL",
        "{",
        "?s",
        "?q",
        "?z",
        "}",
        "]]",
        "}",
        "LIMIT",
        "3",
    ]
    return draw(_obfuscate(tokens, "", escapes=False))


@st.composite
def _obfuscate(draw: st.DrawFn, tokens: list[str], prologue: str, *, escapes: bool = True) -> str:
    tokens = _nested(draw, tokens)
    if draw(st.booleans()):  # a lure at the start of the first group
        lures = LURES if escapes else [lure for lure in LURES if "\\" not in lure]
        lure = draw(st.sampled_from(lures))  # one token: separators are not put inside its strings
        first = tokens.index("{") + 1 if "{" in tokens else 0
        if first:
            tokens = [*tokens[:first], lure, *tokens[first:]]
    words = [draw(_keyword(t)) if _KEYWORD.match(t) and escapes else _case(draw, t) for t in tokens]
    prologue_words = ["PREFIX ex: <http://example.org/>"] + ([prologue] if prologue else [])
    separators = _separators(odd=escapes and draw(st.integers(0, 5)) == 4)
    out = [draw(separators).join(prologue_words)]
    for word in words:
        separator = draw(separators)
        if separator == " " and (word in _PUNCTUATION or out[-1][-1:] in _PUNCTUATION) and draw(st.booleans()):
            separator = ""
        out.append(separator + word)
    return draw(separators).join(["", "".join(out), ""]).strip(" ")


def _separators(*, odd: bool) -> st.SearchStrategy[str]:
    """SPARQL white space and comments; with ``odd`` (one query in six), now and then one that is not."""
    usual = st.sampled_from(SEPARATORS)
    if not odd:
        return usual
    return st.integers(0, 7).flatmap(lambda n: st.sampled_from(ODD_SEPARATORS) if n == 5 else usual)


def _case(draw: st.DrawFn, token: str) -> str:
    if _KEYWORD.match(token):
        return "".join(ch.lower() if draw(st.booleans()) else ch for ch in token)
    return token


def _nested(draw: st.DrawFn, tokens: list[str]) -> list[str]:
    out: list[str] = []
    while "[[" in tokens:
        start = tokens.index("[[")
        end = tokens.index("]]", start)
        body = tokens[start + 1 : end]
        for nesting in draw(st.lists(st.sampled_from(NESTINGS), max_size=3)):
            body = _nest(body, nesting)
        out += tokens[:start] + body
        tokens = tokens[end + 1 :]
    return out + tokens


# ---- the watches -----------------------------------------------------------------------------------------

_IN_ACCESS, _IN_OPEN = 0x1, 0x20


class FileWatch:
    """Sees the watched file opened or read, by this process or any child, through two independent means:

    * a Python audit hook (``open`` events, also for files that do not exist, in forked children too),
      reported through a pipe;
    * Linux inotify on the file (``IN_OPEN``/``IN_ACCESS``), which also sees opens from native code
      such as Oxigraph's.
    """

    _hook_installed = False
    _active: FileWatch | None = None

    def __init__(self, path: Path) -> None:
        self.path = path
        self._read_fd, self._write_fd = os.pipe()
        os.set_blocking(self._read_fd, False)
        libc = ctypes.CDLL(None, use_errno=True)
        self._inotify = libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
        if self._inotify < 0 or libc.inotify_add_watch(self._inotify, os.fsencode(path), _IN_OPEN | _IN_ACCESS) < 0:
            raise OSError(ctypes.get_errno(), f"inotify cannot watch {path}")
        if not FileWatch._hook_installed:
            sys.addaudithook(FileWatch._hook)
            FileWatch._hook_installed = True
        FileWatch._active = self

    @staticmethod
    def _hook(event: str, args: tuple[Any, ...]) -> None:
        watch = FileWatch._active
        named = event == "open" and args and isinstance(args[0], str | bytes | os.PathLike)
        if watch is not None and named and os.fsdecode(args[0]).endswith(watch.path.name):
            os.write(watch._write_fd, b"!")

    def opened(self) -> dict[str, int]:
        """How many opens each means saw since the last call."""
        return {"audit hook": _drain(self._read_fd), "inotify": _drain(self._inotify) // 16}

    def close(self) -> None:
        FileWatch._active = None
        for fd in (self._read_fd, self._write_fd, self._inotify):
            os.close(fd)


class NetWatch:
    """Sees Python code in this process or a forked child look up a host name, connect a socket or build
    a urllib request (audit events), whatever the host: rdflib's fetches go through these. With ``block``
    each attempt is also stopped (PermissionError), so a broken guard makes no real DNS lookup in a test."""

    EVENTS = frozenset({"socket.getaddrinfo", "socket.connect", "urllib.Request"})
    _hook_installed = False
    _active: NetWatch | None = None

    def __init__(self, *, block: bool = True) -> None:
        self.block = block
        self._read_fd, self._write_fd = os.pipe()
        os.set_blocking(self._read_fd, False)
        if not NetWatch._hook_installed:
            sys.addaudithook(NetWatch._hook)
            NetWatch._hook_installed = True
        NetWatch._active = self

    @staticmethod
    def _hook(event: str, args: tuple[Any, ...]) -> None:
        watch = NetWatch._active
        if watch is not None and event in NetWatch.EVENTS:
            os.write(watch._write_fd, b"!")
            if watch.block:
                raise PermissionError(f"network blocked by the test's NetWatch ({event})")

    def attempts(self) -> int:
        """Network attempts since the last call."""
        return _drain(self._read_fd)

    def close(self) -> None:
        NetWatch._active = None
        os.close(self._read_fd)
        os.close(self._write_fd)


def _drain(fd: int) -> int:
    """Bytes waiting on a non-blocking descriptor (one per audit event; 16 per inotify event on a file)."""
    total = 0
    while True:
        try:
            chunk = os.read(fd, 4096)
        except BlockingIOError:
            return total
        if not chunk:
            return total
        total += len(chunk)
