"""Outputs the way the real azure-native provider answers a create during `pulumi preview`.

azure-native declares `SupportsPreview` and, for a create in preview, returns
`converter.PreviewOutputs(inputs, res.Response)` with no ID (pulumi/pulumi-azure-native,
provider/pkg/provider/provider.go `Create`, `if req.GetPreview()`): every response property that the
inputs hold keeps the input's value, mapped into the output's shape; every other one is computed
(unknown), recursively inside objects (provider/pkg/convert/previewOutputs.go `PreviewOutputs`,
`previewOutputValue`: a value whose kind does not match the output's type is unknown too, e.g. the
input list of user-assigned identity IDs against the output map; a `oneOf` object and untyped values
pass through as given). So the ID, `name`, principal IDs, login servers and key URIs are unknown,
while a name given as an input (`accountName`) stays known in the inputs.

The response shape comes from the Python SDK's own output types (`pulumi._types`), which are
generated from the same schema.
"""

from __future__ import annotations

import importlib
import typing
from collections import abc
from functools import lru_cache
from typing import Any

from pulumi import _types  # pyright: ignore[reportPrivateUsage] - the SDK's own type metadata
from pulumi.output import Unknown
from pulumi.runtime import rpc

UNKNOWN = rpc.UNKNOWN


@lru_cache(maxsize=None)
def response_types(token: str) -> dict[str, Any] | None:
    """Output property name -> type of an azure-native resource token, or None if not found."""
    package, module, name = token.split(":")
    if package != "azure-native":
        return None
    try:
        cls = getattr(importlib.import_module(f"pulumi_azure_native.{module.replace('/', '.')}"), name)
    except (ImportError, AttributeError):
        return None
    return dict(_types.resource_types(cls))


def preview_outputs(inputs: dict[str, Any], types: dict[str, Any]) -> dict[str, Any]:
    """PreviewOutputs: each output property from the input of that name, or unknown."""
    return {name: _value(inputs[name], typ) if name in inputs else UNKNOWN for name, typ in types.items()}


def _value(value: Any, typ: Any) -> Any:
    if isinstance(value, Unknown) or value == UNKNOWN:
        return UNKNOWN
    if rpc.is_rpc_secret(value):
        return rpc.wrap_rpc_secret(_value(rpc.unwrap_rpc_secret(value), typ))
    typ = _types.unwrap_optional_type(typ)
    origin, args = typing.get_origin(typ), typing.get_args(typ)
    if typ is bool:
        return value if isinstance(value, bool) else UNKNOWN
    if typ in (int, float):
        return value if isinstance(value, (int, float)) and not isinstance(value, bool) else UNKNOWN
    if typ is str:
        return value if isinstance(value, str) else UNKNOWN
    if origin in (list, abc.Sequence) and isinstance(value, list):
        return [_value(v, args[0] if args else Any) for v in value]
    if isinstance(typ, type) and _types.is_output_type(typ) and isinstance(value, dict):
        return preview_outputs(value, dict(_types.output_type_types(typ)))
    if origin in (dict, abc.Mapping) and isinstance(value, dict):
        return {k: _value(v, args[1] if len(args) > 1 else Any) for k, v in value.items()}
    if origin is typing.Union and isinstance(value, dict):
        return value  # oneOf: "fallback to legacy behaviour - assuming the input is same as output"
    if typ is Any or typ is object:
        return value
    return UNKNOWN
