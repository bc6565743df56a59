"""Recorded credentials the sixth HAR audit found sent or written in clear: password-equivalent and one-time-code
field names, credentials inside a URL or query nested in a field's value, JWE tokens, bodies recorded
base64-encoded. Each test converts a small inline HAR and checks what is sent and every output byte."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest

from converter.diagnostics import Diagnostic
from converter.model import Request, Scenario
from converter.parsers.har import HarOptions, parse_har
from converter.parsers.har.secrets import credential_kind, is_one_time_field, is_secret_field, path_tokens
from tests.conftest import har_doc, har_entry, har_outputs, ts


def _requests(scenario: Scenario) -> list[Request]:
    return [s for t in scenario.transactions.values() for s in t.steps if isinstance(s, Request)]


def _post(url: str, mime: str, text: str, start: float = 0, **post: Any) -> dict[str, Any]:
    return har_entry(url, method="POST", start=ts(start), post={"mimeType": mime, "text": text, **post})


def _codes(scenario: Scenario, code: str) -> list[Diagnostic]:
    return [d for d in scenario.diagnostics if d.code == code]


# ---- finding 2: password-equivalent and one-time-code field names ------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "pin",
        "PIN",
        "userPin",
        "pin_number",
        "PINNumber",
        "new_pin2",
        "passcode",
        "pass_phrase",
        "passPhrase",
        "security_answer",
        "securityAnswer",
        "secret_answer",
        "authCode",
        "cvv",
    ],
)
def test_password_equivalent_names_are_credentials(name: str) -> None:
    assert is_secret_field(name)
    assert not is_one_time_field(name)


@pytest.mark.parametrize(
    "name",
    [
        "totp",
        "otp",
        "smsOtp",
        "mfa",
        "mfa_code",
        "2fa",
        "2faCode",
        "twoFactorCode",
        "verification_code",
        "verificationCode",
        "sms_code",
        "SMSCode",
        "otp_code",
        "oneTimeCode",
        "backup_code",
    ],
)
def test_one_time_code_names_are_credentials(name: str) -> None:
    assert is_secret_field(name)
    assert is_one_time_field(name)


@pytest.mark.parametrize(
    "name",
    [
        "shipping",
        "pinned",
        "spinner",
        "opinion",
        "Pinterest",
        "pin_id",
        "pinColor",
        "mfa_enabled",
        "mfaType",
        "code",
        "countryCode",
        "promo_code",
        "zip_code",
        "security_question",
        "answer",
        "card_number",
    ],
)
def test_names_that_only_contain_those_words_are_not_credentials(name: str) -> None:
    assert not is_secret_field(name)
    assert not is_one_time_field(name)


def test_pin_passcode_answer_and_one_time_codes_are_replaced_and_warned(write_har, tmp_path: Path) -> None:
    login = {
        "customerId": "ann01",
        "passcode": "Pc7731x9",
        "pin": "4931",
        "security_answer": "Rex the dog",
        "totp": "771204",
        "shipping": "express",
    }
    doc = har_doc(
        [
            _post("https://bank.test/login", "application/json", json.dumps(login)),
            _post(
                "https://bank.test/mfa",
                "application/x-www-form-urlencoded",
                "user=ann&pin=4931&smsCode=5521",
                5,
            ),
        ]
    )
    path = write_har(doc)
    scenario = parse_har(path)
    first, second = _requests(scenario)
    assert first.body is not None and json.loads(first.body.text) == {
        "customerId": "ann01",
        "passcode": "${passcode}",
        "pin": "${pin}",
        "security_answer": "${security_answer}",
        "totp": "${totp}",
        "shipping": "express",
    }
    assert second.body is not None
    assert [(f.name, f.value) for f in second.body.fields] == [
        ("user", "ann"),
        ("pin", "${pin}"),
        ("smsCode", "${smscode}"),
    ]
    one_time = _codes(scenario, "HAR051")
    assert [(d.severity, d.location.source if d.location else None) for d in one_time] == [
        ("warning", "har:entries[0]"),
        ("warning", "har:entries[1]"),
    ]
    assert "field totp" in one_time[0].message and "field smsCode" in one_time[1].message
    assert "accepted once" in one_time[0].action
    text = har_outputs(path, tmp_path)
    for value in ("Pc7731x9", "4931", "Rex the dog", "771204", "5521"):
        assert value not in text
    assert "express" in text


def test_one_time_codes_are_warned_with_keep_secrets_too(write_har) -> None:
    doc = har_doc([_post("https://a.test/verify", "application/json", '{"otp": "123456", "code": "x"}')])
    scenario = parse_har(write_har(doc), HarOptions(keep_secrets=True))
    assert _requests(scenario)[0].body.text == '{"otp": "123456", "code": "x"}'  # type: ignore[union-attr]
    assert [d.message for d in _codes(scenario, "HAR051")] == [
        "the body sends one-time codes (a TOTP, SMS, e-mail or backup code): field otp"
    ]


def test_a_promo_code_is_no_one_time_code(write_har) -> None:
    doc = har_doc(
        [_post("https://a.test/cart", "application/json", '{"promo_code": "SPRING24", "code": "x"}')]
    )
    scenario = parse_har(write_har(doc))
    assert not _codes(scenario, "HAR051")
    assert not scenario.variables


# ---- finding 1: a credential in a URL or query nested in a field's value ----------------------------------


def test_credentials_in_urls_nested_in_query_form_and_json_values_are_replaced(
    write_har, tmp_path: Path
) -> None:
    nested_json = {"next": "https://shop.test/cb#access_token=jsonTok1", "back": "/a%3Fsid%3Dsid42x"}
    doc = har_doc(
        [
            har_entry(
                "https://shop.test/login?returnUrl=%2Faccount%2Freset%3Ftoken%3DNestedResetTok7777777",
                start=ts(0),
            ),
            har_entry("https://shop.test/in?returnUrl=%2Freset%3ftoken%3dab12%26lang%3Den&x=1", start=ts(1)),
            _post(
                "https://shop.test/login",
                "application/x-www-form-urlencoded",
                "user=ann&next=https%3A%2F%2Fshop.test%2Fcb%3Faccess_token%3DNestedAccessTok888888",
                2,
            ),
            har_entry(
                "https://app.test/go?u=https%253A%252F%252Fx.test%252Fcb%253Fcode%253Dabc%2526access_token%253Dq7%252Bz",
                start=ts(3),
            ),
            _post("https://shop.test/j", "application/json", json.dumps(nested_json), 4),
        ]
    )
    path = write_har(doc)
    scenario = parse_har(path)
    first, second, form, triple, body = _requests(scenario)
    assert first.url == "https://shop.test/login?returnUrl=%2Faccount%2Freset%3Ftoken%3D${token}"
    # a short value, where its name says so; the rest of the nested query byte for byte
    assert second.url == "https://shop.test/in?returnUrl=%2Freset%3ftoken%3d${token}%26lang%3Den&x=1"
    assert form.body is not None
    assert [(f.name, f.value) for f in form.body.fields] == [
        ("user", "ann"),
        ("next", "https://shop.test/cb?access_token=${access_token}"),
    ]
    assert triple.url == (
        "https://app.test/go?u=https%253A%252F%252Fx.test%252Fcb%253Fcode%253Dabc%2526access_token%253D${access_token}"
    )
    assert body.body is not None and json.loads(body.body.text) == {
        "next": "https://shop.test/cb#access_token=${access_token}",
        "back": "/a%3Fsid%3D${sid}",
    }
    places = sorted(d.message for d in _codes(scenario, "HAR004"))
    assert places == [
        "JSON field sid -> ${sid}",
        "field access_token in form field next -> ${access_token} (3 recorded values)",
        "field token in query field returnUrl -> ${token} (2 recorded values)",
    ]
    assert not _codes(scenario, "HAR021")
    text = har_outputs(path, tmp_path)
    for value in ("NestedResetTok7777777", "ab12", "NestedAccessTok888888", "q7%252Bz", "jsonTok1", "sid42x"):
        assert value not in text
    assert scenario.ledger[0].name == "GET " + first.url


def test_values_holding_queries_without_credentials_are_sent_as_recorded(write_har) -> None:
    urls = [
        "https://shop.test/s?q=status%3Dactive&next=%2Fsearch%3Fq%3Dshoes%26page%3D2",
        "https://shop.test/s?sig2=abc==&redirect=https%3A%2F%2Fx.test%2F%3Flang%3Den",
    ]
    doc = har_doc([har_entry(url, start=ts(n)) for n, url in enumerate(urls)])
    scenario = parse_har(write_har(doc))
    assert [r.url for r in _requests(scenario)] == urls
    assert not scenario.variables


def test_a_nested_credential_kept_with_keep_secrets_is_listed(write_har) -> None:
    url = "https://shop.test/login?returnUrl=%2Freset%3Ftoken%3DNestedResetTok7777777"
    scenario = parse_har(write_har(har_doc([har_entry(url)])), HarOptions(keep_secrets=True))
    assert _requests(scenario)[0].url == url
    assert [d.message for d in _codes(scenario, "HAR005")] == [
        "recorded credentials are written into the plan: field token in query field returnUrl"
    ]


# ---- finding 7: JWE tokens ---------------------------------------------------------------------------------

_JWE = (
    "eyJhbGciOiAiUlNBLU9BRVAiLCAiZW5jIjogIkEyNTZHQ00ifQ."
    "OKOawDo13gRp2ojaHV7LFpZcgV7T6DVZKTyKOMTYUmKoTCVJRgckCL9kiMT03JGeipsEdY3mx_etLbbWSrFr05kLzcSr4qKAq7YN7e9jwQ."
    "48V1_ALb6US04U3b.5eym8TW_c8SuK0ltJ3rpYIzOeDQz7TALvtu6UG9oMo4vpzs9tX_EFShS8iB7j6jiSdiwkIr3ajwQzaBtQD_A."
    "XFBoMYUZodetZdvTiFvSkQ"
)


def test_jwe_tokens_are_found_by_value_like_jws(write_har, tmp_path: Path) -> None:
    doc = har_doc(
        [
            har_entry(f"https://shop.test/sso/continue?t={_JWE}", start=ts(0), headers=[("X-Enc", _JWE)]),
            _post("https://shop.test/sso", "application/json", json.dumps({"data": _JWE}), 1),
        ]
    )
    path = write_har(doc)
    scenario = parse_har(path)
    first, second = _requests(scenario)
    assert first.url == "https://shop.test/sso/continue?t=${x_enc}"
    assert [(h.name, h.value) for h in first.headers] == [("X-Enc", "${x_enc}")]
    assert second.body is not None and second.body.text == '{"data": "${x_enc}"}'
    assert not _codes(scenario, "HAR021")
    assert _JWE not in har_outputs(path, tmp_path)
    kept = parse_har(path, HarOptions(keep_secrets=True))
    assert [d.message for d in _codes(kept, "HAR005")] == [
        "recorded credentials are written into the plan: JWT in header X-Enc, JWT in the URL, JWT in the body"
    ]


def test_five_segments_without_an_encryption_header_are_no_jwe(write_har) -> None:
    # "eyJhbGciOiJIUzI1NiJ9" is {"alg":"HS256"}: no "enc", so no JWE (and its second segment is no JWS payload)
    url = "https://shop.test/v?t=eyJhbGciOiJIUzI1NiJ9.abc.def.ghi.jkl"
    scenario = parse_har(write_har(har_doc([har_entry(url)])))
    assert _requests(scenario)[0].url == url
    assert not scenario.variables


# ---- finding 6: bodies recorded base64-encoded -------------------------------------------------------------


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def test_base64_text_bodies_are_decoded_and_their_credentials_replaced(write_har, tmp_path: Path) -> None:
    login = '{"user":"ann","password":"B64SecretPw123","sku":"A-1"}'
    form = "user=ann&password=B64FormPw4567&qty=2"
    doc = har_doc(
        [
            _post(
                "https://shop.test/api/login", "application/json", _b64(login.encode()), 0, encoding="base64"
            ),
            _post(
                "https://shop.test/login",
                "application/x-www-form-urlencoded",
                _b64(form.encode()),
                1,
                encoding="base64",
            ),
        ]
    )
    path = write_har(doc)
    scenario = parse_har(path)
    json_request, form_request = _requests(scenario)
    assert json_request.body is not None
    assert json_request.body.text == '{"user":"ann","password":"${password}","sku":"A-1"}'
    assert form_request.body is not None
    assert [(f.name, f.value) for f in form_request.body.fields] == [
        ("user", "ann"),
        ("password", "${password}"),
        ("qty", "2"),
    ]
    decoded = _codes(scenario, "HAR052")
    assert [(d.severity, d.location.source if d.location else None) for d in decoded] == [
        ("info", "har:entries[0]"),
        ("info", "har:entries[1]"),
    ]
    assert decoded[0].message == (
        f"the request body was recorded base64-encoded ({len(login)} bytes of UTF-8 application/json)"
    )
    assert not _codes(scenario, "HAR007")
    text = har_outputs(path, tmp_path)
    for value in ("B64SecretPw123", "B64FormPw4567", _b64(login.encode()), _b64(form.encode())):
        assert value not in text


@pytest.mark.parametrize(
    ("mime", "text"),
    [
        ("image/png", _b64(b"\x89PNG\r\n\x1a\n")),  # a binary type
        ("application/json", _b64(b"\xff\xfe{}")),  # no UTF-8
        ("application/json", _b64(b"{\x00\x01}")),  # control characters
        ("application/json", "not base64 at all!"),
    ],
)
def test_base64_bodies_that_are_no_utf8_text_stay_unconverted(write_har, mime: str, text: str) -> None:
    doc = har_doc([_post("https://shop.test/up", mime, text, encoding="base64")])
    scenario = parse_har(write_har(doc))
    assert _requests(scenario)[0].body is None
    assert [d.message for d in _codes(scenario, "HAR007")] == [f"base64-encoded ({mime}) body"]
    assert not _codes(scenario, "HAR052")


# ---- finding 3: single-use tokens in a URL's path -----------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "found"),
    [
        (
            "https://shop.test/account/reset/Zx8QpLmN3vRt7YwK2aBcD9eF4gHj",
            [("token in the URL path (after /reset/)", "Zx8QpLmN3vRt7YwK2aBcD9eF4gHj", "reset_token")],
        ),
        (  # Django: reset/<uidb64>/<token>/
            "https://a.test/reset/MQ/c4o7z8-8a9b3c2d1e0f1a2b3c4d5e6f7a8b9c0d/",
            [
                (
                    "token in the URL path (after /reset/)",
                    "c4o7z8-8a9b3c2d1e0f1a2b3c4d5e6f7a8b9c0d",
                    "reset_token",
                )
            ],
        ),
        (
            "https://a.test/magic-link/AbC123dEf456GhI789jKl0?x=1",
            [("token in the URL path (after /magic-link/)", "AbC123dEf456GhI789jKl0", "magic_token")],
        ),
        ("https://a.test/confirm/2024-01-01-quarterly-report", []),  # words and numbers
        ("https://a.test/orders/confirm/123e4567-e89b-12d3-a456-426614174000", []),  # a UUID
        ("https://a.test/products/Zx8QpLmN3vRt7YwK2aBcD9eF4gHj", []),  # no link word before it
        ("https://a.test/api/tokens/list/ab12cd34ef56gh78ij90kl", []),  # two back, but no reset
        ("https://a.test/reset/Zx8QpLmN3vRt7Yw", []),  # short
    ],
)
def test_single_use_tokens_in_paths_are_recognised(url: str, found: list[tuple[str, str, str]]) -> None:
    assert path_tokens(url) == found


def test_a_token_in_a_reset_links_path_is_replaced_by_a_variable(write_har, tmp_path: Path) -> None:
    url = "https://shop.test/account/reset/Zx8QpLmN3vRt7YwK2aBcD9eF4gHj"
    path = write_har(har_doc([har_entry(url)]))
    scenario = parse_har(path)
    assert _requests(scenario)[0].url == "https://shop.test/account/reset/${reset_token}"
    assert [d.message for d in _codes(scenario, "HAR004")] == [
        "token in the URL path (after /reset/) -> ${reset_token}"
    ]
    assert not _codes(scenario, "HAR021")
    assert "Zx8QpLmN3vRt7YwK2aBcD9eF4gHj" not in har_outputs(path, tmp_path)  # (transaction names too)
    kept = _codes(parse_har(path, HarOptions(keep_secrets=True)), "HAR005")
    assert [d.message for d in kept] == [
        "recorded credentials are written into the plan: token in the URL path (after /reset/)"
    ]


def test_a_path_tokens_variable_is_said_where_it_is_sent() -> None:
    from converter.parsers.har.credentials import places_of

    request = Request.model_validate(
        {"name": "GET /r", "method": "GET", "url": "https://a.test/account/reset/${reset_token}?x=1"}
    )
    assert places_of(request, "${reset_token}") == ["token in the URL path (after /reset/)"]
    other = Request.model_validate(
        {"name": "GET /p", "method": "GET", "url": "https://a.test/p/${reset_token}"}
    )
    assert places_of(other, "${reset_token}") == ["the URL"]


def test_credential_kinds_of_login_field_names() -> None:
    names = ("userPin", "smsCode", "cvv", "securityCode", "password", "promo_code")
    assert [credential_kind(n) for n in names] == [
        "password-like",
        "one-time code",
        "card security code",
        "card security code",
        None,  # (a password is found by the older name rules: is_secret_field)
        None,
    ]
    assert is_secret_field("hmac") and is_secret_field("X-Hmac-Signature")


def test_a_nested_credential_in_a_referer_and_a_multipart_field_is_replaced(
    write_har, tmp_path: Path
) -> None:
    referer = "https://shop.test/login?returnUrl=%2Freset%3Ftoken%3Dab12"
    boundary = "XyZ"
    multipart = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="next"\r\n\r\n'
        f"https://shop.test/cb?access_token=mp7788\r\n--{boundary}--\r\n"
    )
    doc = har_doc(
        [
            har_entry("https://shop.test/a", start=ts(0), headers=[("Referer", referer)]),
            _post("https://shop.test/up", f"multipart/form-data; boundary={boundary}", multipart, 1),
        ]
    )
    path = write_har(doc)
    scenario = parse_har(path)
    first, second = _requests(scenario)
    assert [(h.name, h.value) for h in first.headers] == [
        ("Referer", "https://shop.test/login?returnUrl=%2Freset%3Ftoken%3D${token}")
    ]
    assert second.body is not None
    assert [(p.name, p.value) for p in second.body.parts] == [
        ("next", "https://shop.test/cb?access_token=${access_token}")
    ]
    assert not _codes(scenario, "HAR021")
    text = har_outputs(path, tmp_path)
    assert "ab12" not in text and "mp7788" not in text


def test_one_time_codes_in_a_query_and_link_tokens_in_a_path_are_warned(write_har) -> None:
    doc = har_doc(
        [
            har_entry("https://a.test/verify?otp=771204&user=ann", start=ts(0)),
            har_entry("https://a.test/account/reset/Zx8QpLmN3vRt7YwK2aBcD9eF4gHj", start=ts(1)),
        ]
    )
    scenario = parse_har(write_har(doc))
    assert [(d.severity, d.message) for d in _codes(scenario, "HAR051")] == [
        (
            "warning",
            "the URL's query sends one-time codes (a TOTP, SMS, e-mail or backup code): query field otp",
        )
    ]
    assert [(d.severity, d.message) for d in _codes(scenario, "HAR053")] == [
        ("warning", "token in the URL path (after /reset/)")
    ]
