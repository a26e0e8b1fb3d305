"""Decode each resource's properties once per analyzer request, not once per policy.

pulumi_policy's analyzer (1.21, `pulumi_policy/policy.py`, `_PolicyAnalyzerServicer.Analyze` and
`AnalyzeStack`) runs `deserialize_properties(json_format.MessageToDict(props))` inside its loop over
the policies: for prod that is 53 resource policies x 133 resources plus 16 stack policies x 133
resources, about 9,000 conversions of the same protobuf Structs, most of the pack's time.

Within one `Analyze` or `AnalyzeStack` call, `MessageToDict` of a given message is computed once and
reused. Nothing else changes: the converted dict is only ever read by `deserialize_properties`, which
builds new dicts, lists, assets and archives from it, so every policy still gets objects of its own.
The memo lives for one request in one server thread (the pack serves from a thread pool) and holds the
messages it keyed, so an `id` cannot be reused while it lives; any other `json_format` use (Configure
reads the policy config with it) is untouched. If pulumi_policy no longer has these internals, nothing
is patched and the pack runs as before.
"""

from __future__ import annotations

import functools
import threading
from typing import Any, Callable

from google.protobuf import json_format

_local = threading.local()


class _RequestJsonFormat:
    """`json_format` as pulumi_policy.policy sees it: `MessageToDict` memoized inside a request."""

    def __getattr__(self, name: str) -> Any:
        return getattr(json_format, name)

    @staticmethod
    def MessageToDict(message: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N802 (protobuf's name)
        memo: dict[int, tuple[Any, Any]] | None = getattr(_local, "memo", None)
        if memo is None or args or kwargs:
            return json_format.MessageToDict(message, *args, **kwargs)
        hit = memo.get(id(message))
        if hit is None:
            hit = memo[id(message)] = (message, json_format.MessageToDict(message))
        return hit[1]


def _per_request(method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    def handle(self: Any, request: Any, context: Any) -> Any:
        _local.memo = {}
        try:
            return method(self, request, context)
        finally:
            _local.memo = None

    handle.decodes_once = True  # type: ignore[attr-defined]
    return handle


def decode_requests_once() -> bool:
    """Patch pulumi_policy's analyzer (once per process); False when its internals are not there."""
    try:
        from pulumi_policy import policy as sdk

        servicer: Any = sdk._PolicyAnalyzerServicer  # pyright: ignore[reportPrivateUsage]
        methods = servicer.Analyze, servicer.AnalyzeStack
    except (ImportError, AttributeError):
        return False
    if getattr(sdk, "json_format", None) is not json_format and not isinstance(sdk.json_format, _RequestJsonFormat):
        return False
    sdk.json_format = _RequestJsonFormat()  # type: ignore[assignment]
    for name, method in zip(("Analyze", "AnalyzeStack"), methods):
        if not getattr(method, "decodes_once", False):
            setattr(servicer, name, _per_request(method))
    return True
