"""One HAR entry as the reader sees it: its place in the file, times, method, URL and status."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any
from urllib.parse import SplitResult, quote, urlencode, urlsplit

from converter.diagnostics import Location
from converter.parsers.har.bodies import decode_base64_text


@dataclass
class Entry:
    index: int
    raw: dict[str, Any]
    start: float | None
    end: float | None
    source: str
    method: str
    url: str
    status: int | None
    final_status: int | None = None
    followed: list[Entry] = field(default_factory=list)  # redirect hops folded into this request, in order
    pageref: str | None = None
    location: Location | None = None  # built once, after every secret is known
    spaced_names: list[str] = field(default_factory=list)  # header names recorded with whitespace around them
    _parts: SplitResult | None = None

    @property
    def parts(self) -> SplitResult:
        """The URL split once (urlsplit is costly on large recordings)."""
        if self._parts is None:
            self._parts = urlsplit(self.url)
        return self._parts

    @property
    def naive_time(self) -> bool:
        """Whether the recorded start time has no time zone (and was read as UTC)."""
        text = self.raw.get("startedDateTime")
        if self.start is None or not isinstance(text, str):
            return False
        text = text.rstrip()
        if text[-1:] in ("Z", "z") or (text[-6:-5] in ("+", "-") and text[-3:-2] == ":"):
            return False  # the usual spellings of a zone, without parsing the time again
        moment = _moment(text)
        return moment is not None and moment.tzinfo is None

    def names_another_host(self, host: str) -> bool:
        """Whether a recorded ``Host`` header names another authority than the URL (a virtual host reached
        through an IP address, an ingress or a tunnel), once case and the scheme's default port are set aside."""
        default = DEFAULT_PORTS.get(self.parts.scheme.lower(), "")
        return _authority(host, default) != _authority(self.parts.netloc.rpartition("@")[2], default)

    def connection_options(self) -> set[str]:
        """The header names the recorded ``Connection`` header lists: they concerned that hop only (RFC 9110
        7.6.1)."""
        names: set[str] = set()
        for header in self.raw["request"].get("headers") or ():
            name = header["name"]  # (a length test first: this runs over every header of every entry)
            if len(name) == 10 and name.lower() == "connection":
                names.update(t.strip().lower() for t in str(header.get("value") or "").split(","))
        names.discard("")
        return names


DEFAULT_PORTS = {"http": "80", "https": "443", "ws": "80", "wss": "443"}  # a URL without its port


def _authority(text: str, default_port: str) -> str:
    text = text.strip().lower()
    if default_port and text.endswith(":" + default_port):
        text = text[: -len(default_port) - 1]
    if not text.startswith("["):  # a fully qualified name's final dot names the same host ("example.test.")
        host, colon, port = text.rpartition(":") if ":" in text else (text, "", "")
        if host.endswith("."):
            text = host.rstrip(".") + colon + port
    if text.isascii():
        return text
    try:  # the browser sends an IDN host as punycode; a hand-written URL may spell it in Unicode
        return text.encode("idna").decode("ascii")
    except UnicodeError:
        return text


# characters a browser leaves as they are in a URL's path and query (and "%", so escapes are kept)
_URL_SAFE = "/:@!$&'()*+,;=-._~%?"


def resource_key(url: str) -> str:
    """``url`` with what does not change the resource set aside (RFC 3986 6.2.2-6.2.3): scheme and host case,
    a Unicode host's punycode, the default port, an empty path, dot segments, and characters a browser
    percent-encodes before sending (a space, non-ASCII text). Unparsable URLs compare as written."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    scheme = parts.scheme.lower()
    host = _authority(parts.netloc.rpartition("@")[2], DEFAULT_PORTS.get(scheme, ""))
    path = _escapes(quote(_without_dot_segments(parts.path or "/"), safe=_URL_SAFE))
    query = (
        "?" + _escapes(quote(parts.query, safe=_URL_SAFE))
        if parts.query or url.partition("#")[0].endswith("?")
        else ""
    )
    return f"{scheme}://{host}{path}{query}"


_ESCAPE = re.compile(r"%[0-9A-Fa-f]{2}")
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")


def _escapes(text: str) -> str:
    """Percent-escapes in one spelling (RFC 3986 6.2.2.1-2): unreserved characters decoded, hex upper-case."""
    return _ESCAPE.sub(
        lambda m: c if (c := chr(int(m.group(0)[1:], 16))) in _UNRESERVED else m.group(0).upper(), text
    )


def _without_dot_segments(path: str) -> str:
    """RFC 3986 5.2.4 for an absolute path: "/a/./b/../c" is "/a/c"."""
    out: list[str] = []
    segments = path.split("/")
    for segment in segments[1:]:
        if segment == "..":
            if out:
                out.pop()
        elif segment != ".":
            out.append(segment)
    trailing = segments[-1] in (".", "..")  # "/a/b/.." is the folder "/a/"
    return "/" + "/".join(out) + ("/" if trailing and out else "")


def timestamp(text: Any) -> float | None:
    """Seconds since the epoch of a HAR ``startedDateTime``; one without a time zone is read as UTC, so that the
    plan never depends on the machine's time zone (HAR 1.2 requires the zone; see :attr:`Entry.naive_time`)."""
    moment = _moment(text)
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.timestamp()


