"""Findings of the HAR secrets re-audit (audh6c): resource ids taken for a link's token, settings taken for
one-time codes, postal PIN codes; link tokens and short credentials left in clear in nested URLs, redirects,
headers, titles, second field names, XML, GraphQL and name/value-pair JSON. Each test converts a small inline
HAR and checks what is sent and every output byte."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from converter.diagnostics import Diagnostic
from converter.model import Request, Scenario
from converter.parsers.har import HarOptions, parse_har
from converter.parsers.har.secrets import is_secret_field, is_secret_pair, path_tokens
from tests.conftest import har_doc, har_entry, har_outputs, ts


def _requests(scenario: Scenario) -> list[Request]:
    return [s for t in scenario.transactions.values() for s in t.steps if isinstance(s, Request)]


def _post(
    url: str,
    mime: str,
    text: str,
    start: float = 0,
    headers: list[tuple[str, str]] | None = None,
    **post: Any,
) -> dict[str, Any]:
    return har_entry(
        url, method="POST", start=ts(start), headers=headers, post={"mimeType": mime, "text": text, **post}
    )


def _codes(scenario: Scenario, code: str) -> list[Diagnostic]:
    return [d for d in scenario.diagnostics if d.code == code]


# ---- finding 8: resource ids are no link tokens ---------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "https://shop.test/order-confirmation/5f8d0d55b54764421b7156c9",  # a MongoDB ObjectId
        "https://shop.test/order-confirmation/Zx8QpLmN3vRt7YwK2aBcD9eF4gHj",  # a shop's page: an order's id
        "https://saas.test/api/teams/42/invitations/65a1f2c3d4e5f6a7b8c9d0e1",  # a collection
        "https://saas.test/api/invitation/01HGW2N7XK4Q3R8T9V0ZKD5M2P",  # a ULID
        "https://shop.test/checkout/confirm/ORD2024112800417ABZ9",  # an order number
        "https://shop.test/verify/ORD-2024112800417",
        "https://etherscan.test/token/0x6b175474e89094c44da98b954eedeac495271d0f",  # a contract address
        "https://api.solscan.test/v2/tokens/EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v",
        "https://a.test/confirm/0x6b175474e89094c44da98b954eedeac495271d0f",
    ],
)
def test_resource_ids_are_no_link_tokens(url: str) -> None:
    assert path_tokens(url) == []


@pytest.mark.parametrize(
    ("url", "token", "name"),
    [
        # Django: /reset/<uidb64>/<token>/
        (
            "https://a.test/reset/MQ/c4o7z8-8a9b3c2d1e0f1a2b3c4d5e6f7a8b9c0d/",
            "c4o7z8-8a9b3c2d1e0f1a2b3c4d5e6f7a8b9c0d",
            "reset_token",
        ),
        # Laravel: /reset-password/<64 hex>
        ("https://a.test/reset-password/" + "9f" * 32, "9f" * 32, "reset_token"),
        # Slack: /t/<team>/shared_invite/<code>
        (
            "https://join.slack.test/t/acme/shared_invite/zt-1h2j3k4l5-AbCdEfGhIjKlMnOpQrStUv",
            "zt-1h2j3k4l5-AbCdEfGhIjKlMnOpQrStUv",
            "invite_token",
        ),
        (
            "https://a.test/auth/magic-link/Kp4sW9xLq2Zr7NvB3mTy8HcJ5dGf",
            "Kp4sW9xLq2Zr7NvB3mTy8HcJ5dGf",
            "magic_token",
        ),
        (
            "https://a.test/users/confirmation/Qm7vXr2LpK9sNw4ZtY8bHc3JdF6g",
            "Qm7vXr2LpK9sNw4ZtY8bHc3JdF6g",
            "confirmation_token",
        ),
        (
            "https://a.test/invitation/Zx8QpLmN3vRt7YwK2aBcD9eF4gHj/accept",
            "Zx8QpLmN3vRt7YwK2aBcD9eF4gHj",
            "invitation_token",
        ),
    ],
)
def test_real_link_tokens_are_still_found(url: str, token: str, name: str) -> None:
    assert [(found[1], found[2]) for found in path_tokens(url)] == [(token, name)]


def test_an_orders_id_after_a_confirmation_page_is_sent_as_recorded(write_har) -> None:
    doc = har_doc(
        [
            har_entry("https://shop.test/order-confirmation/5f8d0d55b54764421b7156c9"),
            har_entry("https://shop.test/api/orders/5f8d0d55b54764421b7156c9", start=ts(1)),
        ]
    )
    scenario = parse_har(write_har(doc))
    assert [r.url for r in _requests(scenario)] == [
        "https://shop.test/order-confirmation/5f8d0d55b54764421b7156c9",
        "https://shop.test/api/orders/5f8d0d55b54764421b7156c9",
    ]
    assert not _codes(scenario, "HAR004") and not _codes(scenario, "HAR053")
    assert not scenario.variables


# ---- finding 9: settings of one-time codes are no codes -------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "otpChannel",
        "otpLength",
        "otp_type",
        "otpStatus",
        "otp_method",
        "login_code_length",
        "otp_expiry",
        "verification_code_sent",
        "sms_code_required",
        "pin_code_length",
        "otpEnabled",
    ],
)
def test_settings_of_one_time_codes_are_no_credentials(name: str) -> None:
    assert not is_secret_field(name)


@pytest.mark.parametrize(
    "name",
    ["otp", "OTP", "smsOtp", "otp_code", "otpValue", "otp-token", "otp1", "totp", "sms_code", "userPin"],
)
def test_one_time_codes_are_still_credentials(name: str) -> None:
    assert is_secret_field(name)


def test_a_send_me_a_code_request_is_sent_as_recorded(write_har) -> None:
    body = '{"otpChannel":"sms","otpLength":6,"otp_type":"LOGIN"}'
    doc = har_doc(
        [
            _post("https://bank.test/api/otp/send", "application/json", body),
            har_entry("https://bank.test/api/otp/status?otpStatus=pending&otp_method=email", start=ts(1)),
            _post("https://bank.test/api/otp/verify", "application/json", '{"otp":"551234"}', start=2),
        ]
    )
    scenario = parse_har(write_har(doc))
    requests = _requests(scenario)
    assert json.loads(requests[0].body.text) == json.loads(body)  # type: ignore[union-attr]
    assert requests[1].url.endswith("?otpStatus=pending&otp_method=email")
    assert requests[2].body.text == '{"otp":"${otp}"}'  # type: ignore[union-attr]
    assert len(_codes(scenario, "HAR051")) == 1


# ---- finding 10: postal PIN codes and map pins are no PINs ----------------------------------------------


@pytest.mark.parametrize(
    ("name", "value", "secret"),
    [
        ("pin", "4821", True),
        ("userPin", "123456789012", True),
        ("pin_number", "0042", True),
        ("pin", "52.5200,13.4050", False),  # a map pin
        ("pin", "pin_9f8e7d6c5b", False),  # a pinned board's id
        ("pin", "1234567890123", False),  # longer than a PIN
        ("pin_code", "560001", False),  # India's postal code
        ("pincode", "560001", False),
        ("PINCode", "560001", False),
        ("passcode", "abc", True),  # other password-like names whatever their value
    ],
)
def test_a_pin_is_a_short_number(name: str, value: str, secret: bool) -> None:
    assert is_secret_pair(name, value) is secret


def test_postal_codes_and_map_pins_are_sent_as_recorded_and_pins_are_not(write_har) -> None:
    doc = har_doc(
        [
            har_entry("https://shop.test/api/serviceability?pin_code=560001"),
            _post("https://shop.test/api/address", "application/json", '{"pinCode":"560001"}', start=1),
            _post("https://maps.test/api/share", "application/json", '{"pin":"52.5200,13.4050"}', start=2),
            _post("https://bank.test/api/pin", "application/json", '{"pin":4821}', start=3),
        ]
    )
    scenario = parse_har(write_har(doc))
    requests = _requests(scenario)
    assert requests[0].url.endswith("?pin_code=560001")
    assert [r.body.text for r in requests[1:]] == [  # type: ignore[union-attr]
        '{"pinCode":"560001"}',
        '{"pin":"52.5200,13.4050"}',
        '{"pin":${pin}}',
    ]
    assert not _codes(scenario, "HAR021")


# ---- finding 1: a link's token in a nested URL, a Location, a Referer, a page title ------------------------

_TOKEN = "Zx8QpLmN3vRt7YwK2aBcD9eF4gHj"


def test_a_link_token_in_a_nested_return_url_is_replaced(write_har, tmp_path: Path) -> None:
    back = f"%2Finvitations%2F{_TOKEN}%2Faccept"
    doc = har_doc(
        [
            har_entry(f"https://app.test/login?return_to={back}"),
            _post(
                f"https://app.test/session?return_to={back}",
                "application/json",
                f'{{"next":"https://app.test/invite/{_TOKEN}"}}',
                start=1,
                headers=[("Referer", f"https://app.test/login?return_to={back}")],
            ),
        ]
    )
    path = write_har(doc)
    scenario = parse_har(path)
    assert (
        _requests(scenario)[0].url
        == "https://app.test/login?return_to=%2Finvitations%2F${invitation_token}%2Faccept"
    )
    assert not _codes(scenario, "HAR021")
    assert _TOKEN not in har_outputs(path, tmp_path)
    kept = parse_har(path, HarOptions(keep_secrets=True))
    assert "field invitation_token in query field return_to" in _codes(kept, "HAR005")[0].message


def test_a_link_token_in_a_referer_is_replaced(write_har, tmp_path: Path) -> None:
    referer = f"https://shop.test/account/reset/{_TOKEN}"
    body = '{"new_password":"N3wPassw0rd!x"}'
    path = write_har(
        har_doc(
            [
                _post(
                    "https://shop.test/api/password", "application/json", body, headers=[("Referer", referer)]
                )
            ]
        )
    )
    scenario = parse_har(path)
    assert [h.value for h in _requests(scenario)[0].headers if h.name == "Referer"] == [
        "https://shop.test/account/reset/${reset_token}"
    ]
    assert "header Referer -> ${reset_token}" in [d.message for d in _codes(scenario, "HAR004")]
    assert _TOKEN not in har_outputs(path, tmp_path)
    kept = parse_har(path, HarOptions(keep_secrets=True))
    assert "token in the URL path (after /reset/) in header Referer" in _codes(kept, "HAR005")[0].message


def test_a_link_token_in_a_redirects_location_is_not_written(write_har, tmp_path: Path) -> None:
    target = f"https://shop.test/auth/magic-link/{_TOKEN}"
    entry = har_entry("https://shop.test/auth/email?e=1", status=302)
    entry["response"]["headers"] = [{"name": "Location", "value": target}]
    entry["response"]["redirectURL"] = target
    path = write_har(har_doc([entry]))
    scenario = parse_har(path)
    assert next(d.message for d in _codes(scenario, "HAR018")).startswith(
        "302 to https://shop.test/auth/magic-link/${magic_token}:"
    )
    assert _TOKEN not in har_outputs(path, tmp_path)


def test_a_link_token_in_a_page_title_is_not_written(write_har, tmp_path: Path) -> None:
    pages = [{"startedDateTime": ts(0), "id": "p1", "title": f"https://app.test/account/reset/{_TOKEN}"}]
    path = write_har(har_doc([har_entry("https://app.test/api/me", pageref="p1")], pages))
    outputs = har_outputs(path, tmp_path)
    assert _TOKEN[:13] not in outputs  # (transaction names hold a truncated form)


# ---- finding 2: a short credential recorded under a second field name ---------------------------------------


def test_a_short_value_is_replaced_under_every_name_it_was_recorded_under(write_har, tmp_path: Path) -> None:
    doc = har_doc(
        [
            _post(
                "https://bank.test/api/card/pin",
                "application/json",
                '{"current_pin":"1234","new_pin":"4821","confirm_pin":"4821"}',
            ),
            _post(
                "https://app.test/api/signup",
                "application/json",
                '{"password":"abc123","passwordConfirm":"abc123"}',
                start=1,
            ),
        ]
    )
    path = write_har(doc)
    scenario = parse_har(path)
    assert [r.body.text for r in _requests(scenario)] == [  # type: ignore[union-attr]
        '{"current_pin":"${current_pin}","new_pin":"${new_pin}","confirm_pin":"${new_pin}"}',
        '{"password":"${password}","passwordConfirm":"${password}"}',
    ]
    assert "JSON field new_pin, JSON field confirm_pin -> ${new_pin}" in [
        d.message for d in _codes(scenario, "HAR004")
    ]
    assert not _codes(scenario, "HAR021")
    outputs = har_outputs(path, tmp_path)
    assert '"4821"' not in outputs and '"abc123"' not in outputs


# ---- finding 3: XML bodies --------------------------------------------------------------------------------


def test_short_xml_pins_and_codes_are_replaced(write_har, tmp_path: Path) -> None:
    body = '<Envelope><Body><pin>4821</pin><ns:otp a="1">551234</ns:otp><pass><![CDATA[ab1]]></pass></Body></Envelope>'
    path = write_har(har_doc([_post("https://bank.test/ws", "text/xml", body)]))
    scenario = parse_har(path)
    assert _requests(scenario)[0].body.text == (  # type: ignore[union-attr]
        '<Envelope><Body><pin>${pin}</pin><ns:otp a="1">${otp}</ns:otp><pass><![CDATA[${pass}]]></pass></Body></Envelope>'
    )
    assert [d.message for d in _codes(scenario, "HAR051")] == [
        "the body sends one-time codes (a TOTP, SMS, e-mail or backup code): field otp"
    ]
    assert not _codes(scenario, "HAR021")
    outputs = har_outputs(path, tmp_path)
    assert ">4821<" not in outputs and ">551234<" not in outputs


def test_xml_attributes_cdata_and_nested_urls_are_read(write_har, tmp_path: Path) -> None:
    body = (
        "<Login><password><![CDATA[S3cr3tPassw0rd!x]]></password><session token='ab12'/>"
        '<key id="k1" apiKey="AttrT0kenValue99xyz"/>'
        "<ReturnUrl>https://app.test/cb?access_token=ya29.A0ARrdaM8kLxQw3Zt9PvYb2&amp;state=1</ReturnUrl></Login>"
    )
    path = write_har(har_doc([_post("https://shop.test/ws", "application/xml", body)]))
    scenario = parse_har(path)
    assert _requests(scenario)[0].body.text == (  # type: ignore[union-attr]
        "<Login><password><![CDATA[${password}]]></password><session token='${token}'/>"
        '<key id="k1" apiKey="${apikey}"/>'
        "<ReturnUrl>https://app.test/cb?access_token=${access_token}&amp;state=1</ReturnUrl></Login>"
    )
    assert not _codes(scenario, "HAR021")
    outputs = har_outputs(path, tmp_path)
    for secret in ("S3cr3tPassw0rd!x", "'ab12'", "AttrT0kenValue99xyz", "ya29.A0ARrdaM8kLxQw3Zt9PvYb2"):
        assert secret not in outputs
    kept = parse_har(path, HarOptions(keep_secrets=True))
    assert _codes(kept, "HAR005")[0].message == (
        "recorded credentials are written into the plan: XML field password, XML field access_token,"
        " XML field token, XML field apiKey"
    )


# ---- finding 4: GraphQL arguments written inline as integers ----------------------------------------------


def test_inline_integer_graphql_arguments_are_replaced(write_har, tmp_path: Path) -> None:
    query = "mutation { verifyPin(pin: 482913) { ok } verifyOtp(otp: 551234) { ok } page(first: 20) { id } }"
    path = write_har(
        har_doc([_post("https://shop.test/graphql", "application/json", json.dumps({"query": query}))])
    )
    scenario = parse_har(path)
    assert json.loads(_requests(scenario)[0].body.text)["query"] == (  # type: ignore[union-attr]
        "mutation { verifyPin(pin: ${pin}) { ok } verifyOtp(otp: ${otp}) { ok } page(first: 20) { id } }"
    )
    assert sorted(d.message for d in _codes(scenario, "HAR004")) == [
        "JSON field otp -> ${otp}",
        "JSON field pin -> ${pin}",
    ]
    outputs = har_outputs(path, tmp_path)
    assert "482913" not in outputs and "551234" not in outputs


# ---- finding 5: name/value-pair JSON ---------------------------------------------------------------------


def test_name_value_pair_json_credentials_are_replaced(write_har, tmp_path: Path) -> None:
    body = (
        '[{"name":"username","value":"alice"},{"name":"password","value":"abc12"},'
        '{"value":"Tr0ub4dor&3horse","name":"new_password"},{"key":"pin","value":4821},'
        '{"key":"city","value":"Berlin"}]'
    )
    path = write_har(har_doc([_post("https://shop.test/api/login", "application/json", body)]))
    scenario = parse_har(path)
    assert _requests(scenario)[0].body.text == (  # type: ignore[union-attr]
        '[{"name":"username","value":"alice"},{"name":"password","value":"${password}"},'
        '{"value":"${new_password}","name":"new_password"},{"key":"pin","value":${pin}},'
        '{"key":"city","value":"Berlin"}]'
    )
    assert not _codes(scenario, "HAR021")
    outputs = har_outputs(path, tmp_path)
    assert '"abc12"' not in outputs and "Tr0ub4dor" not in outputs and "4821" not in outputs


def test_name_value_pairs_with_capitalised_member_names_are_read_too(write_har, tmp_path: Path) -> None:
    """.NET and Java serialisers write "Name"/"Value" (found by fuzzing: the password was sent in clear)."""
    body = '[{"Name":"username","Value":"ann"},{"Name":"Password","Value":"CapPass998877"},{"KEY":"pin","VALUE":"4821"}]'
    path = write_har(har_doc([_post("https://shop.test/api/login", "application/json", body)]))
    assert _requests(parse_har(path))[0].body.text == (  # type: ignore[union-attr]
        '[{"Name":"username","Value":"ann"},{"Name":"Password","Value":"${password}"},{"KEY":"pin","VALUE":"${pin}"}]'
    )
    outputs = har_outputs(path, tmp_path)
    assert "CapPass998877" not in outputs and "4821" not in outputs


def test_graphql_variables_given_to_secret_named_arguments_are_replaced(write_har, tmp_path: Path) -> None:
    """login(password: $p) with "variables": {"p": ...}: the value is the argument's, whatever the variable's name
    (found by fuzzing: it was sent in clear); a variable given to an ordinary argument stays."""
    body = json.dumps(
        {
            "query": "mutation($u: String!, $p: String!, $x: Int!) "
            "{ login(username: $u, password: $p) { token } verifyPin(pin: $x) { ok } }",
            "variables": {"u": "ann", "p": "GqlSecret77", "x": 4821},
        }
    )
    path = write_har(har_doc([_post("https://a.test/graphql", "application/json", body)]))
    sent = _requests(parse_har(path))[0].body.text  # type: ignore[union-attr]
    assert sent.endswith('"variables": {"u": "ann", "p": "${p}", "x": ${x}}}')  # (a number stays unquoted)
    outputs = har_outputs(path, tmp_path)
    assert "GqlSecret77" not in outputs and "4821" not in outputs


# ---- finding 6: a credential pasted into a header's name ---------------------------------------------------


def test_har046_does_not_say_what_follows_a_colon_in_a_header_name(write_har, tmp_path: Path) -> None:
    entry = har_entry("https://api.test/v1", headers=[("X-Api-Key: Abc1", ""), ("X Auth Token", "t")])
    path = write_har(har_doc([entry]))
    [note] = _codes(parse_har(path), "HAR046")
    assert (
        note.message
        == "header names with characters a field name cannot hold: 'X-Api-Key: ...', 'X Auth Token'"
    )
    assert "Abc1" not in har_outputs(path, tmp_path)


def test_a_credential_in_a_path_valued_header_is_replaced(write_har, tmp_path: Path) -> None:
    entry = har_entry("https://app.test/x", headers=[("X-Original-URL", "/account/confirm?token=Tk12ab&x=1")])
    path = write_har(har_doc([entry]))
    scenario = parse_har(path)
    assert [h.value for h in _requests(scenario)[0].headers if h.name == "X-Original-URL"] == [
        "/account/confirm?token=${token}&x=1"
    ]
    assert "Tk12ab" not in har_outputs(path, tmp_path)
