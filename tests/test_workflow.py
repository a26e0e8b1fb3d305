"""The pull-request workflow: current action majors, the permissions upload-sarif needs, no
upload or cloud preview for pull requests from forks, and a real preview whose pack can start."""

import yaml

from harness import ROOT

WORKFLOW = yaml.safe_load((ROOT / ".github/workflows/policy.yml").read_text())
JOBS = WORKFLOW["jobs"]
# Majors seen current in public workflows in autumn 2026 (checkout/setup-python v7, upload-artifact v7,
# codeql-action v4, pulumi/actions v7).
CURRENT = {
    "actions/checkout": "v7",
    "actions/setup-python": "v7",
    "actions/upload-artifact": "v7",
    "github/codeql-action/upload-sarif": "v4",
    "pulumi/actions": "v7",
}
FORK_GUARD = "github.event.pull_request.head.repo.full_name == github.repository"


def steps(job):
    return JOBS[job]["steps"]


def test_actions_use_current_majors():
    used = [step["uses"] for job in JOBS for step in steps(job) if "uses" in step]
    assert used
    for ref in used:
        action, _, version = ref.partition("@")
        assert CURRENT.get(action) == version, ref


def test_sarif_upload_has_its_permissions_and_skips_forks():
    job = JOBS["offline-policy-check"]
    assert job["permissions"] == {"contents": "read", "security-events": "write", "actions": "read"}
    upload = next(s for s in job["steps"] if s.get("uses", "").startswith("github/codeql-action/upload-sarif"))
    assert "env.SAME_REPO == 'true'" in upload["if"] and FORK_GUARD in WORKFLOW["env"]["SAME_REPO"]


def test_the_real_preview_skips_forks_and_installs_the_pack_as_the_cli_does():
    job = JOBS["pulumi-preview"]
    assert FORK_GUARD in job["if"] and job["permissions"]["id-token"] == "write"
    install = next(s for s in job["steps"] if s.get("name") == "Install as the Pulumi CLI does")["run"]
    assert "pulumi install" in install and "cd policy && pulumi install" in install
    preview = job["steps"][-1]
    assert preview["uses"].startswith("pulumi/actions@") and preview["with"]["policyPacks"] == "policy"
