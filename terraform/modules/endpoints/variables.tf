variable "spec" {
  description = "The spec file's text (YAML or JSON): one endpoint or endpoints: [...], with an optional workspace: section. Pass file(\"endpoints.yaml\")."
  type        = string
}

variable "workspace" {
  description = "Workspace fields merged over the file's workspace: section, mapping by mapping: name, cluster = { name, node_role_arn, subnet_ids, security_group_ids }, filesystem = { deletion_protection }, ... They must be known at plan time (for_each keys depend on them)."
  type        = any
  default     = {}
}

variable "manage_workspace" {
  description = "true: this configuration owns the workspace's shared objects (file system, mount targets, secrets) and creates them. false: it only deploys its endpoints into a workspace another configuration owns, and looks the shared objects up (data.endpoints_workspace)."
  type        = bool
  default     = true
}

variable "secret_values" {
  description = "The value of each workspace secret the endpoints read, by name (workspace-token, hf-token, ...). Only with manage_workspace."
  type        = map(string)
  sensitive   = true
  default     = {}
}

variable "secret_recovery_window_days" {
  description = "Days a destroyed secret stays restorable (7-30; null: 30). Applying again within the window restores it."
  type        = number
  default     = null
}

variable "force_delete_secrets" {
  description = "Delete secrets at once on destroy, without a recovery window (for throwaway workspaces)."
  type        = bool
  default     = false
}
