"""Collecting the credentials a recording sends, before anything is converted: each recorded value found in a
request (headers, userinfo, query, form, multipart, JSON and XML bodies, JWTs anywhere), in a redirect's
Location, or in a page title gets a variable in the :class:`SecretBook`, so that no ledger name or message
shows one. Which fields and headers hold credentials is :mod:`.credentials`' and :mod:`.secrets`' rule; which
are single-use OAuth and SAML login credentials, :mod:`.oauth`'s."""

from __future__ import annotations

import json
from urllib.parse import SplitResult, parse_qsl, unquote, urlsplit

from converter.parsers.har.bodies import (
    _BOUNDARY,
    _split_multipart,
    is_json_text,
    looks_like_form,
    with_boundary,
)
from converter.parsers.har.credentials import (
    header_credentials,
    json_secret_fields,
    kind_note,
    nested_secret_fields,
    secret_fields,
    url_credentials,
)
from converter.parsers.har.entry import Entry, host_in
from converter.parsers.har.issued import location_of
from converter.parsers.har.oauth import IN_QUERY, VARIABLES, Callbacks, may_name_one
from converter.parsers.har.secrets import JWT, SecretBook, is_secret_header, may_name_a_secret


class SecretCollector:
    """Gives each credential the recording sends a variable in ``book``; remembers which are single-use login
    credentials (``single_use``: recorded value -> which, see oauth.py)."""

    def __init__(self, book: SecretBook, callbacks: Callbacks) -> None:
        self.book = book
        self.callbacks = callbacks
        self.single_use: dict[str, str] = {}  # recorded OAuth and SAML login credentials -> which (oauth.py)
        # credential headers read: (name, value, host) -> the credentials in them
        self.headers_read: dict[tuple[str, str, str], list[str]] = {}

    # ---- requests ---------------------------------------------------------------------------------
    def collect_request(self, entry: Entry) -> None:
        """The credentials a recorded request sends, each given a variable (two values it sends under one name
        get two, once every request is collected: ``SecretBook.separate``)."""
        self.book.context_host = host_in(entry.url)
        self.book.begin_request()
        try:
            self._collect_entry(entry)
        finally:
            self.book.context_host = ""
            self.book.end_request()

    def collect_location(self, entry: Entry) -> None:
        """The credentials in a redirect's Location (an authorization code on its way to the client's callback,
        a token in a fragment): messages name a Location (HAR018), and the request it led to may be filtered
        out or not recorded."""
        if entry.status is None or not 300 <= entry.status < 400:
            return
        target = location_of(entry.raw.get("response"))
        if "@" in target:  # a password in the target's URL (a request may be sent there: HAR036)
            try:
                parts = urlsplit(target)
                if parts.password or parts.username:
                    self._collect_userinfo(parts, entry.source)
            except ValueError:  # not a URL after all: its JWTs and fields are still found below
                pass
        if "eyJ" in target:
            self._collect_jwts(target, "jwt", "JWT in the URL", entry.source)
        self._collect_url(target, entry.source, self.callbacks.place(target), "Location ")

    def _collect_entry(self, entry: Entry) -> None:
        request = entry.raw["request"]
        source = entry.source
        post = request.get("postData") or {}
        text = post.get("text") or ""
        # where an OAuth code in its query or form may be one (no URL split where no code can be)
        may_code = "code" in entry.url or "code" in text or bool(post.get("params"))
        place = self.callbacks.place(entry.url, may_code)
        for header in request.get("headers") or []:
            self.collect_header(header["name"], str(header.get("value") or ""), source)
        if "@" in entry.url and (entry.parts.password or entry.parts.username):
            self._collect_userinfo(entry.parts, source)
        self._collect_url(entry.url, source, place)  # its query, its path's tokens (/account/reset/<token>)
        fields = []
        for param in post.get("params") or []:
            value = param.get("value")
            if value is not None and param.get("fileName") is None:
                if not isinstance(value, str):  # a number or object some producers record: sent as JSON text
                    value = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
                fields.append((param["name"], value))
        self._collect_fields(fields, "form field", source, place)
        mime = str(post.get("mimeType") or "").lower()
        form = "x-www-form-urlencoded" in mime
        if form and not is_json_text(text):  # (a JSON text under a form's type is sent as its text)
            self._collect_pairs(text, "form field", source, place)
        elif mime.startswith("multipart/") and text and not post.get("params"):
            completed = with_boundary(post, request.get("headers") or ()) or post
            self._collect_multipart(text, str(completed.get("mimeType")), source, place)
        elif "json" in mime or form or text.lstrip().startswith(("{", "[", "<")):
            for name, value, kind in (
                json_secret_fields(text) if "json" in mime else nested_secret_fields(text)
            ):
                what = "XML" if text.lstrip().startswith("<") else "JSON"
                self.note_secret(value, name, f"{what} field {name}" + kind_note(kind), source, kind)
        if not form and text and looks_like_form(text):  # a form recorded as text/plain, or as JSON it is not
            self._collect_pairs(text, "form field", source, place)
        # last, JWTs under any other name (one already named above keeps its variable)
        if "eyJ" in entry.url:
            self._collect_jwts(entry.url, "jwt", "JWT in the URL", source)
        if "eyJ" in text:
            self._collect_jwts(text, "jwt", "JWT in the body", source)

    def collect_header(self, name: str, value: str, source: str) -> None:
        """The credentials of one recorded request header (:func:`header_credentials`, the final check's rule
        too); a credential header once per host (the same Cookie header repeats on most entries: its
        credentials are only noted as sent by this request too)."""
        found_values: list[str] | None = None
        if is_secret_header(name):
            key = (name, value, self.book.context_host)
            known = self.headers_read.get(key)
            if known is not None:
                if self.book.collecting is not None:
                    self.book.collecting.update(known)
                return
            found_values = self.headers_read[key] = []
        for found in header_credentials(name, value, self.callbacks.place):
            if found.value:
                if found.login:
                    self.single_use.setdefault(found.value, found.login)
                self.book.variable_for(
                    found.value, found.suggested, found.where, source, found.field_name, kind=found.kind
                )
                if found_values is not None:
                    found_values.append(found.value)

    def _collect_pairs(self, text: str, what: str, source: str, place: int = IN_QUERY) -> None:
        """Secret-named fields of a query or url-encoded form (``place``: where, see oauth.py)."""
        self._collect_fields(parse_qsl(text, keep_blank_values=True) if text else [], what, source, place)

    def _collect_fields(
        self, fields: list[tuple[str, str]], what: str, source: str, place: int = IN_QUERY
    ) -> None:
        """Secret-named fields of a query or a form, also inside values written as JSON or XML (the rules
        the final check applies too: :func:`secret_fields`)."""
        for name, where, value, kind in secret_fields(fields, what, place):
            if value:
                self.note_secret(value, name, where, source, kind)

    def note_secret(self, value: str, name: str, where: str, source: str, kind: str) -> None:
        """A credential recorded under field ``name`` (``where``: said how); ``kind`` says which OAuth or SAML
        login credential it is, if one."""
        if kind:
            self.single_use.setdefault(value, kind)
            self.book.variable_for(value, VARIABLES[kind], where, source, name)
        else:
            self.book.variable_for(value, name, where, source, name)

    def _collect_multipart(self, text: str, mime: str, source: str, place: int) -> None:
        """Secret-named text parts of a multipart body recorded as text (Chrome's forms); file parts are
        replaced by placeholders anyway."""
        boundary = _BOUNDARY.search(mime)
        if boundary is None or not (may_name_a_secret(text) or may_name_one(text)):
            return
        parts = _split_multipart(text, boundary.group(1))
        fields = [(name, value) for name, filename, _type, value in parts if filename is None]
        self._collect_fields(fields, "multipart field", source, place)

    def _collect_jwts(self, text: str, suggested: str, where: str, source: str) -> None:
        for token in JWT.findall(text):
            self.book.variable_for(token, suggested, where, source)

    def _collect_userinfo(self, parts: SplitResult, source: str) -> None:
        """A password in the URL (``https://user:password@host/``) is Basic credentials: one variable per
        host. The user name is not a secret and stays."""
        password = unquote(parts.password or "")
        host = parts.hostname or ""
        if password:
            self.book.variable_for(
                password, "url_password", f"password in the URL of {host}", source, kind=host
            )
        elif parts.username:  # a user name alone is a token (https://ghp_...@host, Stripe's sk_...@)
            self.book.variable_for(
                unquote(parts.username), "url_user", f"user name in the URL of {host}", source, kind=host
            )

    def collect_title(self, title: str) -> None:
        """A page title that is a URL (what Chrome writes for a page without <title>): its credentials."""
        if "/" in title or "=" in title:
            self._collect_url(title.strip(), "har:pages", self.callbacks.place(title))

    def collect_target(self, url: str, source: str) -> None:
        """The credentials of a URL a request is sent to instead of the recorded one (a browser-made
        redirect's target, see redirects.py)."""
        self.book.context_host = host_in(url)
        try:
            self._collect_url(url, source, self.callbacks.place(url))
        finally:
            self.book.context_host = ""

    def _collect_url(self, url: str, source: str, place: int, what: str = "") -> None:
        """The credentials of a URL (:func:`url_credentials`): its query's and fragment's fields, its path's
        tokens."""
        for name, where, value, kind in url_credentials(url, place, what):
            if value:
                self.note_secret(value, name, where, source, kind)
