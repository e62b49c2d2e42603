"""Content negotiation: pick a media type from ``Accept`` (or a ``?format=`` override).

>>> choose("text/turtle;q=0.9, application/ld+json", ["text/html", "text/turtle", "application/ld+json"])
'application/ld+json'
>>> choose("", ["text/html", "text/turtle"])
'text/html'
>>> choose("image/png", ["text/html"]) is None
True
"""

from __future__ import annotations

__all__ = ["RDF_FORMATS", "RESULT_FORMATS", "choose", "parse_accept"]

# ?format= short names and the media types they stand for
RDF_FORMATS = {
    "html": "text/html",
    "ttl": "text/turtle",
    "turtle": "text/turtle",
    "nt": "application/n-triples",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
    "json-ld": "application/ld+json",
}
RESULT_FORMATS = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}


def parse_accept(header: str) -> list[tuple[str, float]]:
    """Media ranges with their q-values, best first (ties keep header order)."""
    ranges: list[tuple[str, float, int]] = []
    for order, part in enumerate(header.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        q = 1.0
        for param in fields[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        ranges.append((media, q, order))
    ranges.sort(key=lambda r: (-r[1], _specificity(r[0]), r[2]))
    return [(media, q) for media, q, _ in ranges]


def _specificity(media: str) -> int:
    if media == "*/*":
        return 2
    return 1 if media.endswith("/*") else 0


def _matches(media_range: str, offered: str) -> bool:
    if media_range in ("*/*", offered):
        return True
    major = media_range.removesuffix("/*")
    return media_range.endswith("/*") and offered.startswith(major + "/")


def choose(header: str, offered: list[str]) -> str | None:
    """The best offered type for ``header``; the first offered for an empty header; None if nothing fits."""
    if not header.strip():
        return offered[0]
    for media, q in parse_accept(header):
        if q <= 0:
            continue
        for candidate in offered:
            if _matches(media, candidate) and not _refused(header, candidate):
                return candidate
    return None


def _refused(header: str, offered: str) -> bool:
    return any(media == offered and q <= 0 for media, q in parse_accept(header))
