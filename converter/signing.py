"""SDK-HMAC-SHA256 request signing (Huawei Cloud AK/SK), as pure functions.

The algorithm is the one of the official ``huaweicloudsdkcore`` signer (``huaweicloudsdkcore/signer/signer.py``,
class ``Signer``), reproduced step by step so that a request signed here verifies at the API gateway and a request
signed by the SDK verifies in the emulator:

1. canonical request = METHOD \\n canonical URI \\n canonical query \\n canonical headers \\n signed headers \\n
   payload hash, where
   - canonical URI: the percent-decoded path split on ``/``, each segment ``quote(seg, safe="~")``, joined with
     ``/`` and always ending in ``/``;
   - canonical query: ``(key, value)`` pairs sorted on the decoded strings, each side ``quote(s, safe="~")``,
     joined with ``&``;
   - signed headers: every header name without ``_``, lowercased, sorted (``Host`` and ``X-Sdk-Date`` are added
     when missing); canonical headers are ``name:value.strip()`` lines, each followed by ``\\n``;
   - payload hash: SHA-256 hex of the body; of the empty body when there is none; the value of
     ``X-Sdk-Content-Sha256`` when that header is present (the SDK sets ``UNSIGNED-PAYLOAD`` for content types
     other than JSON/BSON).
2. string to sign = ``SDK-HMAC-SHA256\\n{X-Sdk-Date}\\n{sha256 hex of the canonical request}``.
3. signature = hex HMAC-SHA256(SK, string to sign);
   ``Authorization: SDK-HMAC-SHA256 Access={AK}, SignedHeaders={a;b;c}, Signature={hex}``.

The secret key is never logged, formatted into an exception or returned.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta, timezone
from urllib.parse import quote, unquote, urlsplit

ALGORITHM = "SDK-HMAC-SHA256"
HEADER_DATE = "X-Sdk-Date"
HEADER_CONTENT_SHA256 = "X-Sdk-Content-Sha256"
UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD"
DATE_FORMAT = "%Y%m%dT%H%M%SZ"
EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()
#: The API gateway refuses signatures whose X-Sdk-Date is more than 15 minutes off.
DEFAULT_MAX_SKEW = timedelta(minutes=15)


class SignatureError(ValueError):
    """A request's AK/SK signature is missing, malformed, stale or wrong. The message never contains the SK."""


def _encode(s: str) -> str:
    return quote(s, safe="~")


def canonical_uri(path: str) -> str:
    """Canonical URI of a (possibly percent-encoded) path, exactly as the SDK computes it."""
    url_path = "/".join(_encode(v) for v in unquote(path).split("/"))
    if not url_path.endswith("/"):
        url_path += "/"
    return url_path


def query_pairs(query: str) -> list[tuple[str, str]]:
    """Decode a raw query string into (key, value) pairs: ``&``-separated, ``=`` splits once, ``%XX`` decoded
    (``+`` is kept: the SDK never sends it, it encodes a space as ``%20``), empty keys dropped."""
    pairs = []
    for item in query.split("&"):
        key, _, value = item.partition("=")
        if key:
            pairs.append((unquote(key), unquote(value)))
    return pairs


def canonical_query_string(pairs: list[tuple[str, str]]) -> str:
    """Sorted, encoded ``k=v`` pairs joined with ``&`` (sorted on the decoded strings, as the SDK sorts)."""
    return "&".join(f"{_encode(k)}={_encode(v)}" for k, v in sorted(pairs))


def _header(headers: Mapping[str, str], name: str) -> str | None:
    lowered = name.lower()
    for key, value in headers.items():
        if key.lower() == lowered:
            return value
    return None


def signed_header_names(headers: Mapping[str, str]) -> list[str]:
    """Names the SDK signs: all header names without ``_``, lowercased and sorted."""
    return sorted(k.lower() for k in headers if "_" not in k)


def payload_hash(headers: Mapping[str, str], body: bytes) -> str:
    """SHA-256 hex of the body as the SDK computes it (see module doc)."""
    if not body:
        return EMPTY_SHA256
    declared = _header(headers, HEADER_CONTENT_SHA256)
    if declared:
        return declared
    return hashlib.sha256(body).hexdigest()


def canonical_request(
    method: str, url: str, headers: Mapping[str, str], body: bytes, signed_headers: list[str]
) -> str:
    """The canonical request text for ``url`` (absolute or path + query) and the given signed header names."""
    parts = urlsplit(url)
    lowered = {k.lower(): str(v).strip() for k, v in headers.items()}
    missing = [name for name in signed_headers if name not in lowered]
    if missing:
        raise SignatureError(f"signed header(s) missing from the request: {', '.join(missing)}")
    canonical_headers = "".join(f"{name}:{lowered[name]}\n" for name in signed_headers)
    return "\n".join(
        [
            method.upper(),
            canonical_uri(parts.path or "/"),
            canonical_query_string(query_pairs(parts.query)),
            canonical_headers,
            ";".join(signed_headers),
            payload_hash(headers, body),
        ]
    )


def string_to_sign(canonical: str, sdk_date: str) -> str:
    """``SDK-HMAC-SHA256\\n{X-Sdk-Date}\\n{sha256 hex of the canonical request}``."""
    digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    return f"{ALGORITHM}\n{sdk_date}\n{digest}"


