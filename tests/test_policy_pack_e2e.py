"""The pack as the CLI runs it: its own process, driven over the analyzer gRPC protocol."""

import copy
import json

import pytest

from amlws.cli import main
from amlws.policy_runner import Analysis, StreamingAnalysis, analyze, run_policy_pack, start_policy_pack
from amlws.preview import PreviewError, PreviewResult, preview_stack, run_program
from amlws.mocks import ArmMocks
from amlws.monitor import Registration
from harness import ROOT
from test_policies import CASES

PACK = ROOT / "policy"


def bad_example():
    from examples.bad_workspace.__main__ import main as bad_main

    return run_program(bad_main, "amlws", "bad", {}, [], ArmMocks())


def test_bad_example_triggers_each_documented_restriction_quoting_it(pack):
    violations, analyzed = analyze(pack, bad_example(), {}, "(none)")
    assert analyzed == 19
    storage = [v for v in violations if v["policy"] == "workspace-storage-documented-restrictions"]
    by_workspace = {v["urn"].rsplit("::", 1)[1]: v["message"] for v in storage}
    assert set(by_workspace) == {
        "ws-blob",
        "ws-premium",
        "ws-hns",
    }  # not ws-good: its datastore-only neighbours stay silent
    assert "account of type BlobStorage" in by_workspace["ws-blob"]
    assert "premium account (Premium_LRS and Premium_GRS)" in by_workspace["ws-premium"]
    assert "hierarchical namespace (used with Azure Data Lake Storage Gen2)" in by_workspace["ws-hns"]
    assert all(v["level"] == "mandatory" for v in storage)
    assert any(
        v["policy"] == "workspace-container-registry-tagged" and v["urn"].endswith("::acruntagged") for v in violations
    )
    assert any(
        v["policy"] == "application-insights-workspace-based" and v["urn"].endswith("::classic") for v in violations
    )
    [cmk] = [v for v in violations if v["policy"] == "workspace-cmk-key-vault-purge-protection"]
    assert cmk["urn"].endswith("::ws-cmk") and "purge protection" in cmk["message"]
    datastores = [v for v in violations if v["policy"] == "datastore-documented-rules"]
    assert {v["urn"].rsplit("::", 1)[1] for v in datastores} == {"ds-bad"}  # ds-good, on its HNS account, is silent
    assert any("hierarchical namespace" in v["message"] for v in datastores)
    assert any("identity-based" in v["message"] for v in datastores)
    no_diagnostics = {v["urn"].rsplit("::", 1)[1] for v in violations if v["policy"] == "workspace-diagnostic-settings"}
    assert no_diagnostics == {"ws-blob", "ws-premium", "ws-hns", "ws-good", "ws-cmk"}
    assert not any(v["policy"] == "workspace-cost-budget" for v in violations)  # not required by default


def test_budget_policy_fires_where_required_and_prod_budgets_satisfy_it(pack, stack_preview):
    fired, _ = analyze(pack, bad_example(), {"workspace-cost-budget": {"required": True}}, "(test)")
    assert {v["urn"].rsplit("::", 1)[1] for v in fired if v["policy"] == "workspace-cost-budget"} == {
        "ws-blob",
        "ws-premium",
        "ws-hns",
        "ws-good",
        "ws-cmk",
    }
    quiet, _ = analyze(pack, stack_preview("prod"), {"workspace-cost-budget": {"required": True}}, "(test)")
    assert not any(
        v["policy"]
        in (
            "workspace-cost-budget",
            "workspace-diagnostic-settings",
            "datastore-documented-rules",
            "workspace-cmk-key-vault-purge-protection",
        )
        for v in quiet
    )


def test_prod_has_no_mandatory_violation_and_dev_only_advisories(stack_verdicts):
    assert stack_verdicts("prod", "own") == []  # under policy/config/prod.json
    found = stack_verdicts("dev", "own")
    assert found and {v["level"] for v in found} == {"advisory"}
    assert {v["policy"] for v in found} >= {"workspace-public-network-access-disabled", "key-vault-purge-protection"}


