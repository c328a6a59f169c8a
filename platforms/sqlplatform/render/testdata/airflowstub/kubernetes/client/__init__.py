"""Stand-in for kubernetes.client."""
