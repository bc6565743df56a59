"""Request bodies of HAR entries: JSON/text kept exactly, url-encoded forms, multipart parts, binary refused."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, unquote_plus

from converter.model import Body, FormField, Part

_BOUNDARY = re.compile(r'boundary="?([^";]+)"?', re.I)
_TEXTUAL = re.compile(
    r"^(text/|application/(json|.*\+json|xml|.*\+xml|javascript|x-www-form-urlencoded|graphql|x-ndjson|csp-report))",
    re.I,
)
_BINARY = re.compile(
    r"^(image/|audio/|video/|font/|application/(octet-stream|zip|gzip|pdf|x-protobuf|protobuf|grpc|wasm))",
    re.I,
)


@dataclass
class BodyResult:
    body: Body | None
    problem: str | None = None  # why the body could not be converted (binary...), if so
    file_parts: list[str] | None = None  # names of file parts replaced by placeholders
    params_over_text: bool = False  # both params and text described the form and disagreed
    rebuilt: str | None = None  # the body was rebuilt from params (no recorded text): how


def convert_body(post: dict[str, Any] | None) -> BodyResult:
    if not post:
        return BodyResult(None)
    mime = (post.get("mimeType") or "").strip()
    text = post.get("text")
    params = post.get("params") or []
    lowered = mime.lower()
    if post.get("encoding") == "base64":
        return BodyResult(None, problem=f"base64-encoded ({mime or 'no MIME type'}) body")
    if lowered.startswith("multipart/form-data"):
        return _multipart(mime, text, params)
    if lowered.startswith("application/x-www-form-urlencoded"):
        return _urlencoded(text, params)
    if text is None:
        if params and "json" in lowered:  # some recorders keep a parsed JSON body as params only
            return BodyResult(
                Body(kind="raw", text=_json_from_params(params), content_type=mime),
                rebuilt="JSON body rebuilt from postData.params (the recording kept no text)",
            )
        if params:  # a form without a form MIME type: send it url-encoded
            fields = [FormField(name=p["name"], value=_value(p.get("value"))) for p in params]
            return BodyResult(
                Body(kind="form", fields=fields),
                rebuilt=f"{mime or 'untyped'} body rebuilt as a url-encoded form from postData.params",
            )
        return BodyResult(None)
    if (
        _BINARY.match(lowered)
        or ("\x00" in text)
        or (lowered and not _TEXTUAL.match(lowered) and _looks_binary(text))
    ):
        return BodyResult(None, problem=f"binary ({mime or 'no MIME type'}) body of {len(text)} characters")
    return BodyResult(Body(kind="raw", text=text, content_type=mime or None))


def _urlencoded(text: str | None, params: list[dict[str, Any]]) -> BodyResult:
    """A url-encoded form: the fields of ``text`` (the bytes sent), unless ``params`` really say otherwise.

    Producers disagree on ``params``: Firefox writes them decoded, Chrome as the raw ``&``/``=`` split of the
    text (``alice%40example.com``, ``blue+shoes``). Fields are sent decoded (PerfTest encodes them), so raw
    params taken as they are would be encoded twice."""
    pairs = [(p["name"], _value(p.get("value"))) for p in params]
    if not text:
        return BodyResult(_form(pairs))
    decoded = parse_qsl(text, keep_blank_values=True)
    if not pairs or pairs == decoded:
        return BodyResult(_form(decoded))
    raw = _raw_pairs(text)
    if pairs == raw:  # Chrome's spelling of the same form
        return BodyResult(_form(decoded))
    # They differ: params win (some producers fill them from the page's form), decoded first when they are
    # spelled as the text is (Chrome), which at least one pair shows.
    decoded_set, raw_set = set(decoded), set(raw)
    if any(pair in raw_set and pair not in decoded_set for pair in pairs):
        pairs = [(unquote_plus(name), unquote_plus(value)) for name, value in pairs]
    return BodyResult(_form(pairs), params_over_text=pairs != decoded)


def _raw_pairs(text: str) -> list[tuple[str, str]]:
    """The url-encoded ``text`` split on ``&`` and ``=`` without decoding (the pieces parse_qsl keeps)."""
    out = []
    for piece in text.split("&"):
        if piece:
            name, _, value = piece.partition("=")
            out.append((name, value))
    return out


def _form(pairs: list[tuple[str, str]]) -> Body:
    return Body(kind="form", fields=[FormField(name=name, value=value) for name, value in pairs])


def _json_from_params(params: list[dict[str, Any]]) -> str:
    """Params named 0..n-1 were array items, anything else object members (chrome-har's layout)."""
    names = [p["name"] for p in params]
    if names == [str(n) for n in range(len(names))]:
        data: Any = [p.get("value") for p in params]
    else:
        data = {p["name"]: p.get("value") for p in params}
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _value(value: Any) -> str:
    """A param value as text (some producers record objects or numbers)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _looks_binary(text: str) -> bool:
    sample = text[:2048]
    if not sample:
        return False
    odd = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\r\n\t") or ch == "\ufffd")
    return odd / len(sample) > 0.1


def _multipart(mime: str, text: str | None, params: list[dict[str, Any]]) -> BodyResult:
    parts: list[Part] = []
    files: list[str] = []
    if params:
        for param in params:
            filename = param.get("fileName")
            if filename is not None:
                files.append(param["name"])
            parts.append(
                Part(
                    name=param["name"],
                    value=_placeholder(filename) if filename is not None else _value(param.get("value")),
                    filename=filename,
                    content_type=param.get("contentType"),
                )
            )
    elif text:
        match = _BOUNDARY.search(mime)
        if match is None:
            return BodyResult(None, problem="multipart body without a boundary")
        for name, filename, content_type, value in _split_multipart(text, match.group(1)):
            if filename is not None:
                files.append(name)
            parts.append(
                Part(
                    name=name,
                    value=_placeholder(filename) if filename is not None else value,
                    filename=filename,
                    content_type=content_type,
                )
            )
    return BodyResult(Body(kind="multipart", parts=parts), file_parts=files or None)


def _placeholder(filename: str) -> str:
    return f"<file:{filename or 'upload'}>"


_DISPOSITION = re.compile(r'content-disposition:[^\r\n]*?name="([^"]*)"(?:;\s*filename="([^"]*)")?', re.I)
_CONTENT_TYPE = re.compile(r"content-type:\s*([^\r\n]+)", re.I)


def _split_multipart(text: str, boundary: str) -> list[tuple[str, str | None, str | None, str]]:
    out = []
    for chunk in text.split("--" + boundary):
        chunk = chunk.lstrip("\r\n")
        if not chunk or chunk.startswith("--"):
            continue
        head, sep, value = chunk.partition("\r\n\r\n")
        if not sep:
            head, sep, value = chunk.partition("\n\n")
        match = _DISPOSITION.search(head)
        if match is None:
            continue
        content_type = _CONTENT_TYPE.search(head)
        out.append(
            (
                match.group(1),
                match.group(2),
                content_type.group(1).strip() if content_type else None,
                value.removesuffix("\r\n").removesuffix("\n"),
            )
        )
    return out
