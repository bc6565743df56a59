"""Request bodies of HAR entries: JSON/text kept exactly, url-encoded forms, multipart parts, binary refused."""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, unquote, unquote_plus, unquote_to_bytes

from converter.diagnostics import define
from converter.model import Body, FormField, Part
from converter.parsers.har.secrets import ONE_TIME_HINTS, is_one_time_field

HAR_FORM_CHARSET = define(
    "HAR027", "info", "url-encoded body not in UTF-8: sent as the recorded text, not as form fields"
)
HAR_MULTIPART_PART = define(
    "HAR026", "warning", "multipart part not sent as recorded: unreadable, or headers the plan cannot send"
)

HAR_NO_FILE_CHOSEN = define(
    "HAR040", "info", "empty file input (no file chosen) sent as an empty field, not as a file placeholder"
)
HAR_MULTIPART_TRUNCATED = define(
    "HAR041", "warning", "multipart body ends before its closing boundary: the last part may be cut short"
)
HAR_ONE_TIME_CODE = define(
    "HAR051", "warning", "recorded one-time code sent (TOTP, SMS, MFA code): accepted once, fails on replay"
)
HAR_BASE64_DECODED = define(
    "HAR052", "info", "base64-encoded request body (postData.encoding) decoded: UTF-8 text, sent as text"
)

_BOUNDARY = re.compile(r'boundary="?([^";]+)"?', re.I)
_CHARSET = re.compile(r'charset\s*=\s*"?([^";\s]+)', re.I)
_TEXTUAL = re.compile(
    r"^(text/|application/(json|.*\+json|xml|.*\+xml|javascript|x-www-form-urlencoded|graphql|x-ndjson|csp-report))",
    re.I,
)
_BINARY = re.compile(
    r"^(image/|audio/|video/|font/|application/(octet-stream|zip|gzip|pdf|x-protobuf|protobuf|grpc|wasm))",
    re.I,
)


@dataclass(frozen=True)
class Note:
    """A diagnostic about the body, for the reader to report at the entry."""

    code: str
    message: str
    action: str
    hint: str = ""


@dataclass
class BodyResult:
    body: Body | None
    problem: str | None = None  # why the body could not be converted (binary...), if so
    file_parts: list[str] | None = None  # names of file parts replaced by placeholders
    params_over_text: bool = False  # both params and text described the form and disagreed
    rebuilt: str | None = None  # the body was rebuilt from params (no recorded text): how
    notes: list[Note] = field(default_factory=list)  # other changes to report (codes declared here)
    form_text: bool = False  # a url-encoded form kept as its raw text (its fields are still secret-named)

    def replace_form_values(self, replace: Callable[[str, str], str | None]) -> Body:
        """The form kept as text (``form_text``), its field values replaced where ``replace`` says (see
        :func:`replace_form_values`)."""
        if self.body is None or not self.form_text:
            raise ValueError("not a url-encoded form kept as text")
        return self.body.model_copy(update={"text": replace_form_values(self.body.text, replace)})


# where :func:`decode_base64_text` notes that it decoded a postData's text (a key no producer writes)
DECODED_FROM_BASE64 = "_converterDecodedBase64"


def decode_base64_text(post: Any) -> None:
    """A postData recorded base64-encoded (``"encoding": "base64"``: CDP-based recorders and extensions write it,
    as Playwright's attachments are read) whose bytes are UTF-8 text becomes that text, in place, before anything
    reads it (the collection of credentials, the conversion), and is marked so (:data:`DECODED_FROM_BASE64`) for
    the conversion to say so. Binary content (a binary MIME type, a NUL, control characters) and text that is no
    base64 are left as recorded: reported as a body not converted (HAR007)."""
    if not isinstance(post, dict) or str(post.get("encoding") or "").lower() != "base64":
        return
    text = post.get("text")
    mime = str(post.get("mimeType") or "").strip().lower()
    if not isinstance(text, str) or _BINARY.match(mime):
        return
    data = _base64_bytes(text)
    if data is None:
        return
    try:
        decoded = data.decode("utf-8")
    except UnicodeDecodeError:
        return
    if "\x00" in decoded or _looks_binary(decoded):
        return
    post["text"] = decoded
    del post["encoding"]
    post[DECODED_FROM_BASE64] = len(data)


