"""Where upload credentials come from: the environment or a token file, never a plain command-line value.

Sources, in order: ``--token-file FILE`` (an IAM token, when given); the AK/SK pair in ``HUAWEICLOUD_SDK_AK`` /
``HUAWEICLOUD_SDK_SK`` (plus ``HUAWEICLOUD_SDK_SECURITY_TOKEN`` for temporary keys); an IAM token in
``PERFTEST_TOKEN``. Error messages name the variable or file, never its value; ``repr`` hides every secret;
``redact`` scrubs known secret values from any text before it is printed or written.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

ENV_AK = "HUAWEICLOUD_SDK_AK"
ENV_SK = "HUAWEICLOUD_SDK_SK"
ENV_SECURITY_TOKEN = "HUAWEICLOUD_SDK_SECURITY_TOKEN"
ENV_TOKEN = "PERFTEST_TOKEN"
ENV_PROJECT_ID = "HUAWEICLOUD_SDK_PROJECT_ID"
#: Secret values shorter than this are scrubbed only where they stand alone (scrubbing them inside other words
#: would mangle the text, and hide nothing: a 2-letter value is found in most sentences).
_MIN_REDACT = 4


class CredentialsError(Exception):
    """Credentials are missing, incomplete or unreadable. The message names the source, not the value."""


@dataclass(frozen=True)
class Credentials:
    """Either an IAM token or an AK/SK pair (with an optional security token for temporary keys)."""

    source: str  # human-readable origin: variable names or the token file path, never a value
    token: str | None = field(default=None, repr=False)
    ak: str | None = field(default=None, repr=False)
    sk: str | None = field(default=None, repr=False)
    security_token: str | None = field(default=None, repr=False)

    @property
    def is_token(self) -> bool:
        return self.token is not None

    def secrets(self) -> list[str]:
        """Every secret value held, for ``redact``."""
        return [s for s in (self.token, self.ak, self.sk, self.security_token) if s]

    def how_to_fix(self) -> str:
        """What to check when the service refuses these credentials (HTTP 401)."""
        if self.is_token:
            return (
                f"the IAM token from {self.source} was refused: it may have expired (tokens last 24 hours) or "
                "belong to another project or region; get a new one and put it in "
                f"{ENV_TOKEN} or a --token-file"
            )
        temp = f" and {ENV_SECURITY_TOKEN}" if self.security_token else ""
        return (
            f"the AK/SK from {self.source} was refused: check that {ENV_AK}/{ENV_SK}{temp} belong to an account "
            "with access to this project and region, that temporary keys have not expired (they need "
            f"{ENV_SECURITY_TOKEN}), and that this machine's clock is right (signatures more than 15 minutes "
            "off are refused)"
        )


def _clean(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def resolve_credentials(
    environ: Mapping[str, str] | None = None, token_file: Path | None = None
) -> Credentials:
    """Credentials from ``token_file`` or the environment (see module doc); ``CredentialsError`` otherwise."""
    env = os.environ if environ is None else environ
    if token_file is not None:
        try:
            token = _clean(token_file.read_text(encoding="utf-8-sig"))
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "not UTF-8 text"
            raise CredentialsError(f"--token-file {token_file}: cannot read it: {reason}") from None
        if token is None:
            raise CredentialsError(f"--token-file {token_file} is empty")
        return Credentials(source=f"--token-file {token_file}", token=token)
    ak, sk = _clean(env.get(ENV_AK)), _clean(env.get(ENV_SK))
    if ak and sk:
        security_token = _clean(env.get(ENV_SECURITY_TOKEN))
        names = f"{ENV_AK}/{ENV_SK}" + (f"/{ENV_SECURITY_TOKEN}" if security_token else "")
        return Credentials(source=names, ak=ak, sk=sk, security_token=security_token)
    if ak or sk:
        missing, given = (ENV_SK, ENV_AK) if ak else (ENV_AK, ENV_SK)
        raise CredentialsError(
            f"{given} is set but {missing} is not: set both (or neither and use {ENV_TOKEN})"
        )
    token = _clean(env.get(ENV_TOKEN))
    if token:
        return Credentials(source=ENV_TOKEN, token=token)
    raise CredentialsError(
        f"no credentials: set {ENV_AK} and {ENV_SK} (plus {ENV_SECURITY_TOKEN} for temporary keys), "
        f"or put an IAM token in {ENV_TOKEN} or a file given with --token-file"
    )


def redact(text: str, secrets: Iterable[str]) -> str:
    """``text`` with every secret value replaced by ``***``: anywhere when it has at least 4 characters, and
    where it stands alone (no letter or digit either side: ``"ab"``, ``=ab,``) when it is shorter."""
    for secret in sorted({s for s in secrets if s}, key=len, reverse=True):
        if len(secret) >= _MIN_REDACT:
            text = text.replace(secret, "***")
        else:
            text = re.sub(rf"(?<![0-9A-Za-z]){re.escape(secret)}(?![0-9A-Za-z])", "***", text)
    return text
