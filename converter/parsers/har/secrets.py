"""Recorded credentials: find them, give each a variable name, and scrub every occurrence from the output.

A recorded secret never leaves this module in clear: requests refer to ``${name}``, the scenario declares
``name`` as a secret variable without a value, and the report lists the names only.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache, partial
from typing import Any, NamedTuple
from urllib.parse import quote, quote_plus, unquote, unquote_plus
from xml.sax.saxutils import escape as xml_escape

SECRET_HEADERS = {"authorization", "proxy-authorization", "cookie", "x-auth-token", "x-subject-token"}
_API_KEY_HEADER = re.compile(
    r"(api[-_]?key|apikey|access[-_]?token|auth[-_]?token|x-csrf-token|x-xsrf-token)$", re.I
)
# Names under which a recorded value is a credential. Deliberately broad: a false positive costs the user one
# --set at upload, a false negative publishes a credential. "key", "sig" and "pass" only as whole names
# (or whole words between - and _): inside other words they are too common ("monkey", "design", "compass").
# ("otp", the PINs, passcodes and one-time codes are told by the words of a name: :func:`credential_kind`.)
_SECRET_FIELD = re.compile(
    r"(token|passw|pwd|secret|api[-_]?key|apikey|session|^sid$|(^|[-_])auth([-_]|$)|authori[sz]ation|credential"
    r"|jwt|csrf|xsrf|^key$|(subscription|private)[-_]?key|(^|[-_])sig([-_]|$)|signature|^pass$|passphrase"
    r"|hmac)",
    re.I,
)
# A JSON Web Token, found by value wherever it is, whatever its name. A JWS (RFC 7515 7.1): three base64url
# segments, the first two JSON objects (`{"` is "eyJ", `{ ` or `{\n` is "ey"), the signature possibly empty
# ("alg": "none"). A JWE (RFC 7516 7.1, encrypted: NextAuth sessions, SSO hand-offs): five segments, a JSON header
# with "enc", an encrypted key (empty for "dir"), an IV, the ciphertext and a tag, all random-looking.
_JWS = r"eyJ[A-Za-z0-9_-]{6,}\.ey[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*"
_JWE = r"eyJ[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+"
_JWS_AT = re.compile(_JWS)
_TOKEN = re.compile(rf"(?<![A-Za-z0-9_-])(?:{_JWE}|{_JWS})")


class _Tokens:
    """The JSON Web Tokens (JWS and JWE) of a text, as a regular expression would give them."""

    def findall(self, text: str) -> list[str]:
        found = []
        for match in _TOKEN.finditer(text):
            token = match.group(0)
            if token.count(".") == 4 and not _is_jwe_header(token.partition(".")[0]):
                jws = _JWS_AT.match(text, match.start())  # five segments, but no JWE: a JWS, if one
                token = "" if jws is None else jws.group(0)
            if token:
                found.append(token)
        return found

    def fullmatch(self, text: str) -> str | None:
        """``text`` when it is one token and nothing else, else None."""
        return text if self.findall(text) == [text] else None


JWT = _Tokens()


def _is_jwe_header(segment: str) -> bool:
    """Whether a base64url segment is a JWE's protected header: a JSON object naming its content encryption."""
    try:
        header = json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))
    except (ValueError, binascii.Error, RecursionError):
        return False
    return isinstance(header, dict) and isinstance(header.get("enc"), str)


_NAME_CHARS = re.compile(r"[^A-Za-z0-9_]+")
_CACHED_LENGTH = 256
MIN_SCRUB_LENGTH = 8  # shorter values are replaced where they are named, but not searched for elsewhere
_PLAIN_WORDS = frozenset({"true", "false", "null", "undefined", "none"})


def looks_like_a_credential(value: str) -> bool:
    """Whether a recorded value is distinctive enough to be replaced wherever it appears: at least 8 characters,
    not a plain word ("true", "dark", "english"...), not a number (a Unix time or a counter recorded in a
    cookie also starts longer numbers and IDs), and with a digit unless it is long (short words and paths such
    as "/rum.gif" or "en-US,en" appear in unrelated text). Other values are replaced only where they are named
    (``name=value``, ``"name": "value"``, ``"name": 123``)."""
    if len(value) < MIN_SCRUB_LENGTH or value.lower() in _PLAIN_WORDS or _is_number(value):
        return False
    return len(value) >= 12 or any(char.isdigit() for char in value)


_NUMBER = re.compile(r"[-+]?[0-9]+(?:\.[0-9]+)?")


def _is_number(value: str) -> bool:
    """Digits only, possibly signed or with a decimal part (not float()'s idea: "1e5000" may be a hex token)."""
    return _NUMBER.fullmatch(value) is not None


@lru_cache(maxsize=4096)
def is_secret_header(name: str) -> bool:
    """A header that carries a credential: the known ones, and any whose name would be a secret field's
    (X-CSRFToken, X-Amz-Security-Token, Private-Token, Ocp-Apim-Subscription-Key...)."""
    lowered = name.lower()
    if lowered in _NOT_CREDENTIALS:
        return False
    return lowered in SECRET_HEADERS or bool(_API_KEY_HEADER.search(lowered)) or is_secret_field(name)


# Named like credentials, but not: Postman's per-request cache-busting nonce (a variable to fill would only
# make the user invent values), the WebSocket handshake key (random per connection, not an API key).
_NOT_CREDENTIALS = frozenset({"postman-token", "sec-websocket-key"})


