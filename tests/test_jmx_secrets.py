"""Credentials written in clear in a JMX (as JMeter's HTTP(S) Test Script Recorder saves them): each literal
becomes a secret variable filled at upload (JMX360), never written to the plan, the report or stderr; ``${...}``
references are left alone; --keep-secrets keeps them (JMX361); a CSV column named like one gets a note (JMX362)."""

from __future__ import annotations

import json
import pathlib
from typing import Any

from tests.conftest import request_cards, run_cli
from tests.test_jmx_support import el, header_manager, http, plan, s, tg

JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abcdefSIG"
LITERALS = (
    "Hunter2Secret",
    "tok_ABCDEF123456",
    JWT,
    "LiteralPw99",
    "QueryTok777",
    "SessCookie42",
    "JsonPw12345",
)


def udv(*pairs: tuple[str, str]) -> str:
    items = "".join(
        f'<elementProp name="{k}" elementType="Argument">{s("Argument.name", k)}{s("Argument.value", v)}'
        f"{s('Argument.metadata', '=')}</elementProp>"
        for k, v in pairs
    )
    return el("Arguments", "UDV", f'<collectionProp name="Arguments.arguments">{items}</collectionProp>')


def cookies(*pairs: tuple[str, str]) -> str:
    items = "".join(
        f'<elementProp name="{k}" elementType="Cookie">{s("Cookie.value", v)}{s("Cookie.domain", "h")}'
        f"{s('Cookie.path', '/')}</elementProp>"
        for k, v in pairs
    )
    return el(
        "CookieManager",
        "cookies",
        f'<collectionProp name="CookieManager.cookies">{items}</collectionProp>',
        guiclass="CookiePanel",
    )


def run(tmp_path: pathlib.Path, xml: str, *extra: str) -> tuple[dict[str, Any], dict[str, Any], str, str]:
    """Convert ``xml`` with ``perftest-convert jmx --dry-run --report`` (notes on stderr kept): (plan, report,
    plan text, report text + what the command printed)."""
    source = tmp_path / "plan.jmx"
    source.write_text(xml, encoding="utf-8")
    out, report = tmp_path / "plan.json", tmp_path / "report.json"
    result = run_cli("jmx", str(source), "--dry-run", "-o", str(out), "--report", str(report), *extra)
    assert result.exit_code == 0, result.output
    plan_text, report_text = out.read_text("utf-8"), report.read_text("utf-8")
    return json.loads(plan_text), json.loads(report_text), plan_text, report_text + result.output


def variables(plan_doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        v["name"]: {**v, "fill": op["fill"]}
        for op in plan_doc["operations"]
        if op["operation"] == "CreateVariable"
        for v in op["body"]
    }


def found(report: dict[str, Any], code: str) -> list[dict[str, Any]]:
    return [d for d in report["diagnostics"] if d["code"] == code]


def recorded_plan() -> str:
    """The audit's repro (a UDV password and api_token, a Bearer JWT, a form pin, a query token) with a Cookie
    Manager's session cookie and a JSON body's password."""
    login = http(
        "login",
        "/p",
        method="POST",
        domain="h.example",
        params=(("username", "ann"), ("password", "${password}"), ("pin", "LiteralPw99")),
    )
    query = http("q", "/x?token=QueryTok777&page=2", domain="h.example")
    api = http(
        "api", "/api", method="POST", domain="h.example", raw='{"user": "ann", "password": "JsonPw12345"}'
    )
    headers = header_manager("H", ("Authorization", f"Bearer {JWT}"), ("X-Api-Key", "${api_token}"))
    body = headers + cookies(("SESSION", "SessCookie42")) + login + query + api
    return plan(udv(("password", "Hunter2Secret"), ("api_token", "tok_ABCDEF123456")) + tg(body))


