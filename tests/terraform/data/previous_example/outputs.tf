output "url" {
  value = data.endpoints_endpoint.this.url
}

output "node_pool" {
  value = endpoints_node_pool.this.name
}

output "file_system_id" {
  description = "Null when the endpoint mounts nothing."
  value       = one(endpoints_file_system.shared[*].file_system_id)
}

output "cost_per_month" {
  description = "USD per 30-day month at min and max replicas."
  value       = [data.endpoints_endpoint.this.monthly_cost_min, data.endpoints_endpoint.this.monthly_cost_max]
}

output "findings" {
  value = data.endpoints_endpoint.this.findings
}

output "manifests" {
  description = "Kubernetes manifests (JSON) for ./kubernetes, cloud ids filled in."
  value       = data.endpoints_manifests.this.resolved
}