@lru_cache(maxsize=4096)
def is_secret_field(name: str) -> bool:
    """A field (query, form, JSON, XML, a header) whose recorded value is a credential: by the name rules above,
    or by the words of its name (:func:`_credential_words`: a PIN, a passcode, a security answer, a one-time
    code...)."""
    return bool(_SECRET_FIELD.search(name)) or credential_kind(name) is not None


def is_secret_pair(name: str, value: str) -> bool:
    """A field whose recorded ``value`` is a credential: :func:`is_secret_field`, but a field that is one only as
    a PIN (``pin``, ``userPin``) only when its value is one: at most 12 digits (not a map pin's
    "52.5200,13.4050", a pinned board's id)."""
    if not is_secret_field(name):
        return False
    # (a variable reference that replaced one stands for it: where the plan sends a PIN's variable, see
    # credentials.places_of)
    return not _is_pin_name(name) or _PIN_VALUE.fullmatch(value.strip()) is not None or "${" in value


_PIN_VALUE = re.compile(r"[0-9]{1,12}")


@lru_cache(maxsize=4096)
def _is_pin_name(name: str) -> bool:
    """Whether a field is a credential's only as a PIN's (by the word "pin" in it, by no other rule)."""
    words = name_words(name)
    return _SECRET_FIELD.search(name) is None and credential_kind(name) == PASSWORD_LIKE and "pin" in words


def is_one_time_field(name: str) -> bool:
    """A field whose recorded value is a one-time code (TOTP, SMS, e-mail or backup code, "mfa_code", "otp"): a
    credential (:func:`is_secret_field`) that the server also accepts only once and for minutes."""
    return credential_kind(name) == ONE_TIME


@lru_cache(maxsize=4096)
def credential_kind(name: str) -> str | None:
    """:data:`ONE_TIME` or :data:`PASSWORD_LIKE` for a field named as a login's (a one-time code; a PIN, a
    passcode, a security answer...), :data:`CARD_CODE` for a card's CVV (:func:`_credential_words`), else
    None."""
    return _credential_words(name_words(name))


# The words of a field name, lower-cased: snake_case, kebab-case, dotted, camelCase and acronyms alike
# ("userPIN" is user pin, "PINCode" pin code, "smsOTP" sms otp, "2faCode" 2fa code).
_NAME_WORD = re.compile(r"[0-9]+(?:[a-z]+|[A-Z]+(?![a-z]))?|[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+")


def name_words(name: str) -> tuple[str, ...]:
    """The words of a field name (numbers alone left out: "pin2" is a pin), lower-cased."""
    return tuple(w.lower() for w in _NAME_WORD.findall(name) if not w.isdigit())


PASSWORD_LIKE, ONE_TIME, CARD_CODE = "password-like", "one-time code", "card security code"
# Words that make a name a credential's only as whole words of it: inside other words they are too common
# ("pin" in "shipping", "spinner", "pinned"; "code" everywhere). A one-time code's own names; the words before
# "code" that make one ("sms_code", "verificationCode", "mfa-code"); second factors, alone or before a code,
# token, pin or value ("mfa", "2fa_token"); card verification values.
_ONE_TIME_WORDS = frozenset({"otp", "totp", "hotp"})
_ONE_TIME_CODES = frozenset(
    {"verification", "verify", "sms", "otp", "totp", "hotp", "mfa", "2fa", "tfa", "twofa", "authenticator"}
    | {"backup", "recovery", "login", "signin"}
)
_SECOND_FACTORS = frozenset({"mfa", "2fa", "tfa", "twofa"})
# Last words of a setting's name, not a credential's: how a code is sent or checked ("otpChannel", "otp_type",
# "login_code_length", "pin_code_required", "otpStatus", "otp_expiry")
_SETTING_WORDS = frozenset(
    {"channel", "type", "method", "length", "status", "enabled", "required", "sent", "expiry", "expires"}
    | {"expiration", "id", "mode", "count", "attempts", "retries", "timeout", "ttl", "digits", "format"}
    | {"provider", "template", "verified", "resend", "interval", "delay", "size", "policy", "settings"}
)
# every name a one-time code's contains one of these (a quick test before parsing a body)
ONE_TIME_HINTS = ("otp", "code", "mfa", "2fa", "tfa", "twofa", "factor")
_FACTOR_VALUES = frozenset({"code", "token", "otp", "pin", "value"})
# (not "code": India's postal code is the "PIN code", pin_code and pincode are an address's)
_PIN_SUFFIXES = frozenset({"number", "num", "no"})
_CARD_CODES = frozenset({"cvv", "cvc", "cvv2", "cvc2"})
_ANSWER_OF = frozenset({"security", "secret", "recovery", "challenge"})


