"""The manifest validation harness must pass good objects and fail bad ones with a path."""

from __future__ import annotations

import copy

import kubernetes_validate
import pytest

from k8s_validation import (
    KUBERNETES_VERSION,
    assert_valid,
    available_custom_resources,
    validate_manifest,
    validate_manifests,
)

DEPLOYMENT = {
    "apiVersion": "apps/v1",
    "kind": "Deployment",
    "metadata": {
        "name": "llama-8b",
        "namespace": "endpoints",
        "labels": {"app.kubernetes.io/name": "llama-8b"},
    },
    "spec": {
        "replicas": 1,
        "selector": {"matchLabels": {"app.kubernetes.io/name": "llama-8b"}},
        "template": {
            "metadata": {"labels": {"app.kubernetes.io/name": "llama-8b"}},
            "spec": {
                "containers": [
                    {
                        "name": "server",
                        "image": "vllm/vllm-openai:v0.6.0",
                        "ports": [{"containerPort": 8000, "name": "http"}],
                        "resources": {"limits": {"nvidia.com/gpu": 1, "memory": "32Gi"}},
                        "readinessProbe": {"httpGet": {"path": "/health", "port": "http"}},
                    }
                ]
            },
        },
    },
}

SCALED_OBJECT = {
    "apiVersion": "keda.sh/v1alpha1",
    "kind": "ScaledObject",
    "metadata": {"name": "llama-8b", "namespace": "endpoints"},
    "spec": {
        "scaleTargetRef": {"name": "llama-8b"},
        "minReplicaCount": 0,
        "maxReplicaCount": 4,
        "triggers": [
            {
                "type": "prometheus",
                "metadata": {
                    "serverAddress": "http://prometheus.monitoring:9090",
                    "query": "sum(rate(requests_total[1m]))",
                    "threshold": "60",
                },
            }
        ],
    },
}

HTTP_ROUTE = {
    "apiVersion": "gateway.networking.k8s.io/v1",
    "kind": "HTTPRoute",
    "metadata": {"name": "llama-8b", "namespace": "endpoints"},
    "spec": {
        "parentRefs": [{"name": "workspace", "namespace": "gateway"}],
        "hostnames": ["llama-8b.example.com"],
        "rules": [
            {
                "matches": [{"path": {"type": "PathPrefix", "value": "/"}}],
                "backendRefs": [{"name": "llama-8b", "port": 8000}],
            }
        ],
    },
}


def test_kubernetes_version_is_shipped_by_kubernetes_validate() -> None:
    assert KUBERNETES_VERSION == "1.34"
    assert kubernetes_validate.validate(DEPLOYMENT, KUBERNETES_VERSION, strict=True) == "1.34"


def test_valid_deployment_passes() -> None:
    assert validate_manifest(DEPLOYMENT) == []
    assert_valid(DEPLOYMENT)


def test_misspelled_deployment_field_fails_naming_the_path() -> None:
    bad = copy.deepcopy(DEPLOYMENT)
    bad["spec"]["replica"] = bad["spec"].pop("replicas")
    errors = validate_manifest(bad)
    assert len(errors) == 1
    assert errors[0].startswith("$.spec.replica: unknown field 'replica'")
    with pytest.raises(AssertionError, match=r"\$\.spec\.replica"):
        assert_valid(bad)
    # The package's own strict mode agrees.
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(bad, KUBERNETES_VERSION, strict=True)


def test_nested_unknown_field_in_container_is_reported_at_its_path() -> None:
    bad = copy.deepcopy(DEPLOYMENT)
    bad["spec"]["template"]["spec"]["containers"][0]["imagePullPolicyy"] = "Always"
    errors = validate_manifest(bad)
    assert len(errors) == 1
    assert errors[0].startswith(
        "$.spec.template.spec.containers[0].imagePullPolicyy: unknown field 'imagePullPolicyy'"
    )


def test_deployment_wrong_type_fails() -> None:
    bad = copy.deepcopy(DEPLOYMENT)
    bad["spec"]["replicas"] = "one"
    errors = validate_manifest(bad)
    assert any(e.startswith("$.spec.replicas:") for e in errors), errors


def test_valid_minimal_scaled_object_passes() -> None:
    assert validate_manifest(SCALED_OBJECT) == []


def test_scaled_object_unknown_field_fails() -> None:
    bad = copy.deepcopy(SCALED_OBJECT)
    bad["spec"]["maxReplicas"] = 4  # the field is maxReplicaCount
    errors = validate_manifest(bad)
    assert len(errors) == 1
    assert errors[0].startswith("$.spec.maxReplicas: unknown field 'maxReplicas'")


