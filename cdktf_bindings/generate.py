"""Generate ``cdktf_bindings/provider.py`` from the provider's own schema.

The schema comes from the real Terraform binary (``terraform providers schema -json``) with the
provider installed from a filesystem mirror, so the constructs never drift from the provider:
a test regenerates the module and compares. Run ``python -m cdktf_bindings.generate`` after a
change to the provider's schema.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
import textwrap
from pathlib import Path
from typing import Any

from pulumi_endpoints.terraform import ADDRESS, NAME, PREFIX
from pulumi_endpoints.terraform.binary import terraform_binary
from pulumi_endpoints.terraform.install import install, provider_version

TARGET = Path(__file__).with_name("provider.py")
SOURCE = ADDRESS.split("/", 1)[1]

# Terraform type → (argument annotation, attribute annotation, getter of TerraformResource)
_SCALARS = {"string": ("str", "str", "get_string_attribute"),
            "number": ("float", "float", "get_number_attribute"),
            "bool": ("bool", "Any", "get_boolean_attribute")}
_COLLECTIONS = {"list": ("Sequence[str]", "list[str]", "get_list_attribute"),
                "set": ("Sequence[str]", "list[str]", "get_list_attribute"),
                "map": ("Mapping[str, str]", "dict[str, str]", "get_string_map_attribute")}

HEADER = f'''"""Typed constructs for the Terraform provider {ADDRESS}.

Generated from ``terraform providers schema -json`` by ``python -m cdktf_bindings.generate``:
do not edit. tests/cdktf/test_cdktf_bindings.py fails when this file and the provider disagree.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Unpack

from constructs import Construct

from ._cdk import DataSource, Meta, Provider, Resource

SOURCE = "{SOURCE}"
VERSION = "{{version}}"
'''


def provider_schema(binary: str | None = None) -> dict[str, Any]:
    """The provider's schema as the real Terraform binary reports it (offline, from a mirror)."""
    with tempfile.TemporaryDirectory(prefix="endpoints-schema-") as folder:
        work = Path(folder)
        config = install(work / "mirror")
        (work / "main.tf.json").write_text(json.dumps(
            {"terraform": {"required_providers": {NAME: {"source": SOURCE}}}}))
        env = {**os.environ, "TF_CLI_CONFIG_FILE": str(config), "CHECKPOINT_DISABLE": "1"}
        for args in (["init", "-input=false", "-no-color"], ["providers", "schema", "-json"]):
            result = subprocess.run([binary or terraform_binary(), *args], cwd=work, env=env, text=True,
                                    capture_output=True, check=True)
        schema: dict[str, Any] = json.loads(result.stdout)["provider_schemas"][ADDRESS]
        return schema


# Structured outputs (objects, maps of lists): a token to pass on, e.g. into Fn.lookup or for_each.
_STRUCTURED = ("Any", "Any", "interpolation_for_attribute")


def _types(terraform_type: str | list[Any]) -> tuple[str, str, str]:
    if isinstance(terraform_type, str):
        return _SCALARS[terraform_type]
    collection, element = terraform_type
    return _COLLECTIONS[collection] if element == "string" else _STRUCTURED


def _camel(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_"))


def _doc(text: str, indent: str) -> str:
    text = text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"').strip()
    lines = textwrap.wrap(text, 100 - len(indent) - 6) or [""]
    if len(lines) == 1:
        return f'{indent}"""{lines[0]}"""\n'
    return f'{indent}"""' + f"\n{indent}".join(lines) + f'\n{indent}"""\n'


def _constructor(attributes: dict[str, Any], tail: list[str], call_tail: str) -> str:
    inputs = {n: a for n, a in attributes.items() if a.get("required") or a.get("optional")}
    ordered = sorted(inputs, key=lambda n: (not inputs[n].get("required"), n))
    params = ["        self,", "        scope: Construct,", "        id: str,", "        *,"]
    for name in ordered:
        annotation = _types(inputs[name]["type"])[0]
        params.append(f"        {name}: {annotation}," if inputs[name].get("required")
                      else f"        {name}: {annotation} | None = None,")
    params += [f"        {line}" for line in tail]
    values = "".join(f'            "{n}": {n},\n' for n in sorted(inputs))
    return ("    def __init__(\n" + "\n".join(params) + "\n    ) -> None:\n"
            f"        super().__init__(scope, id, {{\n{values}        }}{call_tail})\n")


def _getters(attributes: dict[str, Any]) -> str:
    out = []
    for name in sorted(n for n, a in attributes.items() if a.get("computed")):
        _, annotation, getter = _types(attributes[name]["type"])
        description = attributes[name].get("description", "")
        out.append(f"\n    @property\n    def {name}(self) -> {annotation}:\n{_doc(description, '        ')}"
                   f'        return self.{getter}("{name}")\n')
    return "".join(out)


def _element(class_name: str, base: str, terraform_type: str, schema: dict[str, Any]) -> str:
    block = schema["block"]
    return (f"\n\nclass {class_name}({base}):\n{_doc(block.get('description', ''), '    ')}\n"
            f'    terraform_type = "{terraform_type}"\n    provider_name = "{NAME}"\n'
            "    provider_version = VERSION\n\n"
            + _constructor(block["attributes"], ["**meta: Unpack[Meta],"], ", **meta")
            + _getters(block["attributes"]))


def render(schema: dict[str, Any]) -> str:
    """The source of ``provider.py`` for a provider schema."""
    major, minor = provider_version().split(".")[:2]
    provider = schema["provider"]["block"]
    source = HEADER.replace("{version}", f"~> {major}.{minor}")
    summary = f"Configuration of the {NAME} provider: the stack creates it, never a reusable construct."
    source += (f"\n\nclass {_camel(NAME)}Provider(Provider):\n{_doc(summary, '    ')}\n"
               f'    terraform_type = "{NAME}"\n    provider_source = SOURCE\n    provider_version = VERSION\n\n'
               + _constructor(provider["attributes"], ["alias: str | None = None,"], ", alias=alias"))
    for name, resource in sorted(schema["resource_schemas"].items()):
        source += _element(_camel(name.removeprefix(PREFIX)), "Resource", name, resource)
    for name, data in sorted(schema["data_source_schemas"].items()):
        source += _element(f"Data{_camel(name)}", "DataSource", name, data)
    return source


def main() -> None:
    TARGET.write_text(render(provider_schema()))
    print(f"wrote {TARGET}")


if __name__ == "__main__":
    main()
