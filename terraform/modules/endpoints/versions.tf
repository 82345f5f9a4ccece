terraform {
  required_version = ">= 1.0"
  required_providers {
    endpoints = {
      source  = "pulumi-endpoints/endpoints"
      version = "~> 0.1"
    }
  }
}
