"""Mocks that answer like Azure would: ARM-shaped IDs, and invokes answered from a fixture file.

Where this differs from the real engine: the real azure-native provider auto-names resources with a
random suffix and leaves computed outputs unknown during a first `pulumi preview`; here names are the
explicit ones (or the Pulumi logical name) and outputs are the inputs plus a few computed values,
unless `unknowns=True` (`amlws preview --unknowns`), which answers creates as a first preview does.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

from pulumi.runtime import mocks

from amlws_rules import split_token

from .first_preview import preview_outputs, response_types

SUBSCRIPTION_ID = "00000000-0000-0000-0000-000000000000"
TENANT_ID = "11111111-1111-1111-1111-111111111111"
CLIENT_ID = "22222222-2222-2222-2222-222222222222"

# module, Name -> (ARM provider/type, the input that holds the explicit name)
_ARM_TYPES: dict[tuple[str, str], tuple[str, str]] = {
    ("storage", "StorageAccount"): ("Microsoft.Storage/storageAccounts", "accountName"),
    ("keyvault", "Vault"): ("Microsoft.KeyVault/vaults", "vaultName"),
    ("operationalinsights", "Workspace"): ("Microsoft.OperationalInsights/workspaces", "workspaceName"),
    ("applicationinsights", "Component"): ("Microsoft.Insights/components", "resourceName"),
    ("containerregistry", "Registry"): ("Microsoft.ContainerRegistry/registries", "registryName"),
    ("machinelearningservices", "Workspace"): ("Microsoft.MachineLearningServices/workspaces", "workspaceName"),
    ("machinelearningservices", "Registry"): ("Microsoft.MachineLearningServices/registries", "registryName"),
    ("managedidentity", "UserAssignedIdentity"): ("Microsoft.ManagedIdentity/userAssignedIdentities", "resourceName"),
    ("authorization", "RoleAssignment"): ("Microsoft.Authorization/roleAssignments", "roleAssignmentName"),
    ("authorization", "RoleDefinition"): ("Microsoft.Authorization/roleDefinitions", "roleDefinitionId"),
    ("network", "PrivateEndpoint"): ("Microsoft.Network/privateEndpoints", "privateEndpointName"),
    ("privatedns", "PrivateZone"): ("Microsoft.Network/privateDnsZones", "privateZoneName"),
    ("consumption", "Budget"): ("Microsoft.Consumption/budgets", "budgetName"),
}


class FixtureError(Exception):
    """The preview needed an answer the fixture file does not hold.

    `names_setting`: a component that looked up an existing resource for a setting reports it as that setting's
    problem (ComponentInputError), so the message names the stack key or the program line that gave the ID."""

    names_setting = True


class ResourceNotFound(Exception):
    """What Azure answers for a resource that does not exist: a fixture given as `null`, or a
    resource the program probes for before creating it (a workspace's deployed state) that the
    fixture file does not describe."""


# Resources the program reads to compare with what it is about to declare; absent means "not deployed".
PROBED_BEFORE_CREATION = frozenset({"azure-native:machinelearningservices:getWorkspace"})


def load_fixtures(path: str | Path | None) -> dict[str, dict[str, Any]]:
    """`{"resources": {"<ARM id>": {<getX result in camelCase>} | null}}`; IDs are matched
    case-insensitively, and `null` answers like Azure does for a resource that does not exist."""
    if path is None:
        return {}
    try:
        data = json.loads(Path(path).read_text())
    except (OSError, json.JSONDecodeError) as err:
        raise FixtureError(f"fixture file {path}: {err}") from None
    resources = data.get("resources") if isinstance(data, dict) else None
    if not isinstance(resources, dict):
        raise FixtureError(f'fixture file {path}: expected {{"resources": {{"<resource id>": {{...}}}}}}')
    return dict(resources)


def first_preview_state(typ: str, inputs: dict[str, Any]) -> tuple[None, dict[str, Any]]:
    """(no ID, outputs) of a create in a first preview: azure-native's PreviewOutputs; other
    providers' outputs are their inputs (the engine's answer for a provider without preview)."""
    types = response_types(typ)
    return None, preview_outputs(inputs, types) if types is not None else dict(inputs)


def _principal(urn_seed: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, urn_seed))


class ArmMocks(mocks.Mocks):
    """new_resource returns an ARM ID and state; call answers client config and existing lookups."""

    def __init__(
        self,
        fixtures: dict[str, dict[str, Any]] | None = None,
        subscription_id: str = SUBSCRIPTION_ID,
        unknowns: bool = False,
    ):
        """`unknowns`: answer creates like a real first preview (no ID, computed outputs unknown);
        lookups of existing resources stay known, as the provider reads them in a real preview too."""
        self.fixtures = fixtures or {}
        self.subscription_id = subscription_id
        # What this run created, by ID: a lookup after creation finds it, as Azure would at `pulumi up`
        # (an ID known only later, e.g. a shared resource's, is looked up once it is known).
        self.created: dict[str, dict[str, Any]] = {}
        self.unknowns = unknowns

    def arm_id(self, typ: str, name: str, inputs: dict[str, Any]) -> tuple[str, str]:
        """(id, name) of a resource of this type."""
        _, module, kind = split_token(typ)
        sub = f"/subscriptions/{self.subscription_id}"
        if (module, kind) == ("resources", "ResourceGroup"):
            rg = inputs.get("resourceGroupName") or name
            return f"{sub}/resourceGroups/{rg}", rg
        rg = inputs.get("resourceGroupName", "unknown-rg")
        workspace_children = {
            "Compute": "computes",
            "Datastore": "datastores",
            "EnvironmentContainer": "environments",
            "EnvironmentVersion": "environments",
        }
        if module == "machinelearningservices" and kind in workspace_children:
            child = inputs.get("computeName") or inputs.get("name") or name
            path = f"{workspace_children[kind]}/{child}" + (
                f"/versions/{inputs.get('version')}" if kind == "EnvironmentVersion" else ""
            )
            return (
                f"{sub}/resourceGroups/{rg}/providers/Microsoft.MachineLearningServices/workspaces/{inputs.get('workspaceName')}/{path}",
                child,
            )
        arm_type, name_input = _ARM_TYPES.get((module, kind), (f"Microsoft.{module}/{kind}", "name"))
        explicit = inputs.get(name_input) or name
        return f"{sub}/resourceGroups/{rg}/providers/{arm_type}/{explicit}", explicit

    def new_resource(self, args: mocks.MockResourceArgs) -> tuple[str | None, dict]:
        if not args.custom:
            return None, {}
        if self.unknowns and not args.resource_id and not args.typ.startswith("pulumi:providers:"):
            return first_preview_state(args.typ, args.inputs)
        resource_id, name = self.arm_id(args.typ, args.name, args.inputs)
        state: dict[str, Any] = dict(args.inputs, id=resource_id, name=name)
        _, module, kind = split_token(args.typ)
        if "identity" in args.inputs and isinstance(args.inputs["identity"], dict):
            identity = dict(args.inputs["identity"])
            if "SystemAssigned" in str(identity.get("type", "")):
                identity.update(principalId=_principal(resource_id), tenantId=TENANT_ID)
            if isinstance(identity.get("userAssignedIdentities"), list):
                # Inputs list the identities' IDs; Azure answers with a map of ID -> principal and client ID.
                identity["userAssignedIdentities"] = {
                    uid: {"principalId": _principal(uid), "clientId": _principal(uid + "/client")}
                    for uid in identity["userAssignedIdentities"]
                }
            state["identity"] = identity
        if (module, kind) == ("managedidentity", "UserAssignedIdentity"):
            state.update(
                principalId=_principal(resource_id), clientId=_principal(resource_id + "/client"), tenantId=TENANT_ID
            )
        if (module, kind) == ("keyvault", "Key"):
            uri = f"https://{args.inputs.get('vaultName')}.vault.azure.net/keys/{name}"
            state.update(keyUri=uri, keyUriWithVersion=f"{uri}/{'0' * 32}")
        if (module, kind) == ("keyvault", "Vault"):
            state["properties"] = dict(args.inputs.get("properties", {}), vaultUri=f"https://{name}.vault.azure.net/")
        if (module, kind) == ("containerregistry", "Registry"):
            state["loginServer"] = f"{name.lower()}.azurecr.io"
        self.created[resource_id.lower()] = state
        return resource_id, state

    def call(self, args: mocks.MockCallArgs) -> tuple[dict, list[tuple[str, str]] | None]:
        """Answer an invoke. A missing resource comes back as an invoke failure, the way the engine
        returns a provider's error: the caller gets an exception, and the run is not failed for it."""
        try:
            return self._answer(args), []  # no failures (the SDK sends an empty list as it does None)
        except ResourceNotFound as err:
            return {}, [("id", str(err))]

    def _answer(self, args: mocks.MockCallArgs) -> dict:
        _, module, name = split_token(args.token)
        if name == "getClientToken":
            # Only ever used to push an image, which a preview does not do.
            return {"token": "offline-preview-placeholder-token"}
        if name == "getClientConfig":
            return {
                "clientId": CLIENT_ID,
                "objectId": CLIENT_ID,
                "subscriptionId": self.subscription_id,
                "tenantId": TENANT_ID,
            }
        if name.startswith("get") and "resourceGroupName" in args.args:
            rg = args.args["resourceGroupName"]
            target = next((v for v in args.args if v.endswith("Name") and v != "resourceGroupName"), None)
            wanted = f"/resourcegroups/{rg}/".lower()
            suffix = f"/{args.args.get(target)}".lower() if target else ""
            for resource_id, result in [*self.fixtures.items(), *self.created.items()]:
                if wanted in resource_id.lower() and resource_id.lower().endswith(suffix):
                    if result is None:
                        raise ResourceNotFound(
                            f'{args.token}: Code="ResourceNotFound" The resource {resource_id!r} was not found.'
                        )
                    return dict(
                        result, id=result.get("id", resource_id), name=result.get("name", args.args.get(target))
                    )
            if args.token in PROBED_BEFORE_CREATION:
                raise ResourceNotFound(
                    f'{args.token}: Code="ResourceNotFound" '
                    f"{target}={args.args.get(target)!r} in resource group {rg!r} "
                    "is not in the fixture file, so the offline preview treats it as not deployed yet"
                )
            raise FixtureError(
                f"{args.token}: no fixture for {target}={args.args.get(target)!r} in resource group {rg!r}; "
                "pass --fixtures FILE with its properties"
            )
        raise FixtureError(f"{args.token}: the offline preview has no answer for this invoke")
