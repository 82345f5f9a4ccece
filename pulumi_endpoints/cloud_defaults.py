"""Defaults of the cloud resources, in one place: the spec's defaults, and what an optional
attribute of a Terraform resource means when its configuration leaves it out. No imports, as
the Terraform provider reads it at start-up."""

FILE_SYSTEM_PERFORMANCE_MODE = "generalPurpose"
FILE_SYSTEM_THROUGHPUT_MODE = "elastic"
FILE_SYSTEM_ENCRYPTED = True
FILE_SYSTEM_DELETION_PROTECTION = True

NODE_CAPACITY = "on_demand"  # the spec's spelling; EKS_CAPACITY gives the EKS one
EKS_CAPACITY = {"on_demand": "ON_DEMAND", "spot": "SPOT"}
NODE_DISK_SIZE_GB = 100

# EFS access points create the mounted folder owned by this user when it is missing.
ACCESS_POINT_UID = 1000
ACCESS_POINT_GID = 1000
ACCESS_POINT_PERMISSIONS = "0755"

# Days a deleted secret stays restorable: the range Secrets Manager accepts, and the default.
SECRET_RECOVERY_DAYS_MIN = 7
SECRET_RECOVERY_DAYS_MAX = 30
SECRET_RECOVERY_DAYS = 30

# EFS Standard storage, us-east-1 (https://aws.amazon.com/efs/pricing/): what a model cache costs to keep.
EFS_STANDARD_USD_PER_GB_MONTH = 0.30