def _credential_words(words: tuple[str, ...]) -> str | None:
    """:data:`ONE_TIME`, :data:`PASSWORD_LIKE` or :data:`CARD_CODE` when the words of a name make it a
    credential's, else None (nor for a setting's: a name whose last word is one of :data:`_SETTING_WORDS`,
    ``otp_type``, ``login_code_length``): a one-time code (``otp``, ``smsOtp``, ``otp_code`` ("otp" as the last
    word or before code/token/pin/value, not ``otpChannel``), ``totp``, ``sms_code``, ``verificationCode``, ``mfa``,
    ``2fa_code``, ``one_time_code``, ``backup_code``...); a PIN (``pin``, ``userPin``, ``pin_number``: "pin" as the
    last word or before number, not ``pin_id`` nor ``pin_code``: India's postal code), a passcode or pass phrase, a security answer, an auth code;
    a card's CVV/CVC or security code."""
    if not words or (len(words) > 1 and words[-1] in _SETTING_WORDS):
        return None
    for number, word in enumerate(words):
        after = words[number + 1] if number + 1 < len(words) else ""
        if word in _ONE_TIME_WORDS and (not after or after in _FACTOR_VALUES):
            return ONE_TIME
        if after == "code" and word in _ONE_TIME_CODES:
            return ONE_TIME
        if word in _SECOND_FACTORS and (not after or after in _FACTOR_VALUES):
            return ONE_TIME
        if word == "two" and after == "factor" and words[number + 2 : number + 3] in ((), ("code",)):
            return ONE_TIME
        if word == "one" and after == "time" and words[number + 2 : number + 3] in (("code",), ("pin",)):
            return ONE_TIME
    for number, word in enumerate(words):
        after = words[number + 1] if number + 1 < len(words) else ""
        if word == "pin" and (not after or after in _PIN_SUFFIXES):
            return PASSWORD_LIKE
        if word == "passcode" or (word == "pass" and after in ("code", "phrase")):
            return PASSWORD_LIKE
        if word == "answer" and _ANSWER_OF.intersection(words[:number]):
            return PASSWORD_LIKE
        if after == "code" and word == "auth":
            return PASSWORD_LIKE
        if word in _CARD_CODES or (word == "security" and after == "code"):
            return CARD_CODE
    return None


# Every name is_secret_field accepts contains one of these words (its rules without their anchors; "key" for
# api[-_]?key, "auth" for authorization, "sig" for signature; "pass" for passcode, "code" for the one-time
# codes, "pin", "answer", the second factors and card codes of _credential_words); "eyj" starts a JWT value,
# found whatever its name.
# Plain substring tests: a case-insensitive regex alternation is ten times slower on long bodies.
_SECRET_WORDS = (
    "token",
    "pass",
    "pwd",
    "secret",
    "key",
    "session",
    "sid",
    "auth",
    "credential",
    "jwt",
    "csrf",
    "xsrf",
    "sig",
    "otp",
    "pin",
    "code",
    "answer",
    "mfa",
    "2fa",
    "tfa",
    "cvv",
    "cvc",
    "twofa",
    "factor",
    "hmac",
    "eyj",
)


def may_name_a_secret(text: str) -> bool:
    """False when no name inside ``text`` can be a secret field's (a quick test before parsing a body);
    text with a backslash (an escaped name such as ``"\\u0074oken"``) or beyond ASCII (where case-insensitive
    matching knows more equivalences than ``lower``: "ſ" is an "s") always may."""
    if "\\" in text or not text.isascii():
        return True
    lowered = text.lower()
    return any(word in lowered for word in _SECRET_WORDS)


# Links that carry a single-use token in their path (/account/reset/<token>, /invite/<token>, /magic-link/...):
# the words of the segment before the token that name such a link. Not "token(s)" (a block explorer's
# /token/<contract address>, an API's /tokens/<id>) nor "invitations" (a collection: /teams/42/invitations/<id>).
_LINK_WORDS = frozenset(
    {"reset", "verify", "verification", "invite", "invitation", "confirm", "confirmation", "activate"}
    | {"activation", "magic", "login", "signin", "unlock", "password", "recover"}
)
# a collection's word names a link only when an action on the token follows it: /invitations/<token>/accept
_COLLECTION_LINKS = frozenset({"invitations", "invites"})
_LINK_ACTIONS = frozenset({"accept", "join", "decline", "redeem", "confirm", "verify"})
# (the words' stems: a quick test before the path is split)
_LINK_HINTS: tuple[str, ...] = ("reset", "verif", "invit", "confirm", "activat", "magic", "login")
_LINK_HINTS += ("signin", "unlock", "passw", "recover")
# words of a shop's or a booking's path: its "confirm" and "confirmation" pages show an order, not a link's token
# (/order-confirmation/<id>, /checkout/confirm/<order number>)
_ORDER_WORDS = frozenset(
    {
        "order",
        "orders",
        "checkout",
        "booking",
        "bookings",
        "payment",
        "payments",
        "purchase",
        "cart",
        "reservation",
    }
)
_TOKEN_SEGMENT = re.compile(r"[A-Za-z0-9_-]{20,}")
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)
# ids of resources, not tokens: a MongoDB ObjectId (24 hex digits), a ULID (26 Crockford base32 characters, the
# first a time's 0-7), a contract or wallet address (0x and 40 hex digits), an order or booking number (a short
# upper-case prefix, then a long number: ORD2024112800417ABZ9)
_RESOURCE_ID = re.compile(
    r"[0-9a-f]{24}|[0-9A-F]{24}|[0-7][0-9A-HJKMNP-TV-Z]{25}|[0-7][0-9a-hjkmnp-tv-z]{25}|0x[0-9a-fA-F]{40}"
    r"|[A-Z]{1,5}[-_]?[0-9]{6,}[A-Z0-9]*"
)
# a word, capitalised or not, with a few digits after it, or a number: pieces of readable segments
_READABLE = re.compile(r"[A-Za-z][a-z]*[0-9]{0,4}|[A-Z]+[0-9]{0,4}|[0-9]+")


