"""Read a HAR file and check its shape, so later stages can trust the types they touch.

Anything that makes the file unusable raises :class:`converter.errors.InputError` naming the file and the
JSON path (``log.entries[3].request.url``); optional fields that are merely absent are tolerated, as real
producers omit many of them (``httpVersion``, ``pages``, ``response`` in hand-written HARs...).
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import re
import sys
import threading
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from haralyzer import HarParser
from pydantic_core import from_json

from converter.errors import InputError


class _Digest(threading.Thread):
    """The SHA-256 of some bytes, computed on a thread of its own."""

    def __init__(self, data: bytes) -> None:
        super().__init__(name="har-sha256", daemon=True)
        self.data = data
        self.hexdigest = ""

    def run(self) -> None:
        self.hexdigest = hashlib.sha256(self.data).hexdigest()
        self.data = b""


def _read_slowly(path: Path, raw: bytes) -> Any:
    """The standard library's reading of a file the fast parser refused: the same result for what both
    accept (lone surrogate escapes, very deep nesting), the precise error for the rest."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(str(path), f"not UTF-8 text (byte {exc.start})") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(str(path), f"not JSON: {exc.msg}", f"line {exc.lineno} column {exc.colno}") from None
    except RecursionError:
        raise InputError(str(path), "not usable JSON: nested too deeply") from None


_SURROGATE = re.compile("[\ud800-\udfff]")


def _replace_lone_surrogates(data: Any) -> list[str]:
    """Replace lone surrogates in every string (keys too) by U+FFFD, in place; return the JSON paths changed."""
    changed: list[str] = []
    stack: list[tuple[Any, str]] = [(data, "")]
    while stack:
        value, where = stack.pop()
        items = list(value.items()) if isinstance(value, dict) else enumerate(value)
        for key, item in items:
            here = f"{where}.{key}" if isinstance(value, dict) else f"{where}[{key}]"
            if isinstance(key, str) and _SURROGATE.search(key):
                del value[key]
                key = _SURROGATE.sub("\ufffd", key)
                value[key] = item
                changed.append(here)
            if isinstance(item, str):
                if _SURROGATE.search(item):
                    value[key] = _SURROGATE.sub("\ufffd", item)
                    changed.append(here)
            elif isinstance(item, dict | list):
                stack.append((item, here))
    return sorted(changed)


