"""Where a run a lesson analyses came from: trained live in this session, or shipped with the course."""

LIVE = "live"
SHIPPED = "shipped"
