"""`trainer serve --classroom`: textual-serve behind a sign-in page, each browser tab's app told who signed in.

textual-serve's aiohttp app is kept as it is and wrapped: a middleware refuses every
URL but the sign-in page to a request without a valid session, and the websocket
handler starts the tab's app with the signed-in name and role on its command line,
taken from the server-side session, never from anything the browser sends.
"""

from __future__ import annotations

import asyncio
import html
import logging
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from urllib.parse import urlsplit

from aiohttp import web
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

from trainer.classroom.accounts import SESSION_HOURS, SHORTEST_PASSWORD, Accounts
from trainer.classroom.identity import Identity
from trainer.classroom.throttle import Throttle
from trainer.errors import UserError

log = logging.getLogger("trainer.classroom")

COOKIE = "trainer_session"
IDENTITY = web.RequestKey("identity", Identity)
TOKEN = web.RequestKey("token", str)
OPEN_PATHS = frozenset({"/signin", "/signout"})
LONGEST_FIELD = 200
SECURITY_HEADERS = {
    "X-Frame-Options": "DENY",  # no page of ours inside another site's frame
    "Referrer-Policy": "same-origin",  # "no-referrer" makes a browser send "Origin: null" with our own forms
    "X-Content-Type-Options": "nosniff",
}

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class ClassroomServer(Server):
    """textual-serve's Server, with sign-in, sessions and one identity per browser tab's app process."""

    def __init__(self, command_for: Callable[[Identity], str], accounts: Accounts, transcripts: Path, *,
                 host: str = "127.0.0.1", port: int = 8000, title: str = "trainer", public_url: str | None = None,
                 secure_cookie: bool | None = None, session_hours: float = SESSION_HOURS,
                 throttle: Throttle | None = None) -> None:
        super().__init__(command_for(Identity("(signed in)", "trainee")), host=host, port=port, title=title,
                         public_url=public_url)
        self.command_for = command_for
        self.accounts = accounts
        self.transcripts = transcripts
        self.secure_cookie = self.public_url.startswith("https:") if secure_cookie is None else secure_cookie
        self.session_hours = session_hours
        self.throttle = throttle if throttle is not None else Throttle()
        self._checks = asyncio.Semaphore(4)  # scrypt takes 32 MiB a check: a flood cannot take the memory
        self._sockets: dict[str, set[web.WebSocketResponse]] = {}  # session token -> its tabs, closed at sign-out

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.middlewares.append(self._guard)
        app.add_routes([
            web.get("/signin", self.handle_signin_page),
            web.post("/signin", self.handle_signin),
            web.get("/signout", self.handle_signout_page),
            web.post("/signout", self.handle_signout),
            web.get("/transcripts", self.handle_transcripts),
            web.get("/transcripts/{session_id}", self.handle_transcript),
            web.get("/report", self.handle_report),
        ])
        return app

    async def on_startup(self, app: web.Application) -> None:
        self.console.print(f"Classroom: sign in at {self.public_url}/signin", highlight=False)

    # The guard: who is asking, and whether they may.

    @web.middleware
    async def _guard(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.method not in ("GET", "HEAD") and not self._same_origin(request):
            return _page("Refused", "This form was sent from another site.", status=403)
        if request.path in OPEN_PATHS:
            response = await handler(request)
        else:
            held = await self._session(request)
            if held is None:
                return self._refuse_unsigned(request)
            request[IDENTITY], request[TOKEN] = held
            if request.path == "/ws" and not self._same_origin(request):
                return web.Response(status=403, text="Refused: the app is opened only from this server's page.\n")
            response = await handler(request)
        if not response.prepared:
            response.headers.update(SECURITY_HEADERS)
        return response

    def _refuse_unsigned(self, request: web.Request) -> web.StreamResponse:
        had_cookie = bool(request.cookies.get(COOKIE))
        if request.path == "/" and request.method == "GET":
            redirect = web.HTTPSeeOther("/signin?ended=1" if had_cookie else "/signin")
            if had_cookie:
                redirect.del_cookie(COOKIE, path="/")
            raise redirect
        why = "your session has ended; sign in again" if had_cookie else "sign in first"
        response = web.Response(status=401, text=f"Refused: {why} at /signin.\n")
        if had_cookie:
            response.del_cookie(COOKIE, path="/")
        return response

    async def _session(self, request: web.Request) -> tuple[Identity, str] | None:
        token = request.cookies.get(COOKIE, "")
        if not token:
            return None
        held = await asyncio.to_thread(self.accounts.session, token)
        return (held[0], token) if held else None

    def _same_origin(self, request: web.Request) -> bool:
        """A browser names the page a form or websocket came from; another site's page is refused.

        Host and port are compared (a TLS proxy in front changes the scheme the server sees).
        """
        origin = request.headers.get("Origin")
        if origin is None:
            return True  # not a browser (curl, tests); browsers always send Origin on POST and websockets
        return urlsplit(origin).netloc.lower() == request.host.lower()

    # Sign in and out.

    async def handle_signin_page(self, request: web.Request) -> web.StreamResponse:
        if await self._session(request) is not None:
            raise web.HTTPSeeOther("/")
        note = "Your session has ended. Sign in again." if request.query.get("ended") else ""
        return _signin_page(note)

    async def handle_signin(self, request: web.Request) -> web.StreamResponse:
        form = await request.post()
        name = " ".join(str(form.get("name", "")).split())
        secret = str(form.get("secret", "")).strip()
        new_password = str(form.get("new_password", ""))
        if not name or not secret or max(len(name), len(secret), len(new_password)) > LONGEST_FIELD:
            return _signin_page("Type your name and your one-time code or password.", name, status=400)
        if new_password and len(new_password) < SHORTEST_PASSWORD:
            return _signin_page(f"A new password needs at least {SHORTEST_PASSWORD} characters; "
                                "your code was not used.", name, status=400)
        keys = (f"client:{request.remote}", f"name:{name.casefold()}")
        wait = self.throttle.wait(*keys)
        if wait > 0:
            response = _signin_page(f"Too many failed sign-ins. Try again in {wait:.0f} s.", name, status=429)
            response.headers["Retry-After"] = str(max(1, round(wait)))
            return response
        async with self._checks:
            identity = await asyncio.to_thread(self.accounts.sign_in, name, secret)
        if identity is None:
            self.throttle.fail(*keys)
            log.info("failed sign-in for a name from %s", request.remote)  # neither the name nor what was typed
            return _signin_page("That name and code or password do not match. A code works only once.", name,
                                status=401)
        self.throttle.succeed(keys[1])
        if new_password:
            try:
                await asyncio.to_thread(self.accounts.set_password, identity.name, new_password)
            except UserError as exc:
                return _signin_page(str(exc), name, status=400)
        token, expires = await asyncio.to_thread(self.accounts.open_session, identity, self.session_hours)
        response = web.HTTPSeeOther("/")
        response.set_cookie(COOKIE, token, max_age=max(1, int(expires - time.time())), path="/", httponly=True,
                            samesite="Strict", secure=self.secure_cookie)
        raise response

    async def handle_signout_page(self, request: web.Request) -> web.StreamResponse:
        return _page("Sign out", '<form method="post" action="/signout"><button>Sign out</button></form>'
                     '<p><a href="/">Back to the trainer</a></p>', raw=True)

    async def handle_signout(self, request: web.Request) -> web.StreamResponse:
        token = request.cookies.get(COOKIE, "")
        if token:
            await asyncio.to_thread(self.accounts.close_session, token)
            for socket in list(self._sockets.pop(token, ())):
                await socket.close()
        response = _page("Signed out", "You are signed out. <a href=\"/signin\">Sign in again</a>", raw=True)
        response.del_cookie(COOKIE, path="/")
        return response

    # Records, scoped to who asks.

    async def handle_transcripts(self, request: web.Request) -> web.StreamResponse:
        from trainer.records.scope import header_of, sat_by, visible_transcripts

        identity = request[IDENTITY]
        rows = []
        for path in await asyncio.to_thread(visible_transcripts, self.transcripts, identity):
            header = header_of(path) or {}
            rows.append({"session_id": path.stem, "trainee": header.get("trainee"), "sat_by": sat_by(header),
                         "persona_id": header.get("persona_id"), "mode": header.get("mode"),
                         "started": header.get("started")})
        return web.json_response(rows, headers={"Cache-Control": "no-store"})

    async def handle_transcript(self, request: web.Request) -> web.StreamResponse:
        from trainer.records.scope import NotYours, transcript_for

        try:
            path = transcript_for(self.transcripts, request.match_info["session_id"], request[IDENTITY])
        except NotYours as exc:
            return web.Response(status=404, text=f"Refused: {exc}.\n")
        return web.FileResponse(path, headers={
            "Content-Type": "application/x-ndjson; charset=utf-8", "Cache-Control": "no-store",
            "Content-Disposition": f'attachment; filename="{path.name}"'})

    async def handle_report(self, request: web.Request) -> web.StreamResponse:
        """The cohort report (`trainer report --html`) over the server's transcripts: for trainers only."""
        if not request[IDENTITY].sees_cohort:
            return web.Response(status=403, text="Refused: the cohort report is for trainers.\n")
        with tempfile.TemporaryDirectory() as folder:
            page = Path(folder) / "cohort.html"
            # A process of its own, as the command line runs it: the server's loop never loads the scorer.
            done = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "trainer", "report", str(self.transcripts), "--html", str(page),
                stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE)
            _, errors = await done.communicate()
            if done.returncode != 0 or not page.exists():
                why = errors.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no report"]
                return web.Response(status=500, text=f"The report could not be made: {why[0]}\n")
            text = page.read_text(encoding="utf-8")
        return web.Response(text=text, content_type="text/html", charset="utf-8",
                            headers={"Cache-Control": "no-store"})

    # The app: one process per tab, started with the identity of the session that opened it.

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        identity = request[IDENTITY]
        token = request[TOKEN]
        websocket = web.WebSocketResponse(heartbeat=15)
        width = to_int(request.query.get("width", "80"), 80)
        height = to_int(request.query.get("height", "24"), 24)
        app_service: AppService | None = None
        self._sockets.setdefault(token, set()).add(websocket)
        expiry = asyncio.create_task(self._close_at_expiry(token, websocket))
        try:
            await websocket.prepare(request)
            app_service = AppService(self.command_for(identity), write_bytes=websocket.send_bytes,
                                     write_str=websocket.send_str, close=websocket.close,  # type: ignore[arg-type]
                                     download_manager=self.download_manager, debug=self.debug)
            await app_service.start(width, height)
            await self._process_messages(websocket, app_service)
        except asyncio.CancelledError:
            await websocket.close()
        except Exception as error:  # as textual-serve does: one tab's failure must not stop the server
            log.exception(error)
        finally:
            expiry.cancel()
            self._sockets.get(token, set()).discard(websocket)
            if not self._sockets.get(token):
                self._sockets.pop(token, None)
            if app_service is not None:
                await app_service.stop()
        return websocket

    async def _close_at_expiry(self, token: str, websocket: web.WebSocketResponse) -> None:
        """A tab open when its session expires, or the person is removed or reset, is closed within a minute."""
        while True:
            await asyncio.sleep(60)
            if await asyncio.to_thread(self.accounts.session, token) is None:
                await websocket.close()
                return


