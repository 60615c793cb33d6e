"""Network model and path-tracing tests."""
