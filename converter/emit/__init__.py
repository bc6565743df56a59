"""Emitters: scenario model -> PerfTest plan."""
