"""A small HTTP client for SPARQL 1.1 stores: retries, credentials that stay on their origin.

Credentials are sent only to the origin (scheme, host, port) they were given for: a
redirect to another origin is followed without them (reads) or refused (writes), and
no message ever shows them.
"""

from __future__ import annotations

import base64
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, Any

from exokg.remote.deps import EngineError, InputError

__all__ = ["Client", "Response", "origin", "redact"]

RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})


def origin(url: str) -> tuple[str, str, int]:
    """Scheme, host and port of ``url``: what a credential is bound to.

    >>> origin("http://127.0.0.1:8890/sparql") == origin("http://127.0.0.1:8890/other")
    True
    >>> origin("http://127.0.0.1:8890/") == origin("https://127.0.0.1:8890/")
    False
    """
    parts = urllib.parse.urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return parts.scheme.lower(), (parts.hostname or "").lower(), port


def redact(url: str) -> str:
    """``url`` without user information, for messages.

    >>> redact("http://alice:secret@example.org/sparql")
    'http://***@example.org/sparql'
    """
    parts = urllib.parse.urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urllib.parse.urlunsplit(parts._replace(netloc="***@" + parts.netloc.rsplit("@", 1)[1]))


@dataclass(frozen=True)
class Response:
    status: int
    content_type: str
    body: bytes


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Redirects are handled by :class:`Client`, which knows which requests carry credentials."""

    def redirect_request(self, req: Any, fp: IO[bytes], code: int, msg: str, headers: Any, newurl: str) -> None:
        return None


@dataclass
class Client:
    """HTTP with retries and origin-bound Basic credentials (``user:password``)."""

    auth: str | None = None
    auth_origin: tuple[str, str, int] | None = None
    timeout: float = 300.0
    retries: int = 4
    backoff: float = 0.5
    sleep: Callable[[float], None] = time.sleep
    _opener: urllib.request.OpenerDirector = field(
        default_factory=lambda: urllib.request.build_opener(_NoRedirect), repr=False
    )

    def __post_init__(self) -> None:
        if self.auth is not None and ":" not in self.auth:
            raise InputError("--auth must be user:password")

    def request(
        self, method: str, url: str, *, body: bytes | None = None, headers: dict[str, str] | None = None
    ) -> Response:
        """Send one request, retrying connection failures and 408/429/5xx with exponential backoff."""
        attempt = 0
        while True:
            try:
                return self._follow(method, url, body, headers or {})
            except _Retryable as exc:
                attempt += 1
                if attempt > self.retries:
                    raise EngineError(f"{method} {redact(url)} failed after {attempt} attempts: {exc}") from None
                self.sleep(self.backoff * 2 ** (attempt - 1))

    def _follow(self, method: str, url: str, body: bytes | None, headers: dict[str, str]) -> Response:
        for _ in range(5):
            request = urllib.request.Request(url, data=body, method=method, headers=headers)
            if self.auth is not None and self.auth_origin == origin(url):
                token = base64.b64encode(self.auth.encode("utf-8")).decode("ascii")
                request.add_unredirected_header("Authorization", "Basic " + token)
            try:
                with self._opener.open(request, timeout=self.timeout) as answer:
                    return Response(answer.status, answer.headers.get("Content-Type", ""), answer.read())
            except urllib.error.HTTPError as exc:
                if exc.code in (301, 302, 303, 307, 308) and exc.headers.get("Location"):
                    target = urllib.parse.urljoin(url, exc.headers["Location"])
                    if method not in ("GET", "HEAD"):
                        raise EngineError(
                            f"{method} {redact(url)} was redirected to {redact(target)}: not followed for a write; "
                            "pass the final URL"
                        ) from None
                    url = target  # followed; credentials only if still on their origin (above)
                    continue
                detail = exc.read()[:300].decode("utf-8", "replace")
                if exc.code in RETRY_STATUSES:
                    raise _Retryable(f"HTTP {exc.code}: {' '.join(detail.split())[:200]}") from None
                raise EngineError(
                    f"{method} {redact(url)} answered HTTP {exc.code}: {' '.join(detail.split())}"
                ) from None
            except (urllib.error.URLError, ConnectionError, TimeoutError) as exc:
                reason = getattr(exc, "reason", exc)
                raise _Retryable(str(reason)) from None
        raise EngineError(f"{method} {redact(url)}: too many redirects")


class _Retryable(Exception):
    pass
