"""The package's own stacks under the spec checks: each passes, and both together take no name twice."""

from amlws import spec
from amlws.cli import main
from harness import ROOT


def test_dev_and_prod_pass_together_and_every_declared_type_has_facts(stack_preview):
    dev, prod = stack_preview("dev"), stack_preview("prod")  # each raises on a violation
    assert spec.name_collisions([("dev", dev.registrations), ("prod", prod.registrations)]) == []
    declared = {
        r.type for r in dev.registrations + prod.registrations if r.custom and r.type.startswith("azure-native:")
    }
    assert declared and all(spec.resource_facts(t) for t in declared), declared - set(spec.facts()["resources"])
    names = [
        r.inputs[spec.resource_facts(r.type)["name"]["property"]]
        for r in dev.registrations
        if r.type.endswith("StorageAccount")
    ]
    assert names and all(n.isalnum() and n.islower() and 3 <= len(n) <= 24 for n in names)


def test_the_cli_previews_both_stacks_in_one_run(capsys):
    assert main(["preview", "dev", "prod", "--cwd", str(ROOT), "--quiet"]) == 0
    assert "has a problem" not in capsys.readouterr().err
