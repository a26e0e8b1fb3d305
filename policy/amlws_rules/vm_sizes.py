"""Azure VM size names a compute instance or cluster may ask for (`vmSize`), and the rule that checks one.

The names live in vm_sizes.json beside this module (package data: the pack's own virtualenv reads it from
policy/, an installed project from the wheel), one block per source, each naming it:
- The REST API spec's `VirtualMachineSizeTypes` enum (azure-rest-api-specs, specification/compute/resource-manager/
  Microsoft.Compute/ComputeRP/stable/2024-07-01/virtualMachine.json; the same 166 values as
  `pulumi_azure_native.compute.VirtualMachineSizeTypes`). The spec calls the enum deprecated and frozen: it
  stops at the v3 sizes.
- Newer series from the size tables of learn.microsoft.com/azure/virtual-machines/sizes/<family>/<series> (the
  page is named in each block's `source`), the series an Azure ML compute most often uses.

Azure adds sizes every few months and offers each only in some regions: this list can only say that a name is
a real size, not that a region has it. A size newer than the list is allowed explicitly with
`allowUnlistedVmSize: true` beside `vmSize` in a stack file (`allow_unlisted_vm_size=True` in component Args).
"""

from __future__ import annotations

import difflib
import json
from pathlib import Path


def _load(path: Path) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The spec enum and the documented series, in the file's order (the order the docs list them)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    spec = tuple(data["spec_enum"]["sizes"])
    documented = tuple(size for block in data["documented_series"] for size in block["sizes"])
    return spec, documented


SIZES_FILE = Path(__file__).with_name("vm_sizes.json")
SPEC_ENUM, DOCUMENTED_SERIES = _load(SIZES_FILE)
VM_SIZES: tuple[str, ...] = SPEC_ENUM + DOCUMENTED_SERIES
_BY_LOWER = {size.lower(): size for size in VM_SIZES}
ALLOW_UNLISTED = "allowUnlistedVmSize"


def vm_size_problem(value: object, allow_unlisted: bool = False, allow_key: str = ALLOW_UNLISTED) -> str | None:
    """Why `value` is not an Azure VM size name (None: it is one, or `allow_unlisted` vouches for a newer one).

    ARM compares size names without regard to case, so `standard_ds3_v2` is accepted. An empty name, one with
    characters no size has (a non-ASCII letter, a space), or a name not in the list is refused, naming the
    closest listed sizes. `allow_key` is the allowing setting as the user spells it (`allow_unlisted_vm_size`)."""
    if not isinstance(value, str) or not value.strip():
        return "an Azure VM size name is required (e.g. Standard_DS3_v2)"
    if not value.isascii() or not value.replace("_", "").replace("-", "").isalnum():
        return "not an Azure VM size name: sizes are ASCII letters, digits, '_' and '-' (e.g. Standard_DS3_v2)"
    if value.lower() in _BY_LOWER or allow_unlisted:
        return None
    close = difflib.get_close_matches(value.lower(), list(_BY_LOWER), n=3, cutoff=0.75)
    hint = f" (did you mean {' or '.join(_BY_LOWER[c] for c in close)}?)" if close else ""
    listed = f"not an Azure VM size listed in amlws_rules/vm_sizes.py{hint}"
    return f"{listed}; for a size newer than the list, set {allow_key}: true"