def _base64_bytes(text: str) -> bytes | None:
    """The bytes of a base64 text (standard or URL-safe alphabet, padded or not, line breaks allowed), or None."""
    compact = "".join(text.split())
    compact += "=" * (-len(compact) % 4)
    altchars = b"-_" if ("-" in compact or "_" in compact) else None
    try:
        return base64.b64decode(compact, altchars=altchars, validate=True)
    except (binascii.Error, ValueError):
        return None


def convert_body(post: dict[str, Any] | None) -> BodyResult:
    """The body of a recorded request as the plan sends it, with what could not be converted (``problem``) and
    notes on what is sent otherwise than recorded: a body decoded from base64 (HAR052), one-time codes in it
    (HAR051)."""
    result = _convert_body(post)
    if post and post.get(DECODED_FROM_BASE64) is not None and result.body is not None:
        result.notes.append(
            Note(
                HAR_BASE64_DECODED,
                f"the request body was recorded base64-encoded ({post.get(DECODED_FROM_BASE64)} bytes of UTF-8 "
                f"{str(post.get('mimeType') or '').strip() or 'text without a MIME type'})",
                action="decoded and sent as text, its credentials replaced like any body's",
            )
        )
    one_time = one_time_fields(result.body)
    if one_time:
        result.notes.append(
            Note(
                HAR_ONE_TIME_CODE,
                "the body sends one-time codes (a TOTP, SMS, e-mail or backup code): "
                + ", ".join(f"field {name}" for name in one_time),
                action="sent as a fixed value (a variable, unless --keep-secrets): a one-time code is accepted "
                "once and only for minutes, so the request fails for every virtual user",
                hint="in PerfTest, send a code each virtual user gets afresh (from a test mailbox or SMS gateway, "
                "or computed from a test account's TOTP secret), or record with test accounts that have no "
                "second factor",
            )
        )
    return result


def one_time_fields(body: Body | None) -> list[str]:
    """The names of the fields of a body that carry a one-time code (:func:`is_one_time_field`) with a value:
    form and multipart text fields, fields of a url-encoded form kept as text, JSON members at any depth."""
    if body is None:
        return []
    if body.kind == "form":
        pairs = [(f.name, f.value) for f in body.fields]
    elif body.kind == "multipart":
        pairs = [(p.name, p.value) for p in body.parts if p.filename is None]
    elif not _may_name_one_time(body.text):
        return []
    elif is_json_text(body.text):
        pairs = []
        try:
            _json_members(json.loads(body.text, object_pairs_hook=list), pairs)
        except RecursionError:  # (nested deeper than Python recurses: no field looked at)
            return []
    elif looks_like_form(body.text) or "x-www-form-urlencoded" in (body.content_type or "").lower():
        pairs = parse_qsl(body.text, keep_blank_values=True)
    elif body.text.lstrip().startswith("<"):  # XML: its elements' text (<otp>551234</otp>)
        pairs = _XML_TEXT.findall(body.text)
    else:
        return []
    return list(dict.fromkeys(name for name, value in pairs if value and is_one_time_field(name)))


# an XML element's name (without its namespace prefix) and its text
_XML_TEXT = re.compile(r"<(?:[\w.-]+:)?([A-Za-z_][\w.-]*)(?:\s[^<>]*)?>([^<>]+)</")


def _may_name_one_time(text: str) -> bool:
    """False when no name in ``text`` can be a one-time code's (a quick test before parsing a body)."""
    lowered = text.lower()
    return any(word in lowered for word in ONE_TIME_HINTS)


def _json_members(value: Any, out: list[tuple[str, str]]) -> None:
    """(name, value as text) of the members of a JSON value with a string or number value, at any depth."""
    if isinstance(value, list) and all(isinstance(item, tuple) for item in value) and value:
        for key, item in value:  # (an object, as object_pairs_hook=list gives it)
            if isinstance(item, str | int) and not isinstance(item, bool):
                out.append((str(key), str(item)))
            else:
                _json_members(item, out)
    elif isinstance(value, list):
        for item in value:
            _json_members(item, out)


