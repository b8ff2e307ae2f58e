"""`trainer serve --classroom` over HTTP on 127.0.0.1: sign-in, sessions, scoped transcripts, and each attack refused."""

from __future__ import annotations

import json
import shlex
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import anyio
import pytest
from aiohttp.test_utils import TestClient, TestServer

from trainer.app.classroom_server import COOKIE, ClassroomServer
from trainer.app.serve import app_command_line
from trainer.classroom.accounts import SQLiteAccounts
from trainer.classroom.identity import Identity
from trainer.classroom.throttle import Throttle

pytestmark = pytest.mark.anyio

# Each tab's process writes the arguments it was started with: exactly what the real app would be given.
RECORD_ARGS = "import json, sys; open(sys.argv[1], 'a').write(json.dumps(sys.argv[2:]) + '\\n')"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Classroom:
    def __init__(self, tmp_path: Path) -> None:
        self.accounts = SQLiteAccounts(tmp_path / "classroom.db")
        self.transcripts = tmp_path / "transcripts"
        self.transcripts.mkdir()
        self.started = tmp_path / "started.jsonl"
        self.clock = Clock()
        self.codes = {name: self.accounts.add(name, role).code for name, role in
                      (("Ana Berzina", "trainee"), ("Janis Kalnins", "trainee"), ("Mara Ozola", "trainer"))}
        self.server = ClassroomServer(self.command_for, self.accounts, self.transcripts, host="127.0.0.1", port=0,
                                      throttle=Throttle(free=5, first=2, longest=60, clock=self.clock))

    def command_for(self, who: Identity) -> str:
        app_args = shlex.split(app_command_line("scripted", None, None, identity=who))[3:]  # after "python -m trainer.app"
        return shlex.join([sys.executable, "-c", RECORD_ARGS, str(self.started), *app_args])

    def transcript(self, session_id: str, trainee: str, mode: str = "practice") -> None:
        header = {"type": "header", "format": 4, "session_id": session_id, "trainee": trainee, "mode": mode,
                  "persona_id": "aggressive-broadband-outage", "started": "2026-12-04T10:00:00.000+00:00",
                  "proctored": {"user": trainee, "role": "trainee"}, "n": 0, "prev": None}
        (self.transcripts / f"{session_id}.jsonl").write_text(json.dumps(header) + "\n", encoding="utf-8")


@pytest.fixture
def classroom(tmp_path: Path) -> Classroom:
    return Classroom(tmp_path)


@pytest.fixture
async def client(classroom: Classroom) -> AsyncIterator[TestClient]:
    app = await classroom.server._make_app()
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        yield client


async def sign_in(client: TestClient, name: str, secret: str, **extra: str):  # type: ignore[no-untyped-def]
    return await client.post("/signin", data={"name": name, "secret": secret, **extra}, allow_redirects=False)


async def signed_in(client: TestClient, classroom: Classroom, name: str) -> TestClient:
    response = await sign_in(client, name, classroom.codes[name])
    assert response.status == 303, await response.text()
    return client


async def test_nothing_but_the_sign_in_page_opens_without_a_session(client: TestClient) -> None:
    first = await client.get("/", allow_redirects=False)
    assert first.status == 303 and first.headers["Location"] == "/signin"
    page = await client.get("/signin")
    assert page.status == 200 and 'name="secret"' in await page.text()
    assert "http" not in (await page.text()).split("<body>")[1]  # no external assets
    for path in ("/ws", "/static/js/textual.js", "/transcripts", "/transcripts/x", "/download/abc"):
        refused = await client.get(path)
        assert refused.status == 401 and "sign in first" in await refused.text(), path


async def test_a_one_time_code_signs_in_once_with_a_strict_http_only_cookie(client: TestClient,
                                                                          classroom: Classroom) -> None:
    response = await sign_in(client, "Ana Berzina", classroom.codes["Ana Berzina"])
    assert response.status == 303 and response.headers["Location"] == "/"
    cookie = response.headers["Set-Cookie"]
    assert f"{COOKIE}=" in cookie and "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie
    assert "Secure" not in cookie  # plain http on 127.0.0.1; https public URLs get Secure
    app_page = await client.get("/")
    assert app_page.status == 200 and "/ws" in await app_page.text()
    client.session.cookie_jar.clear()
    again = await sign_in(client, "Ana Berzina", classroom.codes["Ana Berzina"])
    assert again.status == 401 and "A code works only once" in await again.text()
    assert "Set-Cookie" not in again.headers


