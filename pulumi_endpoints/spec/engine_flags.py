"""The llm-engine template's options as engine flags, checked against the engine's own flags.

An option ``max_model_len: 8192`` becomes ``--max-model-len 8192``. The flags each pinned engine
accepts are listed in its ``flags_file`` (``data/``, read from its argument parser, source named
there); the common ones carry their types here. A typo would otherwise crash-loop the pod, and
flags the endpoint sets itself (model, host, port) must not be given twice.
"""

from __future__ import annotations

import difflib
import functools
import re
from importlib import resources
from typing import Any

from .images import ENGINES


_INT = re.compile(r"^[0-9]+[kKmMgG]?$")  # vLLM's human_readable_int takes 32k too
# (vllm-project/vllm@v0.10.2 vllm/engine/arg_utils.py:491-900 and vllm/config/*.py; sgl-project/sglang@v0.5.6
# python/sglang/srt/server_args.py): "int", "float", "bool" (a switch), or the accepted choices.
TYPES: dict[str, dict[str, Any]] = {
    "vllm": {
        "max_model_len": "int", "max_num_batched_tokens": "int", "max_num_seqs": "int", "seed": "int",
        "tensor_parallel_size": "int", "pipeline_parallel_size": "int", "gpu_memory_utilization": "float",
        "swap_space": "float", "enforce_eager": "bool", "trust_remote_code": "bool", "enable_prefix_caching": "bool",
        "dtype": ("auto", "bfloat16", "float", "float16", "float32", "half"),
        "kv_cache_dtype": ("auto", "fp8", "fp8_e4m3", "fp8_e5m2", "fp8_inc"),
    },
    "sglang": {
        "tp_size": "int", "context_length": "int", "max_running_requests": "int", "mem_fraction_static": "float",
        "trust_remote_code": "bool", "enable_metrics": "bool",
    },
}


@functools.cache
def known_flags(engine: str) -> frozenset[str]:
    text = resources.files("pulumi_endpoints.spec").joinpath("data", ENGINES[engine].flags_file).read_text()
    return frozenset(line.strip() for line in text.splitlines() if line.startswith("--"))


def flag(key: str) -> str:
    return "--" + key.replace("_", "-")


def problems(engine: str, options: dict[str, Any]) -> list[str]:
    """What is wrong with engine options, one message per option (empty: none)."""
    found = []
    flags = known_flags(engine)
    for key, value in options.items():
        if key in ENGINES[engine].reserved_options:
            found.append(f"option {key!r}: set by the endpoint")
        elif flag(key) not in flags:
            close = difflib.get_close_matches(flag(key), flags, n=1)
            hint = f"; did you mean {close[0][2:].replace('-', '_')!r}?" if close else ""
            pinned = ENGINES[engine].flags_file.removesuffix(".flags")
            found.append(f"option {key!r}: {flag(key)} is not a flag of {pinned}{hint}")
        elif (message := _type_problem(TYPES[engine].get(key), value)) is not None:
            found.append(f"option {key!r}: {message}")
    return found


def _type_problem(kind: Any, value: Any) -> str | None:
    if kind == "int" and not (isinstance(value, int) and not isinstance(value, bool) or
                              isinstance(value, str) and _INT.match(value)):
        return f"expected a whole number, got {value!r}"
    if kind == "float" and (isinstance(value, bool) or not isinstance(value, (int, float))):
        return f"expected a number, got {value!r}"
    if kind == "bool" and not isinstance(value, bool):
        return f"expected true or false, got {value!r}"
    if isinstance(kind, tuple) and value not in kind:
        return f"expected one of {', '.join(kind)}, got {value!r}"
    return None


def arguments(options: dict[str, Any], engine: str | None = None) -> list[str]:
    """The options as flags, sorted: true a bare flag; false the --no- form of a switch where the engine
    has one (vLLM's, some on by default), else left out."""
    args: list[str] = []
    for key in sorted(options):
        value, name = options[key], flag(key)
        if value is True:
            args.append(name)
        elif value is False:
            negatable = engine is not None and ENGINES[engine].negatable_switches
            args += ["--no-" + name[2:]] if negatable and TYPES[engine].get(key) == "bool" else []
        else:
            args += [name, str(value)]
    return args
