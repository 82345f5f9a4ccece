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

# Each endpoint's Namespace first: its other objects live in it. Keys are <owner>/<Kind>/<name>.
resource "kubernetes_manifest" "namespace" {
  for_each = { for key, m in var.manifests : key => m if split("/", key)[1] == "Namespace" }
  manifest = jsondecode(each.value)
}

resource "kubernetes_manifest" "this" {
  for_each = { for key, m in var.manifests : key => m if split("/", key)[1] != "Namespace" }
  manifest = jsondecode(each.value)
  # A Job's pod template gets labels from the API server (pulumi_endpoints/blueprint/workload.py,
  # SERVER_SET_FIELDS); null keeps the provider's defaults for every other kind.
  computed_fields = split("/", each.key)[1] == "Job" ? [
    "metadata.annotations", "metadata.labels", "spec.selector", "spec.template.metadata.labels",
  ] : null
  depends_on = [kubernetes_manifest.namespace]
}
