"""What the offline preview skips because it cannot matter offline (issue 12).

- **azure-native's version aliases.** Every azure-native resource class passes one
  `Alias(type_="azure-native:<module>/v<date>:<Name>")` per older API version (4 to 51 each), and
  `Resource.__init__` turns each into Outputs and tasks (`collapse_alias_to_urn`). Aliases only match
  a resource against a previous state, and an offline preview has none; the mock monitor does not
  even record them. Only those generated type aliases are dropped: any other alias (our components'
  own, or one a component gives an azure-native child it moved) is kept, because URN stability for
  users who deploy depends on them.
- **CPython's cyclic GC.** The SDK declares everything before the event loop drains, so every full
  collection rescans a heap that grows with the stack: the only super-linear cost of a preview. It is
  paused while the program runs, then re-enabled and run once.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Any, Iterator

import pulumi
from pulumi.resource import CustomResource

_PROVIDER = "azure-native:"


def _is_version_alias(alias: Any) -> bool:
    """`Alias(type_="azure-native:...")` and nothing else: the SDK's generated API-version alias."""
    return (
        isinstance(alias, pulumi.Alias)
        and isinstance(alias.type_, str)
        and alias.type_.startswith(_PROVIDER)
        and alias.name is ...
        and alias.parent is ...
        and alias.stack is ...
        and alias.project is ...
    )


def without_version_aliases(t: str, opts: pulumi.ResourceOptions | None) -> pulumi.ResourceOptions | None:
    """`opts` (copied, never mutated) without the generated aliases of an azure-native resource."""
    if opts is None or not opts.aliases or not t.startswith(_PROVIDER):
        return opts
    kept = [a for a in opts.aliases if not _is_version_alias(a)]
    if len(kept) == len(opts.aliases):
        return opts
    trimmed = opts._copy()  # pyright: ignore[reportPrivateUsage] - the SDK's own shallow copy
    trimmed.aliases = kept or None
    return trimmed


@contextmanager
def offline_runtime() -> Iterator[None]:
    """Within: azure-native version aliases dropped and the cyclic GC paused. Both restored on exit."""
    original = CustomResource.__init__

    def init(self: CustomResource, t: str, name: str, props: Any = None, opts: Any = None, *args: Any, **kwargs: Any) -> None:
        original(self, t, name, props, without_version_aliases(t, opts), *args, **kwargs)

    was_enabled = gc.isenabled()
    CustomResource.__init__ = init  # type: ignore[method-assign]
    gc.disable()
    try:
        yield
    finally:
        CustomResource.__init__ = original  # type: ignore[method-assign]
        if was_enabled:
            gc.enable()
            gc.collect()
