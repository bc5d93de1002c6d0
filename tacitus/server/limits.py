"""Request size limit: bodies over `max_body` bytes are refused with 413 before they are read whole.

A declared Content-Length over the limit is refused at once; a chunked body is counted as
it arrives and refused as soon as it passes the limit, so no request can make the server
buffer more than `max_body` bytes.
"""
from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .render import to_json

DEFAULT_MAX_BODY = 4 * 1024 * 1024     # a batch of long articles as JSON; one article may be 1M characters


class BodyTooLarge(HTTPException):
    # An HTTPException, so FastAPI's body reader passes it on unchanged and the app's handler answers it.
    def __init__(self, limit: int) -> None:
        super().__init__(413, f"request body too large: the limit is {limit:,} bytes")


class BodyLimit:
    def __init__(self, app: ASGIApp, *, max_body: int = DEFAULT_MAX_BODY) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None:
            if not declared.strip().isdigit():
                await _refuse(send, 400, "invalid Content-Length header")
                return
            if int(declared) > self.max_body:
                await _refuse(send, 413, BodyTooLarge(self.max_body).detail)
                return
        received = 0
        started = False

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:
                    raise BodyTooLarge(self.max_body)
            return message

        async def tracked(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, tracked)
        except BodyTooLarge as err:
            if started:
                raise
            await _refuse(send, 413, err.detail)


async def _refuse(send: Send, status: int, message: str) -> None:
    body = to_json({"error": message, "message": message})
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})
