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
locals { names = [for i in range(var.count_of_endpoints) : "endpoint-${i}"] }

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
resource "endpoints_node_pool" "each" {
  for_each       = data.endpoints_spec_file.all.node_pools
  name           = each.value.name
  cluster_name   = each.value.cluster_name
  node_role_arn  = each.value.node_role_arn
  subnet_ids     = each.value.subnet_ids
  instance_types = each.value.instance_types
  ami_type       = each.value.ami_type
  min_size       = each.value.min_size
  max_size       = each.value.max_size
  labels         = each.value.labels
  tags           = each.value.tags
}
resource "endpoints_secret" "each" {
  for_each     = toset(local.names)
  secret_id    = "endpoints/${var.workspace}/${each.key}"
  tags         = { managed-by = "pulumi-endpoints", workspace = var.workspace, endpoint = each.key }
  value        = "value-${each.key}"
  force_delete = true
}
