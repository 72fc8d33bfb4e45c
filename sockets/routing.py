"""WebSocket routes (placeholder until the consumers land)."""

from channels.routing import URLRouter

websocket_application = URLRouter([])
