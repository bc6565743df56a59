"""httpx authentication for the PerfTest API: an IAM token (``X-Auth-Token``) or AK/SK request signing.

``AkSkAuth`` signs each request with ``converter.signing`` (SDK-HMAC-SHA256, as the official SDK does) over
``Host``, ``X-Sdk-Date``, ``X-Project-Id``, ``Content-Type`` and, for temporary keys, ``X-Security-Token``.
Headers a proxy may rewrite (``Connection``, ``Accept-Encoding``, ``User-Agent``...) are left unsigned.
Secrets never appear in ``repr``.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from datetime import datetime
from urllib.parse import parse_qsl, quote

import httpx

from converter import signing

#: Headers signed when present on the request (besides Host and X-Sdk-Date, always signed).
_SIGNED_OPTIONAL = ("Content-Type", "X-Project-Id", "X-Security-Token")


def _percent_encode_query(request: httpx.Request) -> None:
    """httpx writes a space in a query as ``+``; the SDK (and the gateway's canonical form) use ``%20``.
    Re-encode the query that way so that the signature covers what the gateway decodes."""
    query = request.url.query.decode("ascii")
    if "+" in query:
        pairs = parse_qsl(query, keep_blank_values=True)
        encoded = "&".join(f"{quote(k, safe='~')}={quote(v, safe='~')}" for k, v in pairs)
        request.url = request.url.copy_with(query=encoded.encode("ascii"))


class TokenAuth(httpx.Auth):
    """``X-Auth-Token: <IAM token>`` on every request."""

    def __init__(self, token: str) -> None:
        if not token:
            raise ValueError("an empty token cannot authenticate")
        self._token = token

    def __repr__(self) -> str:
        return "TokenAuth(token=***)"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["X-Auth-Token"] = self._token
        yield request


class AkSkAuth(httpx.Auth):
    """SDK-HMAC-SHA256 signature with an AK/SK pair; ``project_id`` goes in ``X-Project-Id``."""

    requires_request_body = True

    def __init__(
        self,
        ak: str,
        sk: str,
        project_id: str,
        security_token: str | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        if not ak or not sk:
            raise ValueError("both AK and SK are required")
        self._ak = ak
        self._sk = sk
        self._project_id = project_id
        self._security_token = security_token
        self._clock = clock

    def __repr__(self) -> str:
        return f"AkSkAuth(ak=***, sk=***, project_id={self._project_id!r})"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        _percent_encode_query(request)
        request.headers["X-Project-Id"] = self._project_id
        if self._security_token:
            request.headers["X-Security-Token"] = self._security_token
        to_sign = {"Host": request.headers["Host"]}
        for name in _SIGNED_OPTIONAL:
            if name in request.headers:
                to_sign[name] = request.headers[name]
        added = signing.sign(
            request.method,
            str(request.url),
            to_sign,
            request.content,
            self._ak,
            self._sk,
            self._clock() if self._clock else None,
        )
        for name, value in added.items():
            request.headers[name] = value
        yield request
