# One endpoint from a spec file: the cloud part (node pool, and the workspace's shared file system
# and secrets when the endpoint uses them) through the endpoints provider, and its Kubernetes
# manifests with every cloud id filled in (see ./kubernetes).

locals {
  # One endpoint, at the top level or as the only item of endpoints, and an optional workspace.
  document = yamldecode(file(var.endpoint_spec))
  endpoint = one(try(local.document.endpoints, [{ for k, v in local.document : k => v if k != "workspace" }]))
  # max_replicas belongs to the autoscaling mode of the spec (scale_to_zero when it names none).
  autoscaling = try(local.endpoint.autoscaling, { scale_to_zero = {} })
  scaling     = keys(local.autoscaling)[0]
  overrides = merge(
    var.resource_shape == null ? {} : { resource_shape = var.resource_shape },
    var.max_replicas == null ? {} : {
      autoscaling = { (local.scaling) = merge(local.autoscaling[local.scaling], { max_replicas = var.max_replicas }) }
    },
  )
}

data "endpoints_endpoint" "this" {
  spec = jsonencode(merge(local.endpoint, local.overrides))
  # The file's workspace section, with the name, cluster and file system protection given here.
  workspace = jsonencode(merge(try(local.document.workspace, {}), {
    name = var.workspace
    cluster = merge(try(local.document.workspace.cluster, {}), {
      name               = var.cluster_name
      node_role_arn      = var.node_role_arn
      subnet_ids         = var.subnet_ids
      security_group_ids = var.security_group_ids
    })
    filesystem = merge(try(local.document.workspace.filesystem, {}), {
      deletion_protection = var.file_system_protected
    })
  }))
}

locals {
  pool          = jsondecode(data.endpoints_endpoint.this.node_pool)
  file_system   = data.endpoints_endpoint.this.file_system # null when the endpoint mounts nothing
  file_systems  = local.file_system == null ? [] : [jsondecode(local.file_system)]
  mount_targets = { for m in data.endpoints_endpoint.this.mount_targets : jsondecode(m).subnet_id => jsondecode(m) }
  access_points = { for a in data.endpoints_endpoint.this.access_points : jsondecode(a).name => jsondecode(a) }
  secrets       = { for s in data.endpoints_endpoint.this.secrets : jsondecode(s).name => jsondecode(s) }
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

# The workspace's shared file system, when the endpoint mounts from it.
resource "endpoints_file_system" "shared" {
  count                        = length(local.file_systems)
  name                         = local.file_systems[count.index].name
  creation_token               = local.file_systems[count.index].creation_token
  performance_mode             = local.file_systems[count.index].performance_mode
  throughput_mode              = local.file_systems[count.index].throughput_mode
  provisioned_throughput_mibps = local.file_systems[count.index].provisioned_throughput_mibps
  encrypted                    = local.file_systems[count.index].encrypted
  transition_to_ia             = local.file_systems[count.index].transition_to_ia
  deletion_protection          = local.file_systems[count.index].deletion_protection
  tags                         = local.file_systems[count.index].tags
}

resource "endpoints_mount_target" "shared" {
  for_each           = local.mount_targets
  file_system_id     = endpoints_file_system.shared[0].file_system_id
  subnet_id          = each.value.subnet_id
  security_group_ids = each.value.security_group_ids
}

resource "endpoints_access_point" "this" {
  for_each       = local.access_points
  name           = each.value.name
  file_system_id = endpoints_file_system.shared[0].file_system_id
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
  value       = var.secret_values[each.key]
  # Demo only: a real workspace keeps the 30-day recovery window.
  force_delete = true
}

# The manifests, with the file system and access point ids filled in.
data "endpoints_manifests" "this" {
  manifests = data.endpoints_endpoint.this.manifests
  references = merge(
    { for f in endpoints_file_system.shared : "file_system/${f.name}/id" => f.file_system_id },
    { for name, point in endpoints_access_point.this : "access_point/${name}/id" => point.access_point_id },
  )
}