def path_tokens(url: str) -> list[tuple[str, str, str]]:
    """(where, token, suggested variable name) of the single-use tokens in a URL's path: a segment of 20 or more
    base64url characters that looks random (:func:`_looks_random`) right after one naming a reset, verification,
    invitation, activation, magic or login link ("/account/reset/Zx8Qp...", "/invite/...", "/magic-link/..."),
    or two after a reset ("/reset/MQ/c4o7z8-8a9b...": Django's). Ids are left alone: a UUID, an ObjectId, a
    ULID, an address, an order number (:data:`_RESOURCE_ID`), and whatever follows a shop's confirmation page
    (a path with "order", "checkout"...: :data:`_ORDER_WORDS`)."""
    rest = url.partition("://")[2] if "://" in url else url
    path = rest.partition("?")[0].partition("#")[0]
    lowered = path.lower()
    if not any(hint in lowered for hint in _LINK_HINTS):
        return []
    segments = path.split("/")[1:]  # (the authority before the first "/")
    found = []
    for number, segment in enumerate(segments):
        if _TOKEN_SEGMENT.fullmatch(segment) and _looks_random(segment):
            link = _link_before(segments, number) or _collection_link(segments, number)
            if link is not None:
                previous, word = link
                found.append((f"token in the URL path (after /{previous}/)", segment, f"{word}_token"))
    return found


def path_token_places(url: str, placeholder: str) -> list[str]:
    """Where a URL sends ``placeholder`` as a path token's replacement (a whole segment where
    :func:`path_tokens` finds one), in its words: "token in the URL path (after /reset/)"."""
    rest = url.partition("://")[2] if "://" in url else url
    segments = rest.partition("?")[0].partition("#")[0].split("/")[1:]
    places = []
    for number, segment in enumerate(segments):
        link = None
        if segment == placeholder:
            link = _link_before(segments, number) or _collection_link(segments, number)
        if link is not None:
            places.append(f"token in the URL path (after /{link[0]}/)")
    return places


def _link_before(segments: list[str], number: int) -> tuple[str, str] | None:
    """The segment before segment ``number`` that names a link with a token in its path, and its word: the one
    right before, or a reset two before (Django's reset/<uidb64>/<token>/)."""
    for back, previous in enumerate(reversed(segments[max(0, number - 2) : number]), 1):
        words = [word for word in name_words(previous) if word in _LINK_WORDS]
        if words and words[0].startswith("confirm") and _is_a_shops(segments[:number]):
            return None
        if words and (back == 1 or "reset" in words):
            return previous, words[0]
    return None


def _collection_link(segments: list[str], number: int) -> tuple[str, str] | None:
    """The segment before segment ``number`` when it is a collection's word and an action on the token follows
    (Rails' /invitations/<token>/accept), and its word in the singular."""
    previous = segments[number - 1].lower() if number else ""
    after = segments[number + 1].lower() if number + 1 < len(segments) else ""
    if previous in _COLLECTION_LINKS and after in _LINK_ACTIONS:
        return segments[number - 1], previous[:-1]
    return None


def _is_a_shops(segments: list[str]) -> bool:
    """Whether a path's segments are a shop's or a booking's (an order's confirmation page, not a link's)."""
    return any(not _ORDER_WORDS.isdisjoint(name_words(segment)) for segment in segments)


def _looks_random(segment: str) -> bool:
    """Letters and digits that read as no words and numbers joined by "-" or "_" ("Zx8QpLmN3vRt7YwK2aBcD9eF4gHj",
    a hex digest; not "2024-01-01-quarterly-report", "release-v2-notes-2024"), and no UUID."""
    if not any(char.isdigit() for char in segment) or not any(char.isalpha() for char in segment):
        return False
    if _UUID.fullmatch(segment) or _RESOURCE_ID.fullmatch(segment):
        return False
    return not all(_READABLE.fullmatch(piece) for piece in re.split(r"[-_]+", segment) if piece)


@dataclass
class Secret:
    variable: str
    value: str
    where: str  # e.g. "header Authorization", "query field access_token"
    first_source: str  # ledger source of the first entry it was seen in
    field_name: str = ""  # the query/form/JSON field or cookie it was first recorded under
    hosts: set[str] = field(default_factory=set)  # the hosts it was sent to
    # every field it was recorded under, in order ("new_pin" then "confirm_pin"): a short value is replaced
    # where one of them names it
    field_names: list[str] = field(default_factory=list)


