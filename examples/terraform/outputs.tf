output "endpoints" {
  description = "Each endpoint by name: url, node_pool, token_secret, replicas and cost band."
  value       = module.endpoints.endpoints
}

output "file_system_id" {
  description = "Null when no endpoint mounts a folder."
  value       = module.endpoints.file_system_id
}

output "cost_per_month" {
  description = "USD per 30-day month for every endpoint: [at min replicas, at max replicas]."
  value       = [module.endpoints.cost.monthly_cost_min, module.endpoints.cost.monthly_cost_max]
}

output "findings" {
  value = module.endpoints.findings
}

output "manifests" {
  description = "Kubernetes manifests (JSON) for ./kubernetes, cloud ids filled in."
  value       = values(module.endpoints.kubernetes_manifests)
}
