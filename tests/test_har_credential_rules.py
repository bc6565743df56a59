"""The credential rules the collection (which replaces recorded credentials) and the final check (HAR021, and
the --keep-secrets list HAR005) share: where they once differed, and where the first request that sends a
replaced credential is (HAR004, HAR032)."""

from __future__ import annotations

from converter.diagnostics import Diagnostic
from converter.model import Request, Scenario
from converter.parsers.har import HarOptions, parse_har
from tests.conftest import har_doc, har_entry

JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NSJ9.c2lnbmF0dXJlMQ"


def _requests(scenario: Scenario) -> list[Request]:
    return [s for t in scenario.transactions.values() for s in t.steps if isinstance(s, Request)]


def _diags(scenario: Scenario, code: str) -> list[Diagnostic]:
    return [d for d in scenario.diagnostics if d.code == code]


def _at(diagnostic: Diagnostic) -> str:
    return diagnostic.location.source if diagnostic.location else ""


# ---- one rule for credential headers ---------------------------------------------------------------------------
def test_a_jwt_outside_a_credential_headers_credential_is_replaced_not_left_for_the_final_check(
    write_har,
) -> None:
    """The final check looked for JWTs in every header, the collection only in headers that are no credential
    headers: a JWT where an Authorization header's scheme stands was left in clear (HAR021). Both read a
    header through one rule now."""
    headers = [("Authorization", f"{JWT} AppSecretValue123")]
    scenario = parse_har(write_har(har_doc([har_entry("https://a.test/x", headers=headers)])))
    [request] = _requests(scenario)
    assert [(h.name, h.value) for h in request.headers] == [("Authorization", "${jwt} ${authorization}")]
    assert not _diags(scenario, "HAR021")
    assert sorted(d.message for d in _diags(scenario, "HAR004")) == [
        "header Authorization (${jwt}) -> ${authorization}",  # (the scheme it was recorded with, scrubbed)
        "header Authorization -> ${jwt}",
    ]


def test_an_authorization_scheme_with_a_blank_credential_is_one_credential_for_both(write_har) -> None:
    """'Bearer' and blanks: the collection replaces the whole value (nothing follows the scheme); the check read
    the blanks as the credential and let the recorded value pass, so --keep-secrets did not list it."""
    entry = har_entry("https://a.test/x", headers=[("Authorization", "Bearer   ")])
    replaced = parse_har(write_har(har_doc([entry])))
    assert [(h.name, h.value) for h in _requests(replaced)[0].headers] == [
        ("Authorization", "${authorization}")
    ]
    kept = parse_har(write_har(har_doc([entry]), "kept.har"), HarOptions(keep_secrets=True))
    [warning] = _diags(kept, "HAR005")
    assert warning.message == "recorded credentials are written into the plan: header Authorization"