def _moment(text: Any) -> datetime | None:
    if not isinstance(text, str) or not text:
        return None
    value = text.strip()
    if value[-1:] in ("Z", "z"):  # RFC 3339 5.6: "z" is "Z"
        value = value[:-1] + "+00:00"
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(iso_for_python310(value))
    except ValueError:
        return None


# the end of an ISO 8601 time: seconds, a fraction of any length ("." or ","), a zone as +HH:MM, +HHMM or +HH
_TIME_END = re.compile(r"(\d\d:\d\d:\d\d)(?:[.,](\d+))?(?:([+-]\d\d)(?::?(\d\d))?)?$")


def iso_for_python310(value: str) -> str:
    """``value`` spelt as Python 3.10's ``datetime.fromisoformat`` reads it (3.11 reads far more): a fraction of
    exactly 6 digits (.NET and Fiddler write 7, some tools 1 or 9: cut or padded, as 3.11 does) and a zone as
    ``+HH:MM``. A value of another shape is returned unchanged."""
    match = _TIME_END.search(value)
    if match is None:
        return value
    seconds, fraction, hours, minutes = match.groups()
    fraction = "" if fraction is None else "." + fraction[:6].ljust(6, "0")
    zone = "" if hours is None else f"{hours}:{minutes or '00'}"
    return value[: match.start()] + seconds + fraction + zone


def status_of(raw: dict[str, Any]) -> int | None:
    response = raw.get("response")
    if not isinstance(response, dict) or response.get("status") is None:
        return None
    return int(response["status"])


BLANKS = " \t"  # the whitespace of HTTP (RFC 9110 5.6.3)


def complete_request(request: dict[str, Any]) -> list[str]:
    """Some producers keep cookies or the query only in the HAR arrays: put them where a request sends them
    (a Cookie header, the URL's query), so nothing recorded is lost. Header names recorded with spaces or tabs
    around them ("Cookie ") are read without them, as HTTP matches a field name (a token: RFC 9110 5.1; a server
    rejects whitespace before the colon, RFC 9112 5.1), so that a credential header is one whatever its
    spelling: the names so recorded are returned, to be reported. A body recorded base64-encoded that is UTF-8
    text is read as that text (:func:`decode_base64_text`)."""
    headers = request.get("headers")
    if not isinstance(headers, list):
        headers = request["headers"] = []
    spaced = []
    for header in headers:
        name = header["name"]
        if name and (name[0] in BLANKS or name[-1] in BLANKS):
            header["name"] = name.strip(BLANKS)
            if header["name"]:  # (blanks only: a header without a name, left out where it would be sent)
                spaced.append(name)
    cookies = [
        c for c in request.get("cookies") or [] if isinstance(c, dict) and isinstance(c.get("name"), str)
    ]
    if cookies and not any(h["name"].lower() == "cookie" for h in headers):
        headers.append(
            {"name": "Cookie", "value": "; ".join(f"{c['name']}={c.get('value') or ''}" for c in cookies)}
        )
    query = [
        q for q in request.get("queryString") or [] if isinstance(q, dict) and isinstance(q.get("name"), str)
    ]
    if query:
        # only a URL without a query (none, or a bare "?") takes the array's; a "?" after "#" is no query
        base, hash_sign, fragment = request["url"].partition("#")
        mark = base.find("?")
        if mark in (-1, len(base) - 1):
            pairs = [(q["name"], "" if q.get("value") is None else str(q["value"])) for q in query]
            base = base if mark == -1 else base[:mark]
            request["url"] = base + "?" + urlencode(pairs) + hash_sign + fragment
    decode_base64_text(request.get("postData"))
    return spaced


def host_of(entry: Entry) -> str:
    """The host an entry's URL names, in lower case ("" for a URL without one)."""
    try:
        return (entry.parts.hostname or "").lower()
    except ValueError:
        return ""


def host_in(url: str) -> str:
    """The host (with its port, if one is written) a URL names, in lower case, taken without a URL split (costly,
    and not needed for most static assets); "" for a URL without one."""
    if "://" not in url:
        return ""
    return url.split("/", 3)[2].rpartition("@")[2].lower()


def recorded_text(entry: Entry) -> str:
    """The recorded request's own text (URL, header values, body), before anything is replaced in it."""
    request = entry.raw["request"]
    texts = [entry.url, *(str(h.get("value") or "") for h in request.get("headers") or ())]
    post = request.get("postData") or {}
    texts.append(str(post.get("text") or ""))
    texts.extend(str(p.get("value") or "") for p in post.get("params") or () if isinstance(p, dict))
    return "\n".join(texts)


def chain_ms(entry: Entry) -> int | None:
    """How long the request took to answer in the recording, with the redirects PerfTest will follow for it."""
    times = [_response_ms(e.raw) for e in (entry, *entry.followed)]
    known = [t for t in times if t is not None]
    return sum(known) if known else None


def _response_ms(raw: dict[str, Any]) -> int | None:
    """How long the server took to answer in the recording: waiting plus receiving when the timings say so,
    else the entry's whole time; None when the recording does not say."""
    timings = raw.get("timings")
    if isinstance(timings, dict):
        wait, receive = _duration(timings.get("wait")), _duration(timings.get("receive"))
        if wait is not None and receive is not None:
            return round(wait + receive)
    total = _duration(raw.get("time"))
    return None if total is None else round(total)


def _duration(value: Any) -> float | None:
    """A recorded duration in ms, or None (absent, -1 for "does not apply", or not a usable number)."""
    if isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value < 1e9:
        return float(value)
    return None
