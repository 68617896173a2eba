# scripts/common.sh - shared by scripts/check and scripts/demo: install what
# is missing, then build out of tree in build/. Sourced, not run.

salvage_top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
salvage_builddir=${SALVAGE_BUILDDIR:-$salvage_top/build}

# Debian packages salvage needs to build and test.
salvage_packages="build-essential autoconf automake pkg-config
	libncurses-dev libcurl4-openssl-dev libssl-dev libcjson-dev
	libexpat1-dev libreadline-dev tmux python3 python3-pip man-db
	ca-certificates clang"

salvage_as_root() {
	if [ "$(id -u)" = 0 ]; then
		"$@"
	elif command -v sudo >/dev/null 2>&1; then
		sudo "$@"
	else
		echo "salvage: need root (or sudo) to run: $*" >&2
		return 1
	fi
}

salvage_install_deps() {
	local missing="" p
	for p in $salvage_packages; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
			missing="$missing $p"
	done
	command -v aws >/dev/null 2>&1 || missing="$missing awscli"
	if [ -n "$missing" ]; then
		echo "salvage: installing Debian packages:$missing"
		salvage_as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
		# shellcheck disable=SC2086
		salvage_as_root env DEBIAN_FRONTEND=noninteractive \
			apt-get install -y -qq --no-install-recommends $missing
	fi
	if ! python3 -c 'import moto' >/dev/null 2>&1; then
		echo "salvage: installing moto (the local AWS emulator) with pip"
		python3 -m pip install --quiet 'moto[server]' 2>/dev/null ||
			python3 -m pip install --quiet --break-system-packages 'moto[server]'
	fi
	if ! command -v moto_server >/dev/null 2>&1; then
		echo "salvage: moto_server is not on PATH after installing moto" >&2
		return 1
	fi
}

# Builds into $salvage_builddir; sets SALVAGE_BIN. Extra arguments go to
# configure the first time.
salvage_build() {
	(
		cd "$salvage_top" || exit 1
		if [ ! -x configure ] || [ configure.ac -nt configure ] ||
		    [ Makefile.am -nt Makefile.in ]; then
			autoreconf -fi >/dev/null
		fi
		mkdir -p "$salvage_builddir"
		cd "$salvage_builddir" || exit 1
		if [ ! -f Makefile ] || [ "$salvage_top/configure" -nt config.status ]; then
			"$salvage_top/configure" --enable-werror "$@" >configure.out ||
				{ cat configure.out; exit 1; }
		fi
		make -j"$(nproc)" >make.out 2>&1 || { tail -n 60 make.out; exit 1; }
	) || return 1
	SALVAGE_BIN=$salvage_builddir/salvage
	export SALVAGE_BIN
}