def _page(title: str, body: str, status: int = 200, raw: bool = False) -> web.Response:
    content = body if raw else f"<p>{html.escape(body)}</p>"
    return web.Response(status=status, content_type="text/html", charset="utf-8", headers={
        "Cache-Control": "no-store", "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
        "script-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'"}, text=PAGE.format(
        title=html.escape(title), body=content))


def _signin_page(note: str = "", name: str = "", status: int = 200) -> web.Response:
    shown = f'<p class="note" role="alert">{html.escape(note)}</p>' if note else ""
    return _page("Sign in", SIGNIN.format(note=shown, name=html.escape(name, quote=True)), status, raw=True)


PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>{title} · trainer</title>
<style>
body {{ font: 16px/1.5 system-ui, sans-serif; max-width: 26rem; margin: 4rem auto; padding: 0 1rem;
       color: #1b1b1b; background: #fafafa; }}
label {{ display: block; margin-top: 1rem; }} input {{ width: 100%; padding: .4rem; font-size: 1rem; }}
button {{ margin-top: 1.2rem; padding: .5rem 1.2rem; font-size: 1rem; }} .note {{ color: #a00; }}
small {{ color: #555; }}
</style></head>
<body><h1>{title}</h1>{body}</body></html>
"""

SIGNIN = """{note}
<form method="post" action="/signin" autocomplete="on">
<label>Your name <input name="name" id="name" required maxlength="100" autocomplete="username" value="{name}"></label>
<label>One-time code or password
<input name="secret" id="secret" type="password" required maxlength="200" autocomplete="current-password"></label>
<label>New password <small>(optional: with it, you sign in next time without a code)</small>
<input name="new_password" id="new_password" type="password" minlength="10" maxlength="200"
 autocomplete="new-password"></label>
<button type="submit">Sign in</button>
</form>
<script>
// A link from `trainer classroom add` carries the code after '#': browsers never send it to the server.
const m = location.hash.match(/code=([A-Za-z0-9-]+)/);
if (m) {{ document.getElementById("secret").value = m[1]; history.replaceState(null, "", location.pathname); }}
</script>
"""
