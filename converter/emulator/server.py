"""The emulator's HTTP layer: a ``ThreadingHTTPServer`` that authenticates, injects faults, routes and validates
every request through ``converter.api`` and hands it to ``handlers``.

Order of a call: read the body; number the call (1, 2, ...); wait ``latency_ms``; fail it if its number is in
``fail_nth`` or the seeded draw is under ``fail_rate`` (nothing committed); authenticate (``X-Auth-Token`` or
SDK-HMAC-SHA256); route (unknown path or method: 404 APIGW.0101); check path, query and body (400); run the
handler under the state lock and persist; if the call's number is in ``drop_nth`` close the connection without
a response (the effect stays committed).
"""

from __future__ import annotations

import hmac
import json
import os
import random
import sys
import threading
import time
import uuid
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from pydantic import ValidationError

from converter import api, signing
from converter.emulator.common import ApiError, Call, Reply, bad_request
from converter.emulator.handlers import HANDLERS
from converter.emulator.state import State

_FAULT_MESSAGES = {500: "An unknown error occurred!", 503: "Service unavailable", 429: "Too many requests"}
#: Every chapter-4 operation documents one failure: 501 "unknown error" with a bare String body (e.g. table 4-5).
_UNKNOWN_ERROR_TEXT = b"unknown error"


@dataclass
class EmulatorConfig:
    """Credentials, persistence and fault injection. With neither ``token`` nor ``ak``/``sk`` the emulator
    accepts every request (open mode)."""

    token: str | None = None
    ak: str | None = None
    sk: str | None = field(default=None, repr=False)
    state_path: str | None = None
    fail_rate: float = 0.0
    fail_status: int = 500
    retry_after: int = 0
    latency_ms: int = 0
    fail_nth: Collection[int] = ()
    drop_nth: Collection[int] = ()
    seed: int = 0
    max_page: int | None = None
    max_skew: timedelta | None = signing.DEFAULT_MAX_SKEW

    def __post_init__(self) -> None:
        if not 0.0 <= self.fail_rate <= 1.0:
            raise ValueError("fail_rate must be within 0..1")
        if self.fail_status not in (429, 500, 501, 503):
            raise ValueError("fail_status must be 500, 501, 429 or 503")
        if self.retry_after not in (0, 1):
            raise ValueError("retry_after must be 0 or 1")
        if self.max_page is not None and self.max_page < 1:
            raise ValueError("max_page must be at least 1")
        if bool(self.ak) != bool(self.sk):
            raise ValueError("AK and SK go together")
        self.fail_nth = frozenset(self.fail_nth)
        self.drop_nth = frozenset(self.drop_nth)

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides: Any) -> EmulatorConfig:
        """Credentials from HUAWEICLOUD_SDK_AK / HUAWEICLOUD_SDK_SK / PERFTEST_TOKEN, then ``overrides``."""
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {
            "token": env.get("PERFTEST_TOKEN") or None,
            "ak": env.get("HUAWEICLOUD_SDK_AK") or None,
            "sk": env.get("HUAWEICLOUD_SDK_SK") or None,
        }
        values.update(overrides)
        return cls(**values)

    @property
    def open_mode(self) -> bool:
        return not self.token and not self.ak