@dataclass
class SecretBook:
    """Recorded secret values, each mapped to the variable of the credential it was recorded under."""

    secrets: dict[str, Secret] = field(default_factory=dict)
    _by_key: dict[tuple[str, str], str] = field(default_factory=dict)  # (base name, kind) -> variable
    _taken: set[str] = field(default_factory=set)
    _compiled_for: int = -1
    _pattern: re.Pattern[str] | None = None
    _replacement: dict[str, str] = field(default_factory=dict)
    # (the value's form that must appear for the rule to apply, rule, placeholder): a substring test first
    _named: list[tuple[str, re.Pattern[str], str]] = field(default_factory=list)
    _scrubbed: dict[str, str] = field(default_factory=dict)  # short texts already scrubbed, for this book
    _decoded: dict[str, Secret | None] = field(default_factory=dict)  # URL-encoded value -> its secret
    context_host: str = ""  # the host of the request being collected, noted on each secret found in it
    collecting: set[str] | None = None  # the values of the request being collected
    _together: list[set[str]] = field(default_factory=list)  # values recorded in one request, per request
    _family: dict[str, tuple[str, str]] = field(default_factory=dict)  # value -> the (base name, kind) it got

    def variable_for(
        self, value: str, suggested: str, where: str, source: str, field_name: str = "", kind: str = ""
    ) -> str:
        """The variable for a recorded credential: one per credential name (and ``kind``), whatever its recorded
        values. ``kind`` tells apart credentials that share a name but can never share a value: the scheme of an
        Authorization header, the exact case of a cookie name. The first kind seen keeps the plain name, the
        others get a suffix (``authorization_bearer``, ``cookie_sid_2``), so names follow the recording's order.
        (Values one request sends under one name are told apart after the collection: :meth:`separate`.)"""
        if self.collecting is not None:
            self.collecting.add(value)
        known = self.secrets.get(value)
        if known is not None:
            if self.context_host:
                known.hosts.add(self.context_host)
            if field_name and field_name not in known.field_names:
                known.field_names.append(field_name)
                self._compiled_for = -1  # (a named rule more)
            return known.variable
        base = _variable_name(suggested)
        name = self._name_for(base, kind)
        self._family[value] = (base, kind)
        self.secrets[value] = Secret(
            variable=name,
            value=value,
            where=where,
            first_source=source,
            field_name=field_name,
            field_names=[field_name] if field_name else [],
        )
        if self.context_host:
            self.secrets[value].hosts.add(self.context_host)
        return name

    def _name_for(self, base: str, kind: str) -> str:
        name = self._by_key.get((base, kind))
        if name is None:
            name = self._free_name(base, kind)
            self._by_key[(base, kind)] = name
            self._taken.add(name)
        return name

    def begin_request(self) -> None:
        """The collection of one request starts: the values found until :meth:`end_request` are sent together."""
        self.collecting = set()

    def end_request(self) -> None:
        if self.collecting is not None and len(self.collecting) > 1:
            self._together.append(self.collecting)
        self.collecting = None

    def separate(self) -> None:
        """After the collection: values that one request sends under one variable (two ``sid`` cookies, for two
        paths) are distinct credentials, so each gets a variable of its own, for every request that sends it.
        In recorded order, each value takes the first variable of its name (``cookie_sid``, ``cookie_sid_2``...)
        that no value sent with it in a request has taken; a value never sent with another of its name keeps
        its variable."""
        clashes: dict[str, set[str]] = {}
        for values in self._together:
            by_family: dict[tuple[str, str], list[str]] = {}
            for value in values:
                family = self._family.get(value)
                if family is not None:
                    by_family.setdefault(family, []).append(value)
            for same in by_family.values():
                for value in same if len(same) > 1 else ():
                    clashes.setdefault(value, set()).update(v for v in same if v != value)
        if not clashes:
            return
        slots: dict[str, int] = {}
        for value, secret in self.secrets.items():  # (in the order the values were recorded)
            if value not in clashes:
                continue
            taken = {slots[other] for other in clashes[value] if other in slots}
            slot = 1
            while slot in taken:
                slot += 1
            slots[value] = slot
            if slot > 1:
                base, kind = self._family[value]
                secret.variable = self._name_for(base, f"{kind}\n{slot}")
        self._compiled_for = -1

    def _free_name(self, base: str, kind: str) -> str:
        taken = self._taken
        if base not in taken:
            return base
        # (a second value of one name in one request, see separate(), is numbered)
        suffix = _variable_name(kind).lower() if kind and "\n" not in kind else ""
        if suffix and suffix != "secret" and not base.endswith(suffix):
            candidate = f"{base}_{suffix}"
            if candidate not in taken:
                return candidate
        number = 2
        while f"{base}_{number}" in taken:
            number += 1
        return f"{base}_{number}"

    def variables(self) -> list[tuple[str, int]]:
        """(variable, number of recorded values), by variable name."""
        seen: dict[str, int] = {}
        for secret in self.secrets.values():
            seen[secret.variable] = seen.get(secret.variable, 0) + 1
        return sorted(seen.items())

    def shared_across_hosts(self) -> dict[str, list[str]]:
        """Variables that stand for different values sent to different hosts (probably distinct credentials
        under one name, such as the host-only session cookies of two subdomains), with those hosts, by variable
        name. Values that replaced one another on a host they share (a refreshed token, a session renewed at
        login) are one credential: only values whose hosts fall apart into separate groups are reported."""
        hosts: dict[str, list[frozenset[str]]] = {}
        for secret in self.secrets.values():
            if secret.hosts:
                hosts.setdefault(secret.variable, []).append(frozenset(secret.hosts))
        return {
            name: sorted(set().union(*sets))
            for name, sets in sorted(hosts.items())
            if len(sets) > 1 and _apart(sets)
        }

    def placeholder(self, value: str) -> str | None:
        secret = self.secrets.get(value)
        return None if secret is None else "${" + secret.variable + "}"

    def scrub(self, text: str) -> str:
        """Replace every remaining occurrence of a known secret: its usual spellings by one search, then, in
        ``name=value`` pairs, URL userinfo and escaped JSON strings, any spelling that decodes to it."""
        if not self.secrets or not text:
            return text
        if self._compiled_for != len(self.secrets):
            self._compile()
        short = len(text) <= _CACHED_LENGTH  # header values repeat on every entry: scrub each once
        if short:
            known = self._scrubbed.get(text)
            if known is not None:
                return known
        original = text
        if self._pattern is not None:
            text = self._pattern.sub(lambda m: self._replacement[m.group(0)], text)
        for needle, pattern, placeholder in self._named:
            if needle in text:
                text = pattern.sub(_keep_prefix(placeholder), text)
        if "=" in text:
            text = _PAIR.sub(self._pair, text)
        if "%" in text and ENCODED_EQUALS.search(text):  # a query nested, percent-encoded, in a value
            for depth, pattern in enumerate(_NESTED_PAIRS, 1):
                text = pattern.sub(partial(self._nested_pair, depth=depth), text)
        if "@" in text:
            text = _USERINFO.sub(self._userinfo, text)
        if "\\" in text:
            text = _JSON_STRING.sub(self._json_string, text)
        if short:
            self._scrubbed[original] = text
        return text

    def _decoded_secret(self, raw: str) -> Secret | None:
        """The secret a raw (URL-encoded) value decodes to, if any (decoding is slow, and values repeat)."""
        if "%" not in raw and "+" not in raw:
            return self.secrets.get(raw)
        if raw in self._decoded:
            return self._decoded[raw]
        secret = self.secrets.get(unquote_plus(raw))
        if secret is None and "+" in raw:  # a "+" that stands for itself
            secret = self.secrets.get(unquote(raw))
        self._decoded[raw] = secret
        return secret

    def _pair(self, match: re.Match[str]) -> str:
        """A distinctive secret in any spelling; any other only under the name it was recorded with."""
        secret = self._decoded_secret(match.group(2))
        if secret is None or not (
            looks_like_a_credential(secret.value) or unquote_plus(match.group(1)) in secret.field_names
        ):
            return match.group(0)
        return f"{match.group(1)}=${{{secret.variable}}}"

    def _nested_pair(self, match: re.Match[str], depth: int) -> str:
        """:meth:`_pair` for a pair of a query nested ``depth`` times in a value (``%3Ftoken%3D...``): its name and
        value decoded ``depth`` times are the inner query's; the value is replaced, its spelling left as it is."""
        raw_name, raw_value = match.group(2), match.group(4)
        for _ in range(depth):
            raw_name, raw_value = unquote(raw_name), unquote(raw_value)
        secret = self._decoded_secret(raw_value)
        if secret is None or not (
            looks_like_a_credential(secret.value) or unquote_plus(raw_name) in secret.field_names
        ):
            return match.group(0)
        return f"{match.group(1)}{match.group(2)}{match.group(3)}${{{secret.variable}}}"

    def _userinfo(self, match: re.Match[str]) -> str:
        secret = self._decoded_secret(match.group(2))  # a URL's password is a credential by definition
        if secret is None:
            return match.group(0)
        return f"{match.group(1)}${{{secret.variable}}}@"

    def _json_string(self, match: re.Match[str]) -> str:
        literal = match.group(0)
        if "\\" not in literal:  # plain spellings were found by the search already
            return literal
        try:
            value = json.loads(literal)
        except ValueError:
            return literal
        secret = self.secrets.get(value)
        if secret is None or not looks_like_a_credential(value):
            return literal
        return f'"${{{secret.variable}}}"'

    def _compile(self) -> None:
        """One trie-shaped regex for all long forms (fast on thousands of values); named rules for short ones."""
        self._replacement = {}
        self._named = []
        self._scrubbed = {}
        self._decoded = {}
        for value, secret in self.secrets.items():
            placeholder = "${" + secret.variable + "}"
            if looks_like_a_credential(value):
                for form in spellings(value):
                    known = self._replacement.get(form)
                    if known is None or len(value) > len(known):
                        self._replacement[form] = placeholder
            else:  # other values only where they are named: name=value, "name": "value"
                for field_name in secret.field_names:
                    self._named_rules(field_name, value, placeholder)
        self._pattern = _trie_regex(list(self._replacement)) if self._replacement else None
        self._compiled_for = len(self.secrets)

    def _named_rules(self, field_name: str, value: str, placeholder: str) -> None:
        """The rules that replace a short recorded value where field ``field_name`` names it."""
        name = re.escape(field_name)
        for form in spellings(value):
            rule = rf"((?:^|[?&;\s]){name}=){re.escape(form)}(?=$|[&;#\s])"
            self._named.append((form, re.compile(rule), placeholder))
        quoted = json.dumps(value)[1:-1]
        rule = rf'("{name}"\s*:\s*)"{re.escape(quoted)}"'
        self._named.append((f'"{quoted}"', re.compile(rule), '"' + placeholder + '"'))
        # a name/value pair: {"name": "password", "value": "..."}, either way round
        pair_name = rf'"(?i:name|key|field)"\s*:\s*"{name}"'
        rule = rf'({pair_name}\s*,\s*"(?i:value)"\s*:\s*)"{re.escape(quoted)}"'
        self._named.append((f'"{quoted}"', re.compile(rule), '"' + placeholder + '"'))
        rule = rf'("(?i:value)"\s*:\s*)"{re.escape(quoted)}"(?=\s*,\s*{pair_name})'
        self._named.append((f'"{quoted}"', re.compile(rule), '"' + placeholder + '"'))
        # JSON URL-encoded in a query or form field: %22password%22%3A%22value%22
        encoded = quote(quoted, safe="")
        rule = rf"(%22{re.escape(quote(field_name, safe=''))}%22(?i:%3A|:)%22){re.escape(encoded)}(?=%22)"
        self._named.append((encoded, re.compile(rule), placeholder))
        # a GraphQL argument inside a JSON string: password: \"value\"
        escaped = json.dumps(quoted)[1:-1]
        rule = rf'((?<![\w]){name}\s*:\s*\\"){re.escape(escaped)}(?=\\")'
        self._named.append((escaped, re.compile(rule), placeholder))
        # an XML element's text or CDATA section (<pin>4821</pin>), an XML attribute (token="...")
        for form in dict.fromkeys((value, xml_escape(value))):
            rule = rf"(<(?:[\w.-]+:)?{name}(?:\s[^<>]*)?>(?:\s*<!\[CDATA\[)?){re.escape(form)}(?=(?:\]\]>\s*)?</)"
            self._named.append((form, re.compile(rule), placeholder))
            rule = rf"""((?<![\w.-]){name}\s*=\s*["']){re.escape(form)}(?=["'])"""
            self._named.append((form, re.compile(rule), placeholder))
        if _JSON_NUMBER.fullmatch(value):  # recorded as a JSON number: only that number, only there
            rule = rf'("{name}"\s*:\s*){re.escape(value)}(?![0-9.eE])'
            self._named.append((value, re.compile(rule), placeholder))
            rule = rf'({pair_name}\s*,\s*"(?i:value)"\s*:\s*){re.escape(value)}(?![0-9.eE])'
            self._named.append((value, re.compile(rule), placeholder))
            # a GraphQL argument written inline as a number: verifyPin(pin: 482913)
            rule = rf'((?<![\w"]){name}\s*:\s*){re.escape(value)}(?![\w.])'
            self._named.append((value, re.compile(rule), placeholder))


