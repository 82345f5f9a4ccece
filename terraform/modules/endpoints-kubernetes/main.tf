# Applies the kubernetes_manifests output of ../endpoints with hashicorp/kubernetes, one
# kubernetes_manifest per object. Its own root module (or a second stage): kubernetes_manifest needs
# each manifest known at plan time, and the cloud ids are known only once the cloud part is applied.
terraform {
  required_version = ">= 1.0"
  required_providers {
    kubernetes = {
      source  = "hashicorp/kubernetes"
      version = ">= 2.25"
    }
  }
}

variable "manifests" {
  description = "The kubernetes_manifests output of the endpoints module: key => manifest JSON."
  type        = map(string)
}

# Keys are <owner>/<Kind>/<name>. Terraform evaluates a for_each again for every instance it plans:
# the keys are split once here, so a plan's time grows with the manifests, not with their square.
locals {
  kinds          = { for key in keys(var.manifests) : key => split("/", key)[1] }
  namespace_keys = { for key, kind in local.kinds : key => key if kind == "Namespace" }
  object_keys    = { for key, kind in local.kinds : key => key if kind != "Namespace" }
}

# Each endpoint's Namespace first: its other objects live in it.
resource "kubernetes_manifest" "namespace" {
  for_each = local.namespace_keys
  manifest = jsondecode(var.manifests[each.key])
}

resource "kubernetes_manifest" "this" {
  for_each = local.object_keys
  manifest = jsondecode(var.manifests[each.key])
  # A Job's pod template gets labels from the API server (pulumi_endpoints/blueprint/workload.py,
  # SERVER_SET_FIELDS); null keeps the provider's defaults for every other kind.
  computed_fields = local.kinds[each.key] == "Job" ? [
    "metadata.annotations", "metadata.labels", "spec.selector", "spec.template.metadata.labels",
  ] : null
  depends_on = [kubernetes_manifest.namespace]
}
