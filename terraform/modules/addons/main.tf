# The cluster add-ons the endpoints need, as pinned Helm releases with the values the endpoints rely
# on, and the workspace's Gateway and secret store. The charts, versions and values come from the
# endpoints provider (data.endpoints_addons, one table with `endpoints doctor` and the Pulumi
# Workspace's addons). Prefer EKS managed add-ons where AWS offers one (aws-efs-csi-driver) and leave
# it out of `install`.
#
# kubernetes_manifest needs each object's CRD when it plans: apply the releases first
# (terraform apply -target=module.addons.helm_release.addon), then the whole module.
terraform {
  required_version = ">= 1.0"
  required_providers {
    endpoints = {
      source  = "pulumi-endpoints/endpoints"
      version = "~> 0.1"
    }
    helm = {
      source  = "hashicorp/helm"
      version = ">= 2.12"
    }
    kubernetes = {
      source  = "hashicorp/kubernetes"
      version = ">= 2.25"
    }
  }
}

variable "workspace" {
  description = "The workspace's fields (as in a spec file's workspace: section): name, region, cluster.name, gateway, secret_store."
  type        = any
}

variable "install" {
  description = "Add-ons to install: keda, keda-http, envoy-gateway, external-secrets, prometheus, efs-csi, nvidia-device-plugin, dcgm-exporter, cluster-autoscaler, karpenter."
  type        = list(string)
}

variable "roles" {
  description = "IAM role ARN per add-on that calls AWS (external-secrets, efs-csi, cluster-autoscaler, karpenter), set on its service account (IRSA)."
  type        = map(string)
  default     = {}
}

data "endpoints_addons" "this" {
  workspace = jsonencode(var.workspace)
  install   = var.install
  roles     = var.roles
}

resource "helm_release" "addon" {
  for_each         = data.endpoints_addons.this.releases
  name             = each.key
  repository       = each.value.repository
  chart            = each.value.chart
  version          = each.value.version
  namespace        = each.value.namespace
  create_namespace = true
  values           = [each.value.values]
}

# Keys are <add-on>/<Kind>/<name>: namespaces first, then each object after the releases.
resource "kubernetes_manifest" "namespace" {
  for_each = { for key, m in data.endpoints_addons.this.manifests : key => m if split("/", key)[1] == "Namespace" }
  manifest = jsondecode(each.value)
}

resource "kubernetes_manifest" "workspace" {
  for_each   = { for key, m in data.endpoints_addons.this.manifests : key => m if split("/", key)[1] != "Namespace" }
  manifest   = jsondecode(each.value)
  depends_on = [helm_release.addon, kubernetes_manifest.namespace]
}

output "releases" {
  description = "The installed releases: add-on => chart version."
  value       = { for key, release in helm_release.addon : key => release.version }
}
