"""WebSocket routes (docs/protocol.md), behind the Origin check."""

from channels.routing import URLRouter
from django.conf import settings
from django.urls import re_path

from .consumers import HostConsumer, PlayConsumer, ScreenConsumer
from .origin import OriginValidator

websocket_urlpatterns = [
    re_path(r"^ws/play/(?P<pin>\d{6})/$", PlayConsumer.as_asgi()),
    re_path(r"^ws/host/(?P<pin>\d{6})/$", HostConsumer.as_asgi()),
    re_path(r"^ws/screen/(?P<pin>\d{6})/$", ScreenConsumer.as_asgi()),
]

if settings.STADIUM_BENCH:
    from .bench import FanoutBenchConsumer

    websocket_urlpatterns.append(
        re_path(r"^ws/bench/(?P<pin>\d{6})/$", FanoutBenchConsumer.as_asgi())
    )

websocket_application = OriginValidator(URLRouter(websocket_urlpatterns))