# name=value pairs (query, form, cookie-like text, URLs inside JSON or HTML, a URL's fragment), the value up to
# its delimiter
_PAIR = re.compile(r"(?<![^?&;#\s])([^=&;#?\s\"'<>]+)=([^&;#\s\"'<>]+)")
# "=" as a query nested in a value spells it: as is, or percent-encoded once, twice or three times
ENCODED_EQUALS = re.compile(r"%(?:25){0,2}3D", re.I)


def _nested_pair(depth: int) -> re.Pattern[str]:
    """name=value pairs of a query nested, percent-encoded ``depth`` times, in a value (``returnUrl=%2Freset%3F
    token%3D...``: "?" is %3F, "=" %3D, "&" %26 once; %253F, %253D, %2526 twice...): the delimiter or the "=" it
    starts after, the name, the "=", the value up to a delimiter of its query or of one around it."""
    escape = "%" + "25" * (depth - 1)  # how the "%" of the inner query's escapes is spelt
    outer = f"(?:25){{0,{depth - 1}}}"  # a delimiter at this depth or of a query around it
    name = rf"(?:[^%&=;#?\s\"'<>]|%(?!{outer}(?:3D|26|3B|3F|23))[0-9A-F]{{2}})+"
    value = rf"(?:[^%&;#\s\"'<>]|%(?!{outer}(?:26|3B|23))[0-9A-F]{{2}})+"
    return re.compile(rf"(?i)({escape}(?:3F|26|3B|23)|=)({name})({escape}3D)({value})")


