# Many endpoints from one configuration: a node pool and a secret each (used by the scale test
# and benchmarks/terraform_plan.py). Run with -var count_of_endpoints=N and a cluster from the emulator.
terraform {
  required_providers {
    endpoints = { source = "pulumi-endpoints/endpoints" }
  }
}
provider "endpoints" {}
variable "cluster" { type = any }
variable "count_of_endpoints" { type = number }
variable "workspace" {
  type    = string
  default = "many"
}
locals {
  names = [for i in range(var.count_of_endpoints) : "endpoint-${i}"]
  # Terraform evaluates a for_each again for every instance it plans, walking the whole collection:
  # for_each iterates over keys (key => key, made once here), each instance looks its object up.
  name_keys = { for name in local.names : name => name }
}

# One spec file for all of them (JSON is YAML): typed maps keyed for for_each, no jsondecode.
data "endpoints_spec_file" "all" {
  content = jsonencode({
    workspace = { name = var.workspace, cluster = var.cluster }
    endpoints = [for name in local.names : {
      name = name, source = { container = { image = "python:3.10" } }, autoscaling = { replicas = 1 }
    }]
  })
  include_manifests = false # the cloud part only: a state a quarter the size
}
locals {
  node_pools     = data.endpoints_spec_file.all.node_pools
  node_pool_keys = { for name in keys(local.node_pools) : name => name }
}
resource "endpoints_node_pool" "each" {
  for_each       = local.node_pool_keys
  name           = local.node_pools[each.key].name
  cluster_name   = local.node_pools[each.key].cluster_name
  node_role_arn  = local.node_pools[each.key].node_role_arn
  subnet_ids     = local.node_pools[each.key].subnet_ids
  instance_types = local.node_pools[each.key].instance_types
  ami_type       = local.node_pools[each.key].ami_type
  min_size       = local.node_pools[each.key].min_size
  max_size       = local.node_pools[each.key].max_size
  labels         = local.node_pools[each.key].labels
  tags           = local.node_pools[each.key].tags
}
resource "endpoints_secret" "each" {
  for_each     = local.name_keys
  secret_id    = "endpoints/${var.workspace}/${each.key}"
  tags         = { managed-by = "pulumi-endpoints", workspace = var.workspace, endpoint = each.key }
  value        = "value-${each.key}"
  force_delete = true
}
