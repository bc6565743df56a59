"""Which HAR entries are not load: junk, websocket upgrades, CORS preflights, static assets, unwanted hosts.

Each predicate returns why an entry is left out (or whether it is of a kind), so the reader can say so in the
ledger; none of them changes anything.
"""

from __future__ import annotations

import contextlib
import fnmatch
import re
from functools import lru_cache
from urllib.parse import urljoin

import idna

from converter.parsers.har.entry import DEFAULT_PORTS, Entry
from converter.parsers.har.issued import location_of

STATIC_TYPES = {"image", "stylesheet", "script", "font", "media", "manifest", "texttrack", "imageset", "ping"}
STATIC_MIME = re.compile(
    r"^(image/|font/|audio/|video/|text/css|(text|application)/(x-)?javascript|application/(x-)?font|"
    r"application/wasm|application/manifest\+json)",
    re.I,
)
STATIC_EXT = re.compile(
    r"\.(js|mjs|css|png|jpe?g|gif|svg|ico|webp|avif|bmp|woff2?|ttf|otf|eot|map|mp4|webm|mp3|ogg|wav|m4a|flv)$",
    re.I,
)
JUNK_SCHEMES = (
    "data:",
    "blob:",
    "chrome-extension:",
    "moz-extension:",
    "about:",
    "chrome:",
    "safari-extension:",
)


def junk_reason(entry: Entry) -> str | None:
    url = entry.url.lower()
    if url.startswith(JUNK_SCHEMES):
        return f"{url.split(':', 1)[0]}: URL"
    if entry.method.upper() == "CONNECT":
        return "CONNECT tunnel"
    response = entry.raw.get("response")
    failed = entry.status == 0 or entry.raw.get("_wasCancelled")
    if isinstance(response, dict) and (failed or response.get("_error")):
        return "cancelled or failed in the browser (status 0)"
    return None


# Where a service worker says it took a response from (Chrome: response._serviceWorkerResponseSource) when no
# request reached the server; "network" and "fallback-code" did reach it.
_SERVICE_WORKER_CACHES = {"cache-storage": "its Cache Storage", "http-cache": "the HTTP cache"}


def cache_reason(entry: Entry, gecko: bool = False) -> str | None:
    """Why an entry put no load on the server: answered from the browser's cache, without a request.

    Chrome writes ``_fromCache`` ("memory" or "disk") only when no byte was transferred (a revalidation that got
    a 304 is not "from cache"). Safari (WebKit's HARBuilder) writes ``_fetchType``: "Memory Cache" or
    "Disk Cache" for a cache hit, "Network Load" otherwise. Firefox (and Firebug before it; ``gecko``: the
    recording says it comes from one of them) fills ``cache.afterRequest`` only for a response taken from its
    cache, and writes the bytes transferred as ``response.bodySize``: there, an ``afterRequest`` on a GET or HEAD
    answered 200-299 with content, nothing transferred, is a cache hit. Other producers write ``afterRequest``
    for every entry (Playwright: null), so it says nothing of theirs; a cache never answers a POST or a redirect.
    ``response._fetchedViaServiceWorker`` alone says a service worker answered, which may have fetched from the
    network: only the source it gives tells."""
    raw = entry.raw
    cached = raw.get("_fromCache")
    # (some CDP-based recorders write true; a recorder that writes the text "false" means no)
    if cached is True or (isinstance(cached, str) and cached.strip().lower() not in ("", "false", "no", "0")):
        return "served from the browser cache" + (f" ({cached})" if isinstance(cached, str) else "")
    fetch_type = raw.get("_fetchType")
    if isinstance(fetch_type, str) and fetch_type.strip().lower() in ("memory cache", "disk cache"):
        return f"served from the browser cache ({fetch_type.strip()})"
    response = raw.get("response")
    cache = raw.get("cache")
    if gecko and isinstance(cache, dict) and "afterRequest" in cache and isinstance(response, dict):
        content = response.get("content")
        size = content.get("size") if isinstance(content, dict) else None
        if (
            entry.method.upper() in ("GET", "HEAD")
            and entry.status is not None
            and 200 <= entry.status < 300
            and entry.status != 204
            and response.get("bodySize") == 0
            and isinstance(size, int | float)
            and size > 0
        ):
            return "served from the browser cache (cache.afterRequest, nothing transferred)"
    if isinstance(response, dict) and response.get("_fetchedViaServiceWorker") is True:
        source = _SERVICE_WORKER_CACHES.get(str(response.get("_serviceWorkerResponseSource")))
        if source:
            return f"served from the browser cache (a service worker answered from {source})"
    return None


