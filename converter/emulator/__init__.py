"""A real HTTP server implementing the PerfTest API contract of ``converter.api`` on loopback.

``serve()`` starts one in a background thread (tests); ``run_forever()`` serves in the foreground and prints its
URL first (the CLI, ``python -m converter.emulator``). Modules: ``state`` (store + persistence), ``server`` (HTTP,
auth, routing, validation, fault injection), ``handlers`` (one function per operation), ``views`` (documented
response shapes), ``reports`` (synthetic run/report/debug data), ``common`` (shared types).
"""

from converter.emulator.server import EmulatorConfig, EmulatorServer, run_forever, serve

__all__ = ["EmulatorConfig", "EmulatorServer", "run_forever", "serve"]
