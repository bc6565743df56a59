"""converter.signing against the official huaweicloudsdkcore signer: same Authorization, byte for byte."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta, timezone
from types import SimpleNamespace
from urllib.parse import quote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from converter import signing

sdk_signer = pytest.importorskip("huaweicloudsdkcore.signer.signer")
sdk_request = pytest.importorskip("huaweicloudsdkcore.sdk_request")

AK = "AKEXAMPLE0000000000"
SK = "sk-Example+Secret/Key=="
DATE = "20250102T030405Z"
HOST = "cpts.cn-north-4.myhuaweicloud.com"


def sdk_sign(
    method: str,
    resource_path: str,
    query: list[tuple[str, str]],
    headers: dict[str, str],
    body: bytes,
    host: str = HOST,
) -> tuple[str, dict[str, str]]:
    """Sign with the official SDK; returns (the URL the SDK sends, the headers it sends)."""
    request = sdk_request.SdkRequest(
        method=method,
        schema="https",
        host=host,
        resource_path=resource_path,
        query_params=list(query),
        header_params=dict(headers),
        body=body,
    )
    signed = sdk_signer.Signer(SimpleNamespace(ak=AK, sk=SK)).sign(request)
    return signed.url, dict(signed.header_params)


def sdk_path(*segments: str) -> str:
    """A resource path built as the SDK builds it (path parameters quoted with safe='')."""
    return "/" + "/".join(quote(s, safe="") for s in segments)


CASES = [
    ("GET", sdk_path("v1", "proj", "test-suites"), [], {}, b""),
    ("GET", sdk_path("v1", "proj", "test-suites"), [("offset", "1"), ("limit", "10")], {}, b""),
    ("GET", sdk_path("v1", "proj", "all-templates", "12"), [("a", "2"), ("a", "1"), ("b", "x y")], {}, b""),
    ("GET", sdk_path("v1", "proj", "tasks", "7"), [("名字", "值"), ("k", "a+b/c~d*e")], {}, b""),
    ("GET", sdk_path("v1", "proj", "tasks", "7"), [("empty", ""), ("Z", "1"), ("z", "0")], {}, b""),
    (
        "POST",
        sdk_path("v1", "proj", "test-suites"),
        [],
        {"Content-Type": "application/json", "X-Project-Id": "proj"},
        b'{"name": "p\xc3\xa9", "description": ""}',
    ),
    (
        "PUT",
        sdk_path("v1", "proj", "templates", "3"),
        [],
        {"Content-Type": "application/json;charset=UTF-8", "X-Custom": "  padded  "},
        b'{"id": 3}',
    ),
    ("DELETE", sdk_path("v1", "proj", "variables"), [("variable_id", "5"), ("test_suite_id", "2")], {}, b""),
    ("PUT", sdk_path("v1", "项目 id", "task-cases", "9", "target", "content"), [], {}, b"{}"),
    ("POST", sdk_path("v1", "a/b", "x"), [], {"Content-Type": "text/plain"}, b"raw text"),
    ("GET", sdk_path("v1", "p"), [], {"X_Underscore": "not signed", "User-Agent": "t"}, b""),
]


def our_url(path: str, query: list[tuple[str, str]]) -> str:
    """The URL as a client may send it: query pairs in the caller's order, percent-encoded."""
    qs = "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in query)
    return f"https://{HOST}{path}" + (f"?{qs}" if qs else "")


@pytest.mark.parametrize(("method", "path", "query", "headers", "body"), CASES)
def test_same_authorization_as_sdk(method, path, query, headers, body):
    _, sent = sdk_sign(method, path, query, {**headers, "X-Sdk-Date": DATE}, body)
    ours = signing.sign(method, our_url(path, query), {**headers, "X-Sdk-Date": DATE}, body, AK, SK)
    assert ours["Authorization"] == sent["Authorization"]
    assert ours.get("Host", HOST) == sent["Host"]
    assert ours.get(signing.HEADER_CONTENT_SHA256) == sent.get(signing.HEADER_CONTENT_SHA256)


def test_date_argument_is_what_the_sdk_signs_with():
    url, sent = sdk_sign("GET", "/v1/p/test-suites", [], {"X-Sdk-Date": DATE}, b"")
    when = datetime(2025, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
    ours = signing.sign("GET", url, {}, b"", AK, SK, date=when)
    assert ours["X-Sdk-Date"] == DATE
    assert ours["Authorization"] == sent["Authorization"]


def test_authorization_format_and_sk_never_in_output():
    headers = signing.sign("GET", f"https://{HOST}/v1/p/test-suites", {}, b"", AK, SK, date=DATE)
    assert headers["Authorization"].startswith(
        f"SDK-HMAC-SHA256 Access={AK}, SignedHeaders=host;x-sdk-date, "
    )
    assert SK not in repr(headers)


segment = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="/"), min_size=1, max_size=8
)


