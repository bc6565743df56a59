"""The PerfTest HTTP client: endpoint and project, authentication, retries, status and ``code`` checks.

One method, ``PerfTestClient.call``: send one documented operation and return its parsed reply, or raise
``ApiError`` with a message naming the operation and what it was for (the plan item). Retries: 429, 5xx and connection errors,
with exponential backoff and jitter, never shorter than ``Retry-After``; other 4xx are final. A POST whose
outcome is unknown (the request may have been processed: a timeout or dropped connection after sending, or a
5xx) is never re-sent blindly: ``recover`` is asked first whether the resource exists, and its id is adopted.
"""

from __future__ import annotations

import email.utils
import ipaddress
import json
import random
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any
from urllib.parse import quote, urlsplit

import httpx

from converter import __version__, api
from converter.upload.auth import AkSkAuth, TokenAuth
from converter.upload.credentials import Credentials, redact

ENV_ENDPOINT = "PERFTEST_ENDPOINT"
#: The media type of every request (table 3-1: "推荐用户默认使用application/json").
JSON_CONTENT_TYPE = "application/json;charset=UTF-8"
#: Connection failures before anything was sent: always safe to retry.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.ProxyError)
#: Longest Retry-After honoured, in seconds.
_MAX_RETRY_AFTER = 300.0


class TargetError(ValueError):
    """The endpoint or project id is missing or unusable (a usage error)."""


