"""Drives a running JupyterHub for install/hub_test.sh, as each user would:
it logs in with the user's password (the hub's PAM authenticator checks
it), takes an API token with the login cookie, starts the user's server
through the hub's REST API, starts a gradlab kernel through that server,
runs a Go cell over the kernel's websocket and checks the cell ran as that
user. Uses only Debian's python3-tornado. The passwords come on stdin, one
"user:password" a line, so they are not on a command line."""

import argparse
import http.cookies
import json
import urllib.parse
import pwd
import sys
import time
import uuid

from tornado import httpclient, ioloop, websocket

CELL = 'fmt.Println("uid", os.Getuid(), "sum", 6*7)'


async def call(url, token, method="GET", body=None, ok=(200, 201, 202, 204), headers=None):
    req = httpclient.HTTPRequest(
        url,
        method=method,
        headers={"Authorization": "token " + token} if headers is None else headers,
        body=None if body is None else json.dumps(body),
        allow_nonstandard_methods=True,
        request_timeout=60,
    )
    resp = await httpclient.AsyncHTTPClient().fetch(req, raise_error=False)
    if resp.code not in ok:
        raise RuntimeError(f"{method} {url}: HTTP {resp.code}: {resp.body[:500]!r}")
    return json.loads(resp.body) if resp.body else None


async def wait_for(what, check, timeout=120):
    deadline = time.monotonic() + timeout
    while True:
        got = await check()
        if got:
            return got
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out after {timeout}s waiting for {what}")
        await ioloop.IOLoop.current().run_in_executor(None, time.sleep, 0.5)


async def login(hub, name, password):
    """Logs name in through the hub's login form and returns an API token
    requested with the login cookie."""
    async def post_login(pw):
        resp = await httpclient.AsyncHTTPClient().fetch(
            hub + "/hub/login", method="POST", follow_redirects=False, raise_error=False, request_timeout=60,
            body=urllib.parse.urlencode({"username": name, "password": pw}),
        )
        jar = http.cookies.SimpleCookie()
        for c in resp.headers.get_list("Set-Cookie"):
            jar.load(c)
        return resp, jar

    # The password is really checked: a wrong one gets no login cookie.
    resp, jar = await post_login(password + "x")
    if "jupyterhub-hub-login" in jar:
        raise RuntimeError(f"{name}: the hub let a wrong password log in (HTTP {resp.code})")
    resp, jar = await post_login(password)
    if resp.code != 302 or "jupyterhub-hub-login" not in jar:
        raise RuntimeError(f"{name}: logging in through /hub/login: HTTP {resp.code}, cookies {sorted(jar)}")
    cookie = "; ".join(f"{k}={m.value}" for k, m in jar.items())
    # The hub accepts cookie-authenticated API calls from its own pages only.
    headers = {"Cookie": cookie, "Referer": hub + "/hub/home", "Content-Type": "application/json"}
    got = await call(hub + f"/hub/api/users/{name}/tokens", None, "POST",
                     {"note": "gradlab hub test", "expires_in": 600}, headers=headers)
    return got["token"]


async def run_user(hub, name, password):
    api = hub + "/hub/api"
    tok = await login(hub, name, password)
    t0 = time.monotonic()
    await call(api + f"/users/{name}/server", tok, "POST", {}, ok=(201, 202))

    async def server_ready():
        u = await call(api + "/users/" + name, tok)
        s = u.get("servers", {}).get("", {})
        return s.get("ready") and s

    await wait_for(f"{name}'s server", server_ready)
    print(f"  {name}: logged in, server ready in {time.monotonic() - t0:.1f}s", flush=True)

    base = hub + f"/user/{name}/api"
    specs = await call(base + "/kernelspecs", tok)
    if "gradlab" not in specs["kernelspecs"]:
        raise RuntimeError(f"{name}'s server does not list the gradlab kernelspec: {sorted(specs['kernelspecs'])}")
    t0 = time.monotonic()
    kernel = await call(base + "/kernels", tok, "POST", {"name": "gradlab"})
    ws_url = "ws" + hub[len("http"):] + f"/user/{name}/api/kernels/{kernel['id']}/channels"
    conn = await websocket.websocket_connect(
        httpclient.HTTPRequest(ws_url, headers={"Authorization": "token " + tok}, request_timeout=60)
    )
    msg_id = uuid.uuid4().hex
    conn.write_message(json.dumps({
        "header": {"msg_id": msg_id, "msg_type": "execute_request", "username": name,
                   "session": uuid.uuid4().hex, "date": "", "version": "5.3"},
        "parent_header": {}, "metadata": {}, "channel": "shell",
        "content": {"code": CELL, "silent": False, "store_history": True,
                    "user_expressions": {}, "allow_stdin": False, "stop_on_error": True},
    }))
    out, reply, idle = [], None, False
    deadline = time.monotonic() + 120
    while reply is None or not idle:
        if time.monotonic() > deadline:
            raise RuntimeError(f"{name}: no execute_reply and idle within 120s (stdout so far {''.join(out)!r})")
        raw = await conn.read_message()
        if raw is None:
            raise RuntimeError(f"{name}: the kernel's websocket closed before the cell finished")
        m = json.loads(raw)
        if m.get("parent_header", {}).get("msg_id") != msg_id:
            continue
        t, c = m["header"]["msg_type"], m["content"]
        if t == "stream" and c["name"] == "stdout":
            out.append(c["text"])
        elif t == "error":
            raise RuntimeError(f"{name}: the cell failed: {c['ename']}: {c['evalue']}")
        elif t == "execute_reply":
            reply = c
        elif t == "status" and c["execution_state"] == "idle":
            idle = True
    conn.close()
    want = f"uid {pwd.getpwnam(name).pw_uid} sum 42\n"
    if reply["status"] != "ok" or "".join(out) != want:
        raise RuntimeError(f"{name}: reply {reply['status']}, stdout {''.join(out)!r}, want {want!r}")
    print(f"  {name}: kernel started and cell ran in {time.monotonic() - t0:.1f}s: {want.strip()}", flush=True)
    await call(base + f"/kernels/{kernel['id']}", tok, "DELETE")
    await call(api + f"/users/{name}/server", tok, "DELETE", ok=(202, 204))


async def main():
    p = argparse.ArgumentParser()
    p.add_argument("--url", required=True)
    a = p.parse_args()
    users = [line.strip().split(":", 1) for line in sys.stdin if line.strip()]

    async def hub_up():  # the hub was started just before us
        try:
            return await call(a.url + "/hub/api", None, headers={})
        except (OSError, RuntimeError, httpclient.HTTPClientError):
            return None

    await wait_for("the hub", hub_up, timeout=90)
    for name, password in users:
        await run_user(a.url, name, password)


if __name__ == "__main__":
    try:
        ioloop.IOLoop.current().run_sync(main)
    except Exception as e:  # one line saying what failed, for the shell script
        print(f"gradlab hub test: {e}", file=sys.stderr)
        sys.exit(1)