@settings(max_examples=150, deadline=None)
@given(
    method=st.sampled_from(["GET", "POST", "PUT", "DELETE"]),
    segments=st.lists(segment, min_size=1, max_size=4),
    query=st.lists(
        st.tuples(
            st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=6),
            st.text(st.characters(blacklist_categories=("Cs",)), max_size=6),
        ),
        max_size=4,
    ),
    body=st.binary(max_size=64),
)
def test_property_same_as_sdk(method, segments, query, body):
    path = sdk_path("v1", *segments)
    headers = {"X-Sdk-Date": DATE, "Content-Type": "application/json"}
    url, sent = sdk_sign(method, path, query, headers, body)
    assert signing.sign(method, url, headers, body, AK, SK)["Authorization"] == sent["Authorization"]
    ours = signing.sign(method, our_url(path, query), headers, body, AK, SK)
    assert ours["Authorization"] == sent["Authorization"]


# -- verify ----------------------------------------------------------------------------------------------------


def _sdk_request_as_received(method, path, query, headers, body):
    """Sign with the SDK and return what a server receives: request target and headers."""
    url, sent = sdk_sign(method, path, query, headers, body)
    target = url.split(HOST, 1)[1]
    return target, sent


NOW = datetime(2025, 1, 2, 3, 4, 5, tzinfo=timezone.utc)


def lookup(ak: str) -> str | None:
    return SK if ak == AK else None


@pytest.mark.parametrize(("method", "path", "query", "headers", "body"), CASES)
def test_verify_accepts_sdk_signed_requests(method, path, query, headers, body):
    target, sent = _sdk_request_as_received(method, path, query, {**headers, "X-Sdk-Date": DATE}, body)
    assert signing.verify(method, target, sent, body, lookup, now=NOW) == AK


def test_verify_rejects_tampering():
    body = b'{"name": "a"}'
    target, sent = _sdk_request_as_received(
        "POST",
        "/v1/p/test-suites",
        [("x", "1")],
        {"X-Sdk-Date": DATE, "Content-Type": "application/json"},
        body,
    )
    assert signing.verify("POST", target, sent, body, lookup, now=NOW) == AK
    bad = [
        ("PUT", target, sent, body),
        ("POST", target.replace("test-suites", "templates"), sent, body),
        ("POST", target.replace("x=1", "x=2"), sent, body),
        ("POST", target, {**sent, "Content-Type": "application/xml"}, body),
        ("POST", target, sent, b'{"name": "b"}'),
    ]
    for method, t, h, b in bad:
        with pytest.raises(signing.SignatureError, match="signature mismatch"):
            signing.verify(method, t, h, b, lookup, now=NOW)


def test_verify_rejects_wrong_sk_unknown_ak_and_stale_date():
    target, sent = _sdk_request_as_received("GET", "/v1/p/test-suites", [], {"X-Sdk-Date": DATE}, b"")
    with pytest.raises(signing.SignatureError, match="mismatch"):
        signing.verify("GET", target, sent, b"", lambda ak: "other-sk", now=NOW)
    with pytest.raises(signing.SignatureError, match="unknown access key"):
        signing.verify("GET", target, sent, b"", lambda ak: None, now=NOW)
    with pytest.raises(signing.SignatureError, match="too far"):
        signing.verify("GET", target, sent, b"", lookup, now=NOW + timedelta(minutes=16))
    assert signing.verify("GET", target, sent, b"", lookup, now=NOW + timedelta(minutes=14)) == AK


def test_verify_rejects_malformed_authorization():
    target, sent = _sdk_request_as_received("GET", "/v1/p/test-suites", [], {"X-Sdk-Date": DATE}, b"")
    for value in ["Basic abc", "SDK-HMAC-SHA256 Access=x", ""]:
        with pytest.raises(signing.SignatureError):
            signing.verify("GET", target, {**sent, "Authorization": value}, b"", lookup, now=NOW)
    no_date = signing.sign("GET", f"https://{HOST}/v1/p", {"X-Sdk-Date": DATE}, b"", AK, SK)
    unsigned_date = {"Host": HOST, "X-Sdk-Date": DATE}
    unsigned_date["Authorization"] = no_date["Authorization"].replace("host;x-sdk-date", "host")
    with pytest.raises(signing.SignatureError, match="X-Sdk-Date must be signed"):
        signing.verify("GET", "/v1/p", unsigned_date, b"", lookup, now=NOW)


def test_payload_hash_rules():
    assert signing.payload_hash({}, b"") == hashlib.sha256(b"").hexdigest()
    assert signing.payload_hash({}, b"abc") == hashlib.sha256(b"abc").hexdigest()
    assert signing.payload_hash({"x-sdk-content-sha256": "UNSIGNED-PAYLOAD"}, b"abc") == "UNSIGNED-PAYLOAD"


def test_canonical_uri_always_ends_with_slash_and_encodes_segments():
    assert signing.canonical_uri("/v1/p/test-suites") == "/v1/p/test-suites/"
    assert signing.canonical_uri("/v1/%E9%A1%B9/x/") == "/v1/%E9%A1%B9/x/"
    assert signing.canonical_uri("/v1/项 目") == "/v1/%E9%A1%B9%20%E7%9B%AE/"
