"""Where a run a lesson analyses came from: trained live in this session, or shipped with the course."""

__all__ = ["ANALYSED_PROFILE", "LIVE", "SHIPPED"]

LIVE = "live"
SHIPPED = "shipped"

#: The profile whose sweep a lesson analyses when its own profile is smaller (its shipped runs stand in for training).
ANALYSED_PROFILE = "laptop"