def read_har(path: Path) -> tuple[dict[str, Any], str, list[str]]:
    """Return the parsed HAR log, the SHA-256 of the file's bytes (hex; the source hash), and where lone UTF-16
    surrogate escapes (``"\\ud800"``: not Unicode, so not writable into a plan) were replaced by U+FFFD."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(str(path), f"cannot read file: {exc.strerror or exc}") from None
    if not raw or raw.isspace():  # as ``not raw.strip()``, without copying the file
        raise InputError(str(path), "the file is empty")
    repaired: list[str] = []
    hashing = _Digest(raw)  # hashlib lets go of the GIL: the hash is computed while the JSON is parsed
    hashing.start()
    try:  # the fast parser (pydantic-core's); anything it refuses is read again below to say exactly why
        data = from_json(raw[3:] if raw.startswith(_BOM) else raw)
    except ValueError:
        data = _read_slowly(path, raw)
        repaired = _replace_lone_surrogates(data)  # only the standard library accepts them
    finally:
        hashing.join()
    digest = hashing.hexdigest
    del raw  # the bytes and the parsed JSON need not both be held any longer (peak memory)
    if not isinstance(data, dict) or not isinstance(data.get("log"), dict):
        raise InputError(str(path), 'not a HAR file: no top-level "log" object', "top level")
    log = data["log"]
    entries = log.get("entries")
    if not isinstance(entries, list):
        raise InputError(str(path), 'not a HAR file: "log.entries" is not a list', "log.entries")
    pages = log.get("pages")
    if pages is not None and not isinstance(pages, list):
        raise InputError(str(path), "expected a list", "log.pages")
    for number, page in enumerate(pages or []):
        _expect(path, page, dict, f"log.pages[{number}]")
        _optional(path, page, "id", str, f"log.pages[{number}]")
        _optional(path, page, "title", str, f"log.pages[{number}]")
        _optional(path, page, "startedDateTime", str, f"log.pages[{number}]")
    for number, entry in enumerate(entries):
        if not _entry_ok(entry):  # the fast check says no: the slow one names the place
            _check_entry(path, entry, f"log.entries[{number}]")
    return log, digest, repaired


_BOM = b"\xef\xbb\xbf"
_STR = str


def _opt(value: Any, kind: type | tuple[type, ...]) -> bool:
    return value is None or (isinstance(value, kind) and value is not True and value is not False)


def _pairs_ok(items: Any) -> bool:
    if items is None:
        return True
    if type(items) is not list:
        return False
    for item in items:
        if type(item) is not dict or type(item.get("name")) is not str:
            return False
        value = item.get("value")
        if value is not None and not (type(value) is str or (type(value) in (int, float))):
            return False
    return True


def _entry_ok(entry: Any) -> bool:
    """True when :func:`_check_entry` would find nothing: the same rules, without building any message."""
    if type(entry) is not dict:
        return False
    request = entry.get("request")
    if type(request) is not dict:
        return False
    method, url = request.get("method"), request.get("url")
    if type(method) is not str or type(url) is not str or not method.strip() or _url_problem(url):
        return False
    if not (
        _pairs_ok(request.get("headers"))
        and _pairs_ok(request.get("queryString"))
        and _pairs_ok(request.get("cookies"))
    ):
        return False
    if not _opt(request.get("httpVersion"), _STR):
        return False
    post = request.get("postData")
    if post is not None:
        if type(post) is not dict:
            return False
        if not (
            _opt(post.get("mimeType"), _STR)
            and _opt(post.get("text"), _STR)
            and _opt(post.get("encoding"), _STR)
        ):
            return False
        params = post.get("params")
        if params is not None:
            if type(params) is not list:
                return False
            for param in params:
                if type(param) is not dict or type(param.get("name")) is not str:
                    return False
                if not (_opt(param.get("fileName"), _STR) and _opt(param.get("contentType"), _STR)):
                    return False
    response = entry.get("response")
    if response is not None:
        if type(response) is not dict:
            return False
        if _status_problem(response.get("status")) or not _opt(response.get("redirectURL"), _STR):
            return False
        if _redirecting(response) and not _pairs_ok(response.get("headers")):
            return False
        content = response.get("content")
        if content is not None and (type(content) is not dict or not _opt(content.get("mimeType"), _STR)):
            return False
    return (
        _opt(entry.get("startedDateTime"), _STR)
        and _finite(entry.get("time"))
        and _opt(entry.get("pageref"), _STR)
        and _opt(entry.get("_resourceType"), _STR)
    )


def _finite(value: Any) -> bool:
    """Absent, or a number that is neither NaN nor infinite (the standard library reads NaN and Infinity), nor an
    integer too large to be a float."""
    if value is None:
        return True
    if type(value) is int:
        return -sys.float_info.max <= value <= sys.float_info.max  # (an int-float comparison is exact)
    return type(value) is float and math.isfinite(value)


def _status_problem(value: Any) -> str | None:
    """Why ``response.status`` is no HTTP status (None when it is one, or absent): a whole number 0-999."""
    if value is None:
        return None
    if type(value) is int or (type(value) is float and math.isfinite(value) and value.is_integer()):
        return None if 0 <= value <= 999 else f"expected an HTTP status from 0 to 999, found {_shown(value)}"
    if type(value) is float:
        return f"expected an HTTP status (a whole number from 0 to 999), found {_shown(value)}"
    return f"expected a number, found {_json_type(value)}"


def _shown(number: Any) -> str:
    """A number as JSON spells it (NaN, Infinity), anything else as its JSON type."""
    if type(number) is float:
        return json.dumps(number)
    if type(number) is int:
        digits = str(abs(number))
        return str(number) if len(digits) <= 20 else f"an integer of {len(digits)} digits"
    return _json_type(number)


def _url_problem(url: str) -> str | None:
    """Why the request URL cannot be split (an unbalanced IPv6 bracket, a host that changes under NFKC...).

    urlsplit raises only for brackets or non-ASCII characters, so the common URL is not split here: the
    reader splits it once, later, and only when it needs the parts."""
    if url.isascii() and "[" not in url and "]" not in url:
        return None
    try:
        urlsplit(url)
    except ValueError as exc:
        return f"not a usable URL: {exc}"
    return None


def _redirecting(response: dict[str, Any]) -> bool:
    """Response headers are read only to follow a redirect (its Location): only then are they checked."""
    status = response.get("status")
    return isinstance(status, int | float) and not isinstance(status, bool) and 300 <= status < 400


def _expect(path: Path, value: Any, kind: type | tuple[type, ...], where: str) -> None:
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        kinds = (kind,) if isinstance(kind, type) else kind
        names = " or ".join(dict.fromkeys(_JSON_NAMES.get(k, k.__name__) for k in kinds))  # int, float: once
        raise InputError(str(path), f"expected {names}, found {_json_type(value)}", where)


def _optional(
    path: Path, parent: dict[str, Any], key: str, kind: type | tuple[type, ...], where: str
) -> None:
    if key in parent and parent[key] is not None:
        _expect(path, parent[key], kind, f"{where}.{key}")


def _name_values(path: Path, parent: dict[str, Any], key: str, where: str) -> None:
    if parent.get(key) is None:
        return
    _expect(path, parent[key], list, f"{where}.{key}")
    for number, item in enumerate(parent[key]):
        here = f"{where}.{key}[{number}]"
        _expect(path, item, dict, here)
        _expect(path, item.get("name"), str, f"{here}.name")
        _optional(path, item, "value", (str, int, float), here)


def _check_entry(path: Path, entry: Any, where: str) -> None:
    _expect(path, entry, dict, where)
    request = entry.get("request")
    _expect(path, request, dict, f"{where}.request")
    _expect(path, request.get("method"), str, f"{where}.request.method")
    _expect(path, request.get("url"), str, f"{where}.request.url")
    if not request["method"].strip():
        raise InputError(str(path), "empty method", f"{where}.request.method")
    problem = _url_problem(request["url"])
    if problem:
        raise InputError(str(path), problem, f"{where}.request.url")
    _name_values(path, request, "headers", f"{where}.request")
    _name_values(path, request, "queryString", f"{where}.request")
    _name_values(path, request, "cookies", f"{where}.request")
    _optional(path, request, "httpVersion", str, f"{where}.request")
    post = request.get("postData")
    if post is not None:
        _expect(path, post, dict, f"{where}.request.postData")
        _optional(path, post, "mimeType", str, f"{where}.request.postData")
        _optional(path, post, "text", str, f"{where}.request.postData")
        _optional(path, post, "encoding", str, f"{where}.request.postData")
        if post.get("params") is not None:
            _expect(path, post["params"], list, f"{where}.request.postData.params")
            for number, param in enumerate(post["params"]):
                here = f"{where}.request.postData.params[{number}]"
                _expect(path, param, dict, here)
                _expect(path, param.get("name"), str, f"{here}.name")
                for key in ("fileName", "contentType"):  # "value" may be anything: producers differ
                    _optional(path, param, key, str, here)
    response = entry.get("response")
    if response is not None:
        _expect(path, response, dict, f"{where}.response")
        problem = _status_problem(response.get("status"))
        if problem:
            raise InputError(str(path), problem, f"{where}.response.status")
        if _redirecting(response):
            _name_values(path, response, "headers", f"{where}.response")
        _optional(path, response, "redirectURL", str, f"{where}.response")
        content = response.get("content")
        if content is not None:
            _expect(path, content, dict, f"{where}.response.content")
            _optional(path, content, "mimeType", str, f"{where}.response.content")
    _optional(path, entry, "startedDateTime", str, where)
    _optional(path, entry, "time", (int, float), where)
    if not _finite(entry.get("time")):
        raise InputError(
            str(path), f"expected a number of milliseconds, found {_shown(entry['time'])}", f"{where}.time"
        )
    _optional(path, entry, "pageref", str, where)
    _optional(path, entry, "_resourceType", str, where)


_JSON_NAMES: dict[type, str] = {
    dict: "an object",
    list: "a list",
    str: "a string",
    int: "a number",
    float: "a number",
}


def _json_type(value: Any) -> str:
    if value is None:
        return "nothing (missing or null)"
    if isinstance(value, bool):
        return "a boolean"
    return _JSON_NAMES.get(type(value), type(value).__name__)


def producer(log: dict[str, Any]) -> str:
    """The tool that recorded the HAR, from ``log.creator`` / ``log.browser`` (read through haralyzer):
    "WebInspector 537.36", "Firefox 120.0 (browser Firefox 120.0)"... Empty when the file does not say."""
    har = HarParser({"log": log})
    parts = []
    for label, getter in (("", lambda: har.creator), ("browser ", lambda: har.browser)):
        try:
            value = getter()
        except KeyError:
            continue
        if isinstance(value, dict) and isinstance(value.get("name"), str) and value["name"].strip():
            version = value.get("version")
            text = value["name"].strip() + (f" {version}".rstrip() if isinstance(version, str) else "")
            parts.append(label + text)
    if len(parts) == 2 and parts[1] == "browser " + parts[0]:
        parts.pop()
    return parts[0] + (f" ({parts[1]})" if len(parts) == 2 else "") if parts else ""


_MAX_ATTACHED_BODY = 10 * 1024 * 1024


def read_attached_body(post: dict[str, Any], folder: Path) -> None:
    """A body Playwright saved beside the HAR (``recordHar`` with ``content: "attach"``: ``postData._file``, or
    ``_sha1`` in a trace) becomes the postData's text: UTF-8 as text, anything else base64 (then reported as a
    binary body). Only a plain file name in the HAR's own folder is read: the HAR is untrusted input and must not
    make the converter copy another file into a plan. Left as is when the file is not there (reported later)."""
    name = post.get("_file") or post.get("_sha1")
    if not isinstance(name, str) or not name or name.startswith(".") or "/" in name or "\\" in name:
        return
    path = folder / name
    try:  # (a link could point anywhere: only a plain file of the folder is read)
        if path.is_symlink() or not path.is_file() or path.stat().st_size > _MAX_ATTACHED_BODY:
            return
        data = path.read_bytes()
    except OSError:
        return
    try:
        post["text"] = data.decode("utf-8")
    except UnicodeDecodeError:
        post["text"] = base64.b64encode(data).decode("ascii")
        post["encoding"] = "base64"
