"""SARIF for GitHub code scanning: what Microsoft's SARIF Multitool checks for GitHub (rule kind
`Ghas`), each result pointing at the stack-file line that set the offending value.

The requirements are those of microsoft/sarif-sdk src/Sarif.Multitool.Library/Rules:
GH1014/Base1014 (run has `tool` and a `results` array), GH1018/Base1018 (driver has `name` and a
`rules` array), GH1015/Base1015 (result has `message.text` and a non-empty `locations`),
GH1016/Base1016 + GH1017/Base1017 (each location a physicalLocation with `artifactLocation` and a
`region` with `startLine`), GH1005 (relative URIs), GH2012 (every rule has shortDescription,
fullDescription and help.text). With AMLWS_SARIF_MULTITOOL set to the Multitool binary
(`npm install @microsoft/sarif-multitool`), the real tool validates the same file too.
"""

import json
import os
import subprocess

import jsonschema
import pytest

from amlws.cli import main
from amlws.policy_runner import run_policy_pack
from amlws.preview import preview_stack
from amlws.sarif import build_sarif
from amlws.stack_lines import node_lines
from amlws.version import version
from harness import ROOT

PACK = ROOT / "policy"


@pytest.fixture(scope="module")
def dev_sarif():
    """dev without policy config: every network rule mandatory, so there are violations to place."""
    result = preview_stack(ROOT, "dev")
    result.violations = run_policy_pack(PACK, result)
    return result, build_sarif(result, "amlws-policy (policy)", ROOT)


def line_of(stack: str, needle: str) -> int:
    lines = (ROOT / f"Pulumi.{stack}.yaml").read_text().splitlines()
    return next(i for i, text in enumerate(lines, 1) if needle in text)


def test_github_requirements_hold(dev_sarif):
    _, log = dev_sarif
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "amlws-policy" and driver["version"] == version() and isinstance(driver["rules"], list)
    assert isinstance(run["results"], list) and run["results"]
    for rule in driver["rules"]:
        assert (
            rule["shortDescription"]["text"].strip()
            and rule["fullDescription"]["text"].strip()
            and rule["help"]["text"].strip()
        )
    ids = [rule["id"] for rule in driver["rules"]]
    for result in run["results"]:
        assert result["message"]["text"].strip() and "{0}" not in result["message"]["text"]
        assert ids[result["ruleIndex"]] == result["ruleId"]
        assert result["partialFingerprints"]
        for location in result["locations"]:
            physical = location["physicalLocation"]
            uri = physical["artifactLocation"]["uri"]
            assert not uri.startswith("/") and "://" not in uri
            assert physical["region"]["startLine"] >= 1


def test_the_log_is_valid_sarif_2_1_0(dev_sarif):
    """tests/data/sarif-schema-2.1.0.json is the schema the Multitool ships (npm
    @microsoft/sarif-multitool-linux 5.7.0, sarif-2.1.0.json)."""
    _, log = dev_sarif
    schema = json.loads((ROOT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text())
    jsonschema.validate(log, schema)


def test_every_policy_of_the_pack_is_a_rule_and_fingerprints_are_stable(dev_sarif):
    result, log = dev_sarif
    assert {r["id"] for r in log["runs"][0]["tool"]["driver"]["rules"]} == {p["name"] for p in result.policies}
    again = build_sarif(result, "amlws-policy (policy)", ROOT)
    assert [r["partialFingerprints"] for r in again["runs"][0]["results"]] == [
        r["partialFingerprints"] for r in log["runs"][0]["results"]
    ]


def test_results_point_at_the_line_that_set_the_value(dev_sarif):
    _, log = dev_sarif
    where, zone = {}, {}
    for r in log["runs"][0]["results"]:
        subject = r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"]
        (zone if "SelfServeZone" in subject else where)[r["ruleId"]] = r["locations"][0]["physicalLocation"]["region"][
            "startLine"
        ]
    assert where["key-vault-purge-protection"] == line_of("dev", "enablePurgeProtection: false")
    # the self-serve zone's vault: its own setting under amlws:selfServe.resources.keyVault
    text = (ROOT / "Pulumi.dev.yaml").read_text().splitlines()
    after_zone = line_of("dev", "amlws:selfServe:")
    assert zone["key-vault-purge-protection"] == next(
        i for i, t in enumerate(text, 1) if i > after_zone and "enablePurgeProtection: false" in t
    )
    assert where["application-insights-local-auth-disabled"] == line_of("dev", "disableLocalAuth: false")
    # Open settings are written down in the stack file (issue 19): the line inside the section that wrote it.
    vault_access = next(
        i for i, t in enumerate(text, 1) if i > line_of("dev", "keyVault:") and "publicNetworkAccess: Enabled" in t
    )
    assert where["key-vault-public-network-access-disabled"] == vault_access
    assert where["workspace-public-network-access-disabled"] == line_of("dev", "publicNetworkAccess: Enabled")


def test_a_stack_file_yaml_loader_keeps_lines():
    lines = node_lines("config:\n  amlws:workspaces:\n    - project: a\n      storage:\n        kind: StorageV2\n")
    assert lines[("config", "amlws:workspaces", 0)] == 3
    assert lines[("config", "amlws:workspaces", 0, "storage", "kind")] == 5


def test_sarif_of_a_clean_run_still_has_results_and_rules(tmp_path):
    out = tmp_path / "prod.sarif"
    code = main(
        [
            "preview",
            "prod",
            "--cwd",
            str(ROOT),
            "--policy-pack",
            str(PACK),
            "--policy-config",
            str(PACK / "config/prod.json"),
            "--sarif",
            str(out),
            "--quiet",
        ]
    )
    assert code == 0
    run = json.loads(out.read_text())["runs"][0]
    assert run["results"] == [] and run["tool"]["driver"]["rules"]


@pytest.mark.skipif(
    not os.environ.get("AMLWS_SARIF_MULTITOOL"), reason="set AMLWS_SARIF_MULTITOOL to the Sarif.Multitool binary"
)
def test_the_sarif_multitool_finds_no_github_errors_or_warnings(dev_sarif, tmp_path):
    _, log = dev_sarif
    sarif, report = tmp_path / "dev.sarif", tmp_path / "report.sarif"
    sarif.write_text(json.dumps(log))
    subprocess.run(
        [
            os.environ["AMLWS_SARIF_MULTITOOL"],
            "validate",
            "--rule-kind",
            "Ghas;Sarif",
            "--level",
            "Error;Warning",
            "-o",
            str(report),
            str(sarif),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    findings = json.loads(report.read_text())["runs"][0]["results"]
    assert [(f["ruleId"], f["message"]) for f in findings] == []