_NESTED_PAIRS = tuple(_nested_pair(depth) for depth in (1, 2, 3))
# scheme://user:password@ (the password up to the @ that ends the userinfo)
_USERINFO = re.compile(r"(://[^/?#@\s:\"'<>]*:)([^/?#@\s\"'<>]*)@")
_JSON_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"')
_JSON_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?")


def _variable_name(suggested: str) -> str:
    base = _NAME_CHARS.sub("_", suggested).strip("_").lower() or "secret"
    return "v_" + base if base[0].isdigit() else base


def _keep_prefix(placeholder: str) -> Callable[[re.Match[str]], str]:
    """A replacement that keeps the named prefix (``name=``) and puts the placeholder after it."""
    return lambda match: match.group(1) + placeholder


def _trie_regex(words: list[str]) -> re.Pattern[str]:
    """A regex matching any of ``words``, longest first, built as a trie so matching stays linear."""
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = True
    return re.compile(_trie_pattern(trie))


def _trie_pattern(node: dict[str, Any]) -> str:
    ends = "" in node
    branches = []
    for char, child in sorted(node.items()):
        if not char:
            continue
        chain = char
        while len(child) == 1 and "" not in child:  # a run without branches: no recursion, no group
            ((next_char, child),) = child.items()
            chain += next_char
        branches.append(re.escape(chain) + _trie_pattern(child))
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if ends:
        return "(?:" + body + ")?"
    return body


def spellings(value: str) -> list[str]:
    """The spellings of a recorded value searched for: as is, URL-encoded (upper- and lower-case hex escapes:
    .NET writes "%2f"), and as in a JSON string (with "/" escaped too, as PHP writes it). Other spellings are
    found by decoding, in ``name=value`` pairs and JSON strings (see ``SecretBook.scrub``)."""
    encoded = [quote(value, safe=""), quote_plus(value, safe="")]
    lower_hex = [_HEX_ESCAPE.sub(lambda m: m.group(0).lower(), form) for form in encoded]
    in_json = json.dumps(value)[1:-1]
    forms = [
        value,
        *encoded,
        *lower_hex,
        in_json,
        in_json.replace("/", "\\/"),
        json.dumps(value, ensure_ascii=False)[1:-1],
    ]
    out: list[str] = []
    for form in forms:
        if form and form not in out:
            out.append(form)
    return out


_HEX_ESCAPE = re.compile(r"%[0-9A-F]{2}")


