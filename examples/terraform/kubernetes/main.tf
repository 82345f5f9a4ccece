# Applies the endpoint's manifests to a cluster with hashicorp/kubernetes. A separate root module
# so the cloud part runs where that provider cannot be installed (offline CI, the demo):
#   terraform -chdir=kubernetes apply -var-file=<(terraform output -json manifests | jq '{manifests: .}')
terraform {
  required_providers {
    kubernetes = {
      source  = "hashicorp/kubernetes"
      version = ">= 2.25"
    }
  }
}

variable "manifests" {
  description = "The manifests output of the parent configuration (JSON strings)."
  type        = list(string)
}

variable "kubeconfig" {
  type    = string
  default = "~/.kube/config"
}

provider "kubernetes" {
  config_path = var.kubeconfig
}

locals {
  objects = { for m in var.manifests : join("/", compact([
    jsondecode(m).kind, try(jsondecode(m).metadata.namespace, ""), jsondecode(m).metadata.name
  ])) => jsondecode(m) }
}

# The endpoint's Namespace first: its other objects live in it.
resource "kubernetes_manifest" "namespace" {
  for_each = { for key, m in local.objects : key => m if m.kind == "Namespace" }
  manifest = each.value
}

resource "kubernetes_manifest" "this" {
  for_each   = { for key, m in local.objects : key => m if m.kind != "Namespace" }
  manifest   = each.value
  depends_on = [kubernetes_manifest.namespace]
}
