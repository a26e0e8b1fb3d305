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
  paused while the program runs, then re-enabled and run once over the young generation, which holds
  exactly the run's objects since nothing was collected meanwhile (`collect=True`, for callers that go
  on running previews: tests, scripts; a full collection would rescan every older object too). The
  command calls `exiting_soon()`: it ends the process soon after, so the run's objects are frozen
  instead (`gc.freeze`: never scanned again, never freed), which saves the single collection, about a
  quarter of a large preview.
- **Source positions.** For each registration the SDK walks and formats the Python stack
  (`traceback.extract_stack`, reading source lines) so the engine can say where a resource was
  declared; the mock monitor never reads it.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Any, Iterator

import pulumi
from pulumi.resource import CustomResource
from pulumi.runtime import resource as sdk_resource
from pulumi.runtime.proto import source_pb2

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


_collect_after_run = True


def exiting_soon() -> None:
    """The process ends right after its previews (the `amlws` command): freeze instead of collect."""
    global _collect_after_run
    _collect_after_run = False


def _no_stack_trace() -> source_pb2.StackTrace:
    return source_pb2.StackTrace()


@contextmanager
def offline_runtime(collect: bool | None = None) -> Iterator[None]:
    """Within: azure-native version aliases dropped, no source positions, the cyclic GC paused. All
    restored on exit; then one collection, or (`collect=False`, default after `exiting_soon()`)
    the run's objects frozen."""
    collect = _collect_after_run if collect is None else collect
    original_init, original_trace = CustomResource.__init__, sdk_resource._get_stack_trace  # pyright: ignore[reportPrivateUsage]

    def init(
        self: CustomResource, t: str, name: str, props: Any = None, opts: Any = None, *args: Any, **kwargs: Any
    ) -> None:
        original_init(self, t, name, props, without_version_aliases(t, opts), *args, **kwargs)

    was_enabled = gc.isenabled()
    CustomResource.__init__ = init
    sdk_resource._get_stack_trace = _no_stack_trace  # pyright: ignore[reportPrivateUsage]
    gc.disable()
    try:
        yield
    finally:
        CustomResource.__init__ = original_init
        sdk_resource._get_stack_trace = original_trace  # pyright: ignore[reportPrivateUsage]
        if was_enabled:
            if not collect:
                gc.freeze()
            gc.enable()
            if collect:
                gc.collect(0)  # the run's objects, all still young: the older heap is not rescanned