def test_schema_defaults_are_applied_like_the_cli(pack, stack_preview):
    """No config at all: maxIdleMinutes defaults to 240, so a 5 h idle shutdown fires."""
    dev = copy.deepcopy(stack_preview("dev"))
    for reg in dev.registrations:
        if reg.name.endswith("ci1"):
            reg.inputs["properties"]["properties"]["idleTimeBeforeShutdown"] = "PT5H"
    violations, _ = analyze(pack, dev, {}, "(none)")
    assert any(v["policy"] == "compute-instance-idle-shutdown" and "240 minutes" in v["message"] for v in violations)


def test_config_can_lower_levels_and_disable(pack):
    violations, _ = analyze(
        pack, bad_example(), {"all": "advisory", "workspace-storage-documented-restrictions": "disabled"}, "(test)"
    )
    assert violations and all(v["level"] == "advisory" for v in violations)
    assert not any(v["policy"] == "workspace-storage-documented-restrictions" for v in violations)


@pytest.mark.parametrize(
    "config, message",
    [
        ({"no-such-policy": "advisory"}, "no policy named no-such-policy"),
        ({"compute-cluster-scale": {"maxNodes": 3}}, "has no setting maxNodes"),
        ({"required-tags": "sometimes"}, "enforcementLevel = 'sometimes'"),
        (
            {"compute-cluster-scale": {"maxNodeCount": "20"}},
            'compute-cluster-scale.maxNodeCount = "20": expected a number',
        ),
        (
            {"required-tags": {"requiredTags": ["owner", 3]}},
            "required-tags.requiredTags = .*expected a string at item 1",
        ),
        ({"workspace-cost-budget": {"required": "yes"}}, 'workspace-cost-budget.required = "yes": expected a boolean'),
    ],
)
def test_bad_policy_config_is_an_error(pack, config, message):
    with pytest.raises(PreviewError, match=message):
        analyze(pack, bad_example(), config, "cfg.json")


def test_a_policy_that_raises_is_an_error_naming_it(pack, stack_preview):
    dev = copy.deepcopy(stack_preview("dev"))
    for reg in dev.registrations:
        if reg.name.endswith("ci1"):
            reg.inputs["properties"]["properties"]["idleTimeBeforeShutdown"] = "thirty minutes"
    with pytest.raises(PreviewError, match="policy 'compute-instance-idle-shutdown' raised ValueError"):
        analyze(pack, dev, {}, "(none)")


def test_a_pack_that_fails_to_start_is_an_error(tmp_path, stack_preview):
    (tmp_path / "PulumiPolicy.yaml").write_text("runtime: python\n")
    (tmp_path / "__main__.py").write_text("import no_such_module\n")
    with pytest.raises(PreviewError, match="failed to start"):
        run_policy_pack(tmp_path, stack_preview("dev"))


def test_cli_exit_1_on_mandatory_violations_with_json_and_sarif(tmp_path, capsys, monkeypatch):
    project = tmp_path / "proj"
    project.mkdir()
    (project / "Pulumi.yaml").write_text((ROOT / "Pulumi.yaml").read_text())
    (project / "__main__.py").write_text((ROOT / "__main__.py").read_text())  # --cwd runs DIR's own program
    (project / "Pulumi.dev.yaml").write_text((ROOT / "Pulumi.dev.yaml").read_text())
    out, sarif = tmp_path / "dev.json", tmp_path / "dev.sarif"
    code = main(
        ["preview", "dev", "--cwd", str(project), "--policy-pack", str(PACK), "--json", str(out), "--sarif", str(sarif)]
    )
    assert code == 1  # no config: every network rule is mandatory
    data = json.loads(out.read_text())
    assert data["violations"] and set(data["violations"][0]) == {"policy", "level", "urn", "message"}
    log = json.loads(sarif.read_text())
    assert log["version"] == "2.1.0" and log["runs"][0]["tool"]["driver"]["rules"]
    result = log["runs"][0]["results"][0]
    assert (
        result["level"] in ("error", "warning")
        and result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "Pulumi.dev.yaml"
    )
    assert "Policy violations" in capsys.readouterr().out


def _single(typ: str, props: dict) -> PreviewResult:
    reg = Registration(
        urn=f"urn:pulumi:e2e::amlws::{typ}::r",
        type=typ,
        name="r",
        parent="",
        custom=True,
        protect=False,
        inputs=props,
        dependencies=[],
        property_dependencies={},
        outputs=props,
    )
    return PreviewResult("amlws", "e2e", [reg])