class ApiError(Exception):
    """A call failed for good. ``status`` is None for a connection failure."""

    def __init__(self, message: str, status: int | None = None, error_code: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.error_code = error_code


def resolve_endpoint(region: str | None, endpoint: str | None, environ: Mapping[str, str]) -> str:
    """Base URL from ``--region``, ``--endpoint`` or ``PERFTEST_ENDPOINT`` (in that order of precedence
    for the options; both options together is an error). Plain http is only allowed to loopback."""
    if region and endpoint:
        raise TargetError("give either --region or --endpoint, not both")
    if region:
        try:
            return api.endpoint_for(region)
        except ValueError as exc:
            raise TargetError(str(exc)) from None
    url = endpoint or (environ.get(ENV_ENDPOINT) or "").strip()
    where = "--endpoint" if endpoint else ENV_ENDPOINT
    if not url:
        raise TargetError(f"no target: pass --region REGION or --endpoint URL, or set {ENV_ENDPOINT}")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise TargetError(f"{where} {url!r} is not an http(s) URL")
    if parts.query or parts.fragment or parts.username or parts.password:
        raise TargetError(f"{where} must be scheme://host[:port][/path] without credentials or query")
    if parts.scheme == "http" and not _is_loopback(parts.hostname):
        raise TargetError(
            f"{where}: refusing to send credentials over plain http to {parts.hostname}; use https"
        )
    return url.rstrip("/")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass
class RetryPolicy:
    """``retries`` re-sends after the first attempt; delay n is ``base * 2**n`` (capped) with jitter."""

    retries: int = 6
    base_delay: float = 0.5
    max_delay: float = 30.0
    sleep: Callable[[float], None] = time.sleep
    rng: random.Random = field(default_factory=random.Random)

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        backoff = min(self.max_delay, self.base_delay * (2**attempt))
        jittered = self.rng.uniform(backoff / 2, backoff)
        return max(jittered, min(retry_after or 0.0, _MAX_RETRY_AFTER))


@dataclass
class Reply:
    """A successful call: the parsed JSON body (None when empty), or the id adopted after a lost response."""

    status: int
    body: Any = None
    adopted_id: int | None = None


@dataclass
class Stats:
    """Counters over all calls of a client (thread-safe through ``PerfTestClient``)."""

    requests: int = 0
    retries: int = 0
    lost: int = 0
    adopted: int = 0


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if not value:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max((when - datetime.now(timezone.utc)).total_seconds(), 0.0)


class PerfTestClient:
    """Calls the PerfTest API of one endpoint and cloud project with one set of credentials."""

    def __init__(
        self,
        endpoint: str,
        project_id: str,
        credentials: Credentials,
        *,
        timeout: float = 30.0,
        retry: RetryPolicy | None = None,
        max_connections: int = 8,
        extra_secrets: list[str] | None = None,
    ) -> None:
        if not project_id:
            raise TargetError("no project id: pass --project-id or set HUAWEICLOUD_SDK_PROJECT_ID")
        self.endpoint = endpoint
        self.project_id = project_id
        self.credentials = credentials
        self.retry = retry or RetryPolicy()
        self.stats = Stats()
        self.secrets = [*credentials.secrets(), *(extra_secrets or [])]
        self._lock = threading.Lock()
        auth: httpx.Auth
        if credentials.token is not None:
            auth = TokenAuth(credentials.token)
        else:
            assert credentials.ak and credentials.sk
            auth = AkSkAuth(credentials.ak, credentials.sk, project_id, credentials.security_token)
        self._http = httpx.Client(
            base_url=endpoint,
            auth=auth,
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
            limits=httpx.Limits(max_connections=max_connections, max_keepalive_connections=max_connections),
            headers={"User-Agent": f"perftest-converter/{__version__}"},
            follow_redirects=False,
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> PerfTestClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def path(self, template: str) -> str:
        """A plan path with the cloud project filled in (``{project_id}``)."""
        return template.replace("{project_id}", quote(self.project_id, safe=""))

    def op_path(self, operation: str, **params: object) -> str:
        """The documented path of ``operation`` with the cloud project and ``params`` filled in."""
        return api.OPERATIONS[operation].render(project_id=self.project_id, **params)

    def _count(self, name: str) -> None:
        with self._lock:
            setattr(self.stats, name, getattr(self.stats, name) + 1)

    def call(
        self,
        operation: str,
        context: str,
        path: str,
        body: Any = None,
        *,
        query: Mapping[str, int] | None = None,
        recover: Callable[[], int | None] | None = None,
    ) -> Reply:
        """Send ``operation`` (a name of ``api.OPERATIONS``) to ``path`` (already rendered) and return its
        reply; ``ApiError`` when it fails for good (see module doc). ``context`` says what the call is for
        in messages, e.g. ``plan item temp:checkout``."""
        op = api.OPERATIONS[operation]
        label = f"{operation} ({context})"
        content = None if body is None else json.dumps(body, ensure_ascii=False).encode("utf-8")
        # Content-Type is a required common header of every request (reference 3.1, table 3-1), bodiless
        # GET/DELETE included, as the official SDK sends it.
        headers = {"Content-Type": JSON_CONTENT_TYPE}
        attempt = 0
        while True:
            uncertain = False
            retry_after: float | None = None
            problem: str
            status: int | None = None
            code: str | None = None
            try:
                self._count("requests")
                response = self._http.request(op.method, path, content=content, headers=headers, params=query)
            except _NOT_SENT as exc:
                problem = f"cannot connect to {self.endpoint}: {type(exc).__name__}"
            except httpx.TransportError as exc:
                problem = f"no response from {self.endpoint}: {type(exc).__name__}"
                uncertain = True
                self._count("lost")
            else:
                status = response.status_code
                if status == op.success_status:
                    return Reply(status, self._success_body(response, label))
                if 200 <= status < 300:
                    raise ApiError(self._unexpected_success(op, label, status), status)
                code, message = self._error_of(response)
                problem = (
                    f"HTTP {status}" + (f" {code}" if code else "") + (f": {message}" if message else "")
                )
                if status == 401:
                    raise ApiError(
                        f"{label} failed: {problem}\n  {self.credentials.how_to_fix()}", status, code
                    )
                if status == 403:
                    raise ApiError(
                        f"{label} failed: {problem}\n  the credentials are valid but lack permission for "
                        f"PerfTest in project {self.project_id} (grant the CPTS FullAccess policy)",
                        status,
                        code,
                    )
                if status != 429 and status < 500:
                    raise ApiError(f"{label} failed: {problem}", status, code)
                retry_after = _retry_after(response)
                uncertain = status >= 500
            if uncertain and op.method == "POST":
                if recover is None:
                    raise ApiError(f"{label}: outcome unknown ({problem}); not re-sent", status, code)
                found = recover()
                if found is not None:
                    self._count("adopted")
                    return Reply(op.success_status, None, adopted_id=found)
            if attempt >= self.retry.retries:
                tries = attempt + 1
                raise ApiError(f"{label} failed after {tries} attempt(s): {problem}", status, code)
            self._count("retries")
            self.retry.sleep(self.retry.delay(attempt, retry_after))
            attempt += 1

    @staticmethod
    def _unexpected_success(op: api.Operation, label: str, status: int) -> str:
        """The message for a 2xx other than the documented one: not taken as success (the reference's status
        is the contract), but said plainly, with what it may mean for a create."""
        message = (
            f"{label}: the service answered HTTP {status} where the PerfTest API reference documents "
            f"{op.success_status}; not taken as success"
        )
        if op.method == "POST":
            message += " (the resource may have been created: --resume looks it up by name before re-sending)"
        return message

    def _success_body(self, response: httpx.Response, label: str) -> Any:
        if not response.content:
            return None
        try:
            body = response.json()
        except ValueError:
            raise ApiError(f"{label}: HTTP {response.status_code} but the body is not JSON") from None
        if isinstance(body, dict) and "code" in body and not api.is_success_code(body["code"]):
            message = self._scrub(str(body.get("message") or body.get("error_msg") or ""))
            raise ApiError(f"{label}: HTTP {response.status_code} but code {body['code']!r}: {message}")
        return body

    def _error_of(self, response: httpx.Response) -> tuple[str | None, str]:
        """(error code, message) of an error reply: ``error_code``/``error_msg`` or the plain text."""
        try:
            body = response.json()
        except ValueError:
            body = None
        if isinstance(body, dict):
            code = body.get("error_code") or body.get("code")
            message = body.get("error_msg") or body.get("message") or ""
            return (str(code) if code else None), self._scrub(str(message))
        text = " ".join(response.text.split())
        return None, self._scrub(text[:300])

    def _scrub(self, text: str) -> str:
        return redact(text, self.secrets)