def test_scaled_object_missing_required_field_fails() -> None:
    bad = copy.deepcopy(SCALED_OBJECT)
    del bad["spec"]["scaleTargetRef"]
    assert validate_manifest(bad) == ["$.spec: 'scaleTargetRef' is a required property"]


def test_custom_resource_metadata_is_checked_strictly() -> None:
    bad = copy.deepcopy(SCALED_OBJECT)
    bad["metadata"]["label"] = {"a": "b"}
    assert [e.split(":")[0] for e in validate_manifest(bad)] == ["$.metadata.label"]


def test_valid_http_route_passes() -> None:
    assert validate_manifest(HTTP_ROUTE) == []


def test_http_route_wrong_type_fails() -> None:
    bad = copy.deepcopy(HTTP_ROUTE)
    bad["spec"]["rules"][0]["backendRefs"][0]["port"] = "8000"
    errors = validate_manifest(bad)
    assert errors == ["$.spec.rules[0].backendRefs[0].port: '8000' is not of type 'integer'"]


def test_http_route_enum_violation_fails() -> None:
    bad = copy.deepcopy(HTTP_ROUTE)
    bad["spec"]["rules"][0]["matches"][0]["path"]["type"] = "Prefix"
    errors = validate_manifest(bad)
    assert len(errors) == 1 and errors[0].startswith("$.spec.rules[0].matches[0].path.type:")


def test_int_or_string_accepts_both_and_rejects_others() -> None:
    obj = {
        "apiVersion": "monitoring.coreos.com/v1",
        "kind": "PodMonitor",
        "metadata": {"name": "llama-8b"},
        "spec": {
            "selector": {"matchLabels": {"app": "llama-8b"}},
            "podMetricsEndpoints": [{"port": "http", "targetPort": 8000}],
        },
    }
    assert validate_manifest(obj) == []
    obj["spec"]["podMetricsEndpoints"][0]["targetPort"] = "metrics"
    assert validate_manifest(obj) == []
    obj["spec"]["podMetricsEndpoints"][0]["targetPort"] = [8000]
    errors = validate_manifest(obj)
    assert len(errors) == 1 and errors[0].startswith("$.spec.podMetricsEndpoints[0].targetPort:")


@pytest.mark.parametrize(
    "obj",
    [
        {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w"}},
        {"apiVersion": "keda.sh/v1alpha1", "kind": "ScaledJob", "metadata": {"name": "j"}},
        {"apiVersion": "keda.sh/v1", "kind": "ScaledObject", "metadata": {"name": "j"}},
        # Same first label and version as apps/v1, but not the Kubernetes apps group.
        {"apiVersion": "apps.example.com/v1", "kind": "Deployment", "metadata": {"name": "d"}},
    ],
)
def test_unknown_kind_fails(obj: dict) -> None:
    errors = validate_manifest(obj)
    assert len(errors) == 1
    assert errors[0].startswith(f"$: no schema for {obj['apiVersion']} {obj['kind']}")


@pytest.mark.parametrize(
    ("meta", "path"),
    [
        ({}, "$.metadata.name"),
        ({"name": "Llama_8B"}, "$.metadata.name"),
        ({"name": "a" * 254}, "$.metadata.name"),
        ({"name": "ok", "labels": {"app": "has space"}}, "$.metadata.labels.app"),
        ({"name": "ok", "labels": {"bad key!": "x"}}, '$.metadata.labels["bad key!"]'),
    ],
)
def test_metadata_basics(meta: dict, path: str) -> None:
    obj = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta, "data": {"k": "v"}}
    errors = validate_manifest(obj)
    assert errors and all(e.startswith(path) for e in errors), errors


def test_label_value_must_be_a_string() -> None:
    obj = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", "labels": {"gpu": 1}}}
    errors = validate_manifest(obj)
    assert len(errors) == 1 and all(e.startswith("$.metadata.labels.gpu:") for e in errors), errors


def test_service_name_must_be_a_dns_label() -> None:
    svc = {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": "8b.llama"},
        "spec": {"ports": [{"port": 80, "targetPort": "http"}]},
    }
    assert [e.split(":")[0] for e in validate_manifest(svc)] == ["$.metadata.name"]
    svc["metadata"]["name"] = "llama-8b"
    assert validate_manifest(svc) == []


