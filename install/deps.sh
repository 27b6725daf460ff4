#!/usr/bin/env bash
# Makes sure what gradlab's commands need is on this machine, installing
# Debian's packages when they are missing. Sourced by main.sh and test.sh.
#   need_go                      Go 1.26 or later
#   need_modules                 the Go modules, downloaded
#   need_debs PKG... -- CHECK... installs PKGs unless every CHECK command succeeds
#   need_datasets                Fashion-MNIST, from Debian's dataset-fashion-mnist
set -euo pipefail

die() { echo "gradlab: $*" >&2; exit 1; }

need_go() {
	if ! command -v go >/dev/null 2>&1; then
		[ -x /usr/local/go/bin/go ] && export PATH="/usr/local/go/bin:$PATH"
	fi
	command -v go >/dev/null 2>&1 || die "Go is not installed. Install Go 1.26 or later (https://go.dev/dl/) and put it on PATH."
	local v
	v=$(go env GOVERSION | sed 's/^go//')
	case "$v" in
		1.2[6-9]*|1.[3-9]*|[2-9].*) ;;
		*) die "Go $v is too old: gradlab needs Go 1.26 or later." ;;
	esac
	local gobin
	gobin=$(go env GOBIN)
	[ -n "$gobin" ] || gobin="$(go env GOPATH | cut -d: -f1)/bin"
	export PATH="$gobin:$PATH"
}

apt_updated=
apt_install() {
	local sudo=
	if [ "$(id -u)" != 0 ]; then
		if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
			sudo=sudo
		else
			die "missing Debian packages: $*. Install them as root: apt-get install $*"
		fi
	fi
	command -v apt-get >/dev/null 2>&1 || die "missing packages ($*) and no apt-get: gradlab's scripts install Jupyter from Debian packages; install the equivalents by hand."
	if [ -z "$apt_updated" ]; then
		echo "gradlab: apt-get update" >&2
		$sudo apt-get update -q >/dev/null || die "apt-get update failed: cannot reach Debian's package archive."
		apt_updated=1
	fi
	echo "gradlab: installing $*" >&2
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "$@" >/dev/null ||
		die "apt-get install $* failed (see the messages above)."
}

# need_debs PKG... -- CHECK...: each CHECK is a shell command that succeeds
# when the packages are already usable.
need_debs() {
	local pkgs=() checks=() seen_sep=
	for a in "$@"; do
		if [ "$a" = "--" ]; then seen_sep=1; continue; fi
		if [ -n "$seen_sep" ]; then checks+=("$a"); else pkgs+=("$a"); fi
	done
	local ok=1
	for c in "${checks[@]}"; do
		if ! bash -c "$c" >/dev/null 2>&1; then ok=; break; fi
	done
	[ -n "$ok" ] && return 0
	apt_install "${pkgs[@]}"
	for c in "${checks[@]}"; do
		bash -c "$c" >/dev/null 2>&1 || die "installed ${pkgs[*]} but '$c' still fails."
	done
}

# need_modules downloads the Go modules gradlab builds with (through the
# module proxy, over HTTPS), so that a machine without access says so once.
need_modules() {
	need_debs ca-certificates -- "test -s /etc/ssl/certs/ca-certificates.crt"
	go mod download || die "cannot download the Go modules (see above): check the network and the module proxy ($(go env GOPROXY))."
}

PY=/usr/bin/python3

# need_datasets installs Fashion-MNIST (four IDX files in
# /usr/share/datasets/fashion-mnist), which data.FashionMNIST reads by
# default and the Fashion-MNIST notebook and tests use.
need_datasets() {
	need_debs dataset-fashion-mnist -- "test -s /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"
}

need_jupyter() {
	need_debs jupyter-notebook jupyter-nbconvert jupyter-client jupyter-console python3-nbclient python3-ipykernel -- \
		"command -v jupyter" "command -v jupyter-nbconvert" "command -v jupyter-console" \
		"$PY -c 'import nbconvert, nbclient, jupyter_client, notebook, jupyter_console, ipykernel'"
}
