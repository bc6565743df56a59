"""Credentials, endpoint resolution and the httpx auth classes; AK/SK signatures equal the official SDK's."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import quote, unquote

import httpx
import pytest

from converter import signing
from converter.upload.auth import AkSkAuth, TokenAuth
from converter.upload.client import RetryPolicy, TargetError, resolve_endpoint
from converter.upload.credentials import CredentialsError, redact, resolve_credentials
from tests.upload_support import AK, SECURITY_TOKEN, SK, TOKEN

WHEN = datetime(2025, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
DATE = "20250102T030405Z"
HOST = "cpts.cn-north-4.myhuaweicloud.com"


# -- credentials --------------------------------------------------------------------------------------------------


def test_aksk_from_environment_with_security_token() -> None:
    env = {
        "HUAWEICLOUD_SDK_AK": AK,
        "HUAWEICLOUD_SDK_SK": SK,
        "HUAWEICLOUD_SDK_SECURITY_TOKEN": SECURITY_TOKEN,
    }
    creds = resolve_credentials(env)
    assert (creds.ak, creds.sk, creds.security_token, creds.token) == (AK, SK, SECURITY_TOKEN, None)
    assert "HUAWEICLOUD_SDK_SECURITY_TOKEN" in creds.source
    for secret in (AK, SK, SECURITY_TOKEN):
        assert secret not in repr(creds) and secret not in creds.how_to_fix()


def test_token_from_environment_and_file(tmp_path: Path) -> None:
    assert resolve_credentials({"PERFTEST_TOKEN": f" {TOKEN}\n"}).token == TOKEN
    file = tmp_path / "token"
    file.write_text(TOKEN + "\n")
    creds = resolve_credentials({"HUAWEICLOUD_SDK_AK": AK, "HUAWEICLOUD_SDK_SK": SK}, file)
    assert creds.token == TOKEN and creds.ak is None  # an explicit --token-file wins
    assert TOKEN not in repr(creds) and str(file) in creds.source


def test_aksk_wins_over_token_in_environment() -> None:
    creds = resolve_credentials({"HUAWEICLOUD_SDK_AK": AK, "HUAWEICLOUD_SDK_SK": SK, "PERFTEST_TOKEN": TOKEN})
    assert creds.ak == AK and creds.token is None


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({}, "no credentials: set HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK"),
        ({"HUAWEICLOUD_SDK_AK": AK}, "HUAWEICLOUD_SDK_AK is set but HUAWEICLOUD_SDK_SK is not"),
        (
            {"HUAWEICLOUD_SDK_SK": SK, "PERFTEST_TOKEN": TOKEN},
            "HUAWEICLOUD_SDK_SK is set but HUAWEICLOUD_SDK_AK",
        ),
        ({"PERFTEST_TOKEN": "   "}, "no credentials"),
    ],
)
def test_missing_credentials_name_the_variable_not_the_value(env: dict[str, str], message: str) -> None:
    with pytest.raises(CredentialsError, match=message) as caught:
        resolve_credentials(env)
    for secret in (AK, SK, TOKEN):
        assert secret not in str(caught.value)


def test_bad_token_file(tmp_path: Path) -> None:
    with pytest.raises(CredentialsError, match="cannot read it"):
        resolve_credentials({}, tmp_path / "missing")
    (tmp_path / "empty").write_text("\n")
    with pytest.raises(CredentialsError, match="is empty"):
        resolve_credentials({}, tmp_path / "empty")


def test_redact() -> None:
    assert redact(f"a {SK} b {AK}", [AK, SK, "xy"]) == "a *** b ***"
    # a short value is scrubbed where it stands alone, not inside other words
    assert redact('keep xy: "xy" was refused, x=xy;', ["xy"]) == 'keep ***: "***" was refused, x=***;'
    assert redact("proxy xyz 0xy", ["xy"]) == "proxy xyz 0xy"


# -- endpoint and retry policy ------------------------------------------------------------------------------------


def test_endpoint_resolution() -> None:
    assert resolve_endpoint("cn-north-4", None, {}) == f"https://{HOST}"
    assert resolve_endpoint(None, "http://127.0.0.1:8080/", {}) == "http://127.0.0.1:8080"
    assert (
        resolve_endpoint(None, None, {"PERFTEST_ENDPOINT": "https://cpts.example.test"})
        == "https://cpts.example.test"
    )
    for region, endpoint, env, message in [
        ("mars-1", None, {}, "unknown PerfTest region 'mars-1'"),
        ("cn-north-4", "https://x.test", {}, "either --region or --endpoint"),
        (None, None, {}, "no target"),
        (None, "ftp://x.test", {}, "not an http"),
        (None, "http://cpts.example.test", {}, "refusing to send credentials over plain http"),
        (None, "https://u:p@x.test", {}, "without credentials"),
    ]:
        with pytest.raises(TargetError, match=message):
            resolve_endpoint(region, endpoint, env)


def test_backoff_grows_with_jitter_and_honours_retry_after() -> None:
    policy = RetryPolicy(base_delay=1.0, max_delay=8.0)
    delays = [policy.delay(n) for n in range(6)]
    assert all(0.5 <= d <= 1 for d in delays[:1]) and all(4 <= d <= 8 for d in delays[3:])
    assert policy.delay(0, retry_after=5) == 5
    assert policy.delay(0, retry_after=10_000) == 300


# -- auth classes -------------------------------------------------------------------------------------------------


def _flow(auth: httpx.Auth, request: httpx.Request) -> httpx.Request:
    return next(auth.auth_flow(request))


def test_token_auth_sets_the_header_and_hides_it() -> None:
    request = _flow(TokenAuth(TOKEN), httpx.Request("GET", f"https://{HOST}/v1/p/tasks/1"))
    assert request.headers["X-Auth-Token"] == TOKEN and "Authorization" not in request.headers
    assert TOKEN not in repr(TokenAuth(TOKEN))


sdk_signer = pytest.importorskip("huaweicloudsdkcore.signer.signer")
sdk_request = pytest.importorskip("huaweicloudsdkcore.sdk_request")

REQUESTS = [
    ("GET", "/v1/proj/test-suites", {}, None),
    ("GET", "/v1/proj/all-templates/12", {"offset": "0", "limit": "10"}, None),
    ("GET", "/v1/proj/all-tasks/3", {"名字": "值 with space", "k": "a+b/c~d"}, None),
    (
        "POST",
        "/v1/proj/templates",
        {},
        {"project_id": 1, "temp_type": 0, "name": "事务 café", "contents": []},
    ),
    (
        "POST",
        "/v1/proj/variables/4",
        {"q": "1"},
        [{"id": 0, "name": "变量", "variable_type": 5, "variable": ["x"]}],
    ),
    ("PUT", "/v1/proj/templates/9", {}, {"id": 9, "name": "Ünïcode", "contents": [{"content_id": 0}]}),
    ("PUT", "/v1/%E9%A1%B9%E7%9B%AE/task-cases/9/target/content", {}, {"contents": []}),
    ("DELETE", "/v1/proj/variables", {"variable_id": "5", "test_suite_id": "2"}, None),
    ("DELETE", "/v1/proj/templates/7", {}, None),
]


@pytest.mark.parametrize("temporary", [False, True], ids=["permanent", "temporary"])
@pytest.mark.parametrize(("method", "path", "query", "body"), REQUESTS)
def test_aksk_auth_matches_the_official_sdk(method, path, query, body, temporary) -> None:
    content = None if body is None else json.dumps(body, ensure_ascii=False).encode()
    headers = {"Content-Type": "application/json;charset=UTF-8"} if content is not None else {}
    request = httpx.Request(method, f"https://{HOST}{path}", params=query, content=content, headers=headers)
    auth = AkSkAuth(AK, SK, "proj", SECURITY_TOKEN if temporary else None, clock=lambda: WHEN)
    signed = _flow(auth, request)
    assert signed.headers["X-Sdk-Date"] == DATE and signed.headers["X-Project-Id"] == "proj"

    sdk_headers = {**headers, "X-Project-Id": "proj", "X-Sdk-Date": DATE}
    credentials = SimpleNamespace(ak=AK, sk=SK)
    if temporary:
        sdk_headers["X-Security-Token"] = SECURITY_TOKEN
    sdk = sdk_request.SdkRequest(
        method=method,
        schema="https",
        host=HOST,
        resource_path="/".join(quote(unquote(segment), safe="") for segment in path.split("/")),
        query_params=list(query.items()),
        header_params=sdk_headers,
        body=content or b"",
    )
    expected = sdk_signer.Signer(credentials).sign(sdk).header_params
    assert signed.headers["Authorization"] == expected["Authorization"]
    assert ("x-security-token" in signed.headers["Authorization"]) is temporary
    # ... and the emulator's verifier accepts it.
    target = signed.url.raw_path.decode("ascii")
    lookup = {AK: SK}.get
    assert signing.verify(method, target, dict(signed.headers), content or b"", lookup, max_skew=None) == AK
    assert SK not in repr(auth) and AK not in repr(auth)