def test_other_core_groups_validate() -> None:
    pdb = {
        "apiVersion": "policy/v1",
        "kind": "PodDisruptionBudget",
        "metadata": {"name": "llama-8b"},
        "spec": {"maxUnavailable": 1, "selector": {"matchLabels": {"app": "llama-8b"}}},
    }
    role = {
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "ClusterRole",
        "metadata": {"name": "endpoints:reader"},
        "rules": [{"apiGroups": [""], "resources": ["pods"], "verbs": ["get"]}],
    }
    assert validate_manifests([pdb, role]) == []
    role["rules"][0]["verb"] = role["rules"][0].pop("verbs")
    errors = validate_manifests([pdb, role])
    assert any(e.startswith("ClusterRole/endpoints:reader: $.rules[0].verb: unknown field") for e in errors), errors


def test_every_vendored_schema_loads_and_rejects_an_unknown_top_level_field() -> None:
    kinds = available_custom_resources()
    assert ("keda.sh/v1alpha1", "ScaledObject") in kinds
    assert len(kinds) == 13  # with the add-ons' GatewayClass, ClusterSecretStore and SecretStore
    for api_version, kind in kinds:
        obj = {"apiVersion": api_version, "kind": kind, "metadata": {"name": "x"}, "spex": {}}
        errors = validate_manifest(obj)
        assert any(e.startswith("$.spex: unknown field") for e in errors), (kind, errors)
        assert not any("no schema" in e for e in errors)


ROUTE_REF = {"group": "gateway.networking.k8s.io", "kind": "HTTPRoute", "name": "llama-8b"}


@pytest.mark.parametrize(
    "obj",
    [
        {
            "apiVersion": "http.keda.sh/v1alpha1",
            "kind": "HTTPScaledObject",
            "metadata": {"name": "llama-8b"},
            "spec": {
                "hosts": ["llama-8b.example.com"],
                "scaleTargetRef": {"name": "llama-8b", "kind": "Deployment", "apiVersion": "apps/v1",
                                   "service": "llama-8b", "port": 8000},
                "replicas": {"min": 0, "max": 3},
                "scaledownPeriod": 300,
            },
        },
        {
            "apiVersion": "gateway.networking.k8s.io/v1",
            "kind": "Gateway",
            "metadata": {"name": "workspace"},
            "spec": {"gatewayClassName": "eg",
                     "listeners": [{"name": "http", "protocol": "HTTP", "port": 80}]},
        },
        {
            "apiVersion": "gateway.envoyproxy.io/v1alpha1",
            "kind": "SecurityPolicy",
            "metadata": {"name": "llama-8b"},
            "spec": {"targetRefs": [ROUTE_REF],
                     "apiKeyAuth": {"credentialRefs": [{"name": "llama-8b-keys"}],
                                    "extractFrom": [{"headers": ["x-api-key"]}]}},
        },
        {
            "apiVersion": "gateway.envoyproxy.io/v1alpha1",
            "kind": "BackendTrafficPolicy",
            "metadata": {"name": "llama-8b"},
            "spec": {"targetRefs": [ROUTE_REF],
                     "loadBalancer": {"type": "ConsistentHash",
                                      "consistentHash": {"type": "Header",
                                                         "header": {"name": "x-session"}}}},
        },
        {
            "apiVersion": "external-secrets.io/v1",
            "kind": "ExternalSecret",
            "metadata": {"name": "llama-8b"},
            "spec": {"refreshInterval": "1h",
                     "secretStoreRef": {"name": "aws", "kind": "ClusterSecretStore"},
                     "target": {"name": "llama-8b-hf", "creationPolicy": "Owner"},
                     "data": [{"secretKey": "HF_TOKEN", "remoteRef": {"key": "endpoints/llama-8b/hf"}}]},
        },
    ],
    ids=lambda obj: obj["kind"],
)
def test_valid_examples_of_other_vendored_kinds_pass(obj: dict) -> None:
    assert validate_manifest(obj) == []


def test_property_less_object_schema_is_closed() -> None:
    # `gzip: {type: object}` has no fields: the API server would prune anything put there.
    btp = {
        "apiVersion": "gateway.envoyproxy.io/v1alpha1",
        "kind": "BackendTrafficPolicy",
        "metadata": {"name": "llama-8b"},
        "spec": {"targetRefs": [ROUTE_REF], "compression": [{"type": "Gzip", "gzip": {}}]},
    }
    assert validate_manifest(btp) == []
    btp["spec"]["compression"][0]["gzip"]["level"] = 9
    errors = validate_manifest(btp)
    assert len(errors) == 1 and errors[0].startswith("$.spec.compression[0].gzip.level: unknown field")