# An authentication scheme (RFC 9110 section 11.1: a token). The known ones: IANA's HTTP Authentication Scheme
# Registry (RFC 7236's Basic, Digest, Negotiate, OAuth; Bearer, DPoP, HOBA, Mutual, SCRAM-SHA-*, vapid,
# PrivateToken, Concealed, GNAP) and schemes of well-known services and servers (NTLM, Kerberos, AWS signatures,
# Azure's SharedKey, Huawei Cloud's SDK-HMAC-SHA256, Okta's SSWS, GoDaddy's sso-key...), in any case.
_KNOWN_SCHEMES = frozenset(
    s.lower()
    for s in (
        "Basic",
        "Bearer",
        "Concealed",
        "Digest",
        "DPoP",
        "GNAP",
        "HOBA",
        "Mutual",
        "Negotiate",
        "OAuth",
        "PrivateToken",
        "SCRAM-SHA-1",
        "SCRAM-SHA-256",
        "vapid",
        "NTLM",
        "Kerberos",
        "AWS",
        "AWS4-HMAC-SHA256",
        "EG1-HMAC-SHA256",
        "SDK-HMAC-SHA256",
        "OSS",
        "SharedKey",
        "SharedKeyLite",
        "SharedAccessSignature",
        "GoogleLogin",
        "SSWS",
        "sso-key",
        "Client-ID",
        "OAuth2",
        "Token",
        "JWT",
        "ApiKey",
        "Api-Key",
        "Key",
        "MAC",
        "Hawk",
        "HMAC",
        "Signature",
        "Splunk",
        "GenieKey",
        "WSSE",
        "Bot",
    )
)
# Any other word is a scheme only when it reads as one: at most 20 letters and hyphens, each hyphen-separated
# part a word of at most 10 lower-case letters, capitalised or not ("Custom", "auth"), a run of at most 8
# capitals (an acronym: "HMAC"), or up to 3 capitalised words in camel case ("AppAuth"); and every run of 3
# lower-case letters or more with a vowel (a, e, i, o, u) in it. A run of random letters
# ("Abcdefghijklmnopqrstuvwx", "QwErTyUiOp", "XvquWralVBeq", "xkcdqwrt") mostly is none: it may be the
# credential itself, and then the whole value is one credential, never sent in clear and never part of a
# variable's name. (A false "not a scheme" only makes the user fill the scheme in too.)
_SCHEME_PART = re.compile(r"[a-z]{1,10}|[A-Z]{1,8}|(?:[A-Z][a-z]{2,10}){1,3}")
_LOWER_RUN = re.compile(r"[a-z]{3,}")
_VOWELS = frozenset("aeiou")


def is_auth_scheme(word: str) -> bool:
    """Whether ``word``, the text before the first space of an Authorization value, reads as its scheme: a
    known scheme, or a word that reads as one (see above)."""
    if word.lower() in _KNOWN_SCHEMES:
        return True
    if not 0 < len(word) <= 20 or not word.isascii():
        return False
    return all(_SCHEME_PART.fullmatch(part) for part in word.split("-")) and all(
        _VOWELS.intersection(run) for run in _LOWER_RUN.findall(word)
    )


class HeaderPart(NamedTuple):
    """A piece of a credential header's value (:func:`header_parts`): ``prefix`` is sent as recorded, then the
    credential ``value`` ("" for a piece without one), which is replaced by a variable."""

    prefix: str  # "sid=" before a cookie's value, "Bearer " before an Authorization's credential, or ""
    value: str
    label: str  # what the final check calls it (HAR021, HAR005): "cookie sid", "header Authorization"
    where: str  # what the collection calls it (HAR004): "cookie sid", "header Authorization (Bearer)"
    suggested: str  # the name of its variable, before the book makes it unique
    field_name: str = ""  # the cookie it was recorded under
    # what tells apart credentials of one name (a cookie's exact name, an Authorization scheme)
    kind: str = ""


def header_parts(name: str, value: str) -> list[HeaderPart]:
    """The pieces of a credential header's value (:func:`is_secret_header`), for the collection and the final
    check alike: each cookie of a Cookie header (a cookie without a name is sent as its value alone); what
    follows an Authorization scheme (the whole value when nothing does); any other's whole value."""
    lowered = name.lower()
    if lowered == "cookie":
        parts = []
        for piece in value.split(";"):
            key, sep, cookie_value = piece.strip().partition("=")
            if not sep and key:  # a cookie without a name (Set-Cookie: value) is sent as its value alone
                parts.append(HeaderPart("", key, "cookie without a name", "cookie without a name", "cookie"))
            elif not cookie_value:
                parts.append(HeaderPart(piece.strip(), "", f"cookie {key}", f"cookie {key}", f"cookie_{key}"))
            else:  # cookie names are case-sensitive: "SID" and "sid" are two cookies, hence the exact name as kind
                where = f"cookie {key}" if key else "cookie with an empty name"  # (sent as "=value")
                parts.append(HeaderPart(f"{key}=", cookie_value, where, where, f"cookie_{key}", key, key))
        return parts
    suggested = lowered.replace("-", "_")
    scheme, space, credential = value.partition(" ")
    if (
        lowered in ("authorization", "proxy-authorization")
        and space
        and credential.strip()
        and is_auth_scheme(scheme)
    ):
        # one variable per scheme: no value can be both Basic credentials and a Bearer token
        where = f"header {name} ({scheme})"
        return [
            HeaderPart(
                f"{scheme} ", credential.strip(), f"header {name}", where, suggested, "", scheme.lower()
            )
        ]
    return [HeaderPart("", value, f"header {name}", f"header {name}", suggested)]


def redact_header(book: SecretBook, name: str, value: str, source: str) -> str:
    """The value to send of a credential header, each credential in it replaced by a variable reference."""
    sent = []
    for part in header_parts(name, value):
        if part.value:
            variable = book.variable_for(
                part.value, part.suggested, part.where, source, part.field_name, kind=part.kind
            )
            sent.append(part.prefix + "${" + variable + "}")
        else:
            sent.append(part.prefix)
    return "; ".join(piece for piece in sent if piece)  # (one piece but in a Cookie header)


def _apart(sets: list[frozenset[str]]) -> bool:
    """Whether host sets fall apart into groups that share no host (joined through any set they overlap)."""
    groups: list[set[str]] = []
    for hosts in sets:
        joined = set(hosts)
        apart = []
        for group in groups:
            if group & joined:
                joined |= group
            else:
                apart.append(group)
        groups = [*apart, joined]
    return len(groups) > 1