def test_literal_credentials_become_secret_variables_and_never_leak(tmp_path: pathlib.Path) -> None:
    plan_doc, report, plan_text, said = run(tmp_path, recorded_plan())
    for literal in LITERALS:
        assert literal not in plan_text and literal not in said, literal
    login, query, api = request_cards(plan_doc)
    assert {h["key"]: h["value"] for h in login["headers"]} == {
        "Authorization": "Bearer ${authorization}",  # the scheme kept, as for HAR
        "X-Api-Key": "${api_token}",  # a reference: left alone
        "Cookie": "SESSION=${cookie_session}",
    }
    assert login["bodys"] == [
        {"key": "username", "value": "ann"},
        {"key": "password", "value": "${password}"},
        {"key": "pin", "value": "${pin}"},
    ]
    assert query["url"] == "http://h.example/x?token=${token}&page=2"
    # one variable per credential name, whatever its values (as for HAR: a recording's tokens are refreshed)
    assert json.loads(api["body"]) == {"user": "ann", "password": "${password}"}
    declared = variables(plan_doc)
    assert len(declared) == 6
    for name in ("password", "api_token", "authorization", "cookie_session", "pin", "token"):
        assert declared[name]["variable"] == [""], name
        assert declared[name]["fill"] == {"/0/variable/0": name}
    messages = sorted(d["message"] for d in found(report, "JMX360"))
    assert messages == sorted(
        [
            "User Defined Variable password -> ${password}",
            "User Defined Variable api_token -> ${api_token}",
            "header Authorization (Bearer) -> ${authorization}",
            "cookie SESSION -> ${cookie_session}",
            "form field pin -> ${pin}",
            "query field token -> ${token}",
            "JSON field password -> ${password}",
        ]
    )
    pin = next(d for d in found(report, "JMX360") if "pin" in d["message"])
    assert pin["severity"] == "info" and pin["location"]["name"] == "login"
    assert pin["action"] == "value not written; fill it with --set at upload, or in PerfTest"
    assert "--set pin=" in pin["hint"]
    assert not found(report, "JMX361")
    assert not found(report, "JMX301")  # the two UDVs are secret variables, not enum ones


def test_keep_secrets_keeps_them_with_one_warning(tmp_path: pathlib.Path) -> None:
    plan_doc, report, plan_text, _ = run(tmp_path, recorded_plan(), "--keep-secrets")
    for literal in LITERALS:
        assert literal in plan_text, literal
    assert not found(report, "JMX360")
    assert not any(v["fill"] for v in variables(plan_doc).values())
    (kept,) = found(report, "JMX361")
    assert kept["severity"] == "warning" and kept["location"] is None
    assert kept["message"] == (
        "literal credentials are written into the plan: User Defined Variable password, User Defined Variable "
        "api_token, header Authorization (Bearer), cookie SESSION, form field pin, query field token and 1 more"
    )
    assert kept["hint"] == "drop --keep-secrets to replace them by variables"


def test_references_and_empty_values_are_left_alone(tmp_path: pathlib.Path) -> None:
    sampler = http(
        "a",
        "/a?token=${tok}",
        method="POST",
        domain="h",
        params=(("password", "${__P(pw,)}"), ("api_key", ""), ("user", "ann")),
    )
    headers = header_manager("H", ("Authorization", "Bearer ${token}"), ("Cookie", "sid=${sid}"))
    plan_doc, report, _, _ = run(tmp_path, plan(udv(("secret", "${__P(secret,)}")) + tg(headers + sampler)))
    (card,) = request_cards(plan_doc)
    assert card["url"] == "http://h/a?token=${tok}"
    assert {h["key"]: h["value"] for h in card["headers"]}["Authorization"] == "Bearer ${token}"
    assert [f["value"] for f in card["bodys"]][1:] == ["", "ann"]
    assert not found(report, "JMX360") and not found(report, "JMX361")
    assert not any(v["fill"] for v in variables(plan_doc).values())


def test_user_parameters_credential_becomes_one_secret_variable(tmp_path: pathlib.Path) -> None:
    params = el(
        "UserParameters",
        "per user",
        '<collectionProp name="UserParameters.names"><stringProp name="1">user</stringProp>'
        '<stringProp name="2">passwd</stringProp></collectionProp>'
        '<collectionProp name="UserParameters.thread_values">'
        '<collectionProp name="t1"><stringProp name="a">amy</stringProp><stringProp name="b">AmyPass111</stringProp>'
        "</collectionProp>"
        '<collectionProp name="t2"><stringProp name="c">bob</stringProp><stringProp name="d">BobPass222</stringProp>'
        "</collectionProp></collectionProp>",
        guiclass="UserParametersGui",
    )
    xml = plan(tg(params + http("a", "/u/${user}", method="POST", domain="h", params=(("pw", "${passwd}"),))))
    plan_doc, report, plan_text, said = run(tmp_path, xml)
    assert "AmyPass111" not in plan_text + said and "BobPass222" not in plan_text + said
    declared = variables(plan_doc)
    assert declared["user"]["variable"] == ["amy", "bob"]
    assert declared["passwd"]["variable"] == [""] and declared["passwd"]["fill"] == {
        "/0/variable/0": "passwd"
    }
    (note,) = found(report, "JMX360")
    assert note["message"] == (
        "User Parameter passwd -> ${passwd} (2 per-user values: every user reads the one value filled at upload)"
    )
    assert "file variable" in note["hint"]