def _convert_body(post: dict[str, Any] | None) -> BodyResult:
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
        return _urlencoded(mime, text, params)
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


def _urlencoded(mime: str, text: str | None, params: list[dict[str, Any]]) -> BodyResult:
    """A url-encoded form: the fields of ``text`` (the bytes sent), unless ``params`` really say otherwise.
    A JSON text under a form's type (a page that set the wrong Content-Type) is kept as its text: read as a
    form, it would become one field named after the whole JSON, sent encoded.

    Producers disagree on ``params``: Firefox writes them decoded, Chrome as the raw ``&``/``=`` split of the
    text (``alice%40example.com``, ``blue+shoes``). Fields are sent decoded (PerfTest encodes them), so raw
    params taken as they are would be encoded twice."""
    pairs = [(p["name"], _value(p.get("value"))) for p in params]
    if not text:
        return BodyResult(_form(pairs))
    if is_json_text(text):
        return BodyResult(Body(kind="raw", text=text, content_type=mime or None))
    charset = _not_utf8(mime, text)
    if charset:  # fields would be decoded (and re-encoded) as UTF-8: keep the exact text instead
        note = Note(
            HAR_FORM_CHARSET,
            f"url-encoded body {charset}",
            action="sent as the recorded text with its Content-Type, not as form fields",
        )
        return BodyResult(
            Body(kind="raw", text=text, content_type=mime or None), notes=[note], form_text=True
        )
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


def _not_utf8(mime: str, text: str) -> str | None:
    """How a url-encoded ``text`` is not UTF-8 (a declared charset, or escapes that decode to no UTF-8), when
    decoding its fields as UTF-8 would change the bytes sent; None otherwise."""
    if "%" not in text:
        return None  # nothing but ASCII to decode: the same in any charset
    escaped = unquote_to_bytes(text)
    if escaped.isascii():
        return None
    declared = _CHARSET.search(mime)
    if declared and declared.group(1).lower() not in ("utf-8", "utf8"):
        return f"in charset {declared.group(1)}"
    try:
        escaped.decode("utf-8")
    except UnicodeDecodeError as exc:
        return f"with %-escapes that are not UTF-8 (byte 0x{escaped[exc.start]:02X})"
    return None


# a url-encoded form: name=value pairs joined by "&" (a trailing "&" allowed); names without spaces, quotes or
# brackets, so that no JSON, XML or prose text is taken for one
_FORM_NAME = r'[^=&\s{}\[\]<>"]+'
_FORM_TEXT = re.compile(rf"{_FORM_NAME}=[^&]*(?:&{_FORM_NAME}=[^&]*)*&?")


def looks_like_form(text: str) -> bool:
    """Whether a body recorded under another type (``text/plain``, which Chrome records for
    ``xhr.send("user=ann&password=...")``, or a JSON type its text does not match) is a url-encoded form."""
    return "=" in text and _FORM_TEXT.fullmatch(text.strip()) is not None


def is_json_text(text: str) -> bool:
    """Whether ``text`` is a JSON object or array."""
    if text.lstrip()[:1] not in ("{", "["):
        return False
    try:
        json.loads(text)
    except (ValueError, RecursionError):
        return False
    return True


