#!/usr/bin/env bash
# Checks the course setup end to end: Debian's JupyterHub (3.0) with its
# defaults, PAM and LocalProcessSpawner, starts a gradlab kernel for two real
# users, who log in with their passwords, and runs a Go cell in each,
# through the hub's proxy and the users' servers.
#
# It installs gradlab into a temporary prefix (bin/gradlab, and the
# kernelspec with `gradlab install --prefix`), exactly as the README's
# /usr/local recipe but without touching /usr/local; the users' servers
# find the spec through JUPYTER_PATH. It creates two throwaway users, starts
# the hub on loopback, and removes the users, their processes and every file
# it made when it ends, however it ends. Needs root (useradd, and the hub
# switches to each user to spawn). Bounded in time: the whole run is capped
# at GRADLAB_HUB_TIMEOUT seconds (default 600), the hub part at 240.
#
#   sudo bash install/hub_test.sh            # builds gradlab with go build
#   GRADLAB_BIN=/path/to/gradlab sudo -E bash install/hub_test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
. install/deps.sh

[ "$(id -u)" = 0 ] || die "hub_test.sh needs root: it creates two users and runs JupyterHub, which switches to them."

# Cap the whole run; the trap below still cleans up on the timeout's TERM.
if [ -z "${GRADLAB_HUB_CAPPED:-}" ]; then
	export GRADLAB_HUB_CAPPED=1
	exec timeout --kill-after=60 "${GRADLAB_HUB_TIMEOUT:-600}" bash "$0" "$@"
fi

started=$(date +%s)
need_debs jupyterhub jupyter-notebook -- "command -v jupyterhub" "command -v jupyterhub-singleuser" \
	"command -v configurable-http-proxy" "$PY -c 'import jupyterhub, notebook, tornado'"
echo "gradlab hub test: packages ready after $(($(date +%s) - started)) s"

tmp=$(mktemp -d /tmp/gradlab-hub.XXXXXX)
users=()
hubpid=
drvpid=
cleanup() {
	local rc=$?
	# Ignore further signals while cleaning up: timeout sends TERM to the
	# script and then again to its whole process group.
	trap '' INT TERM
	trap - EXIT
	[ -z "$drvpid" ] || kill -TERM "$drvpid" 2>/dev/null || true
	if [ -n "$hubpid" ] && kill -0 "$hubpid" 2>/dev/null; then
		# The hub stops the users' servers and its proxy when it gets TERM.
		kill -TERM "$hubpid" 2>/dev/null || true
		for _ in $(seq 1 40); do kill -0 "$hubpid" 2>/dev/null || break; sleep 0.5; done
		kill -KILL -- "-$hubpid" 2>/dev/null || true
	fi
	if [ -s "$tmp/jupyterhub-proxy.pid" ]; then
		kill -TERM "$(cat "$tmp/jupyterhub-proxy.pid")" 2>/dev/null || true
	fi
	for u in "${users[@]}"; do
		# Whatever still runs as a throwaway user was started by this test.
		pkill -KILL -u "$u" 2>/dev/null || true
		sleep 0.2
		userdel -r "$u" 2>/dev/null || userdel "$u" 2>/dev/null || true
	done
	rm -rf "$tmp"
	if [ "$rc" = 0 ]; then
		echo "gradlab hub test: PASS in $(($(date +%s) - started)) s"
	else
		echo "gradlab hub test: FAILED (exit $rc) after $(($(date +%s) - started)) s" >&2
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 143' INT TERM

# gradlab, installed as the README says but under a temporary prefix that
# every user can enter.
chmod 0755 "$tmp"
prefix=$tmp/prefix
mkdir -p "$prefix/bin"
if [ -n "${GRADLAB_BIN:-}" ]; then
	install -m 0755 "$GRADLAB_BIN" "$prefix/bin/gradlab"
else
	need_go
	echo "gradlab hub test: go build"
	go build -o "$prefix/bin/gradlab" .
	chmod 0755 "$prefix/bin/gradlab"
fi
# Under umask 077, as a careful admin's shell may have: the spec must still
# be readable by the users' servers, or they would not list gradlab.
(umask 077 && "$prefix/bin/gradlab" install --prefix "$prefix")

# Issue 16's papercut: a shared install of a binary in a directory other
# users cannot enter (as `go install` as root gives) must be refused,
# naming that directory, instead of breaking every user's kernel start.
mkdir -m 0700 "$tmp/private"
cp "$prefix/bin/gradlab" "$tmp/private/gradlab"
if out=$("$tmp/private/gradlab" install --prefix "$tmp/refused" 2>&1); then
	die "gradlab install --prefix accepted a binary in a 0700 directory: $out"
fi
grep -qF "$tmp/private is drwx------" <<<"$out" || die "the refusal does not name the 0700 directory: $out"
[ ! -e "$tmp/refused" ] || die "a refused install wrote into its prefix"
echo "gradlab hub test: a binary in a 0700 directory is refused for a shared install"

# Two throwaway users, with names no one else has and random passwords.
logins=
for s in a b; do
	u="glhub$$$s"
	useradd -m -s /bin/sh "$u"
	users+=("$u")
	pw=$($PY -c 'import secrets; print(secrets.token_urlsafe(16))')
	echo "$u:$pw" | chpasswd
	logins+="$u:$pw"$'\n'
done

free_port() { $PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
port=$(free_port)
api_port=$(free_port)
hub_port=$(free_port)
cat >"$tmp/jupyterhub_config.py" <<EOF
c = get_config()  # noqa
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = $port
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = $hub_port
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:$api_port"
c.JupyterHub.db_url = "sqlite:///$tmp/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = "$tmp/jupyterhub_cookie_secret"
c.ConfigurableHTTPProxy.pid_file = "$tmp/jupyterhub-proxy.pid"
c.JupyterHub.authenticator_class = "jupyterhub.auth.PAMAuthenticator"  # the default
c.Authenticator.allowed_users = {"${users[0]}", "${users[1]}"}
c.JupyterHub.spawner_class = "jupyterhub.spawner.LocalProcessSpawner"
c.Spawner.environment = {"JUPYTER_PATH": "$prefix/share/jupyter"}
c.Spawner.start_timeout = 90
c.Spawner.http_timeout = 90
EOF

# Debian's configurable-http-proxy finds its modules in /usr/share/nodejs,
# where Debian's node looks by default but a node from elsewhere (e.g.
# NodeSource's, which replaces Debian's nodejs package) does not.
export NODE_PATH=/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}
echo "gradlab hub test: starting JupyterHub on 127.0.0.1:$port for ${users[*]}"
(cd "$tmp" && exec setsid jupyterhub -f "$tmp/jupyterhub_config.py" >"$tmp/hub.log" 2>&1) &
hubpid=$!

# In the background, so that a TERM (the overall timeout) runs the cleanup
# at once: bash defers traps until a foreground command ends.
timeout 240 $PY install/hub_test.py --url "http://127.0.0.1:$port" <<<"$logins" &
drvpid=$!
if ! wait "$drvpid"; then
	drvpid=
	echo "--- hub log (last 60 lines) ---" >&2
	tail -n 60 "$tmp/hub.log" >&2
	exit 1
fi
