"""Which HAR entries are not load: junk, websocket upgrades, CORS preflights, static assets, unwanted hosts.

Each predicate returns why an entry is left out (or whether it is of a kind), so the reader can say so in the
ledger; none of them changes anything.
"""

from __future__ import annotations

import fnmatch
import re
from urllib.parse import urljoin

from converter.parsers.har.entry import Entry

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


def cache_reason(entry: Entry) -> str | None:
    """Why an entry put no load on the server: answered from the browser's cache, without a request.

    Chrome writes ``_fromCache`` ("memory" or "disk") only when no byte was transferred (a revalidation that got
    a 304 is not "from cache"). ``response._fetchedViaServiceWorker`` alone says a service worker answered,
    which may have fetched from the network: only the source it gives tells."""
    cached = entry.raw.get("_fromCache")
    # (some CDP-based recorders write true; a recorder that writes the text "false" means no)
    if cached is True or (isinstance(cached, str) and cached.strip().lower() not in ("", "false", "no", "0")):
        return "served from the browser cache" + (f" ({cached})" if isinstance(cached, str) else "")
    response = entry.raw.get("response")
    if isinstance(response, dict) and response.get("_fetchedViaServiceWorker") is True:
        source = _SERVICE_WORKER_CACHES.get(str(response.get("_serviceWorkerResponseSource")))
        if source:
            return f"served from the browser cache (a service worker answered from {source})"
    return None


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
        host = (entry.parts.hostname or "").lower()
        if include and not any(fnmatch.fnmatch(host, g.lower()) for g in include):
            return f"host {host} not included"
        if any(fnmatch.fnmatch(host, g.lower()) for g in exclude):
            return f"host {host} excluded"
    for pattern in exclude_urls:
        if pattern.search(entry.url):
            return f"URL matches {pattern.pattern!r}"
    return None


def redirect_target(entry: Entry) -> str | None:
    response = entry.raw.get("response") or {}
    target = response.get("redirectURL") or ""
    if not target:
        for header in response.get("headers") or []:
            if header["name"].lower() == "location":
                target = str(header.get("value") or "")
    if not target:
        return None
    try:
        return urljoin(entry.url, target).partition("#")[0]
    except ValueError:  # an unusable Location ("http://[bad/x"): named as recorded, so no request matches it
        return target.strip().partition("#")[0]
