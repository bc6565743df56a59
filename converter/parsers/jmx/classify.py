"""Which family a JMeter element belongs to (thread group, sampler, controller, config, timer, assertion,
pre/post-processor, listener...), from its testclass and, where the testclass is shared, its guiclass."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:  # tree imports this module (a node's family is set when it is built)
    from converter.parsers.jmx.tree import Node

Family = Literal[
    "testplan",
    "threadgroup",
    "sampler",
    "controller",
    "config",
    "timer",
    "assertion",
    "postprocessor",
    "preprocessor",
    "listener",
    "fragment",
    "workbench",
    "unknown",
]

THREAD_GROUPS = {
    "ThreadGroup",
    "SetupThreadGroup",
    "PostThreadGroup",
    "OpenModelThreadGroup",
    "kg.apc.jmeter.threads.SteppingThreadGroup",
    "kg.apc.jmeter.threads.UltimateThreadGroup",
    "com.blazemeter.jmeter.threads.concurrency.ConcurrencyThreadGroup",
    "com.blazemeter.jmeter.threads.arrivals.ArrivalsThreadGroup",
    "com.blazemeter.jmeter.threads.arrivals.FreeFormArrivalsThreadGroup",
}

CONTROLLERS = {
    "GenericController",
    "RecordingController",
    "TransactionController",
    "LoopController",
    "WhileController",
    "ForeachController",
    "IfController",
    "OnceOnlyController",
    "ThroughputController",
    "RandomController",
    "RandomOrderController",
    "InterleaveControl",
    "SwitchController",
    "RunTime",
    "CriticalSectionController",
    "ModuleController",
    "IncludeController",
    "kg.apc.jmeter.control.ParameterizedController",
}

CONFIGS = {
    "ConfigTestElement",
    "Arguments",
    "HeaderManager",
    "CookieManager",
    "CacheManager",
    "AuthManager",
    "DNSCacheManager",
    "CSVDataSet",
    "CounterConfig",
    "RandomVariableConfig",
    "KeystoreConfig",
    "JavaConfig",
    "JDBCDataSource",
    "LoginConfig",
    "LdapConfig",
    "LdapExtConfig",
    "TCPConfig",
    "FtpConfig",
    "SimpleConfig",
    "HTTPSampler.Arguments",
    "BoltConnectionElement",
    "kg.apc.jmeter.config.redis.RedisDataSet",
    "eu.luminis.jmeter.wssampler.WebSocketConfig",
}

TIMERS = {
    "ConstantTimer",
    "UniformRandomTimer",
    "GaussianRandomTimer",
    "PoissonRandomTimer",
    "SyncTimer",
    "ConstantThroughputTimer",
    "PreciseThroughputTimer",
    "JSR223Timer",
    "BeanShellTimer",
    "BSFTimer",
    "kg.apc.jmeter.timers.VariableThroughputTimer",
}

ASSERTIONS = {
    "ResponseAssertion",
    "JSONPathAssertion",
    "com.atlantbh.jmeter.plugins.jsonutils.jsonpathassertion.JSONPathAssertion",
    "DurationAssertion",
    "SizeAssertion",
    "XPathAssertion",
    "XPath2Assertion",
    "JMESPathAssertion",
    "MD5HexAssertion",
    "HTMLAssertion",
    "JSR223Assertion",
    "BeanShellAssertion",
    "BSFAssertion",
    "XMLAssertion",
    "XMLSchemaAssertion",
    "CompareAssertion",
    "SMIMEAssertion",
}

POST_PROCESSORS = {
    "RegexExtractor",
    "JSONPostProcessor",
    "com.atlantbh.jmeter.plugins.jsonutils.jsonpathextractor.JSONPathExtractor",
    "BoundaryExtractor",
    "HtmlExtractor",
    "XPathExtractor",
    "XPath2Extractor",
    "JMESPathExtractor",
    "JSR223PostProcessor",
    "BeanShellPostProcessor",
    "BSFPostProcessor",
    "JDBCPostProcessor",
    "ResultAction",
    "kg.apc.jmeter.modifiers.FifoPutPostProcessor",
    "DebugPostProcessor",
}

PRE_PROCESSORS = {
    "UserParameters",
    "RegExUserParameters",
    "AnchorModifier",
    "URLRewritingModifier",
    "SampleTimeout",
    "JSR223PreProcessor",
    "BeanShellPreProcessor",
    "BSFPreProcessor",
    "JDBCPreProcessor",
    "kg.apc.jmeter.modifiers.FifoPopPreProcessor",
    "kg.apc.jmeter.modifiers.RawRequestSourcePreProcessor",
}

LISTENERS = {
    "ResultCollector",
    "BackendListener",
    "Summariser",
    "MailerResultCollector",
    "ResultSaver",
    "BeanShellListener",
    "JSR223Listener",
    "BSFListener",
    "ProxyControl",
    "HTTPMirrorControl",
    "kg.apc.jmeter.reporters.AutoStop",
}

_LISTENER_PACKAGES = ("kg.apc.jmeter.vizualizers.", "kg.apc.jmeter.reporters.", "kg.apc.jmeter.perfmon.")


def normalise(kind: str) -> str:
    """``org.apache.jmeter....HTTPSamplerProxy`` (old saves) -> ``HTTPSamplerProxy``."""
    if kind.startswith("org.apache.jmeter."):
        return kind.rsplit(".", 1)[-1]
    return kind


def family(node: Node) -> Family:
    return node.family


@functools.lru_cache(maxsize=1024)
def family_of(testclass: str) -> Family:
    kind = normalise(testclass)
    if kind == "TestPlan":
        return "testplan"
    if kind == "WorkBench":
        return "workbench"
    if kind == "TestFragmentController":
        return "fragment"
    if kind in THREAD_GROUPS:
        return "threadgroup"
    if kind in CONTROLLERS:
        return "controller"
    if kind in CONFIGS:
        return "config"
    if kind in TIMERS:
        return "timer"
    if kind in ASSERTIONS:
        return "assertion"
    if kind in POST_PROCESSORS:
        return "postprocessor"
    if kind in PRE_PROCESSORS:
        return "preprocessor"
    if kind in LISTENERS or kind.startswith(_LISTENER_PACKAGES):
        return "listener"
    if kind.endswith("Sampler") or kind.endswith("SamplerProxy") or kind in {"TestAction", "AjpSampler"}:
        return "sampler"
    if kind.endswith("ThreadGroup"):
        return "threadgroup"
    return "unknown"


SCOPED: frozenset[str] = frozenset({"config", "timer", "assertion", "postprocessor", "preprocessor"})
