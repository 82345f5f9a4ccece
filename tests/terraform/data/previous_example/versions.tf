terraform {
  required_version = ">= 1.0"
  required_providers {
    endpoints = {
      source  = "pulumi-endpoints/endpoints"
      version = "~> 0.1"
    }
  }
}

provider "endpoints" {
  region       = var.region
  endpoint_url = var.aws_endpoint_url
  default_tags = { team = "ml-platform" }
}