def service_worker_fetches(kept: list[Entry]) -> list[tuple[Entry, Entry]]:
    """``(worker's fetch, page's request)`` pairs: a request a page made that its service worker answered by
    fetching it from the network (Chrome: ``response._fetchedViaServiceWorker`` with source "network") is
    recorded twice, once as the page's request and once as the worker's own fetch (DevTools lists both). The
    worker's fetch is the entry with the same method, URL and body, not itself answered by a worker, that starts
    while the page's request is under way. The server got one request."""
    answered = [
        e
        for e in kept
        if e.start is not None
        and isinstance(e.raw.get("response"), dict)
        and e.raw["response"].get("_fetchedViaServiceWorker") is True
        and e.raw["response"].get("_serviceWorkerResponseSource") in (None, "network")
    ]
    if not answered:
        return []
    by_target: dict[tuple[str, str], list[Entry]] = {}
    for entry in kept:
        by_target.setdefault((entry.method, entry.url), []).append(entry)
    pairs: list[tuple[Entry, Entry]] = []
    taken: set[int] = set()
    for page in answered:
        start, end = page.start, page.end
        for other in by_target[(page.method, page.url)]:
            if (
                other is not page
                and other.index not in taken
                and other.start is not None
                and start is not None
                and start <= other.start <= (end if end is not None else start)
                and _body(other) == _body(page)
                and not (
                    isinstance(other.raw.get("response"), dict)
                    and other.raw["response"].get("_fetchedViaServiceWorker") is True
                )
            ):
                taken.add(other.index)
                pairs.append((other, page))
                break
    return pairs


def _body(entry: Entry) -> object:
    post = entry.raw["request"].get("postData")
    return None if not isinstance(post, dict) else (post.get("text"), str(post.get("params")))


def is_websocket(entry: Entry) -> bool:
    if entry.raw.get("_webSocketMessages") or entry.raw.get("_resourceType") == "websocket":
        return True
    if entry.url.lower().startswith(("ws:", "wss:")) or entry.status == 101:
        return True
    for header in entry.raw["request"].get("headers") or ():
        name = header["name"]  # (a length test first: this runs over every header of every entry)
        if (
            len(name) == 7
            and name.lower() == "upgrade"
            and str(header.get("value", "")).lower() == "websocket"
        ):
            return True
    return False


def is_preflight(entry: Entry) -> bool:
    if entry.method.upper() != "OPTIONS":
        return False
    headers = entry.raw["request"].get("headers") or []
    return any(h["name"].lower() == "access-control-request-method" for h in headers)


def static_reason(entry: Entry) -> str | None:
    resource = str(entry.raw.get("_resourceType") or "").lower()
    if resource in STATIC_TYPES:
        return f"resource type {resource}"
    if entry.method.upper() != "GET":
        return None
    if resource in ("xhr", "fetch", "document"):
        return None
    response = entry.raw.get("response") or {}
    mime = str((response.get("content") or {}).get("mimeType") or "")
    if STATIC_MIME.match(mime):
        return f"MIME type {mime.split(';')[0]}"
    path = entry.parts.path
    if STATIC_EXT.search(path):
        return f"extension {path.rsplit('.', 1)[-1]}"
    return None


def host_reason(
    entry: Entry, include: list[str], exclude: list[str], exclude_urls: list[re.Pattern[str]]
) -> str | None:
    if include or exclude:
        host, names, port = _host_of(entry)
        if include and not any(_host_glob_matches(g, names, port) for g in include):
            return f"host {host} not included"
        if any(_host_glob_matches(g, names, port) for g in exclude):
            return f"host {host} excluded"
    for pattern in exclude_urls:
        if pattern.search(entry.url):
            return f"URL matches {pattern.pattern!r}"
    return None


def unmatched_globs(entries: list[Entry], globs: list[str]) -> list[str]:
    """The host globs no entry's host matches."""
    hosts = set()
    for entry in entries:
        try:
            hosts.add(_host_of(entry)[1:])
        except ValueError:  # a URL the URL parser refuses (junk: reported as such)
            continue
    return [glob for glob in globs if not any(_host_glob_matches(glob, names, port) for names, port in hosts)]


