# The cloud part of every example in examples/specs/, planned together: one data source per
# endpoint (its own workspace, so nothing is shared between examples), and the provider's
# resources from each expansion, and the manifests with their cloud ids. The test writes
# terraform.tfvars.json (specs, workspaces).
terraform {
  required_providers {
    endpoints = { source = "pulumi-endpoints/endpoints" }
  }
}
provider "endpoints" {}

variable "endpoints" {
  type = map(object({ spec = string, workspace = string }))
}

data "endpoints_endpoint" "each" {
  for_each  = var.endpoints
  spec      = each.value.spec
  workspace = each.value.workspace
}

locals {
  expanded      = data.endpoints_endpoint.each
  file_systems  = { for k, d in local.expanded : k => jsondecode(d.file_system) if d.file_system != null }
  mount_targets = merge([for k, d in local.expanded : { for m in d.mount_targets : "${k}/${jsondecode(m).subnet_id}" => merge(jsondecode(m), { example = k }) }]...)
  access_points = merge([for k, d in local.expanded : { for a in d.access_points : "${k}/${jsondecode(a).name}" => merge(jsondecode(a), { example = k }) }]...)
  secrets       = merge([for k, d in local.expanded : { for s in d.secrets : "${k}/${jsondecode(s).name}" => jsondecode(s) }]...)
}

resource "endpoints_node_pool" "each" {
  for_each       = { for k, d in local.expanded : k => jsondecode(d.node_pool) }
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

resource "endpoints_file_system" "each" {
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

resource "endpoints_mount_target" "each" {
  for_each           = local.mount_targets
  file_system_id     = endpoints_file_system.each[each.value.example].file_system_id
  subnet_id          = each.value.subnet_id
  security_group_ids = each.value.security_group_ids
}

resource "endpoints_access_point" "each" {
  for_each       = local.access_points
  name           = each.value.name
  file_system_id = endpoints_file_system.each[each.value.example].file_system_id
  path           = each.value.path
  uid            = each.value.uid
  gid            = each.value.gid
  permissions    = each.value.permissions
  tags           = each.value.tags
}

resource "endpoints_secret" "each" {
  for_each     = local.secrets
  secret_id    = each.value.secret_id
  description  = each.value.description
  tags         = each.value.tags
  value        = "plan-only-${each.key}"
  force_delete = true
}

# The manifests of each example with the cloud ids filled in (what kubernetes_manifest would apply).
data "endpoints_manifests" "each" {
  for_each  = local.expanded
  manifests = each.value.manifests
  references = merge(
    { for k, f in endpoints_file_system.each : "file_system/${f.name}/id" => f.file_system_id if k == each.key },
    { for k, a in endpoints_access_point.each : "access_point/${a.name}/id" => a.access_point_id
    if local.access_points[k].example == each.key },
  )
}

output "manifests" {
  value = { for k, d in data.endpoints_manifests.each : k => d.resolved }
}

output "urls" {
  value = { for k, d in local.expanded : k => d.url }
}