def test_a_secret_variable_does_not_take_a_name_the_plan_uses(tmp_path: pathlib.Path) -> None:
    # ${token} is the user's own variable (an extractor's, a CSV column's): the query's literal token gets another
    first = http("a", "/a?token=QueryTok777", domain="h")
    second = http("b", "/b/${token}", domain="h")
    plan_doc, report, plan_text, _ = run(tmp_path, plan(tg(first + second)))
    card_a, card_b = request_cards(plan_doc)
    assert card_a["url"] == "http://h/a?token=${token_2}" and card_b["url"] == "http://h/b/${token}"
    assert [d["message"] for d in found(report, "JMX360")] == ["query field token -> ${token_2}"]
    assert "QueryTok777" not in plan_text


def test_a_distinctive_value_is_replaced_wherever_else_it_is_written(tmp_path: pathlib.Path) -> None:
    # the recorded JWT of the Authorization header, copied into a field not named like a credential, a JSON
    # number named like one, a form-encoded raw body
    raw = '{"data": "' + JWT + '", "pin": 1234}'
    api = http("api", "/api", method="POST", domain="h", raw=raw)
    form = http("/f?password=FormPw4567", "/f", method="POST", domain="h", raw="user=ann&password=FormPw4567")
    headers = header_manager("H", ("Authorization", f"Bearer {JWT}"), ("X-Trace", "abc"))
    plan_doc, _, plan_text, said = run(tmp_path, plan(tg(headers + api + form)))
    assert JWT not in plan_text + said and "FormPw4567" not in plan_text + said
    card, form_card = request_cards(plan_doc)
    assert card["body"] == '{"data": "${authorization}", "pin": ${pin}}'
    assert form_card["body"] == "user=ann&password=${password}"
    assert form_card["name"] == "/f?password=${password}"  # the Recorder names a sampler by its URL
    assert {h["key"]: h["value"] for h in card["headers"]}["X-Trace"] == "abc"


def test_a_jwt_in_any_header_is_replaced(tmp_path: pathlib.Path) -> None:
    headers = header_manager("H", ("X-Id-Token", "x"), ("X-Context", f"ctx {JWT}"))
    plan_doc, report, plan_text, _ = run(tmp_path, plan(tg(headers + http("a", domain="h"))))
    (card,) = request_cards(plan_doc)
    assert {h["key"]: h["value"] for h in card["headers"]} == {
        "X-Id-Token": "${x_id_token}",  # named like a credential: even a short value
        "X-Context": "ctx ${jwt_x_context}",
    }
    assert JWT not in plan_text
    assert sorted(d["message"] for d in found(report, "JMX360")) == [
        "JWT in header X-Context -> ${jwt_x_context}",
        "header X-Id-Token -> ${x_id_token}",
    ]


def test_csv_column_named_like_a_credential_is_noted_not_redacted(tmp_path: pathlib.Path) -> None:
    (tmp_path / "users.csv").write_text("amy,CsvPw1\nbob,CsvPw2\n", encoding="utf-8")
    csv = el(
        "CSVDataSet",
        "users",
        s("filename", "users.csv") + s("variableNames", "user,password") + s("delimiter", ","),
        guiclass="TestBeanGUI",
    )
    plan_doc, report, _, _ = run(tmp_path, plan(tg(csv + http("a", "/u/${user}/${password}", domain="h"))))
    assert variables(plan_doc)["password"]["variable"] == ["CsvPw1", "CsvPw2"]
    (note,) = found(report, "JMX362")
    assert note["severity"] == "info" and note["location"]["name"] == "users"
    assert note["message"] == (
        "column 'password' is named like a credential: its 2 value(s) are written into the plan as the enum "
        "variable's values"
    )
    assert not found(report, "JMX360")


