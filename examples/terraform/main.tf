# The endpoints of a spec file through the endpoints module (../../terraform/modules/endpoints):
# the workspace's shared objects once (file system, mount targets, secrets), each endpoint's node
# pool and access points, and every manifest with its cloud ids filled in (see ./kubernetes).

locals {
  # The file's endpoints (at the top level or under endpoints:), with the overrides given here.
  document  = yamldecode(file(var.endpoint_spec))
  endpoints = try(local.document.endpoints, [{ for k, v in local.document : k => v if k != "workspace" }])
  overridden = [for endpoint in local.endpoints : merge(
    endpoint,
    var.resource_shape == null ? {} : { resource_shape = var.resource_shape },
    # max_replicas belongs to the endpoint's autoscaling mode (scale_to_zero when it names none).
    var.max_replicas == null ? {} : { autoscaling = {
      for mode, scaling in try(endpoint.autoscaling, { scale_to_zero = {} }) :
      mode => merge(scaling, { max_replicas = var.max_replicas })
    } },
  )]
}

module "endpoints" {
  source = "../../terraform/modules/endpoints"
  spec   = jsonencode({ workspace = try(local.document.workspace, {}), endpoints = local.overridden })
  # Over the file's workspace section: the name, cluster and file system protection given here.
  workspace = {
    name = var.workspace
    cluster = {
      name               = var.cluster_name
      node_role_arn      = var.node_role_arn
      subnet_ids         = var.subnet_ids
      security_group_ids = var.security_group_ids
    }
    filesystem = { deletion_protection = var.file_system_protected }
  }
  secret_values = var.secret_values
  # Demo only: a real workspace keeps the 30-day recovery window of its secrets.
  force_delete_secrets = true
}
