"""The host's default webhook: PUT/GET/DELETE /api/webhook (docs/protocol.md, "Webhooks")."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from .api_common import errors, host_auth, host_of
from .schemas import WebhookIn, WebhookOut
from .services.webhooks import webhook_default_delete, webhook_default_get, webhook_default_put

router = Router(tags=["webhooks"])


@router.get("", response={200: WebhookOut, **errors(401, 404)}, auth=host_auth)
def webhook_get(request: HttpRequest) -> dict[str, Any]:
    """The default for the host's new games (404 when none)."""
    return webhook_default_get(host=host_of(request))


@router.put("", response={200: WebhookOut, **errors(401, 403)}, auth=host_auth)
def webhook_put(request: HttpRequest, payload: WebhookIn) -> dict[str, Any]:
    """Set the default; 400 ``bad_webhook_url`` as for a game's webhook."""
    return webhook_default_put(host=host_of(request), url=payload.url, secret=payload.secret)


@router.delete("", response={204: None, **errors(401, 403)}, auth=host_auth)
def webhook_delete(request: HttpRequest) -> Status[None]:
    webhook_default_delete(host=host_of(request))
    return Status(204, None)