def test_a_superseded_cookie_manager_declares_no_variable(tmp_path: pathlib.Path) -> None:
    # JMeter keeps the outermost Cookie Manager (JMX318): the inner one's cookie is never sent, nor declared
    inner = cookies(("other", "InnerSess2")).replace('testname="cookies"', 'testname="inner"')
    xml = plan(cookies(("sid", "OuterSess1")) + tg(inner + http("a", domain="h")))
    plan_doc, report, plan_text, said = run(tmp_path, xml)
    (card,) = request_cards(plan_doc)
    assert card["headers"] == [{"key": "Cookie", "value": "sid=${cookie_sid}"}]
    assert [d["message"] for d in found(report, "JMX360")] == ["cookie sid -> ${cookie_sid}"]
    assert "cookie_other" not in variables(plan_doc)
    assert "OuterSess1" not in plan_text + said and "InnerSess2" not in plan_text + said


def test_cookie_manager_redacts_session_cookies_not_preferences(tmp_path: pathlib.Path) -> None:
    # named like a credential (even short), or a distinctive value: a secret; a preference an author set: as is
    jar = cookies(("sid", "42"), ("lang", "en"), ("product_list_limit", "30"), ("tracking", "a8f3k29dkq"))
    plan_doc, report, plan_text, _ = run(tmp_path, plan(tg(jar + http("a", domain="h"))))
    (card,) = request_cards(plan_doc)
    assert card["headers"] == [
        {
            "key": "Cookie",
            "value": "sid=${cookie_sid}; lang=en; product_list_limit=30; tracking=${cookie_tracking}",
        }
    ]
    assert "a8f3k29dkq" not in plan_text
    assert sorted(d["message"] for d in found(report, "JMX360")) == [
        "cookie sid -> ${cookie_sid}",
        "cookie tracking -> ${cookie_tracking}",
    ]


def test_a_recorded_cookie_header_has_every_cookie_replaced(tmp_path: pathlib.Path) -> None:
    # the Recorder's Header Manager: as for HAR, every cookie of a Cookie header; a Cookie header that needs no
    # replacement is written as it was
    first = header_manager("H", ("Cookie", "sid=${sid};lang=${lang}"))
    second = header_manager("H2", ("Cookie", "lang=en; theme=dark"))
    xml = plan(
        tg(el("GenericController", "c1", "", first + http("a", domain="h")))
        + tg(second + http("b", domain="h"), name="TG2")
    )
    plan_doc, report, _, _ = run(tmp_path, xml)
    card_a, card_b = request_cards(plan_doc)
    assert card_a["headers"] == [{"key": "Cookie", "value": "sid=${sid};lang=${lang}"}]
    assert card_b["headers"] == [{"key": "Cookie", "value": "lang=${cookie_lang}; theme=${cookie_theme}"}]
    assert len(found(report, "JMX360")) == 2


def test_a_property_default_that_is_a_credential_is_not_quoted_anywhere(tmp_path: pathlib.Path) -> None:
    # __P's default is what JMeter uses without -J: a literal password (magento's benchmark does this)
    xml = plan(
        udv(("admin_password", "${__P(admin_password,Pw4567)}"))
        + tg(http("a", "/?p=${admin_password}", domain="h"))
    )
    plan_doc, report, plan_text, said = run(tmp_path, xml)
    assert "Pw4567" not in plan_text and "Pw4567" not in said
    assert variables(plan_doc)["admin_password"]["fill"] == {"/0/variable/0": "admin_password"}
    assert [d["message"] for d in found(report, "JMX360")] == [
        "User Defined Variable admin_password -> ${admin_password}"
    ]
    (default,) = found(report, "EXP001")
    assert default["action"] == "used '${admin_password}'"


def test_the_recorders_header_manager_per_sampler_is_said_once(tmp_path: pathlib.Path) -> None:
    # the HTTP(S) Test Script Recorder writes a Header Manager under every sampler, each with the Authorization
    first = http("a", domain="h", children=header_manager("HM a", ("Authorization", f"Bearer {JWT}")))
    second = http("b", domain="h", children=header_manager("HM b", ("Authorization", f"Bearer {JWT}")))
    plan_doc, report, plan_text, _ = run(tmp_path, plan(tg(first + second)))
    assert [h["value"] for card in request_cards(plan_doc) for h in card["headers"]] == [
        "Bearer ${authorization}"
    ] * 2
    (said,) = found(report, "JMX360")
    assert said["message"] == "header Authorization (Bearer) -> ${authorization} (also in 1 other element(s))"
    assert said["location"]["name"] == "HM a"
    assert [r["name"] for r in report["ledger"] if "JMX360" in r["codes"]] == ["HM a", "HM b"]
    assert JWT not in plan_text


