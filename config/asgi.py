"""ASGI entry point: HTTP to Django, WebSockets to the Channels consumers."""

import gc
import os

import django
from django.conf import settings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup(set_prefix=False)

# The same middleware with its hooks on the event loop (config/asgi_middleware.py),
# swapped in here only: settings.MIDDLEWARE keeps Django's paths for the checks.
from config.asgi_handler import LoopASGIHandler  # noqa: E402
from config.asgi_middleware import for_asgi  # noqa: E402

settings.MIDDLEWARE = for_asgi(settings.MIDDLEWARE)
# Django's handler, with the request signals on the loop for a request that
# never goes to a thread (config/asgi_handler.py)
django_asgi = LoopASGIHandler()

from channels.routing import ProtocolTypeRouter  # noqa: E402

from sockets.routing import websocket_application  # noqa: E402

application = ProtocolTypeRouter({"http": django_asgi, "websocket": websocket_application})

# Thousands of long-lived connections make the cyclic garbage collector's full
# passes long pauses on the event loop (every ack and tick waits). Objects
# that exist at start-up never die: move them out of its sight, and collect
# the young generation less often.
gc.freeze()
gc.set_threshold(50_000, 50, 100)
