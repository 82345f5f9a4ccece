"""The resource shape catalog: Lepton's shape names mapped to AWS instances.

Prices are AWS EC2 On-Demand Linux prices for us-east-1 in USD per instance
hour, as listed on AWS's EC2 On-Demand pricing page in early 2025 (recorded
here by hand; there is no Pricing API in the emulator and no network at
build time). AWS lowered P4 and P5 prices by up to 45 % in June 2025, so the
A100 and H100 figures overstate today's cost: ``endpoints shapes --refresh-prices``
writes the catalog at today's prices (AWS Price List Query API) for ``workspace.shapes``.

AWS has no single-GPU A100 or H100 instance: ``gpu.a100-40gb`` is one GPU of
a p4d.24xlarge (8 GPUs), so several replicas share a node and node counts
are worked out in GPUs (``replicas_per_node``).
"""

from __future__ import annotations

import math

from pydantic import Field

from .fields import ACCELERATOR_TYPE_ENV, Float, Int, SpecModel


class Shape(SpecModel):
    """One resource shape: what a replica requests and the instance it runs on."""

    cpu: Float = Field(gt=0, le=1024, description="CPU cores requested per replica")
    memory_gib: Float = Field(gt=0, le=32768, description="Memory requested per replica, GiB")
    gpu_model: str | None = Field(default=None, description="GPU model, e.g. A10G, A100-40GB; the container sees it "
                                                            f"as {ACCELERATOR_TYPE_ENV}")
    gpu_count: Int = Field(default=0, ge=0, le=64, description="GPUs per replica")
    gpu_memory_gib: Int = Field(default=0, ge=0, le=4096, description="Memory of one GPU, GiB")
    instance_type: str = Field(description="AWS instance type of the node pool")
    instance_gpus: Int = Field(default=0, ge=0, le=64,
                               description="GPUs on one instance; instance_gpus / gpu_count replicas share a node")
    instance_hourly_usd: Float = Field(gt=0, le=100_000,
                                       description="On-demand price of one instance in USD per hour; cost "
                                                   "estimates count whole instances, as AWS bills them")

    @property
    def is_gpu(self) -> bool:
        return self.gpu_count > 0

    @property
    def replicas_per_node(self) -> int:
        if not self.is_gpu:
            return 1
        return max(1, self.instance_gpus // self.gpu_count)

    @property
    def hourly_usd_per_replica(self) -> float:
        """The share of the instance price one replica occupies (Lepton's unit price)."""
        return round(self.instance_hourly_usd / self.replicas_per_node, 4)

    def nodes_for(self, replicas: int) -> int:
        return instances_for(replicas, self.replicas_per_node)


def instances_for(replicas: int, replicas_per_instance: int) -> int:
    """Instances that ``replicas`` replicas need: AWS bills each one whole."""
    return math.ceil(replicas / replicas_per_instance)


def _cpu(cores: float, memory: float, instance: str, price: float) -> Shape:
    return Shape(cpu=cores, memory_gib=memory, instance_type=instance, instance_hourly_usd=price)


def _gpu(model: str, gpu_mem: int, count: int, instance: str, instance_gpus: int, price: float,
         cpu_per_gpu: float, mem_per_gpu: float) -> Shape:
    return Shape(cpu=cpu_per_gpu * count, memory_gib=mem_per_gpu * count, gpu_model=model,
                 gpu_count=count, gpu_memory_gib=gpu_mem, instance_type=instance,
                 instance_gpus=instance_gpus, instance_hourly_usd=price)


def _eight_gpu_family(suffix: str, model: str, gpu_mem: int, instance: str,
                      price: float, cpu_per_gpu: float, mem_per_gpu: float) -> dict[str, Shape]:
    family = {}
    for count in (1, 2, 4, 8):
        name = f"gpu.{suffix}" if count == 1 else f"gpu.{count}x{suffix}"
        family[name] = _gpu(model, gpu_mem, count, instance, 8, price, cpu_per_gpu, mem_per_gpu)
    return family


DEFAULT_SHAPE = "cpu.small"

# Requests leave room for the kubelet and system pods on each instance.
CATALOG: dict[str, Shape] = {
    "cpu.small": _cpu(1, 4, "m6i.large", 0.096),
    "cpu.medium": _cpu(2, 8, "m6i.xlarge", 0.192),
    "cpu.large": _cpu(4, 16, "m6i.2xlarge", 0.384),
    "gpu.a10": _gpu("A10G", 24, 1, "g5.2xlarge", 1, 1.212, cpu_per_gpu=6, mem_per_gpu=24),
    # Lepton's larger A10 shape: g5.8xlarge (32 vCPU, 128 GiB), the smallest G5 its requests fit (there is
    # no g5.6xlarge: the EC2 API's InstanceType enum lists none; release 0.1 named it, and EKS refuses it).
    "gpu.a10.6xlarge": _gpu("A10G", 24, 1, "g5.8xlarge", 1, 2.448, cpu_per_gpu=22, mem_per_gpu=88),
    **_eight_gpu_family("a100-40gb", "A100-40GB", 40, "p4d.24xlarge", 32.7726,
                        cpu_per_gpu=11, mem_per_gpu=136),
    **_eight_gpu_family("a100-80gb", "A100-80GB", 80, "p4de.24xlarge", 40.9657,
                        cpu_per_gpu=11, mem_per_gpu=136),
    **_eight_gpu_family("h100-sxm", "H100-80GB", 80, "p5.48xlarge", 98.32,
                        cpu_per_gpu=23, mem_per_gpu=240),
}

# EC2 instance types with the same GPU as a catalog instance but fewer of them, as EC2's
# DescribeInstanceTypes lists them (GpuInfo; the copy in moto 5's ec2/resources/instance_types.json.gz,
# checked by tests/core/test_mapping.py). Only H100 has one: the A100 and A10G rows have none smaller.
SMALLER_SAME_GPU: dict[str, tuple[tuple[str, int], ...]] = {"p5.48xlarge": (("p5.4xlarge", 1),)}
