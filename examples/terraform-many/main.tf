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
data "endpoints_endpoint" "each" {
  for_each  = toset(local.names)
  spec      = jsonencode({ name = each.key, source = { container = { image = "python:3.10" } },
                           autoscaling = { replicas = 1 } })
  workspace = jsonencode({ name = var.workspace, cluster = var.cluster })
}
resource "endpoints_node_pool" "each" {
  for_each       = data.endpoints_endpoint.each
  name           = jsondecode(each.value.node_pool).name
  cluster_name   = jsondecode(each.value.node_pool).cluster_name
  node_role_arn  = jsondecode(each.value.node_pool).node_role_arn
  subnet_ids     = jsondecode(each.value.node_pool).subnet_ids
  instance_types = jsondecode(each.value.node_pool).instance_types
  ami_type       = jsondecode(each.value.node_pool).ami_type
  min_size       = jsondecode(each.value.node_pool).min_size
  max_size       = jsondecode(each.value.node_pool).max_size
  labels         = jsondecode(each.value.node_pool).labels
  tags           = jsondecode(each.value.node_pool).tags
}
resource "endpoints_secret" "each" {
  for_each     = toset(local.names)
  secret_id    = "endpoints/${var.workspace}/${each.key}"
  tags         = { managed-by = "pulumi-endpoints", workspace = var.workspace, endpoint = each.key }
  value        = "value-${each.key}"
  force_delete = true
}
