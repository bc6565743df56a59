"""Single-use login credentials of OAuth 2.0 / OpenID Connect and SAML flows, recognised by their context.

An authorization code is sent under the plain name ``code``, which countless forms use for other things (a
promo code, a country code): it is recognised only where OAuth puts it. In an authorization response (RFC 6749
4.1.2: the redirect to the client's callback, in a query or a ``form_post`` form), next to a random ``state``
(or the ``session_state`` and ``iss`` OpenID providers add) and with the unguessable length RFC 6749 10.10
requires; and in a token request (4.1.3) with ``grant_type=authorization_code``, with its PKCE
``code_verifier`` (RFC 7636). A SAML ``SAMLResponse`` (a signed, time-limited assertion posted to the service
provider) is recognised by its name. The ``state`` and ``nonce`` values are not credentials: the client makes
them up and only the client checks them, so they are sent as recorded.
"""

from __future__ import annotations

from collections.abc import Sequence

from converter.parsers.har.secrets import looks_like_a_credential

# what the diagnostics call them, after the field's place ("query field code (OAuth authorization code)")
AUTHORIZATION_CODE = "OAuth authorization code"
CODE_VERIFIER = "PKCE code verifier"
SAML_RESPONSE = "SAML response"
# an authorization code must be unguessable (RFC 6749 10.10): providers issue 20 characters (GitHub) or more;
# shorter values next to a "state" are a form's own fields (a postal code and a US state)
_MIN_CODE_LENGTH = 16
# the variable each is replaced by
VARIABLES = {AUTHORIZATION_CODE: "oauth_code", CODE_VERIFIER: "code_verifier", SAML_RESPONSE: "saml_response"}
# the names that may make a field one of them (a quick test before looking closer)
_NAMES = frozenset({"code", "code_verifier", "SAMLResponse"})


def may_name_one(text: str) -> bool:
    """False when a JSON or multipart text names none of these fields (a quick test before parsing it: their
    names are written quoted there, ``"code"``, ``name="code_verifier"``)."""
    return '"code' in text or "SAMLResponse" in text


def single_use_fields(fields: Sequence[tuple[str, str]]) -> dict[str, str]:
    """The OAuth and SAML login credentials among the (name, value) fields of one query, form or JSON object:
    field name -> what it is (:data:`AUTHORIZATION_CODE`, :data:`CODE_VERIFIER`, :data:`SAML_RESPONSE`)."""
    names = {name for name, _ in fields}
    if not names & _NAMES:
        return {}
    found: dict[str, str] = {}
    if "SAMLResponse" in names:
        found["SAMLResponse"] = SAML_RESPONSE
    if "code_verifier" in names:  # (an unambiguous name: a token request, or an app's own exchange endpoint)
        found["code_verifier"] = CODE_VERIFIER
    if "code" not in names:
        return found
    values = dict(fields)  # (a repeated name: its last value decides, as most servers read it)
    grant = values.get("grant_type")
    if grant == "authorization_code" or (grant is None and _in_a_response(names, values)):
        found["code"] = AUTHORIZATION_CODE
    return found


def _in_a_response(names: set[str], values: dict[str, str]) -> bool:
    """A ``code`` sent with its PKCE verifier (an app's own exchange endpoint), or with an authorization
    code's length (not a postal or a promo code) next to what only an authorization response carries: a
    ``state`` the client made up (random, not a word such as "CA" or "applied"), an OpenID ``session_state``,
    an issuer URL."""
    if "code_verifier" in names:
        return True
    if not _looks_like_a_code(values["code"]):
        return False
    return (
        looks_like_a_credential(values.get("state", ""))
        or bool(values.get("session_state"))
        or "://" in values.get("iss", "")
    )


def _looks_like_a_code(value: str) -> bool:
    """Long enough to be an authorization code, and not a number (a postal or a numeric code)."""
    return len(value) >= _MIN_CODE_LENGTH and not value.isdigit()