def test_a_soap_bodys_credential_elements_are_replaced(tmp_path: pathlib.Path) -> None:
    raw = (
        '<soap:Envelope xmlns:soap="s"><soap:Header><wsse:Security><wsse:UsernameToken>'
        '<wsse:Username>ann</wsse:Username><wsse:Password Type="t">SoapPw9876</wsse:Password>'
        "</wsse:UsernameToken></wsse:Security></soap:Header><soap:Body><q>${q}</q></soap:Body></soap:Envelope>"
    )
    plan_doc, report, plan_text, _ = run(tmp_path, plan(tg(http("s", method="POST", domain="h", raw=raw))))
    (card,) = request_cards(plan_doc)
    assert card["body"] == raw.replace("SoapPw9876", "${password}")
    assert [d["message"] for d in found(report, "JMX360")] == ["XML element Password -> ${password}"]
    assert "SoapPw9876" not in plan_text


def test_variables_about_a_credential_are_not_credentials(tmp_path: pathlib.Path) -> None:
    # a plan's variables name its endpoints and settings too: the last word says what they are
    settings = udv(
        ("token_url", "https://idp.example/token"),
        ("auth_host", "idp.example"),
        ("session_timeout", "30"),
        ("csrfHeaderName", "X-CSRF-Token"),
        ("apiKey", "k3y-Value-77"),
    )
    plan_doc, report, plan_text, _ = run(tmp_path, plan(settings + tg(http("a", domain="${auth_host}"))))
    declared = variables(plan_doc)
    assert declared["auth_host"]["variable"] == ["idp.example"] and declared["session_timeout"][
        "variable"
    ] == ["30"]
    assert declared["token_url"]["fill"] == {} and declared["csrfHeaderName"]["fill"] == {}
    assert declared["apiKey"]["fill"] == {"/0/variable/0": "apiKey"} and "k3y-Value-77" not in plan_text
    assert [d["message"] for d in found(report, "JMX360")] == ["User Defined Variable apiKey -> ${apiKey}"]


def test_a_password_in_a_whole_url_path_is_replaced(tmp_path: pathlib.Path) -> None:
    plan_doc, report, plan_text, said = run(
        tmp_path, plan(tg(http("a", "https://ann:UrlPw2468@h.example/x")))
    )
    (card,) = request_cards(plan_doc)
    assert card["url"] == "https://ann:${url_password}@h.example/x"
    assert [d["message"] for d in found(report, "JMX360")] == ["password in the URL -> ${url_password}"]
    assert "UrlPw2468" not in plan_text + said


def test_a_variable_made_from_a_secret_one_is_secret_too(tmp_path: pathlib.Path) -> None:
    # JMeter computes auth once from the password; a PerfTest variable's value is not evaluated
    xml = plan(
        udv(("user", "ann"), ("password", "Hunter2Secret"), ("auth", "${user}:${password}"))
        + tg(http("a", domain="h"))
    )
    plan_doc, report, plan_text, _ = run(tmp_path, xml)
    declared = variables(plan_doc)
    assert declared["user"]["variable"] == ["ann"]
    assert declared["auth"]["variable"] == [""] and declared["auth"]["fill"] == {"/0/variable/0": "auth"}
    assert [d["message"] for d in found(report, "JMX360")] == [
        "User Defined Variable password -> ${password}",
        "User Defined Variable auth (made from ${password}) -> ${auth}",
    ]
    assert not found(report, "EXP003") and "Hunter2Secret" not in plan_text  # (no "evaluated once" warning)


def test_a_secret_listed_twice_in_one_table_keeps_the_first_row_and_quotes_no_value(
    tmp_path: pathlib.Path,
) -> None:
    """JMeter keeps the first row of a name (Arguments.getArgumentsAsMap); JMX901 says so without the values."""
    xml = plan(
        udv(("password", "FirstSecret123"), ("password", "SecondSecret456"))
        + tg(http("A", "/a?p=${password}", domain="h"))
    )
    plan_doc, report, plan_text, report_text = run(tmp_path, xml)
    assert (
        "FirstSecret123" not in plan_text + report_text and "SecondSecret456" not in plan_text + report_text
    )
    [again] = found(report, "JMX901")
    assert "listed again in this table: JMeter keeps the first row" in again["message"]
    assert variables(plan_doc)["password"]["variable"] == [""]
