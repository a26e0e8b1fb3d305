"""The pack decodes each resource's properties once per request (policy/amlws_policies/decode_once.py):
same responses, and each policy still gets objects of its own."""

from typing import Any

import pytest
from pulumi_policy import EnforcementLevel, ResourceValidationPolicy, StackValidationPolicy
from pulumi_policy import policy
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE, UnknownValueError
from pulumi.runtime.proto import analyzer_pb2

from amlws.policy_runner import _options, _struct
from policy_harness import ALL_POLICIES

from amlws_policies.decode_once import decode_requests_once

from examples.bad_workspace.__main__ import main as bad_main
from harness import run


sdk: Any = policy  # the analyzer's module-level names, which the patch replaces


@pytest.fixture
def unpatched():
    """Restore pulumi_policy's analyzer after the test: the patch is process-wide."""
    servicer: Any = sdk._PolicyAnalyzerServicer
    patched = [(sdk, n) for n in ("json_format", "deserialize_properties", "unknown_checking_proxy")]
    patched += [(servicer, n) for n in ("Analyze", "AnalyzeStack", "_get_resource_options")]
    saved = [(owner, name, getattr(owner, name)) for owner, name in patched]
    yield servicer
    for owner, name, value in saved:
        setattr(owner, name, value)


def _servicer(policies: list) -> Any:
    return sdk._PolicyAnalyzerServicer(
        "amlws-policy",
        "0.0.1",
        policies,
        EnforcementLevel.MANDATORY,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
    )


def _requests(registrations) -> tuple[list, analyzer_pb2.AnalyzeStackRequest]:
    single = [
        analyzer_pb2.AnalyzeRequest(
            type=r.type, properties=_struct(r.inputs), urn=r.urn, name=r.name, options=_options(r)
        )
        for r in registrations
    ]
    stack = analyzer_pb2.AnalyzeStackRequest(
        resources=[
            analyzer_pb2.AnalyzerResource(
                type=r.type,
                properties=_struct(r.outputs or r.inputs),
                urn=r.urn,
                name=r.name,
                options=_options(r),
                parent=r.parent,
                dependencies=r.dependencies,
                propertyDependencies={
                    k: analyzer_pb2.AnalyzerPropertyDependencies(urns=v) for k, v in r.property_dependencies.items()
                },
            )
            for r in registrations
        ]
    )
    return single, stack


def _answers(servicer: Any, single: list, stack: analyzer_pb2.AnalyzeStackRequest) -> list[bytes]:
    return [servicer.Analyze(r, None).SerializeToString(deterministic=True) for r in single] + [
        servicer.AnalyzeStack(stack, None).SerializeToString(deterministic=True)
    ]


@pytest.mark.parametrize("which", ["dev", "bad", "dev-unknowns"])
def test_patched_analyzer_answers_byte_for_byte_like_pulumi_policys(which, unpatched, stack_preview):
    """Violations, also over a first preview's unknown values (which the proxies guard)."""
    registrations = {
        "dev": lambda: stack_preview("dev").registrations,
        "bad": lambda: run(bad_main).registrations,
        "dev-unknowns": lambda: stack_preview("dev", unknowns=True).registrations,
    }[which]()
    single, stack = _requests(registrations)
    servicer = _servicer(ALL_POLICIES)
    before = _answers(servicer, single, stack)
    assert decode_requests_once()
    assert decode_requests_once(), "a second call leaves the patch as it is"
    assert unpatched.Analyze.__wrapped__.__name__ == "Analyze", "wrapped once, not twice"
    assert _answers(servicer, single, stack) == before
    diagnostics = [d for a in map(analyzer_pb2.AnalyzeResponse.FromString, before) for d in a.diagnostics]
    assert diagnostics, "the comparison covers violations, not only silence"


