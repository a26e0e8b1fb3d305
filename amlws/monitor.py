"""A MockMonitor that records what the engine would see of each resource registration."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

import pulumi

from google.protobuf import json_format
from pulumi.runtime import mocks
from pulumi.runtime.settings import get_project, get_stack

from . import spec
from .declared import declaration_site

SECRET_SIG = "4dabf18193072939515e22adb298388d"
SECRET_VALUE = "1b47061264138c4ac30d75fd1eb44270"
RESOURCE_VALUE = "5cf8f73096256a8f31e491e813e4eb8e"
UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
MASK = "[secret]"


def plain(value: Any, mask: bool = True) -> Any:
    """Wire values to JSON: secrets masked (or unwrapped when mask=False), references as URNs."""
    if isinstance(value, dict):
        if value.get(SECRET_SIG) == SECRET_VALUE:
            return MASK if mask else plain(value.get("value"), mask)
        if value.get(SECRET_SIG) == RESOURCE_VALUE:
            return value.get("urn")
        return {k: plain(value[k], mask) for k in sorted(value)}  # protobuf maps have no order: give one
    if isinstance(value, list):
        return [plain(v, mask) for v in value]
    if value == UNKNOWN:
        return "[unknown]"
    if isinstance(value, float) and value.is_integer():
        return int(value)  # protobuf Struct numbers are doubles; ARM integers read better as ints
    return value


@dataclass
class Registration:
    urn: str
    type: str
    name: str
    parent: str
    custom: bool
    protect: bool
    inputs: dict[str, Any]
    dependencies: list[str]
    property_dependencies: dict[str, list[str]]
    outputs: dict[str, Any] = field(default_factory=dict)
    id: str | None = None
    ignore_changes: list[str] = field(default_factory=list)
    declared_at: tuple[str, int] | None = None
    """The user's program file and line that declared this component (None: the stack program, or not ours)."""


class RecordingMonitor(mocks.MockMonitor):
    """Records every RegisterResource request; URNs are derived the way the engine derives them."""

    def __init__(self, mocks_: mocks.Mocks, on_register: Callable[[Registration], None] | None = None):
        """`on_register` is called with each resource as it is recorded (from the SDK's worker threads)."""
        super().__init__(mocks_)
        self.on_register = on_register
        self.registrations: list[Registration] = []
        self.stack_outputs: dict[str, Any] = {}
        self.spec_violations: list[spec.SpecViolation] = []
        self.declared: dict[tuple[str, str], tuple[str, int]] = {}
        """(type token, name) of each of our components a user's program declared -> its file and line."""

    def make_urn(self, parent: str, type_: str, name: str) -> str:
        # The engine qualifies a child's type with its parent's whole type chain, except for the
        # root stack; the stock MockMonitor keeps only the last link and includes the stack.
        if parent:
            qualified = parent.split("::")[2]
            if qualified != "pulumi:pulumi:Stack":
                type_ = f"{qualified}${type_}"
        return f"urn:pulumi:{get_stack()}::{get_project()}::{type_}::{name}"

    def RegisterResourceOutputs(self, request):  # noqa: N802 (gRPC method name)
        """The stack's exports arrive as the root stack's outputs (wire form: secrets stay marked)."""
        if "::pulumi:pulumi:Stack::" in request.urn:
            self.stack_outputs = json_format.MessageToDict(request.outputs)
        return super().RegisterResourceOutputs(request)

    def RegisterResource(self, request):  # noqa: N802 (gRPC method name)
        checked = self._check_like_azure_native(request) if request.custom else None
        response = super().RegisterResource(request)
        if request.type != "pulumi:pulumi:Stack":
            registration = Registration(
                urn=response.urn,
                type=request.type,
                name=request.name,
                parent=request.parent,
                custom=bool(request.custom),
                protect=bool(request.protect),
                inputs=checked if checked is not None else json_format.MessageToDict(request.object),
                # The SDK builds these from sets: sorted, so every consumer (JSON, graph, pack) is stable.
                dependencies=sorted(set(request.dependencies)),
                property_dependencies={k: sorted(set(v.urns)) for k, v in sorted(request.propertyDependencies.items())},
                outputs=json_format.MessageToDict(response.object) if response.object else {},
                id=response.id or None,
                ignore_changes=list(request.ignoreChanges),
                declared_at=self.declared.get((request.type, request.name)),
            )
            self.registrations.append(registration)
            if self.on_register is not None:
                self.on_register(registration)
        return response

    def _check_like_azure_native(self, request) -> dict[str, Any] | None:
        """What the provider's Check does before anything else sees the inputs: fill in a missing name,
        then validate against the spec facts (amlws/spec.py). The engine hands the checked inputs on.
        Returns the inputs as read (`MessageToDict(request.object)`) when nothing was filled in, so
        they are converted once; None for a type without facts, or after a name was added."""
        if spec.resource_facts(request.type) is None:
            return None  # nothing to fill in or check (other providers, versioned azure-native tokens)
        urn = self.make_urn(request.parent, request.type, request.name)
        inputs = json_format.MessageToDict(request.object)
        named = spec.default_name(request.type, request.name, urn)
        filled = False
        if named is not None and named[0] not in inputs:
            request.object.update({named[0]: named[1]})
            inputs[named[0]] = named[1]
            filled = True
        self.spec_violations.extend(spec.check(request.type, request.name, urn, inputs))
        return None if filled else inputs


@contextmanager
def recording_declarations(monitor: RecordingMonitor) -> Iterator[None]:
    """Within: each `amlws:` component notes where the user's program declared it (`Registration.declared_at`).

    Captured when it is constructed, the only moment the program's frame is on the stack (registration
    happens later, on the event loop). Components the stack program declares get none: their lines are
    in the stack file."""
    original = pulumi.ComponentResource.__init__

    def init(self: pulumi.ComponentResource, t: str, name: str, *args: Any, **kwargs: Any) -> None:
        if t.startswith("amlws:"):
            site, _ = declaration_site(skip=2)
            if site is not None:
                monitor.declared[(t, name)] = site
        original(self, t, name, *args, **kwargs)

    pulumi.ComponentResource.__init__ = init
    try:
        yield
    finally:
        pulumi.ComponentResource.__init__ = original
