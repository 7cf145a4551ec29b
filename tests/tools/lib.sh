# What the ledger scripts share; sourced, not run. Both run from the repository's root.

# LibreOffice's binary in $soffice, or a message naming what to install and exit 2.
need_soffice() {
  soffice=$(command -v soffice || command -v libreoffice || true)
  if [ -z "$soffice" ]; then
    echo "$1: LibreOffice is not installed (apt-get install -y libreoffice-calc)" >&2
    exit 2
  fi
}

# The zhengce binary in $bin: $ZHENGCE_BIN, else the release build (built if missing).
zhengce_bin() {
  bin=${ZHENGCE_BIN:-target/release/zhengce}
  if [ ! -x "$bin" ]; then
    cargo build --release --locked
  fi
}

# A scratch folder in $work, removed on exit.
scratch() {
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
}
