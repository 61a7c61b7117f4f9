# Sourced by setup.sh and test.sh: Debian packages on demand, and the repository's own virtual environment.
# Debian's and Ubuntu's python3 refuse `pip install` outside a virtual environment (PEP 668,
# "externally-managed-environment"), so everything installs into .venv/ (git-ignored) instead.

# apt_install PACKAGE...: install Debian/Ubuntu packages, as root or through sudo.
apt_install() {
  local sudo=""
  if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "error: please install $* (this script knows only apt-get)" >&2
    return 1
  fi
  echo "installing $* with apt-get" >&2
  ($sudo apt-get update -qq && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@") >/dev/null
}

# make_venv: .venv/ from the first python3 on PATH (3.11 or newer), made once, reused afterwards.
make_venv() {
  if [ -x .venv/bin/python ] && .venv/bin/python -c 'import sys; assert sys.version_info >= (3, 11)' 2>/dev/null; then
    return 0
  fi
  if ! python3 -c 'import sys; assert sys.version_info >= (3, 11)' 2>/dev/null; then
    echo "error: briefgen needs Python 3.11 or newer as python3 (found: $(python3 --version 2>&1))" >&2
    return 1
  fi
  rm -rf .venv
  if ! python3 -m venv .venv >/dev/null 2>&1; then
    # Debian and Ubuntu ship venv's pip bootstrap (ensurepip) in a package of its own
    rm -rf .venv
    apt_install "python3-venv" || apt_install "python3.$(python3 -c 'import sys; print(sys.version_info[1])')-venv"
    python3 -m venv .venv
  fi
}
