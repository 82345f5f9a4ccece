variable "region" {
  type    = string
  default = "us-east-1"
}

variable "aws_endpoint_url" {
  description = "An AWS emulator to talk to instead of AWS (null: AWS itself)."
  type        = string
  default     = null
}

variable "workspace" {
  description = "Workspace name: prefixes node pools and secret names."
  type        = string
  default     = "demo"
}

variable "cluster_name" { type = string }
variable "node_role_arn" { type = string }
variable "subnet_ids" { type = list(string) }
variable "security_group_ids" { type = list(string) }

variable "endpoint_spec" {
  description = "The endpoint spec file (YAML)."
  type        = string
  default     = "endpoint.yaml"
}

variable "max_replicas" {
  description = "Overrides autoscaling.gpu_utilization.max_replicas of the spec (null: keep it)."
  type        = number
  default     = null
}

variable "resource_shape" {
  description = "Overrides resource_shape of the spec (null: keep it)."
  type        = string
  default     = null
}

variable "file_system_protected" {
  type    = bool
  default = true
}

variable "hf_token" {
  description = "Hugging Face token, stored in Secrets Manager."
  type        = string
  sensitive   = true
}

variable "workspace_token" {
  description = "The workspace token callers present as 'Authorization: Bearer <token>'."
  type        = string
  sensitive   = true
}