class EmulatorServer(ThreadingHTTPServer):
    """The HTTP server plus the emulator's state, configuration and call counter."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], config: EmulatorConfig) -> None:
        self.config = config
        self.state = State(config.state_path)
        self.calls = 0
        self.in_flight = 0  # calls being answered now
        self.peak_in_flight = 0  # the most answered at once (how concurrent a client really was)
        self._count_lock = threading.Lock()
        super().__init__(address, _Handler)

    @property
    def url(self) -> str:
        host, port = self.server_address[0], self.server_address[1]
        host = host if isinstance(host, str) else host.decode()
        return f"http://{host}:{port}"

    def next_call(self) -> int:
        with self._count_lock:
            self.calls += 1
            return self.calls

    def enter(self) -> None:
        with self._count_lock:
            self.in_flight += 1
            self.peak_in_flight = max(self.peak_in_flight, self.in_flight)

    def leave(self) -> None:
        with self._count_lock:
            self.in_flight -= 1

    def fails(self, n: int) -> bool:
        cfg = self.config
        if n in cfg.fail_nth:
            return True
        return cfg.fail_rate > 0 and random.Random(f"{cfg.seed}:{n}").random() < cfg.fail_rate


class _Handler(BaseHTTPRequestHandler):
    server: EmulatorServer
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in separate writes: avoid the 40 ms delayed ACK
    server_version = "perftest-emulator"

    def do_GET(self) -> None:
        self._serve()

    do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_GET

    def log_message(self, format: str, *args: Any) -> None:  # quiet: no request log on stderr
        return

    # -- the pipeline ---------------------------------------------------------------------------------------------

    def _serve(self) -> None:
        self.server.enter()
        try:
            self._answer()
        finally:
            self.server.leave()

    def _answer(self) -> None:
        body = self._read_body()
        n = self.server.next_call()
        cfg = self.server.config
        if cfg.latency_ms > 0:
            time.sleep(cfg.latency_ms / 1000)
        if self.server.fails(n):
            status = cfg.fail_status
            if status == 501:
                self._send_text(status, _UNKNOWN_ERROR_TEXT)
                return
            code = api.ERR_THROTTLED if status == 429 else api.ERR_UNKNOWN
            extra = {"Retry-After": str(cfg.retry_after)} if status in (429, 503) else {}
            self._send(status, ApiError(status, code, _FAULT_MESSAGES[status]).body(), extra)
            return
        try:
            self._authenticate(body)
            reply = self._dispatch(body)
        except ApiError as err:
            self._send(err.status, err.body())
            return
        except Exception as exc:  # a bug in the emulator: say so like the service would
            self._send(500, ApiError(500, api.ERR_UNKNOWN, f"emulator error: {type(exc).__name__}").body())
            return
        if n in cfg.drop_nth:  # committed, but the client never hears back
            self.close_connection = True
            return
        self._send(reply.status, reply.body)

    def _read_body(self) -> bytes:
        length = self.headers.get("Content-Length")
        if not length:
            return b""
        try:
            return self.rfile.read(int(length))
        except ValueError:
            return b""

    def _headers(self) -> dict[str, str]:
        return {key: _utf8(value) for key, value in self.headers.items()}

    def _authenticate(self, body: bytes) -> None:
        cfg = self.server.config
        if cfg.open_mode:
            return
        token = self.headers.get("X-Auth-Token")
        if token:
            if cfg.token and hmac.compare_digest(token.encode(), cfg.token.encode()):
                return
            raise ApiError(401, api.ERR_AUTH, "Incorrect IAM authentication information: decrypt token fail")
        if (self.headers.get("Authorization") or "").startswith(signing.ALGORITHM) and cfg.ak:
            try:
                signing.verify(
                    self.command,
                    self.path,
                    self._headers(),
                    body,
                    lambda ak: cfg.sk if ak == cfg.ak else None,
                    max_skew=cfg.max_skew,
                )
                return
            except signing.SignatureError as exc:
                raise ApiError(
                    401, api.ERR_AUTH, f"Incorrect IAM authentication information: {exc}"
                ) from None
        raise ApiError(401, api.ERR_AUTH, "Incorrect IAM authentication information: no credentials")

    def _dispatch(self, raw: bytes) -> Reply:
        parts = urlsplit(self.path)
        routed = api.match(self.command, parts.path)
        if routed is None:
            raise ApiError(404, api.ERR_NO_SUCH_API, "The API does not exist or has not been published")
        op, path_params = routed
        try:
            params = api.typed_path_params(path_params)
        except ValueError as exc:
            raise bad_request(str(exc)) from None
        _check_content_type(self.headers.get("Content-Type"))
        query = _query(op, parts.query)
        call = Call(
            op,
            self.server.state,
            str(params["project_id"]),
            params,
            query,
            max_page=self.server.config.max_page,
        )
        if op.body is not None:
            call.body = _body(op, raw)
        state = self.server.state
        with state.lock:
            reply = HANDLERS[op.name](call)
            if op.method != "GET":
                state.save()
        return reply

    def _send(self, status: int, body: dict[str, Any] | None, extra: dict[str, str] | None = None) -> None:
        data = b"" if body is None else json.dumps(body, ensure_ascii=False).encode("utf-8")
        content_type = None if body is None else "application/json;charset=utf8"
        self._write(status, data, content_type, extra)

    def _send_text(self, status: int, text: bytes) -> None:
        self._write(status, text, "text/plain;charset=utf8", None)

    def _write(
        self, status: int, data: bytes, content_type: str | None, extra: dict[str, str] | None
    ) -> None:
        self.send_response(status)
        if content_type is not None:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("X-Request-Id", uuid.uuid4().hex)
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)


def _utf8(value: str) -> str:
    """http.server decodes header values as latin-1; the SDK sends UTF-8 bytes."""
    try:
        return value.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return value


def _check_content_type(value: str | None) -> None:
    """Content-Type is a required header of every request, application/json unless an operation says
    otherwise (reference 3.1, table 3-1; no chapter-4 operation does): missing is a 400, another type a 415."""
    if not value or not value.strip():
        raise bad_request("the Content-Type header is required (application/json)")
    media = value.split(";", 1)[0].strip().lower()
    if media != "application/json":
        raise ApiError(415, api.ERR_MEDIA_TYPE, f"unsupported Content-Type {media!r}: use application/json")


def _query(op: api.Operation, query: str) -> dict[str, int]:
    """The documented query parameters as integers; undocumented ones are ignored (as the gateway does)."""
    given = dict(signing.query_pairs(query))
    out: dict[str, int] = {}
    for param in op.query:
        value = given.get(param.name)
        if value is None or value == "":
            if param.required:
                raise bad_request(f"query parameter {param.name} is required")
            continue
        try:
            out[param.name] = int(value)
        except ValueError:
            raise bad_request(f"query parameter {param.name} must be an integer, got {value!r}") from None
    return out


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _body(op: api.Operation, raw: bytes) -> Any:
    """Parse and validate a request body: JSON, documented schema, then the user-guide rules."""
    if not raw.strip():
        raise bad_request("request body is required")
    try:
        data = json.loads(raw.decode("utf-8"), parse_constant=_reject_constant)
    except (UnicodeDecodeError, ValueError) as exc:
        raise bad_request(f"request body is not valid JSON: {exc}") from None
    try:
        op.validate_body(data)
    except ValidationError as exc:
        raise bad_request(_describe(exc)) from None
    problems = api.rule_violations(op.name, data)
    if problems:
        raise bad_request("; ".join(problems))
    return data


def _describe(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors()[:5]:
        where = ".".join(str(p) for p in err["loc"]) or "body"
        parts.append(f"{where}: {err['msg']}")
    more = exc.error_count() - len(parts)
    return "; ".join(parts) + (f" (+{more} more)" if more > 0 else "")


def serve(host: str = "127.0.0.1", port: int = 0, **config: Any) -> tuple[EmulatorServer, str]:
    """Start an emulator in a background thread; returns the server (call ``shutdown()`` then
    ``server_close()``) and its base URL. ``config`` are ``EmulatorConfig`` fields."""
    server = EmulatorServer((host, port), EmulatorConfig(**config))
    threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="perftest-emulator", daemon=True
    ).start()
    return server, server.url


def run_forever(host: str = "127.0.0.1", port: int = 0, config: EmulatorConfig | None = None) -> None:
    """Serve until interrupted; the first line of stdout is the base URL (flushed), for scripts to read."""
    server = EmulatorServer((host, port), config or EmulatorConfig.from_env())
    print(server.url, flush=True)
    if server.config.open_mode:
        print("perftest emulator: no credentials configured, accepting every request", file=sys.stderr)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
