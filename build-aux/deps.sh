# shellcheck shell=bash
# build-aux/deps.sh: shared by build-aux/demo and build-aux/test.
#
# Sourced, not executed. Provides:
#   er_ensure_deps [extra packages...]  install missing Debian packages
#   er_check_meson                      require meson >= 1.0
#   er_build BUILDDIR [OPTION...]       meson setup (or reconfigure) + compile
#
# A machine that already has every package runs no apt command at all:
# each package is checked with dpkg-query first, and `apt-get update` only
# runs when something is missing.

# Everything needed to build and run the app (Debian 12 "bookworm" names).
ER_BUILD_PACKAGES=(
  meson ninja-build pkg-config gcc libc6-dev
  libgtk-4-dev libepoxy-dev libadwaita-1-dev libsoup-3.0-dev libjson-glib-dev libssl-dev
  libgdk-pixbuf-2.0-dev libjpeg62-turbo-dev libsecret-1-dev libgmime-3.0-dev libcairo2-dev
  libpango1.0-dev
  libtesseract-dev tesseract-ocr-fra tesseract-ocr-eng fonts-dejavu-core fonts-urw-base35
  gettext desktop-file-utils appstream libglib2.0-bin openssl curl
)

# Extra packages for the test suite: a virtual X server and a private
# D-Bus session bus (xvfb-run, dbus-run-session); xdotool types keys
# through the X server as an agent would; python3 runs the independent
# platform of the keyboard test; at-spi2-core (the accessibility bus) and
# python3-pyatspi let the lock-a11y test read the app's AT-SPI tree;
# flatpak-builder lets the manifest test check that it reads
# com.edulib.Reviewer.json (--show-manifest; nothing is built).
# The benchmark's floor (docs/performance.md) is a pipeline of curl,
# basenc (coreutils), openssl, and djpeg or pngtopnm: curl, openssl,
# libjpeg-turbo-progs, netpbm.
# shellcheck disable=SC2034  # used by build-aux/test
ER_TEST_PACKAGES=(xvfb xauth dbus dbus-x11 xdotool python3 imagemagick
  at-spi2-core python3-pyatspi flatpak-builder
  curl openssl libjpeg-turbo-progs netpbm)

er_log () {
  if [ -t 2 ]; then
    printf '\033[1m==> %s\033[0m\n' "$*" >&2
  else
    printf '==> %s\n' "$*" >&2
  fi
}

er_die () {
  printf 'error: %s\n' "$*" >&2
  exit 1
}

er_package_installed () {
  dpkg-query -W -f='${db:Status-Status}\n' "$1" 2>/dev/null | grep -qx installed
}

er_ensure_deps () {
  local pkg
  local -a wanted=("${ER_BUILD_PACKAGES[@]}" "$@")
  local -a missing=()
  local -a sudo=()

  if ! command -v dpkg-query >/dev/null 2>&1; then
    er_log "Not a Debian-based system: skipping package installation."
    er_log "Install the equivalents of: ${wanted[*]}"
    return 0
  fi

  for pkg in "${wanted[@]}"; do
    er_package_installed "$pkg" || missing+=("$pkg")
  done

  if [ "${#missing[@]}" -eq 0 ]; then
    return 0
  fi

  if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null 2>&1; then
      er_die "missing packages: ${missing[*]}
Install them as root:  apt-get install ${missing[*]}"
    fi
    sudo=(sudo)
  fi

  er_log "Installing missing packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q \
    || er_die "apt-get update failed"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" \
    || er_die "could not install: ${missing[*]}"
}

# er_write_bus_config FILE: a session bus like the standard one, minus
# <standard_session_servicedirs/>: nothing on it can be auto-started, so
# libsecret fails fast instead of starting (or prompting for) a real
# keyring, and no portal is started (their start held the window back).
er_write_bus_config () {
  cat > "$1" <<'CONF'
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <keep_umask/>
  <listen>unix:tmpdir=/tmp</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
CONF
}

er_check_meson () {
  local version

  command -v meson >/dev/null 2>&1 || er_die "meson is not installed"
  version="$(meson --version)"
  if [ "$(printf '%s\n' 1.0 "$version" | sort -V | head -n 1)" != 1.0 ]; then
    er_die "meson >= 1.0 is required, found $version (Debian 12 ships 1.0.1)"
  fi
}

# er_build BUILDDIR [MESON OPTION...]: configure BUILDDIR (fresh, or
# reconfigure an existing one, wiping it if it cannot be reused) with the
# options given, and compile everything.
er_build () {
  local builddir="$1"
  shift

  er_check_meson
  if [ -f "$builddir/meson-private/coredata.dat" ]; then
    er_log "Reconfiguring $builddir"
    meson setup --reconfigure "$builddir" "$@" >/dev/null \
      || meson setup --wipe "$builddir" "$@" \
      || er_die "meson setup failed"
  else
    er_log "Configuring $builddir"
    meson setup "$builddir" "$@" || er_die "meson setup failed"
  fi
  er_log "Building"
  meson compile -C "$builddir" || er_die "the build failed"
}
