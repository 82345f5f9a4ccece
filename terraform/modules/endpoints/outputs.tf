output "endpoints" {
  description = "Each endpoint by name: url, namespace, node_pool, token_secret, shape, min_replicas, max_replicas, hourly_price_per_replica (its share of an instance), hourly_price_per_node and replicas_per_node, hourly_cost_min/max and monthly_cost_min/max (USD, whole instances as AWS bills them)."
  value       = local.expansion.endpoints
}

output "manifests" {
  description = "Each endpoint's Kubernetes manifests (JSON strings), every cloud id filled in."
  value       = { for name, data in data.endpoints_manifests.endpoint : name => data.resolved }
}

output "kubernetes_manifests" {
  description = "Every manifest to apply (the workspace's shared ones with manage_workspace), keyed <endpoint or workspace>/<Kind>/<name>: for_each of kubernetes_manifest (see ../endpoints-kubernetes). Keys are known at plan time."
  value = merge(concat(
    [for name, list in local.expansion.manifests : {
      for i, m in list : "${name}/${jsondecode(m).kind}/${jsondecode(m).metadata.name}" => data.endpoints_manifests.endpoint[name].resolved[i]
    }],
    [for data in data.endpoints_manifests.workspace : {
      for i, m in local.expansion.workspace_manifests : "workspace/${jsondecode(m).kind}/${jsondecode(m).metadata.name}" => data.resolved[i]
    }],
  )...)
}

output "file_system_id" {
  description = "The shared file system (null when no endpoint mounts a folder)."
  value       = one(values(local.file_system_ids))
}

output "cost" {
  description = "All endpoints together, USD: hourly_cost_min/max and monthly_cost_min/max (a 30-day month)."
  value       = local.expansion.cost
}

output "findings" {
  description = "Warnings of the cross-layer checks (also shown as Terraform warnings)."
  value       = local.expansion.findings
}
