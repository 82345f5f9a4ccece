"""AWS drivers: the only code in the project that talks to AWS (boto3, imported lazily).

One module per cloud resource, each with ``validate``, ``diff``, ``read``,
``create``, ``update``, ``delete`` and ``import_``: :mod:`.node_pool` (EKS managed
node group), :mod:`.file_system`, :mod:`.mount_target` and :mod:`.access_point`
(EFS), :mod:`.secret` (Secrets Manager). Which attribute changes in place and
which replaces is in :mod:`.policy`; :mod:`.emulator` runs a local AWS.
"""

from .config import AwsConfig
from .errors import CloudError
from .policy import POLICIES, Diff, Policy, diff

__all__ = ["POLICIES", "AwsConfig", "CloudError", "Diff", "Policy", "diff"]
