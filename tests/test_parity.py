"""The parity table: every rule issue 11 lists maps to a policy of the pack (whose description cites it)
or to a written reason for its exclusion."""

from policy_harness import BY_NAME

from amlws_policies.parity import ANCHORS, counts

ISSUE_11 = {
    "Azure Policy": "5f0c7d88 6ddb1705 e413671a ee40564d b2982f36 34c877ad 2a1a9cdf db4f9b05 7809fda1 c9d007d0 "
    "92a89a79 4733ea7b 6fac406b f0e5abd0 7c322315 60d21c4f 85b005b2 bf045164 bc1b984e 7aa1c9d5 9fbd64e3 c36a325b "
    "75973700 6df98d03 "
    "83c6fe0f 1e66c121 ea4d6841 cf820ca0 ac673a9a 5b9159ae 42781ec6 524b0254 bd560fc0 9d2b0a20 c4857be7 ff05e24e "
    "84497762 e9585a95 1bc02227 0c4bd2e8 e15effd4 6c53d030 fa298e57 e56962a6 0a914e76",
    "Checkov": " ".join(
        f"CKV_AZURE_{n}" for n in (33, 34, 35, 36, 39, 40, 41, 43, 59, 109, 112, 114, 163, 166, 206, 233, 142, 144, 150)
    ),
    "PSRule": " ".join(
        f"Azure.{r}"
        for r in (
            "Storage.UseReplication Storage.SoftDelete "
            "Storage.ContainerSoftDelete Storage.BlobAccessType Storage.Firewall "
            "Storage.FileShareSoftDelete KeyVault.Firewall KeyVault.Logs "
            "KeyVault.KeyName KeyVault.SecretName KeyVault.AutoRotationPolicy "
            "KeyVault.AccessPolicy ACR.MinSku ACR.Quarantine ACR.ContentTrust "
            "ACR.Retention ACR.ExportPolicy ACR.AuditLogs ACR.SoftDelete "
            "ML.PublicAccess Log.Replication ML.Name Storage.Name KeyVault.Name ACR.Name"
        ).split()
    ),
}


def test_every_rule_issue_11_lists_is_accounted_for():
    listed = {(a.source, a.id) for a in ANCHORS}
    missing = [
        (source, rule) for source, rules in ISSUE_11.items() for rule in rules.split() if (source, rule) not in listed
    ]
    assert missing == []


def test_each_anchor_names_a_real_policy_that_cites_it_or_gives_a_reason():
    for a in ANCHORS:
        if a.policy is None:
            assert len(a.reason) > 40, a
            continue
        assert a.policy in BY_NAME, a
        assert a.id in BY_NAME[a.policy].description, (a.id, a.policy)


def test_anchors_are_unique_and_counted():
    keys = [(a.source, a.id) for a in ANCHORS]
    assert len(keys) == len(set(keys))
    assert sum(c + e for c, e in counts().values()) == len(ANCHORS)
