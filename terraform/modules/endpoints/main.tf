# Every endpoint of a spec file: the workspace's shared objects once (while any endpoint uses
# them), each endpoint's node pool and access points, and its manifests with the cloud ids filled.

data "endpoints_spec_file" "this" {
  content   = var.spec
  workspace = jsonencode(var.workspace)
}

locals {
  expansion = data.endpoints_spec_file.this
  # Shared objects: created here by the workspace owner, looked up by an endpoint-only configuration.
  file_systems  = { for name, fs in local.expansion.file_systems : name => fs if var.manage_workspace }
  mount_targets = { for subnet, target in local.expansion.mount_targets : subnet => target if var.manage_workspace }
  secrets       = { for name, secret in local.expansion.secrets : name => secret if var.manage_workspace }
}

data "endpoints_workspace" "shared" {
  count     = var.manage_workspace ? 0 : 1
  workspace = local.expansion.workspace_spec
  require = concat([for name in keys(local.expansion.file_systems) : "file_system/${name}"],
                   [for name in keys(local.expansion.secrets) : "secret/${name}"])
}

resource "endpoints_file_system" "shared" {
  for_each                     = local.file_systems
  name                         = each.value.name
  creation_token               = each.value.creation_token
  performance_mode             = each.value.performance_mode
  throughput_mode              = each.value.throughput_mode
  provisioned_throughput_mibps = each.value.provisioned_throughput_mibps
  encrypted                    = each.value.encrypted
  transition_to_ia             = each.value.transition_to_ia
  deletion_protection          = each.value.deletion_protection
  tags                         = each.value.tags
}

locals {
  file_system_ids = var.manage_workspace ? {
    for name, fs in endpoints_file_system.shared : name => fs.file_system_id
  } : { for name, fs in local.expansion.file_systems : name => data.endpoints_workspace.shared[0].file_system_id }
}

resource "endpoints_mount_target" "shared" {
  for_each           = local.mount_targets
  file_system_id     = local.file_system_ids[each.value.file_system]
  subnet_id          = each.value.subnet_id
  security_group_ids = each.value.security_group_ids
}

resource "endpoints_secret" "shared" {
  for_each             = local.secrets
  secret_id            = each.value.secret_id
  description          = each.value.description
  tags                 = each.value.tags
  value                = var.secret_values[each.key]
  recovery_window_days = var.secret_recovery_window_days
  force_delete         = var.force_delete_secrets
}

resource "endpoints_node_pool" "endpoint" {
  for_each       = local.expansion.node_pools
  name           = each.value.name
  cluster_name   = each.value.cluster_name
  node_role_arn  = each.value.node_role_arn
  subnet_ids     = each.value.subnet_ids
  instance_types = each.value.instance_types
  ami_type       = each.value.ami_type
  capacity_type  = each.value.capacity_type
  disk_size      = each.value.disk_size
  min_size       = each.value.min_size
  max_size       = each.value.max_size
  labels         = each.value.labels
  taints         = each.value.taints
  tags           = each.value.tags
}

resource "endpoints_access_point" "endpoint" {
  for_each       = local.expansion.access_points
  name           = each.value.name
  file_system_id = local.file_system_ids[each.value.file_system]
  path           = each.value.path
  uid            = each.value.uid
  gid            = each.value.gid
  permissions    = each.value.permissions
  tags           = each.value.tags
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
  for_each   = local.expansion.manifests
  manifests  = each.value
  references = local.references
}

data "endpoints_manifests" "workspace" {
  count      = var.manage_workspace ? 1 : 0
  manifests  = local.expansion.workspace_manifests
  references = local.references
}