async def test_a_wrong_code_or_another_persons_code_is_refused(client: TestClient, classroom: Classroom) -> None:
    wrong = await sign_in(client, "Ana Berzina", "AAAA-BBBB-CCCC-DDDD")
    assert wrong.status == 401 and "do not match" in await wrong.text() and "Set-Cookie" not in wrong.headers
    other = await sign_in(client, "Ana Berzina", classroom.codes["Janis Kalnins"])
    assert other.status == 401
    assert (await sign_in(client, "Janis Kalnins", classroom.codes["Janis Kalnins"])).status == 303  # not spent


async def test_a_password_set_at_sign_in_works_next_time(client: TestClient, classroom: Classroom,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("trainer.classroom.accounts.SCRYPT_N", 2**10)
    short = await sign_in(client, "Ana Berzina", classroom.codes["Ana Berzina"], new_password="short")
    assert short.status == 400 and "your code was not used" in await short.text()
    ok = await sign_in(client, "Ana Berzina", classroom.codes["Ana Berzina"], new_password="a long passphrase")
    assert ok.status == 303
    client.session.cookie_jar.clear()
    assert (await sign_in(client, "Ana Berzina", "a long passphrase")).status == 303
    assert "a long passphrase" not in classroom.accounts.path.read_bytes().decode("utf-8", "replace")


async def test_an_expired_session_is_sent_back_to_sign_in(client: TestClient, classroom: Classroom) -> None:
    token, _ = classroom.accounts.open_session(Identity("Ana Berzina", "trainee"), hours=-0.01)
    client.session.cookie_jar.update_cookies({COOKIE: token})
    page = await client.get("/", allow_redirects=False)
    assert page.status == 303 and page.headers["Location"] == "/signin?ended=1"
    assert "session has ended" in await (await client.get("/signin?ended=1")).text()
    client.session.cookie_jar.update_cookies({COOKIE: token})
    socket = await client.get("/ws")
    assert socket.status == 401 and "your session has ended" in await socket.text()


async def test_a_forged_cookie_is_refused(client: TestClient) -> None:
    client.session.cookie_jar.update_cookies({COOKIE: "forged-" + "A" * 40})
    assert (await client.get("/ws")).status == 401
    assert (await client.get("/transcripts")).status == 401


async def test_another_sites_page_cannot_sign_in_or_open_the_app_with_the_cookie(client: TestClient,
                                                                                 classroom: Classroom) -> None:
    evil = {"Origin": "http://evil.example"}
    forged = await client.post("/signin", data={"name": "Ana Berzina", "secret": classroom.codes["Ana Berzina"]},
                               headers=evil, allow_redirects=False)
    assert forged.status == 403 and "another site" in await forged.text()
    await signed_in(client, classroom, "Ana Berzina")  # the code was not spent by the refused form
    hijack = await client.get("/ws", headers=evil)
    assert hijack.status == 403
    assert (await client.post("/signout", headers=evil)).status == 403
    assert (await client.get("/transcripts")).status == 200  # still signed in


async def test_sign_out_ends_the_session(client: TestClient, classroom: Classroom) -> None:
    await signed_in(client, classroom, "Ana Berzina")
    token = next(c.value for c in client.session.cookie_jar if c.key == COOKIE)
    out = await client.post("/signout")
    assert out.status == 200 and "signed out" in await out.text()
    client.session.cookie_jar.update_cookies({COOKIE: token})  # a copy of the old cookie, replayed
    assert (await client.get("/transcripts")).status == 401


async def test_a_trainee_sees_and_reads_only_their_own_transcripts(client: TestClient, classroom: Classroom) -> None:
    classroom.transcript("20261204-100000-ana-aaaaaa", "Ana Berzina")
    classroom.transcript("20261204-100500-janis-bbbbbb", "Janis Kalnins")
    await signed_in(client, classroom, "Ana Berzina")
    listed = await (await client.get("/transcripts")).json()
    assert [row["session_id"] for row in listed] == ["20261204-100000-ana-aaaaaa"]
    own = await client.get("/transcripts/20261204-100000-ana-aaaaaa")
    assert own.status == 200 and "Ana Berzina" in await own.text()
    theirs = await client.get("/transcripts/20261204-100500-janis-bbbbbb")
    assert theirs.status == 404 and "no such session of yours" in await theirs.text()
    missing = await client.get("/transcripts/20261204-999999-nobody-cccccc")
    assert await missing.text() == (await theirs.text()).replace("20261204-100500-janis-bbbbbb",
                                                                 "20261204-999999-nobody-cccccc")  # no telling which


@pytest.mark.parametrize("path", [
    "/transcripts/..%2Ftranscripts%2F20261204-100500-janis-bbbbbb",
    "/transcripts/%2E%2E%2F..%2Fclassroom.db",
    "/transcripts/20261204-100500-janis-bbbbbb.jsonl%00",
])
async def test_a_path_that_climbs_out_is_refused(client: TestClient, classroom: Classroom, path: str) -> None:
    classroom.transcript("20261204-100500-janis-bbbbbb", "Janis Kalnins")
    await signed_in(client, classroom, "Ana Berzina")
    response = await client.get(path)
    body = await response.text()
    assert response.status in (404, 400), body
    assert "Janis" not in body and "SQLite" not in body


async def test_a_trainer_sees_the_whole_cohort(client: TestClient, classroom: Classroom) -> None:
    classroom.transcript("20261204-100000-ana-aaaaaa", "Ana Berzina")
    classroom.transcript("20261204-100500-janis-bbbbbb", "Janis Kalnins")
    await signed_in(client, classroom, "Mara Ozola")
    listed = await (await client.get("/transcripts")).json()
    assert {row["sat_by"] for row in listed} == {"Ana Berzina", "Janis Kalnins"}
    assert (await client.get("/transcripts/20261204-100500-janis-bbbbbb")).status == 200


async def test_each_tab_is_started_as_the_signed_in_person_whatever_the_browser_asks(
        client: TestClient, classroom: Classroom) -> None:
    await signed_in(client, classroom, "Ana Berzina")
    socket = await client.ws_connect("/ws?width=80&height=24&trainee=Janis+Kalnins&classroom-user=Janis+Kalnins"
                                     "&role=trainer")
    for _ in range(100):  # the stand-in app writes its arguments and exits
        if classroom.started.exists() and classroom.started.read_text(encoding="utf-8").endswith("\n"):
            break
        await anyio.sleep(0.05)
    await socket.close()
    started = [json.loads(line) for line in classroom.started.read_text(encoding="utf-8").splitlines()]
    assert len(started) == 1
    args = started[0]
    assert args[args.index("--classroom-user") + 1] == "Ana Berzina"
    assert args[args.index("--classroom-role") + 1] == "trainee"
    assert "Janis Kalnins" not in args and "--trainee" not in args


async def test_a_flood_of_sign_ins_is_slowed_down_and_loses_nothing(client: TestClient, classroom: Classroom) -> None:
    statuses = [(await sign_in(client, "Ana Berzina", f"WRONG-{i:04d}")).status for i in range(12)]
    assert statuses[:5] == [401] * 5 and set(statuses[5:]) <= {401, 429} and 429 in statuses
    refused = await sign_in(client, "Ana Berzina", classroom.codes["Ana Berzina"])  # even the right code waits
    assert refused.status == 429 and int(refused.headers["Retry-After"]) >= 1
    assert "Too many failed sign-ins" in await refused.text()
    other_name = await sign_in(client, "Janis Kalnins", classroom.codes["Janis Kalnins"])
    assert other_name.status == 429  # the same client is slowed down whatever name it tries
    classroom.clock.now += 61
    assert (await sign_in(client, "Ana Berzina", classroom.codes["Ana Berzina"])).status == 303  # code kept


async def test_the_cohort_report_is_for_trainers_only(client: TestClient, classroom: Classroom) -> None:
    await signed_in(client, classroom, "Ana Berzina")
    refused = await client.get("/report")
    assert refused.status == 403 and "for trainers" in await refused.text()
    client.session.cookie_jar.clear()
    await signed_in(client, classroom, "Mara Ozola")
    report = await client.get("/report")
    assert report.status == 200, await report.text()
    assert report.content_type == "text/html" and "<html" in (await report.text()).lower()