def test_each_policy_still_gets_its_own_objects(unpatched):
    seen: list[Any] = []

    def mutate(args, report):
        args.props["tags"]["owner"] = "changed"  # writes through the proxy into this policy's own copy
        args.props["extra"] = 1

    def look(args, report):
        seen.append((dict(args.props["tags"]), "extra" in args.props))
        with pytest.raises(UnknownValueError):
            args.props["later"]  # an unknown value still raises when read

    def mutate_stack(args, report):
        for r in args.resources:
            mutate(r, report)

    def look_stack(args, report):
        for r in args.resources:
            seen.append((dict(r.props["tags"]), "extra" in r.props))

    policies = [
        ResourceValidationPolicy(name="a-mutates", description="a", validate=mutate),
        ResourceValidationPolicy(name="b-looks", description="b", validate=look),
        StackValidationPolicy(name="c-mutates", description="c", validate=mutate_stack),
        StackValidationPolicy(name="d-looks", description="d", validate=look_stack),
    ]
    decode_requests_once()
    servicer = _servicer(policies)
    props = _struct({"tags": {"owner": "team"}, "name": "x", "later": UNKNOWN_STRING_VALUE})
    servicer.Analyze(analyzer_pb2.AnalyzeRequest(type="t:m:R", properties=props, urn="urn:x", name="x"), None)
    servicer.AnalyzeStack(
        analyzer_pb2.AnalyzeStackRequest(
            resources=[analyzer_pb2.AnalyzerResource(type="t:m:R", properties=props, urn="urn:x", name="x")]
        ),
        None,
    )
    assert seen == [({"owner": "team"}, False), ({"owner": "team"}, False)]


def test_a_resources_options_are_read_once_per_request(unpatched):
    """Every policy of one request reads the same options (protect, parent, ...); the next request its own."""
    seen: list[Any] = []
    policies = [
        ResourceValidationPolicy(name=n, description=n, validate=lambda args, report: seen.append(args.opts))
        for n in ("a", "b")
    ]
    decode_requests_once()
    servicer = _servicer(policies)
    for protect in (True, False):
        options = analyzer_pb2.AnalyzerResourceOptions(protect=protect, parent="urn:p")
        request = analyzer_pb2.AnalyzeRequest(type="t:m:R", properties=_struct({}), urn="u", name="x", options=options)
        servicer.Analyze(request, None)
    assert [(o.protect, o.parent) for o in seen] == [(True, "urn:p")] * 2 + [(False, "urn:p")] * 2
    assert seen[0] is seen[1] and seen[2] is seen[3] and seen[1] is not seen[2]
    assert unpatched._get_resource_options(servicer, request) is not unpatched._get_resource_options(servicer, request)


def test_outside_a_request_json_format_is_pulumi_policys_own(unpatched):
    decode_requests_once()
    first = sdk.json_format.MessageToDict(_struct({"a": [1, {"b": "c"}]}))
    assert first == {"a": [1, {"b": "c"}]}
    assert sdk.json_format.MessageToDict(_struct({"a": 1})) is not sdk.json_format.MessageToDict(_struct({"a": 1}))


def test_a_malformed_value_fails_where_it_failed_before(unpatched):
    """The first policy's copy is still made up front, so a value pulumi_policy cannot deserialize fails
    the request, with the same error, before any policy runs."""
    ran: list[str] = []
    policies = [
        ResourceValidationPolicy(name=n, description=n, validate=lambda args, report, n=n: ran.append(n))
        for n in ("a", "b")
    ]
    bogus = analyzer_pb2.AnalyzeRequest(
        type="t:m:R", properties=_struct({"x": {"4dabf18193072939515e22adb298388d": "bogus"}}), urn="u", name="x"
    )
    errors = []
    for patch in (False, True):
        if patch:
            decode_requests_once()
        with pytest.raises(AssertionError) as err:
            _servicer(policies).Analyze(bogus, None)
        errors.append(str(err.value))
    assert errors[0] == errors[1] and "Unrecognized signature" in errors[0] and ran == []
