"""Single-use login credentials of OAuth 2.0 / OpenID Connect and SAML flows, recognised by their context.

An authorization code is sent under the plain name ``code``, which countless APIs use for other things (a
promo code, a country code, an error code): it is recognised only where OAuth puts it. In an authorization
response (RFC 6749 4.1.2: the redirect to the client's callback, in a query, a fragment or a ``form_post``
form, never JSON): at a callback (the ``redirect_uri`` an authorize request named, whatever the code's length;
the target of a redirect that carries a code; a path named like one, ``/callback``, ``/signin-oidc``...) next
to a random ``state``, or anywhere next to the ``session_state`` and ``iss`` OpenID providers add, with the
unguessable length RFC 6749 10.10 requires; and in a token request (4.1.3) with
``grant_type=authorization_code``, with its PKCE ``code_verifier`` (RFC 7636). The device authorization grant
(RFC 8628) has two: the ``device_code`` a device sends in its token request (recognised with that grant's
``grant_type``), and the ``user_code`` a person enters at the verification page (recognised by its name and its
short, typed shape). A SAML ``SAMLResponse`` and a WS-Federation ``wresult`` (signed, time-limited tokens an
identity provider's page posts to the relying party) are recognised by their names. The ``state`` and
``nonce`` values are not credentials: the client makes them up and only the client checks them, so they are
sent as recorded.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import parse_qsl, urlsplit

from converter.parsers.har.secrets import looks_like_a_credential

# what the diagnostics call them, after the field's place ("query field code (OAuth authorization code)")
AUTHORIZATION_CODE = "OAuth authorization code"
CODE_VERIFIER = "PKCE code verifier"
SAML_RESPONSE = "SAML response"
DEVICE_CODE = "OAuth device code"
USER_CODE = "OAuth user code"
WSFED_TOKEN = "WS-Federation token"
#: The kinds a server accepts once (and for minutes): a replay of the recorded value fails.
SINGLE_USE = (AUTHORIZATION_CODE, SAML_RESPONSE, DEVICE_CODE, USER_CODE, WSFED_TOKEN)
# an authorization code must be unguessable (RFC 6749 10.10): providers issue 20 characters (GitHub) or more;
# shorter values next to a "state" are a form's own fields (a postal code and a US state)
_MIN_CODE_LENGTH = 16
# the variable each is replaced by
VARIABLES = {
    AUTHORIZATION_CODE: "oauth_code",
    CODE_VERIFIER: "code_verifier",
    SAML_RESPONSE: "saml_response",
    DEVICE_CODE: "device_code",
    USER_CODE: "user_code",
    WSFED_TOKEN: "wsfed_token",
}
# the names that may make a field one of them (a quick test before looking closer)
_NAMES = frozenset({"code", "code_verifier", "SAMLResponse", "device_code", "user_code", "wresult"})
DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"  # RFC 8628 3.4
# a user code as a person types it: letters and digits, in groups of two or more joined by "-" or a space
# ("WDJB-MJHT", "BCDF GHJK", "019-450-730"), 6 to 20 characters (RFC 8628 6.1 recommends 8 letters or 9 digits)
_USER_CODE = re.compile(r"(?=.{6,20}$)[A-Za-z0-9]{2,}(?:[- ][A-Za-z0-9]{2,})*")

# Where a set of fields was recorded, from the least to the most OAuth-like (see :class:`Callbacks`): a JSON
# object (never an authorization response), a query or form anywhere, one at a URL that looks like a client's
# callback, one at a redirect_uri an authorize request of the recording named.
IN_JSON, IN_QUERY, AT_CALLBACK, AT_REDIRECT_URI = range(4)
# the paths of clients' callbacks: /callback, /oauth2/..., /signin-oidc (ASP.NET), /login/oauth2/code/x
# (Spring), /api/auth/callback/google (NextAuth), /cb, /sso/...
_CALLBACK_PATH = re.compile(
    r"callback|oauth|oidc|openid|sign-?in|login|/cb(?:/|$)|/auth(?:/|$)|authori[sz]|/sso(?:/|$)|redirect",
    re.I,
)
# a word, capitalised or not, with a few digits after it ("awaiting", "FAILED", "California2", "07")
_WORD = re.compile(r"[A-Za-z][a-z]*[0-9]{0,4}|[A-Z]+[0-9]{0,4}|[0-9]+")
_WORD_SEPARATORS = re.compile(r"[-_. ]+")


def may_name_one(text: str) -> bool:
    """False when a JSON or multipart text names none of these fields (a quick test before parsing it: their
    names are written quoted there, ``"code"``, ``name="code_verifier"``, ``"device_code"``)."""
    return (
        '"code' in text
        or "SAMLResponse" in text
        or "device_code" in text
        or "user_code" in text
        or "wresult" in text
    )


def single_use_fields(fields: Sequence[tuple[str, str]], place: int = IN_QUERY) -> dict[str, str]:
    """The OAuth and SAML login credentials among the (name, value) fields of one query, form or JSON object
    recorded at ``place`` (:data:`IN_JSON`...): field name -> what it is (:data:`AUTHORIZATION_CODE`,
    :data:`CODE_VERIFIER`, :data:`SAML_RESPONSE`, :data:`DEVICE_CODE`, :data:`USER_CODE`, :data:`WSFED_TOKEN`)."""
    names = {name for name, _ in fields}
    if not names & _NAMES:
        return {}
    found: dict[str, str] = {}
    if "SAMLResponse" in names:
        found["SAMLResponse"] = SAML_RESPONSE
    if "wresult" in names:  # (WS-Federation's sign-in response, an RSTR wrapping a signed assertion)
        found["wresult"] = WSFED_TOKEN
    values = dict(fields)  # (a repeated name: its last value decides, as most servers read it)
    grant = values.get("grant_type")
    if "device_code" in names and grant == DEVICE_GRANT:
        found["device_code"] = DEVICE_CODE
    if "user_code" in names and _USER_CODE.fullmatch(values["user_code"]):
        found["user_code"] = USER_CODE
    if "code_verifier" in names:  # (an unambiguous name: a token request, or an app's own exchange endpoint)
        found["code_verifier"] = CODE_VERIFIER
    if "code" not in names:
        return found
    if grant == "authorization_code" or (grant is None and _in_a_response(names, values, place)):
        found["code"] = AUTHORIZATION_CODE
    return found


def _in_a_response(names: set[str], values: dict[str, str], place: int) -> bool:
    """A ``code`` sent with its PKCE verifier (an app's own exchange endpoint); or, in a query or form, at the
    redirect_uri an authorize request named (whatever its length: providers issue short codes too), or with
    an authorization code's length (not a postal or a promo code) next to what only an authorization response
    carries: at a callback, a ``state`` the client made up (random, not a word such as "CA", "applied" or
    "FAILED_PRECONDITION"); anywhere, an OpenID ``session_state`` or an issuer URL."""
    if "code_verifier" in names:
        return True
    if place == IN_JSON:  # an authorization response is never JSON (RFC 6749 4.1.2)
        return False
    code = values["code"]
    if place >= AT_REDIRECT_URI:
        return bool(code)
    if not _looks_like_a_code(code):
        return False
    return (
        (place >= AT_CALLBACK and _random(values.get("state", "")))
        or _random(values.get("session_state", ""))
        or "://" in values.get("iss", "")
    )


def _looks_like_a_code(value: str) -> bool:
    """Long enough to be an authorization code, and not a number (a postal or a numeric code)."""
    return len(value) >= _MIN_CODE_LENGTH and not value.isdigit()


def _random(value: str) -> bool:
    """Whether a value looks made up by a program (a client's ``state``, a session id), not words and numbers
    joined by ``_``, ``-`` or ``.`` ("awaiting_payment", "NY-region-07", "FAILED_PRECONDITION")."""
    if not looks_like_a_credential(value) or value.startswith("${"):  # (a variable the plan sends instead)
        return False
    return not all(_WORD.fullmatch(piece) for piece in _WORD_SEPARATORS.split(value) if piece)


class Callbacks:
    """The URLs of the recording where an authorization response may arrive: each ``redirect_uri`` an authorize
    request named (in a request URL or a redirect's target), and each target of a redirect that carries a
    code; other URLs whose path is named like a callback count as one too, less surely."""

    def __init__(self) -> None:
        self._named: set[str] = set()  # redirect_uri keys
        self._targets: set[str] = set()  # keys of redirect targets that carried a code

    def note_request(self, url: str) -> None:
        """A URL of the recording (a request's, or a redirect's target): an authorize request's redirect_uri."""
        if "redirect_uri=" not in url:
            return
        fields = dict(parse_qsl(url.partition("#")[0].partition("?")[2]))
        target = fields.get("redirect_uri")
        if target and ("response_type" in fields or "client_id" in fields):
            self._named.add(_key(target))

    def note_redirect(self, target: str) -> None:
        """A redirect's target (its Location): one that carries a code is a callback's."""
        self.note_request(target)
        before, _, fragment = target.partition("#")
        if "code=" in fragment or "code=" in before.partition("?")[2]:
            self._targets.add(_key(target))

    def place(self, url: str, may_name_code: bool = True) -> int:
        """Where fields sent to ``url`` (its query, its form body) were recorded: :data:`AT_REDIRECT_URI`,
        :data:`AT_CALLBACK` or :data:`IN_QUERY`. The place decides only whether a field named ``code`` is an
        authorization code (:func:`single_use_fields`), so a caller whose fields cannot name one (``code`` is
        not in their text: ``may_name_code`` false) gets :data:`IN_QUERY` without the URL being split, which
        is costly on large recordings."""
        if not may_name_code:
            return IN_QUERY
        key = _key(url)
        if key in self._named:
            return AT_REDIRECT_URI
        if key in self._targets or _CALLBACK_PATH.search(key.partition("/")[1] + key.partition("/")[2]):
            return AT_CALLBACK
        return IN_QUERY


def _key(url: str) -> str:
    """A URL's host and path (the callback it names, whatever the query, the scheme or a trailing "/")."""
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").lower()
    except ValueError:
        return url
    return host + "/" + parts.path.strip("/")
