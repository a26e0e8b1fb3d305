"""Export an offline preview's azure-native resources as an ARM template (for the benchmark only).

    .venv/bin/python scripts/arm_export.py STACK [-o FILE]

Used to time Checkov on the same stack as `amlws preview` (scripts/benchmark.py). It is a faithful
enough projection for a scanner, not a deployable template:
- ARM type: from the Azure REST API specs' resource paths (Azure/azure-rest-api-specs, the
  `specification/<service>/resource-manager/...` path of each type, e.g. `.../Microsoft.Storage/
  storageAccounts/{accountName}`); child resources are named `parent/child` as ARM templates require.
- apiVersion: the one the installed azure-native SDK uses ("Uses Azure REST API version ..." in the
  resource class's docstring, generated from the same specs).
- Body: azure-native flattens `properties` into top-level inputs; ARM's envelope keeps `location`,
  `tags`, `sku`, `kind`, `identity`, `zones` at the top and everything else under `properties`. Inputs
  that only name the resource or its parents (path parameters) are dropped. Resources whose SDK inputs
  already carry a `properties` object keep it as given.
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import json
import re
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from amlws.monitor import Registration, plain  # noqa: E402

# token (module, Name) -> (ARM type, name inputs from the outermost parent to the resource itself)
ARM: dict[tuple[str, str], tuple[str, tuple[str, ...]]] = {
    ("storage", "StorageAccount"): ("Microsoft.Storage/storageAccounts", ("accountName",)),
    ("storage", "BlobContainer"): (
        "Microsoft.Storage/storageAccounts/blobServices/containers",
        ("accountName", "=default", "containerName"),
    ),
    ("keyvault", "Vault"): ("Microsoft.KeyVault/vaults", ("vaultName",)),
    ("keyvault", "Key"): ("Microsoft.KeyVault/vaults/keys", ("vaultName", "keyName")),
    ("containerregistry", "Registry"): ("Microsoft.ContainerRegistry/registries", ("registryName",)),
    ("applicationinsights", "Component"): ("Microsoft.Insights/components", ("resourceName",)),
    ("operationalinsights", "Workspace"): ("Microsoft.OperationalInsights/workspaces", ("workspaceName",)),
    ("machinelearningservices", "Workspace"): ("Microsoft.MachineLearningServices/workspaces", ("workspaceName",)),
    ("machinelearningservices", "Compute"): (
        "Microsoft.MachineLearningServices/workspaces/computes",
        ("workspaceName", "computeName"),
    ),
    ("machinelearningservices", "Datastore"): (
        "Microsoft.MachineLearningServices/workspaces/datastores",
        ("workspaceName", "name"),
    ),
    ("machinelearningservices", "EnvironmentContainer"): (
        "Microsoft.MachineLearningServices/workspaces/environments",
        ("workspaceName", "name"),
    ),
    ("machinelearningservices", "EnvironmentVersion"): (
        "Microsoft.MachineLearningServices/workspaces/environments/versions",
        ("workspaceName", "name", "version"),
    ),
    ("machinelearningservices", "Registry"): ("Microsoft.MachineLearningServices/registries", ("registryName",)),
    ("managedidentity", "UserAssignedIdentity"): (
        "Microsoft.ManagedIdentity/userAssignedIdentities",
        ("resourceName",),
    ),
    ("authorization", "RoleAssignment"): ("Microsoft.Authorization/roleAssignments", ("roleAssignmentName",)),
    ("authorization", "RoleDefinition"): ("Microsoft.Authorization/roleDefinitions", ("roleDefinitionId",)),
    ("consumption", "Budget"): ("Microsoft.Consumption/budgets", ("budgetName",)),
    ("monitor", "DiagnosticSetting"): ("Microsoft.Insights/diagnosticSettings", ("name",)),
    ("network", "PrivateEndpoint"): ("Microsoft.Network/privateEndpoints", ("privateEndpointName",)),
    ("network", "PrivateDnsZoneGroup"): (
        "Microsoft.Network/privateEndpoints/privateDnsZoneGroups",
        ("privateEndpointName", "privateDnsZoneGroupName"),
    ),
    ("network", "VirtualNetwork"): ("Microsoft.Network/virtualNetworks", ("virtualNetworkName",)),
    ("network", "Subnet"): ("Microsoft.Network/virtualNetworks/subnets", ("virtualNetworkName", "subnetName")),
    ("privatedns", "PrivateZone"): ("Microsoft.Network/privateDnsZones", ("privateZoneName",)),
    ("privatedns", "VirtualNetworkLink"): (
        "Microsoft.Network/privateDnsZones/virtualNetworkLinks",
        ("privateZoneName", "virtualNetworkLinkName"),
    ),
}
ENVELOPE = ("location", "tags", "sku", "kind", "identity", "zones")
PATH_INPUTS = {"resourceGroupName", "scope", "resourceUri"}


@lru_cache(maxsize=None)
def api_version(module: str, name: str) -> str:
    """The REST API version the SDK's docstrings give for the class. Read from its source file as
    text (azure-native has one resource class per file): `inspect.getsource` parses the whole module."""
    cls = getattr(importlib.import_module(f"pulumi_azure_native.{module}"), name)
    found = re.search(r"Uses Azure REST API version ([0-9a-z-]+)\.", Path(inspect.getfile(cls)).read_text())
    return found.group(1) if found else "2024-01-01"


def arm_resource(reg: Registration) -> dict[str, Any] | None:
    package, module, name = reg.type.split(":")
    if package != "azure-native" or (module, name) == ("resources", "ResourceGroup"):
        return (
            None  # a resource group template deploys into a group; groups and docker images are not ARM resources here
        )
    inputs = plain(reg.inputs)
    arm_type, name_inputs = ARM.get((module, name), (f"Microsoft.{module}/{name[0].lower()}{name[1:]}s", ("name",)))
    parts = [p[1:] if p.startswith("=") else str(inputs.get(p) or reg.name) for p in name_inputs]
    body: dict[str, Any] = {"type": arm_type, "apiVersion": api_version(module, name), "name": "/".join(parts)}
    dropped = PATH_INPUTS | {p for p in name_inputs if not p.startswith("=")}
    rest = {k: v for k, v in inputs.items() if k not in dropped}
    body.update({k: rest.pop(k) for k in ENVELOPE if k in rest})
    properties = rest.pop("properties", None)
    if isinstance(properties, dict):
        properties = {**properties, **rest}
    elif rest:
        properties = rest
    if properties:
        body["properties"] = properties
    return body


def to_template(registrations: list[Registration]) -> dict[str, Any]:
    exported = {reg.urn: (reg, arm_resource(reg)) for reg in registrations if reg.custom}
    exported = {urn: pair for urn, pair in exported.items() if pair[1] is not None}
    resources = []
    for reg, body in exported.values():
        assert body is not None
        deps = [exported[u][1] for u in reg.dependencies if u in exported]
        if deps:  # ARM's own form of a reference: resourceId('<type>', '<name segments>'...)
            body["dependsOn"] = sorted(
                "[resourceId('{}', {})]".format(d["type"], ", ".join(f"'{seg}'" for seg in d["name"].split("/")))
                for d in deps
                if d
            )
        resources.append(body)
    return {
        "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
        "contentVersion": "1.0.0.0",
        "resources": resources,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("stack")
    parser.add_argument("-o", "--output", default="-")
    args = parser.parse_args()
    from amlws.preview import preview_stack

    text = json.dumps(to_template(preview_stack(ROOT, args.stack).registrations), indent=2) + "\n"
    if args.output == "-":
        sys.stdout.write(text)
    else:
        Path(args.output).write_text(text)


if __name__ == "__main__":
    main()
