# The cloud part of every example in examples/specs/, planned together through the endpoints
# module: one instance per example (its own workspace, so nothing is shared between examples), and
# the manifests with their cloud ids. The test writes terraform.tfvars.json (spec, workspace and the
# secrets each example reads) and names the module by its place in the checkout.
terraform {
  required_providers {
    endpoints = { source = "pulumi-endpoints/endpoints" }
  }
}
provider "endpoints" {}

variable "examples" {
  type = map(object({ spec = string, workspace = string, secrets = map(string) }))
}

module "example" {
  source               = "../../../terraform/modules/endpoints"
  for_each             = var.examples
  spec                 = each.value.spec
  workspace            = jsondecode(each.value.workspace)
  secret_values        = each.value.secrets
  force_delete_secrets = true
}

output "manifests" {
  value = { for name, example in module.example : name => values(example.kubernetes_manifests) }
}
