"""A bounded in-memory cache of GET responses, with ETags: the store is read-only, so an answer never changes.

Keyed by path, query string, ``Accept`` and ``Host``; only complete 200 answers are kept, least
recently used first out when the byte budget is spent. ``If-None-Match`` gets a 304.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["ResponseCache"]

Key = tuple[str, bytes, bytes, bytes]
Entry = tuple[list[tuple[bytes, bytes]], bytes, bytes]  # headers, body, etag

_MAX_ENTRY = 4 * 1024 * 1024


class ResponseCache:
    def __init__(self, app: ASGIApp, *, budget_bytes: int) -> None:
        self.app = app
        self.budget = budget_bytes
        self.used = 0
        self.entries: OrderedDict[Key, Entry] = OrderedDict()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD") or self.budget <= 0:
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers", []))
        # the Host is part of the key: pages that print absolute URLs must not serve one client's Host to another
        key = (scope["path"], scope.get("query_string", b""), headers.get(b"accept", b""), headers.get(b"host", b""))
        entry = self.entries.get(key)
        if entry is not None:
            self.entries.move_to_end(key)
            await self._replay(entry, headers.get(b"if-none-match"), scope["method"], send)
            return
        start: Message | None = None
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:  # answers are small and whole: hold each until complete
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
                return
            if message["type"] != "http.response.body":
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            assert start is not None
            body = b"".join(chunks)
            entry = self._store(key, start, body) if scope["method"] == "GET" else None
            if entry is None:
                await send(start)
                await send({"type": "http.response.body", "body": body})
            else:
                await self._replay(entry, None, "GET", send)

        await self.app(scope, receive, capture)

    def _store(self, key: Key, start: Message, body: bytes) -> Entry | None:
        if start["status"] != 200 or len(body) > _MAX_ENTRY:
            return None
        etag = b'"' + hashlib.sha256(body).hexdigest()[:32].encode() + b'"'
        headers = [(k, v) for k, v in start.get("headers", []) if k.lower() not in (b"content-length", b"etag")]
        entry = (headers, body, etag)
        self.entries[key] = entry
        self.used += len(body)
        while self.used > self.budget and self.entries:
            _, (_, old, _) = self.entries.popitem(last=False)
            self.used -= len(old)
        return entry

    @staticmethod
    async def _replay(entry: Entry, if_none_match: bytes | None, method: str, send: Send) -> None:
        headers, body, etag = entry
        common = [*headers, (b"etag", etag)]
        if if_none_match is not None and etag in [tag.strip() for tag in if_none_match.split(b",")]:
            await send({"type": "http.response.start", "status": 304, "headers": common})
            await send({"type": "http.response.body", "body": b""})
            return
        common.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": 200, "headers": common})
        await send({"type": "http.response.body", "body": body if method == "GET" else b""})
