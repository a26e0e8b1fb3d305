"""Decode each resource's properties once per analyzer request, and build a policy's view of them only
when the policy looks.

pulumi_policy's analyzer (1.21, `pulumi_policy/policy.py`, `_PolicyAnalyzerServicer.Analyze` and
`AnalyzeStack`) runs `unknown_checking_proxy(deserialize_properties(json_format.MessageToDict(props)))`
inside its loop over the policies: for prod that is 53 resource policies x 133 resources plus 16 stack
policies x 133 resources, about 9,000 conversions of the same protobuf Structs, each followed by two
deep copies, most of the pack's time. Most policies look at one or two resource types and never read
the others' properties.

Within one `Analyze` or `AnalyzeStack` call:
- `MessageToDict` of a given message is computed once and reused. The converted dict is only ever
  read by `deserialize_properties`, which builds new dicts, lists, assets and archives from it.
- The first `deserialize_properties` of a converted dict runs as before (a malformed value fails there,
  where it failed before); for the other policies, `unknown_checking_proxy` returns a proxy that runs
  the same `deserialize_properties` and `unknown_checking_proxy` when the policy first reads it. Every
  policy still gets objects of its own, and reading an unknown value raises as before.
- A resource's options (`_get_resource_options`: protect, ignoreChanges, aliases, timeouts, parent) are read
  from its message once and the same read-only `PolicyResourceOptions` is handed to every policy, as the
  SDK already hands every policy the same protobuf lists inside it (11,000 reads for prod otherwise).

The memo lives for one request in one server thread (the pack serves from a thread pool) and holds what
it keyed, so an `id` cannot be reused while it lives; any other use (Configure reads the policy config
with `json_format`, Remediate deserializes with secrets) is untouched. If pulumi_policy no longer has
these internals, nothing is patched and the pack runs as before.
"""

from __future__ import annotations

import functools
import threading
from typing import Any, Callable

from google.protobuf import json_format
from pulumi_policy import deserialize as sdk_deserialize
from pulumi_policy import proxy as sdk_proxy

_local = threading.local()


def _memo() -> dict[Any, Any] | None:
    return getattr(_local, "memo", None)


class _RequestJsonFormat:
    """`json_format` as pulumi_policy.policy sees it: `MessageToDict` memoized inside a request."""

    def __getattr__(self, name: str) -> Any:
        return getattr(json_format, name)

    @staticmethod
    def MessageToDict(message: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N802 (protobuf's name)
        memo = _memo()
        if memo is None or args or kwargs:
            return json_format.MessageToDict(message, *args, **kwargs)
        hit = memo.get(id(message))
        if hit is None:
            hit = memo[id(message)] = (message, json_format.MessageToDict(message))
        return hit[1]


class _Deferred:
    """What `deserialize_properties` hands `unknown_checking_proxy` for a dict already deserialized once."""

    __slots__ = ("raw",)

    def __init__(self, raw: dict[str, Any]):
        self.raw = raw


class _DictProxy(sdk_proxy._DictProxy):  # pyright: ignore[reportPrivateUsage]
    """pulumi_policy's props proxy, built from the converted dict on first use (every method of the base
    class is overridden, so its own state is never needed)."""

    def __init__(self, raw: dict[str, Any]):  # noqa: D107 - no super().__init__: see the class docstring
        self._raw = raw
        self._built: Any = None

    def _props(self) -> Any:
        if self._built is None:
            self._built = sdk_proxy.unknown_checking_proxy(sdk_deserialize.deserialize_properties(self._raw))
        return self._built

    def __getitem__(self, key: Any) -> Any:
        return self._props()[key]

    def __setitem__(self, key: Any, value: Any) -> None:
        self._props()[key] = value

    def __len__(self) -> int:
        return len(self._props())

    def __iter__(self) -> Any:
        return iter(self._props())


def _deserialize_properties(props: Any, proxy_secrets: bool = False) -> Any:
    memo = _memo()
    if memo is None or proxy_secrets or not isinstance(props, dict):
        return sdk_deserialize.deserialize_properties(props, proxy_secrets)
    key = ("deserialized", id(props))
    if key not in memo:
        memo[key] = props  # the first policy's copy is made now, as before
        return sdk_deserialize.deserialize_properties(props)
    return _Deferred(props)


def _unknown_checking_proxy(props: Any) -> Any:
    if isinstance(props, _Deferred):
        return _DictProxy(props.raw)
    return sdk_proxy.unknown_checking_proxy(props)


def _options_once(method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    def options(self: Any, request: Any) -> Any:
        memo = _memo()
        if memo is None:
            return method(self, request)
        key = ("options", id(request))
        hit = memo.get(key)
        if hit is None:
            hit = memo[key] = (request, method(self, request))  # holds the request: its id stays unique
        return hit[1]

    options.decodes_once = True  # type: ignore[attr-defined]  # a marker on the wrapper, read back by getattr below
    return options


def _per_request(method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    def handle(self: Any, request: Any, context: Any) -> Any:
        _local.memo = {}
        try:
            return method(self, request, context)
        finally:
            _local.memo = None

    handle.decodes_once = True  # type: ignore[attr-defined]  # a marker on the wrapper, read back by getattr below
    return handle


def decode_requests_once() -> bool:
    """Patch pulumi_policy's analyzer (once per process); False when its internals are not there."""
    try:
        from pulumi_policy import policy

        sdk: Any = policy  # its module-level names are what the analyzer calls
        servicer: Any = sdk._PolicyAnalyzerServicer
        methods = servicer.Analyze, servicer.AnalyzeStack
        options = servicer._get_resource_options
        names = sdk.json_format, sdk.deserialize_properties, sdk.unknown_checking_proxy
    except (ImportError, AttributeError):
        return False
    ours = (_RequestJsonFormat, _deserialize_properties, _unknown_checking_proxy)
    originals = (json_format, sdk_deserialize.deserialize_properties, sdk_proxy.unknown_checking_proxy)
    for current, original, replacement in zip(names, originals, ours):
        if current is not original and current is not replacement and not isinstance(current, _RequestJsonFormat):
            return False  # someone else's patch: leave pulumi_policy alone
    sdk.json_format = _RequestJsonFormat()
    sdk.deserialize_properties = _deserialize_properties
    sdk.unknown_checking_proxy = _unknown_checking_proxy
    for name, method in zip(("Analyze", "AnalyzeStack"), methods):
        if not getattr(method, "decodes_once", False):
            setattr(servicer, name, _per_request(method))
    if not getattr(options, "decodes_once", False):
        servicer._get_resource_options = _options_once(options)
    return True