def _host_of(entry: Entry) -> tuple[str, tuple[str, ...], str]:
    """The entry's host as shown (an IPv6 literal in brackets), the spellings a host glob may match (as
    recorded, and an IDN host both in punycode and in Unicode), and its port (the scheme's default if none)."""
    parts = entry.parts
    host = (parts.hostname or "").rstrip(".")  # (urlsplit lower-cases it and drops IPv6 brackets)
    try:
        port = parts.port
    except ValueError:  # a port that is not a number: named as written
        port = None
        text = parts.netloc.rpartition("@")[2].rpartition("]")[2]
        shown_port = text.rpartition(":")[2] if ":" in text else ""
    else:
        shown_port = str(port) if port is not None else DEFAULT_PORTS.get(parts.scheme.lower(), "")
    return (f"[{host}]" if ":" in host else host), _host_spellings(host), shown_port


@lru_cache(maxsize=1024)
def _host_spellings(host: str) -> tuple[str, ...]:
    """The host as recorded, in punycode and in Unicode: a browser sends (and records) an IDN host in punycode, a
        user types it in Unicode, or the reverse. IDNA 2008 with UTS 46 (non-transitional), as browsers: ``faß.de``
        is ``xn--fa-hia.de``, not ``fass.de`` (IDNA 2003, for what IDNA 2008 refuses: ``☃``). A label neither takes
    (``my_host``) stays as it is."""
    labels = host.split(".")
    names = [
        host,
        ".".join(_a_label(label) for label in labels),
        ".".join(_u_label(label) for label in labels),
    ]
    return tuple(dict.fromkeys(name.lower() for name in names))


def _a_label(label: str) -> str:
    if label.isascii():
        return label
    try:
        return idna.encode(label, uts46=True, transitional=False).decode("ascii")
    except (idna.IDNAError, UnicodeError):
        pass
    try:  # a symbol IDNA 2008 disallows (☃): the older IDNA 2003 still spells it
        return label.encode("idna").decode("ascii")
    except UnicodeError:
        return label


def _u_label(label: str) -> str:
    if not label.lower().startswith("xn--"):
        return label
    try:
        return idna.decode(label)
    except (idna.IDNAError, UnicodeError):
        pass
    try:
        return label.encode("ascii").decode("idna")
    except UnicodeError:
        return label


def _glob_text(glob: str) -> str:
    """A host glob as it is compared: lower case, and a Unicode one mapped as UTS 46 maps a host (case,
    compatibility forms, normalisation), so that it is spelled as the host it names."""
    text = glob.strip()
    if not text.isascii():
        with contextlib.suppress(idna.IDNAError, UnicodeError):
            text = idna.uts46_remap(text, std3_rules=False, transitional=False)
    return text.lower()


@lru_cache(maxsize=256)
def _host_glob(glob: str) -> tuple[str, str | None]:
    """A host glob as (host pattern, port pattern or None): ``*.shop.test``, ``localhost:8080``, an IPv6
    literal in brackets with or without a port (``[::1]``, ``[::1]:8443``; brackets are no character class
    there), or bare (``::1``, ``fe80::*``)."""
    glob = _glob_text(glob)
    port: str | None = None
    if glob.startswith("[") and ":" in glob[1 : glob.find("]")]:  # (else a character class: [a-c]*, [!x]*)
        host, _, rest = glob[1:].partition("]")
        if rest.startswith(":") and rest[1:]:
            port = rest[1:]
    elif glob.count(":") == 1:
        host, _, port = glob.partition(":")
        port = port or None
    else:
        host = glob
    return host.rstrip(".") or "*", port


def _host_glob_matches(glob: str, names: tuple[str, ...], port: str) -> bool:
    host, wanted_port = _host_glob(glob)
    if wanted_port is not None and not fnmatch.fnmatchcase(port, wanted_port):
        return False
    return any(fnmatch.fnmatchcase(name, host) for name in names)


def redirect_target(entry: Entry) -> str | None:
    """Where a 3xx sends the browser (absolute, without fragment): ``redirectURL``, else the Location header, read
    as the search for server-issued credentials reads it (:func:`location_of`)."""
    target = location_of(entry.raw.get("response"))
    if not target:
        return None
    try:
        return urljoin(entry.url, target).partition("#")[0]
    except ValueError:  # an unusable Location ("http://[bad/x"): named as recorded, so no request matches it
        return target.strip().partition("#")[0]
