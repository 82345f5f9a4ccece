"""Each cloud attribute is declared once (pulumi_endpoints/aws/schema.py); every face agrees with it."""

from __future__ import annotations

import dataclasses
import inspect
import logging
import typing

import pytest

from pulumi_endpoints.aws import drivers
from pulumi_endpoints.aws.config import AwsConfig
from pulumi_endpoints.aws.lifecycle import LIFECYCLES
from pulumi_endpoints.aws.ownership import Claim
from pulumi_endpoints.aws.schema import KINDS, Kind, Policy, face_values
from pulumi_endpoints.blueprint.model import SecretValue
from pulumi_endpoints.labels import cloud_tags
from pulumi_endpoints.pulumi_types import DYNAMIC_NAMES
from pulumi_endpoints.terraform.resources import RESOURCES

KIND_LIST = list(KINDS.values())
NUMBER_HINTS = (int, float, int | None, float | None)


@pytest.mark.parametrize("kind", KIND_LIST, ids=list(KINDS))
def test_every_model_field_is_declared_with_its_type(kind: Kind) -> None:
    hints = typing.get_type_hints(kind.model)
    fields = [f.name for f in dataclasses.fields(kind.model) if f.name not in ("kind", "owner")]
    assert sorted(a.name for a in kind.fields) == sorted(fields)
    for attribute in kind.fields:
        hint = hints[attribute.name]
        expected = {"number": hint in NUMBER_HINTS, "bool": hint is bool,
                    "set": typing.get_origin(hint) is tuple, "map": typing.get_origin(hint) is dict,
                    "string": hint not in NUMBER_HINTS and hint is not bool
                    and typing.get_origin(hint) not in (tuple, dict)}
        assert expected[attribute.type], f"{kind.name}.{attribute.name}: {attribute.type} for {hint}"


@pytest.mark.parametrize("kind", KIND_LIST, ids=list(KINDS))
def test_declarations_are_consistent(kind: Kind) -> None:
    for attribute in kind.attributes:
        where = f"{kind.name}.{attribute.name}"
        assert not (attribute.computed and (attribute.required or attribute.default is not None)), where
        assert not (attribute.volatile and not attribute.computed), where
        assert attribute.default_from is None or attribute.default_from in kind.by_name, where
        assert attribute.description.strip(), where
    assert set(kind.identity) <= {a.name for a in kind.fields}
    assert not [a for a in kind.attributes if a.policy is Policy.COMPUTED and a.name in kind.identity]


@pytest.mark.parametrize("resource", RESOURCES, ids=[r.kind.name for r in RESOURCES])
def test_terraform_schema_is_generated_from_the_declaration(resource) -> None:
    kind = resource.kind
    schema = {a.name: a for a in resource.get_schema().attributes}
    declared = {a.face_name: a for a in kind.attributes}
    extra = {"id"} | ({"tags_all"} if kind.has_tags else set())
    assert set(schema) == set(declared) | extra
    for name, attribute in declared.items():
        tf = schema[name]
        assert tf.description == attribute.description, name
        assert bool(tf.required) == attribute.required, name
        assert bool(tf.computed) == (attribute.computed or attribute.default is not None), name
        assert bool(tf.requires_replace) == (attribute.policy is Policy.REPLACE), name
        assert bool(tf.sensitive) == attribute.sensitive, name


def test_pulumi_resources_output_every_attribute_but_terraform_only_settings() -> None:
    from pulumi_endpoints.component.cloud import CLASSES

    for name, kind in KINDS.items():
        outputs = set(CLASSES[name].__annotations__)
        assert outputs >= {a.face_name for a in kind.attributes if not a.terraform_only}, name
        assert not outputs & {a.face_name for a in kind.attributes if a.terraform_only}, name
    assert DYNAMIC_NAMES == {name: kind.pulumi_name for name, kind in KINDS.items()}


@pytest.mark.parametrize("name", sorted(KINDS))
def test_every_driver_keeps_the_contract(name: str) -> None:
    """Each driver module has the Protocol's calls, taking the same positional arguments."""
    module = drivers.DRIVERS[name]
    for call, expected in inspect.getmembers(drivers.Driver, inspect.isfunction):
        if call.startswith("_"):
            continue
        want = [p for p in inspect.signature(expected).parameters.values() if p.name != "self"]
        got = inspect.signature(getattr(module, call)).parameters.values()
        positional = [p for p in got if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
        assert len(positional) == len([p for p in want if p.kind is p.POSITIONAL_ONLY]), f"{name}.{call}"
        required_keywords = {p.name for p in got if p.kind is p.KEYWORD_ONLY and p.default is p.empty}
        assert required_keywords == {p.name for p in want if p.kind is p.KEYWORD_ONLY}, f"{name}.{call}"


def test_face_values_round_trip_through_the_model() -> None:
    """What a face holds becomes the model and back, defaults filled, sets sorted, taints as text."""
    node_pool = LIFECYCLES["node_pool"]
    values = {"name": "p", "cluster_name": "c", "node_role_arn": "arn:aws:iam::1:role/n", "subnet_ids": ["b", "a"],
              "instance_types": ["g5.xlarge"], "ami_type": "AL2023_x86_64_NVIDIA", "min_size": 0.0, "max_size": 2.0,
              "taints": ["nvidia.com/gpu=true:NoSchedule"], "tags": {"endpoint": "chat"}}
    model = node_pool.model(values)
    assert (model.capacity_type, model.disk_size, model.desired_size) == ("ON_DEMAND", 100, 0)
    assert model.subnet_ids == ("a", "b") and model.owner == "chat" and isinstance(model.max_size, int)
    assert face_values(model)["taints"] == ["nvidia.com/gpu=true:NoSchedule"]
    assert face_values(model, text_taints=False)["taints"] == [
        {"key": "nvidia.com/gpu", "value": "true", "effect": "NO_SCHEDULE"}]
    assert node_pool.model(face_values(model, text_taints=False)) == model


def test_a_secret_value_travels_inside_the_model_and_out_of_the_blueprint() -> None:
    from pulumi_endpoints.aws.schema import to_plain

    secret = LIFECYCLES["secret"].model({"secret_id": "endpoints/prod/hf", "value": "hunter2",
                                         "recovery_window_days": 7.0})
    assert secret.value == SecretValue("hunter2") and "hunter2" not in repr(secret)
    assert (secret.name, secret.recovery_window_days, secret.force_delete) == ("endpoints/prod/hf", 7, False)
    assert set(to_plain(secret)) == {"kind", "name", "secret_id", "description", "tags", "owner"}


def test_each_operation_is_logged_with_its_duration_and_never_a_value(
        aws: AwsConfig, caplog: pytest.LogCaptureFixture) -> None:
    secret = LIFECYCLES["secret"]
    values = {"secret_id": "endpoints/logs/token", "value": "canary-4f1d-value", "recovery_window_days": 7,
              "tags": cloud_tags("logs", None)}
    with caplog.at_level(logging.DEBUG, logger="pulumi_endpoints"):
        secret.create(aws, values, Claim("test:logs"))
        secret.delete(aws, values)
    lines = [r.getMessage() for r in caplog.records if r.name == "pulumi_endpoints.aws.secret"]
    assert any(line.startswith("create secret 'endpoints/logs/token': done in ") for line in lines), lines
    assert any(line.startswith("delete secret 'endpoints/logs/token': done in ") for line in lines), lines
    assert "canary-4f1d-value" not in caplog.text