@pytest.mark.parametrize("policy, typ, firing, silent, config", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_every_resource_policy_fires_and_stays_silent_through_the_protocol(pack, policy, typ, firing, silent, config):
    settings = dict(config or {})
    if policy == "compute-vm-size-allowed":
        settings = {"allowedVmSizes": ["Standard_DS3_v2"]}
        firing = {"properties": {"computeType": "AmlCompute", "properties": {"vmSize": "Standard_NC24"}}}
    given = {policy: {"enforcementLevel": "mandatory", **settings}}
    fired, _ = analyze(pack, _single(typ, firing), given, "(test)")
    assert any(v["policy"] == policy and v["level"] == "mandatory" for v in fired)
    if silent is not None:
        quiet, _ = analyze(pack, _single(typ, silent), given, "(test)")
        assert not any(v["policy"] == policy for v in quiet)


def test_stack_policies_fire_and_stay_silent_through_the_protocol(pack, stack_verdicts):
    open_ws = _single("azure-native:machinelearningservices:Workspace", {"publicNetworkAccess": "Enabled"})
    fired, _ = analyze(pack, open_ws, {}, "(test)")
    assert any(v["policy"] == "workspace-network-isolation" for v in fired)
    isolated = _single(
        "azure-native:machinelearningservices/v20240401:Workspace",
        {"managedNetwork": {"isolationMode": "AllowInternetOutbound"}},
    )
    quiet, _ = analyze(pack, isolated, {}, "(test)")
    assert not any(v["policy"] == "workspace-network-isolation" for v in quiet)
    quiet = stack_verdicts(
        "prod", "defaults"
    )  # compliant storage, tagged registry: both documented stack policies silent
    assert not any(
        v["policy"] in ("workspace-storage-documented-restrictions", "workspace-container-registry-tagged")
        for v in quiet
    )


def test_cli_policy_config_of_the_wrong_type_is_exit_2_naming_policy_and_key(tmp_path, capsys):
    config = tmp_path / "bad.json"
    config.write_text('{"compute-instance-idle-shutdown": {"maxIdleMinutes": "two hours"}}')
    code = main(
        ["preview", "dev", "--cwd", str(ROOT), "--quiet", "--policy-pack", str(PACK), "--policy-config", str(config)]
    )
    assert code == 2
    err = capsys.readouterr().err
    assert (
        'compute-instance-idle-shutdown.maxIdleMinutes = "two hours": expected a number' in err
        and "Traceback" not in err
    )


def _with_workspace_locks(result: PreviewResult) -> tuple[PreviewResult, list[str]]:
    """`result` plus, per workspace, the lock the component declared before (`<project>-mlw-lock`, scope: the
    workspace's ID) and a resource-group lock: what how-to-managed-network ("Limitations") says to leave out."""
    from amlws.monitor import UNKNOWN

    added, urns = [], []
    groups = {r.urn: r for r in result.registrations if r.type == "azure-native:resources:ResourceGroup"}
    for ws in (r for r in result.registrations if r.type == "azure-native:machinelearningservices:Workspace"):
        project = ws.name.removesuffix("-mlw")
        scope = ws.outputs.get("id") or UNKNOWN
        lock = Registration(
            urn=f"{ws.urn.rsplit('$', 1)[0]}$azure-native:authorization:ManagementLockByScope::{ws.name}-lock",
            type="azure-native:authorization:ManagementLockByScope",
            name=f"{ws.name}-lock",
            parent=ws.parent,
            custom=True,
            protect=False,
            inputs={"lockName": f"lock-{ws.name}", "level": "CanNotDelete", "scope": scope},
            dependencies=[ws.urn],
            property_dependencies={"scope": [ws.urn]},
            outputs={"lockName": f"lock-{ws.name}", "level": "CanNotDelete", "scope": scope},
        )
        [group] = [groups[u] for u in ws.property_dependencies["resourceGroupName"] if u in groups]
        group_scope = group.outputs.get("id") or UNKNOWN
        group_lock = Registration(
            urn=f"urn:pulumi:prod::amlws::azure-native:authorization:ManagementLockByScope::{project}-rg-lock",
            type="azure-native:authorization:ManagementLockByScope",
            name=f"{project}-rg-lock",
            parent="",
            custom=True,
            protect=False,
            inputs={"level": "CanNotDelete", "scope": group_scope},
            dependencies=[group.urn],
            property_dependencies={"scope": [group.urn]},
            outputs={"level": "CanNotDelete", "scope": group_scope},
        )
        added += [lock, group_lock]
        urns += [lock.urn, group_lock.urn]
    return PreviewResult(result.project, result.stack, [*result.registrations, *added]), urns


@pytest.mark.parametrize("unknowns", [False, True])
def test_prod_with_locks_on_its_managed_network_workspaces_or_their_groups_fails(pack, stack_preview, unknowns):
    from amlws.policy_runner import load_policy_config

    prod = stack_preview("prod", unknowns)
    assert not [r for r in prod.registrations if r.name.endswith("-mlw-lock")], (
        "the component no longer locks a managed-network workspace"
    )
    locked, urns = _with_workspace_locks(prod)
    assert len(urns) == 4  # churn and fraud: the workspace and its resource group
    found, _ = analyze(pack, locked, load_policy_config(ROOT / "policy/config/prod.json"), "(test)")
    assert not [v for v in found if "during preview" in v["message"]], found
    assert sorted((v["policy"], v["level"], v["urn"]) for v in found) == sorted(
        ("workspace-managed-network-no-scope-lock", "mandatory", u) for u in urns
    ), found
    assert all("AllowOnlyApprovedOutbound" in v["message"] for v in found)


def test_the_managed_network_lock_policy_is_mandatory_under_both_shipped_configs_and_takes_no_settings(pack):
    """A lock on a managed-network workspace breaks the workspace in any environment, so dev keeps it mandatory too."""
    from google.protobuf import empty_pb2
    from pulumi.runtime.proto import analyzer_pb2

    from amlws.policy_runner import build_configuration, load_policy_config

    info = pack.stub.GetAnalyzerInfo(empty_pb2.Empty())
    for stack in ("dev", "prod"):
        configuration = build_configuration(info, load_policy_config(ROOT / f"policy/config/{stack}.json"), stack)
        assert configuration["workspace-managed-network-no-scope-lock"].enforcementLevel == analyzer_pb2.MANDATORY, (
            stack
        )
    with pytest.raises(PreviewError, match="workspace-managed-network-no-scope-lock has no setting required"):
        build_configuration(info, {"workspace-managed-network-no-scope-lock": {"required": True}}, "(test)")


def test_resources_streamed_to_the_pack_while_the_program_runs_get_the_same_verdicts(pack):
    """The command sends each resource as it is registered (StreamingAnalysis); the verdicts are those
    of analyzing the finished preview, in the same order."""
    streaming_pack = start_policy_pack(PACK, "amlws", "dev", ROOT)
    with streaming_pack:
        streaming = StreamingAnalysis(streaming_pack, PACK / "config/dev.json", "amlws", "dev")
        dev = preview_stack(ROOT, "dev", on_register=streaming.submit)
        streamed = streaming.finish(dev)
    assert streaming.analysis.sent_by_finish == 0, "every resource went to the pack as it was registered"
    after = Analysis(pack, json.loads((PACK / "config/dev.json").read_text()), "dev.json", "dev", "amlws")
    assert streamed and streamed == after.finish(dev)[0]
    assert after.sent_by_finish == len(dev.registrations)


def test_a_policy_config_problem_is_reported_after_the_programs_own(tmp_path, capsys):
    """Streaming reads the policy config while the program runs; a program error still wins, and a config
    error still comes after a preview that worked (exit 2 both times)."""
    missing = tmp_path / "missing.json"
    assert (
        main(
            [
                "preview",
                "nosuch",
                "--cwd",
                str(ROOT),
                "--quiet",
                "--policy-pack",
                str(PACK),
                "--policy-config",
                str(missing),
            ]
        )
        == 2
    )
    err = capsys.readouterr().err
    assert "no such stack file" in err and "policy config" not in err
    assert (
        main(
            [
                "preview",
                "dev",
                "--cwd",
                str(ROOT),
                "--quiet",
                "--policy-pack",
                str(PACK),
                "--policy-config",
                str(missing),
            ]
        )
        == 2
    )
    err = capsys.readouterr().err
    assert f"policy config {missing}" in err and "Traceback" not in err
