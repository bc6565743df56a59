"""Uploading plans to CodeArts PerfTest: knows plans and HTTP, nothing of JMX or HAR.

Modules: ``credentials`` (environment / token file), ``auth`` (httpx token and AK/SK auth), ``client``
(endpoint, retries, status and error handling), ``refs`` (references and fills), ``journal`` (JSON-lines
record for resume), ``lookup`` (find by name after a lost response), ``runner`` (concurrent execution,
rollback), ``verify`` (read-back comparison), ``command`` (command-line options and output).
"""

from converter.upload.client import ApiError, PerfTestClient, RetryPolicy
from converter.upload.credentials import Credentials, resolve_credentials
from converter.upload.runner import Runner, UploadOptions, UploadResult
from converter.upload.verify import verify_upload

__all__ = [
    "ApiError",
    "Credentials",
    "PerfTestClient",
    "RetryPolicy",
    "Runner",
    "UploadOptions",
    "UploadResult",
    "resolve_credentials",
    "verify_upload",
]
