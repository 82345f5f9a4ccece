# One endpoint: the cloud part (node pool, shared file system, secret) through the endpoints
# provider, and its Kubernetes manifests with every cloud id filled in (see ./kubernetes).

locals {
  spec = yamldecode(file("${path.module}/${var.endpoint_spec}"))
  overrides = merge(
    var.resource_shape == null ? {} : { resource_shape = var.resource_shape },
    var.max_replicas == null ? {} : {
      autoscaling = { gpu_utilization = merge(local.spec.autoscaling.gpu_utilization, { max_replicas = var.max_replicas }) }
    },
  )
}

data "endpoints_endpoint" "this" {
  spec = jsonencode(merge(local.spec, local.overrides))
  workspace = jsonencode({
    name = var.workspace
    cluster = {
      name               = var.cluster_name
      node_role_arn      = var.node_role_arn
      subnet_ids         = var.subnet_ids
      security_group_ids = var.security_group_ids
    }
    filesystem = { deletion_protection = var.file_system_protected }
  })
}

locals {
  pool          = jsondecode(data.endpoints_endpoint.this.node_pool)
  file_system   = jsondecode(data.endpoints_endpoint.this.file_system)
  mount_targets = { for m in data.endpoints_endpoint.this.mount_targets : jsondecode(m).subnet_id => jsondecode(m) }
  access_points = { for a in data.endpoints_endpoint.this.access_points : jsondecode(a).name => jsondecode(a) }
  secrets       = { for s in data.endpoints_endpoint.this.secrets : jsondecode(s).name => jsondecode(s) }
  secret_values = { "hf-token" = var.hf_token, "workspace-token" = var.workspace_token }
}

resource "endpoints_node_pool" "this" {
  name           = local.pool.name
  cluster_name   = local.pool.cluster_name
  node_role_arn  = local.pool.node_role_arn
  subnet_ids     = local.pool.subnet_ids
  instance_types = local.pool.instance_types
  ami_type       = local.pool.ami_type
  capacity_type  = local.pool.capacity_type
  disk_size      = local.pool.disk_size
  min_size       = local.pool.min_size
  max_size       = local.pool.max_size
  labels         = local.pool.labels
  taints         = local.pool.taints
  tags           = local.pool.tags
}

resource "endpoints_file_system" "shared" {
  name                = local.file_system.name
  creation_token      = local.file_system.creation_token
  performance_mode    = local.file_system.performance_mode
  throughput_mode     = local.file_system.throughput_mode
  encrypted           = local.file_system.encrypted
  deletion_protection = local.file_system.deletion_protection
  tags                = local.file_system.tags
}

resource "endpoints_mount_target" "shared" {
  for_each           = local.mount_targets
  file_system_id     = endpoints_file_system.shared.file_system_id
  subnet_id          = each.value.subnet_id
  security_group_ids = each.value.security_group_ids
}

resource "endpoints_access_point" "this" {
  for_each       = local.access_points
  name           = each.value.name
  file_system_id = endpoints_file_system.shared.file_system_id
  path           = each.value.path
  uid            = each.value.uid
  gid            = each.value.gid
  permissions    = each.value.permissions
  tags           = each.value.tags
}

resource "endpoints_secret" "this" {
  for_each    = local.secrets
  secret_id   = each.value.secret_id
  description = each.value.description
  tags        = each.value.tags
  value       = local.secret_values[each.key]
  # Demo only: a real workspace keeps the 30-day recovery window.
  force_delete = true
}

# The manifests, with the file system and access point ids filled in.
data "endpoints_manifests" "this" {
  manifests = data.endpoints_endpoint.this.manifests
  references = merge(
    { "file_system/${local.file_system.name}/id" = endpoints_file_system.shared.file_system_id },
    { for name, point in endpoints_access_point.this : "access_point/${name}/id" => point.access_point_id },
  )
}