def _signature(sk: str, text: str) -> str:
    return hmac.new(sk.encode("utf-8"), text.encode("utf-8"), hashlib.sha256).hexdigest()


def _format_date(date: datetime | str | None) -> str:
    if date is None:
        return datetime.now(timezone.utc).strftime(DATE_FORMAT)
    if isinstance(date, str):
        datetime.strptime(date, DATE_FORMAT)  # validate the format
        return date
    if date.tzinfo is not None:
        date = date.astimezone(timezone.utc)
    return date.strftime(DATE_FORMAT)


def sign(
    method: str,
    url: str,
    headers: Mapping[str, str],
    body: bytes,
    ak: str,
    sk: str,
    date: datetime | str | None = None,
) -> dict[str, str]:
    """Sign a request; returns the headers to add to it: ``X-Sdk-Date`` and ``Authorization``, plus ``Host``
    when ``headers`` has none (the SDK signs the host it connects to) and ``X-Sdk-Content-Sha256:
    UNSIGNED-PAYLOAD`` when the content type is neither JSON nor BSON (as the SDK does).

    ``url`` must be the URL actually sent (scheme + host + path + query); ``headers`` every header the caller
    will send and wants signed. ``date`` (datetime, ``YYYYMMDDTHHMMSSZ`` text, or now) becomes ``X-Sdk-Date``
    unless ``headers`` already carries one.
    """
    if not ak or not sk:
        raise ValueError("both AK and SK are required to sign a request")
    all_headers: dict[str, str] = dict(headers)
    added: dict[str, str] = {}
    content_type = _header(all_headers, "Content-Type")
    if content_type and not content_type.startswith(("application/json", "application/bson")):
        added[HEADER_CONTENT_SHA256] = UNSIGNED_PAYLOAD
    existing_date = _header(all_headers, HEADER_DATE)
    sdk_date = existing_date if existing_date is not None else _format_date(date)
    if existing_date is None:
        added[HEADER_DATE] = sdk_date
    if _header(all_headers, "Host") is None:
        added["Host"] = urlsplit(url).netloc
    all_headers.update(added)
    names = signed_header_names(all_headers)
    text = string_to_sign(canonical_request(method, url, all_headers, body, names), sdk_date)
    added["Authorization"] = (
        f"{ALGORITHM} Access={ak}, SignedHeaders={';'.join(names)}, Signature={_signature(sk, text)}"
    )
    return added


def parse_authorization(value: str) -> tuple[str, list[str], str]:
    """Split ``SDK-HMAC-SHA256 Access=..., SignedHeaders=..., Signature=...`` into (ak, signed headers, sig)."""
    scheme, _, rest = value.strip().partition(" ")
    if scheme != ALGORITHM:
        raise SignatureError(f"unsupported authorization scheme {scheme!r}")
    fields: dict[str, str] = {}
    for part in rest.split(","):
        key, sep, val = part.strip().partition("=")
        if sep:
            fields[key] = val
    try:
        ak, signed, signature = fields["Access"], fields["SignedHeaders"], fields["Signature"]
    except KeyError as exc:
        raise SignatureError(f"authorization header lacks {exc.args[0]}") from None
    if not ak or not signed or not signature:
        raise SignatureError("authorization header has an empty field")
    return ak, signed.split(";"), signature


def verify(
    method: str,
    url: str,
    headers: Mapping[str, str],
    body: bytes,
    lookup_sk: Callable[[str], str | None],
    *,
    now: datetime | None = None,
    max_skew: timedelta | None = DEFAULT_MAX_SKEW,
) -> str:
    """Verify an SDK-HMAC-SHA256 signed request; returns the AK, raises ``SignatureError``.

    ``url`` is the request target as received (path + query, or absolute); ``lookup_sk`` maps an AK to its SK
    (None: unknown AK). ``X-Sdk-Date`` must be signed and, unless ``max_skew`` is None, within ``max_skew`` of
    ``now``.
    """
    auth = _header(headers, "Authorization")
    if not auth:
        raise SignatureError("no Authorization header")
    ak, signed, signature = parse_authorization(auth)
    if signed != sorted(signed) or any(n != n.lower() for n in signed):
        raise SignatureError("SignedHeaders must be lowercase and sorted")
    if HEADER_DATE.lower() not in signed:
        raise SignatureError("X-Sdk-Date must be signed")
    sdk_date = _header(headers, HEADER_DATE) or ""
    try:
        when = datetime.strptime(sdk_date, DATE_FORMAT).replace(tzinfo=timezone.utc)
    except ValueError:
        raise SignatureError(f"X-Sdk-Date {sdk_date!r} is not YYYYMMDDTHHMMSSZ") from None
    if max_skew is not None and abs((now or datetime.now(timezone.utc)) - when) > max_skew:
        raise SignatureError("X-Sdk-Date is too far from the server clock")
    sk = lookup_sk(ak)
    if not sk:
        raise SignatureError(f"unknown access key {ak!r}")
    text = string_to_sign(canonical_request(method, url, headers, body, signed), sdk_date)
    if not hmac.compare_digest(_signature(sk, text), signature):
        raise SignatureError("signature mismatch")
    return ak
