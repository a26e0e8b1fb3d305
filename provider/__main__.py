"""Component provider host: serves MachineLearningWorkspace, SharedWorkspaceResources and PrivateDnsZones
to programs in any Pulumi language (`pulumi package add`). The schema is inferred from the components'
`args` annotations; see amlws/provider_schema.py for what it contains."""

from pulumi.provider.experimental import component_provider_host

from amlws.provider_schema import PACKAGE, PACKAGE_VERSION, PROVIDED_COMPONENTS

if __name__ == "__main__":
    component_provider_host(list(PROVIDED_COMPONENTS), PACKAGE, version=PACKAGE_VERSION)
