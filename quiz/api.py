"""The JSON API (DESIGN section 6); OpenAPI page at /api/docs."""

from ninja import NinjaAPI

api = NinjaAPI(title="Stadium", version="1", docs_url="/docs")
