"""The per-IP rate limit moved to infrastructure (the organization search uses it too)."""

from infrastructure.ratelimit import allow, client_ip

__all__ = ["allow", "client_ip"]
