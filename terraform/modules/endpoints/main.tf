# Every endpoint of a spec file: the workspace's shared objects once (while any endpoint uses
# them), each endpoint's node pool and access points, and its manifests with the cloud ids filled.

data "endpoints_spec_file" "this" {
  content   = var.spec
  workspace = jsonencode(var.workspace)
}

locals {
  expansion = data.endpoints_spec_file.this
  # Terraform evaluates a for_each again for every instance it plans, walking the whole collection:
  # over a map of objects, a plan's time grows with the square of the endpoints. So each for_each
  # iterates over keys (key => key, made once here) and each instance looks its object up by key.
  # Shared objects: created here by the workspace owner, looked up by an endpoint-only configuration.
  file_system_keys  = { for name in keys(local.expansion.file_systems) : name => name if var.manage_workspace }
  mount_target_keys = { for subnet in keys(local.expansion.mount_targets) : subnet => subnet if var.manage_workspace }
  secret_keys       = { for name in keys(local.expansion.secrets) : name => name if var.manage_workspace }
  node_pool_keys    = { for name in keys(local.expansion.node_pools) : name => name }
  access_point_keys = { for name in keys(local.expansion.access_points) : name => name }
  manifest_keys     = { for name in keys(local.expansion.manifests) : name => name }
}

data "endpoints_workspace" "shared" {
  count     = var.manage_workspace ? 0 : 1
  workspace = local.expansion.workspace_spec
  require = concat(
    [for name in keys(local.expansion.file_systems) : "file_system/${name}"],
    [for name in keys(local.expansion.secrets) : "secret/${name}"],
  )
}

resource "endpoints_file_system" "shared" {
  for_each                     = local.file_system_keys
  name                         = local.expansion.file_systems[each.key].name
  creation_token               = local.expansion.file_systems[each.key].creation_token
  performance_mode             = local.expansion.file_systems[each.key].performance_mode
  throughput_mode              = local.expansion.file_systems[each.key].throughput_mode
  provisioned_throughput_mibps = local.expansion.file_systems[each.key].provisioned_throughput_mibps
  encrypted                    = local.expansion.file_systems[each.key].encrypted
  transition_to_ia             = local.expansion.file_systems[each.key].transition_to_ia
  deletion_protection          = local.expansion.file_systems[each.key].deletion_protection
  tags                         = local.expansion.file_systems[each.key].tags
}

locals {
  file_system_ids = var.manage_workspace ? {
    for name, fs in endpoints_file_system.shared : name => fs.file_system_id
  } : { for name in keys(local.expansion.file_systems) : name => data.endpoints_workspace.shared[0].file_system_id }
}

resource "endpoints_mount_target" "shared" {
  for_each           = local.mount_target_keys
  file_system_id     = local.file_system_ids[local.expansion.mount_targets[each.key].file_system]
  subnet_id          = local.expansion.mount_targets[each.key].subnet_id
  security_group_ids = local.expansion.mount_targets[each.key].security_group_ids
}

resource "endpoints_secret" "shared" {
  for_each             = local.secret_keys
  secret_id            = local.expansion.secrets[each.key].secret_id
  description          = local.expansion.secrets[each.key].description
  tags                 = local.expansion.secrets[each.key].tags
  value                = var.secret_values[each.key]
  recovery_window_days = var.secret_recovery_window_days
  force_delete         = var.force_delete_secrets
}

resource "endpoints_node_pool" "endpoint" {
  for_each       = local.node_pool_keys
  name           = local.expansion.node_pools[each.key].name
  cluster_name   = local.expansion.node_pools[each.key].cluster_name
  node_role_arn  = local.expansion.node_pools[each.key].node_role_arn
  subnet_ids     = local.expansion.node_pools[each.key].subnet_ids
  instance_types = local.expansion.node_pools[each.key].instance_types
  ami_type       = local.expansion.node_pools[each.key].ami_type
  capacity_type  = local.expansion.node_pools[each.key].capacity_type
  disk_size      = local.expansion.node_pools[each.key].disk_size
  min_size       = local.expansion.node_pools[each.key].min_size
  max_size       = local.expansion.node_pools[each.key].max_size
  labels         = local.expansion.node_pools[each.key].labels
  taints         = local.expansion.node_pools[each.key].taints
  tags           = local.expansion.node_pools[each.key].tags
}

resource "endpoints_access_point" "endpoint" {
  for_each       = local.access_point_keys
  name           = local.expansion.access_points[each.key].name
  file_system_id = local.file_system_ids[local.expansion.access_points[each.key].file_system]
  path           = local.expansion.access_points[each.key].path
  uid            = local.expansion.access_points[each.key].uid
  gid            = local.expansion.access_points[each.key].gid
  permissions    = local.expansion.access_points[each.key].permissions
  tags           = local.expansion.access_points[each.key].tags
  # The mount targets first: a pod can mount only once they exist.
  depends_on = [endpoints_mount_target.shared]
}

locals {
  references = merge(
    { for name, id in local.file_system_ids : "file_system/${name}/id" => id },
    { for name, point in endpoints_access_point.endpoint : "access_point/${name}/id" => point.access_point_id },
  )
}

data "endpoints_manifests" "endpoint" {
  for_each   = local.manifest_keys
  manifests  = local.expansion.manifests[each.key]
  references = local.references
}

data "endpoints_manifests" "workspace" {
  count      = var.manage_workspace ? 1 : 0
  manifests  = local.expansion.workspace_manifests
  references = local.references
}
