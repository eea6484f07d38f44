"""Cross-cutting web helpers: rendering, access decisions, security headers, locale."""