def replace_form_values(text: str, replace: Callable[[str, str], str | None]) -> str:
    """A url-encoded ``text`` with the raw value of each field replaced where ``replace(name, value)`` (both
    decoded as :func:`urllib.parse.parse_qsl` decodes them) gives a replacement; the rest byte for byte."""
    pieces = text.split("&")
    for number, piece in enumerate(pieces):
        name, sep, _ = piece.partition("=")
        decoded = parse_qsl(piece, keep_blank_values=True) if sep else []
        replacement = replace(*decoded[0]) if decoded else None
        if replacement is not None:
            pieces[number] = f"{name}={replacement}"
    return "&".join(pieces)


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
    notes: list[Note] = []
    carried_not: list[str] = []  # non-file parts whose own headers the plan cannot send
    no_file: list[str] = []  # file inputs with no file chosen
    if params:
        for param in params:
            filename = param.get("fileName")
            content_type = param.get("contentType")
            value = _value(param.get("value"))
            if filename == "" and not value:
                no_file.append(param["name"])
            elif filename is not None:
                files.append(param["name"])
                value = _placeholder(filename)
            elif not _plain_text(content_type):
                carried_not.append(f"{param['name']!r} (Content-Type: {content_type})")
            parts.append(Part(name=param["name"], value=value, filename=filename, content_type=content_type))
    elif text:
        match = _BOUNDARY.search(mime)
        if match is None:
            return BodyResult(None, problem="multipart body without a boundary")
        read, unreadable, closed = _read_multipart(text, match.group(1))
        for part in read:
            if part.filename == "" and not part.value:
                no_file.append(part.name)
            elif part.filename is not None:
                files.append(part.name)
            elif not _plain_text(part.content_type) or part.other_headers:
                headers = ([f"Content-Type: {part.content_type}"] if part.content_type else []) + [
                    f"{h}: ..." for h in part.other_headers
                ]
                carried_not.append(f"{part.name!r} ({', '.join(headers)})")
            parts.append(
                Part(
                    name=part.name,
                    value=_placeholder(part.filename) if part.filename else part.value,
                    filename=part.filename,
                    content_type=part.content_type,
                )
            )
        if not closed and read:
            notes.append(
                Note(
                    HAR_MULTIPART_TRUNCATED,
                    f"the multipart body ends before its closing boundary (--{match.group(1)}--): the recording "
                    f"may have cut it short, and part {read[-1].name!r} with it",
                    action="parts sent as read",
                    hint="check the last part's value in PerfTest",
                )
            )
        if unreadable:
            notes.append(
                Note(
                    HAR_MULTIPART_PART,
                    "unreadable multipart parts: " + "; ".join(unreadable),
                    action="left out of the body",
                    hint="add the missing fields in PerfTest",
                )
            )
    if no_file:
        notes.append(
            Note(
                HAR_NO_FILE_CHOSEN,
                "file inputs with no file chosen (empty filename and content): " + ", ".join(no_file),
                action="sent as empty fields (the plan sends no file part; servers read both as no file)",
            )
        )
    if carried_not:
        notes.append(
            Note(
                HAR_MULTIPART_PART,
                "part headers the plan cannot send: " + "; ".join(carried_not),
                action="sent as plain text fields, without their own headers",
            )
        )
    return BodyResult(Body(kind="multipart", parts=parts), file_parts=files or None, notes=notes)


def _plain_text(content_type: str | None) -> bool:
    """A text field's Content-Type that says nothing more than having none (RFC 7578 4.4: text/plain)."""
    return content_type is None or content_type.partition(";")[0].strip().lower() in ("", "text/plain")


def _placeholder(filename: str) -> str:
    return f"<file:{filename or 'upload'}>"


@dataclass
class _PartText:
    name: str
    filename: str | None  # set for a file part (even empty: a file input with no file chosen)
    content_type: str | None
    value: str
    other_headers: list[str]  # part headers besides Content-Disposition and Content-Type, as named


# Disposition parameters in any order, quoted or not (RFC 7578 4.2, RFC 6266). Browsers percent-encode a quote
# inside a quoted name (WHATWG) and leave a backslash as it is (a Windows path): a quoted value is read as
# written when its closing quote ends the parameter; only otherwise (name="a\"b", as other clients escape a
# quote) are backslash escapes read (RFC 9110 5.6.4 quoted-pair).
_PARAM = re.compile(r';\s*([^\s=;]+)\s*=\s*(?:"([^"]*)"(?=\s*(?:;|$))|"((?:[^"\\]|\\.)*)"|([^;]*))')
_QUOTED_PAIR = re.compile(r"\\(.)")


