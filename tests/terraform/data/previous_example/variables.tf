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
  description = "A spec file with one endpoint, e.g. ../specs/http-server.yaml (relative to the working directory)."
  type        = string
  default     = "endpoint.yaml"
}

variable "max_replicas" {
  description = "Overrides max_replicas of the spec's autoscaling mode (null: keep it). Not for a fixed replicas count."
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

variable "secret_values" {
  description = "The value of each workspace secret the endpoint reads, by name (hf-token, workspace-token, ...)."
  type        = map(string)
  sensitive   = true
  default     = {}
}
