"""Where a run a lesson analyses came from: trained live in this session, or shipped with the course."""

__all__ = ["LIVE", "SHIPPED"]

LIVE = "live"
SHIPPED = "shipped"