def _read_multipart(text: str, boundary: str) -> tuple[list[_PartText], list[str], bool]:
    """The parts of a multipart body, why each part that could not be read was left out, and whether the body
    reached its close delimiter (a recording may cut a long body short)."""
    parts: list[_PartText] = []
    unreadable: list[str] = []
    chunks = text.split("--" + boundary)
    closed = False
    for number, chunk in enumerate(chunks[1:], 1):  # chunks[0] is the preamble, never sent as a part
        if chunk.startswith("--"):
            closed = True
            break  # the close delimiter; what follows is the epilogue
        chunk = chunk.lstrip(" \t")  # transport padding after the delimiter
        chunk = chunk[2:] if chunk.startswith("\r\n") else chunk[1:] if chunk.startswith("\n") else chunk
        head, sep, value = chunk.partition("\r\n\r\n")
        if not sep:
            head, sep, value = chunk.partition("\n\n")
        part = _read_part(head, value) if sep else "no blank line after its headers"
        if isinstance(part, str):
            unreadable.append(f"part {number}: {part}")
        else:
            parts.append(part)
    return parts, unreadable, closed


def _read_part(head: str, value: str) -> _PartText | str:
    """One part from its header lines and content, or why it cannot be read."""
    disposition: str | None = None
    content_type: str | None = None
    others: list[str] = []
    for line in head.splitlines():
        key, sep, field_value = line.partition(":")
        if not sep:
            if line.strip():
                return f"header line {line[:40]!r} has no colon"
            continue
        lowered = key.strip().lower()
        if lowered == "content-disposition":
            disposition = field_value.strip()
        elif lowered == "content-type":
            content_type = field_value.strip()
        else:
            others.append(key.strip())
    if disposition is None:
        return "no Content-Disposition"
    kind, _, rest = disposition.partition(";")
    if kind.strip().lower() != "form-data":
        return f"Content-Disposition {kind.strip()!r}, not form-data"
    params: dict[str, str] = {}
    for found in _PARAM.finditer(";" + rest):
        as_written, escaped, bare = found.group(2, 3, 4)
        if as_written is not None:
            text = as_written
        elif escaped is not None:
            text = _QUOTED_PAIR.sub(r"\1", escaped)
        else:
            raw = bare.strip()  # (an unclosed quote: as written, without the quotes it has)
            text = raw[1:-1] if raw[:1] == '"' and raw[-1:] == '"' and len(raw) > 1 else raw
        params.setdefault(found.group(1).lower(), text)
    if "name" not in params:
        return "no name in its Content-Disposition"
    filename = params.get("filename")
    if "filename*" in params:  # RFC 5987 charset'lang'percent-encoded, preferred over filename (RFC 6266)
        charset, _, encoded = params["filename*"].partition("'")
        encoded = encoded.partition("'")[2]
        try:
            filename = unquote(encoded, encoding=charset or "utf-8", errors="replace")
        except LookupError:  # an unknown charset name
            filename = unquote(encoded, errors="replace")
    # the CRLF before the next delimiter belongs to the delimiter
    if value.endswith("\r\n"):
        value = value[:-2]
    elif value.endswith("\n"):
        value = value[:-1]
    return _PartText(params["name"], filename, content_type, value, others)


def _split_multipart(text: str, boundary: str) -> list[tuple[str, str | None, str | None, str]]:
    """The readable parts of a multipart body as (name, filename, content type, value)."""
    return [(p.name, p.filename, p.content_type, p.value) for p in _read_multipart(text, boundary)[0]]


def with_boundary(post: dict[str, Any] | None, headers: Any) -> dict[str, Any] | None:
    """``postData`` with the multipart boundary of the recorded Content-Type header when its own ``mimeType``
    lacks one (some producers write a bare "multipart/form-data" there): the parts cannot be read without it."""
    mime = str((post or {}).get("mimeType") or "")
    if post is None or not mime.lower().startswith("multipart/") or "boundary=" in mime.lower():
        return post
    for header in headers:
        value = str(header.get("value") or "")
        if header["name"].lower() == "content-type" and "boundary=" in value.lower():
            return {**post, "mimeType": value}
    return post
