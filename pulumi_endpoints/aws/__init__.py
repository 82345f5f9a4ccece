"""AWS drivers: the only code in the project that talks to AWS (boto3, imported lazily).

One module per cloud resource, each keeping the contract of :mod:`.drivers` (``validate``,
``diff``, ``read``, ``create``, ``update``, ``delete``, ``import_``, ``id_of``):
:mod:`.node_pool` (EKS managed node group), :mod:`.file_system`, :mod:`.mount_target` and
:mod:`.access_point` (EFS), :mod:`.secret` (Secrets Manager). Each attribute is declared once in
:mod:`.schema` (which change replaces: :mod:`.policy`); :mod:`.lifecycle` is what the Terraform
and Pulumi faces wrap; :mod:`.emulator` runs a local AWS.
"""

from .config import AwsConfig
from .errors import CloudError
from .policy import POLICIES, Diff, Policy, diff

__all__ = ["POLICIES", "AwsConfig", "CloudError", "Diff", "Policy", "diff"]
