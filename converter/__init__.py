"""perftest-converter: JMeter (JMX) and browser recordings (HAR) -> Huawei Cloud CodeArts PerfTest.

Public API: :func:`convert_har`, :func:`convert_jmx` (each returns a :class:`Conversion` with the plan and
the ledger), the :class:`Scenario` model and the :class:`Plan`.
"""

from __future__ import annotations

__version__ = "0.1.0"

from converter.convert import Conversion, convert_har, convert_jmx
from converter.model import Scenario
from converter.plan import Plan

__all__ = ["Conversion", "Plan", "Scenario", "__version__", "convert_har", "convert_jmx"]
