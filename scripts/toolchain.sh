# Sourced by .ci/run and scripts/test: finds cargo (and rustup when there is one) even where
# `sudo` has reset PATH, and exports PATH, CARGO_HOME and RUSTUP_HOME so that every later
# `cargo` call uses that toolchain. On failure, prints one line saying what to install and
# returns 1; it never installs anything.
#
# Looked at, in order: PATH, $CARGO_HOME/bin, $HOME/.cargo/bin, the .cargo/bin of the user who
# ran sudo ($SUDO_USER, whose CARGO_HOME/RUSTUP_HOME are then used), /root/.cargo/bin.

constat_find_toolchain() {
  local tried=() dir home
  if command -v cargo >/dev/null 2>&1; then
    CONSTAT_CARGO=$(command -v cargo)
  else
    CONSTAT_CARGO=""
    local candidates=()
    [ -n "${CARGO_HOME:-}" ] && candidates+=("$CARGO_HOME/bin")
    [ -n "${HOME:-}" ] && candidates+=("$HOME/.cargo/bin")
    if [ -n "${SUDO_USER:-}" ] && [ "$SUDO_USER" != root ]; then
      home=$(getent passwd "$SUDO_USER" | cut -d: -f6)
      [ -n "$home" ] && candidates+=("$home/.cargo/bin")
    fi
    candidates+=(/root/.cargo/bin)
    for dir in "${candidates[@]}"; do
      case " ${tried[*]} " in *" $dir "*) continue ;; esac
      tried+=("$dir")
      if [ -x "$dir/cargo" ]; then
        CONSTAT_CARGO="$dir/cargo"
        export PATH="$dir:$PATH"
        # A rustup install keeps its toolchains in RUSTUP_HOME next to CARGO_HOME: when the
        # toolchain is another user's (sudo from that user), use that user's homes.
        local base=${dir%/bin}
        if [ -z "${CARGO_HOME:-}" ] && [ "$base" != "${HOME:-}/.cargo" ]; then
          export CARGO_HOME="$base"
        fi
        if [ -z "${RUSTUP_HOME:-}" ] && [ -d "${base%/.cargo}/.rustup" ] &&
          [ "$base" != "${HOME:-}/.cargo" ]; then
          export RUSTUP_HOME="${base%/.cargo}/.rustup"
        fi
        break
      fi
    done
  fi
  if [ -z "$CONSTAT_CARGO" ]; then
    local IFS=,
    echo "constat: cargo not found (looked in PATH,${tried[*]}): install Rust with rustup first (https://rustup.rs), then run: rustup component add clippy rustfmt && rustup target add x86_64-unknown-linux-musl" >&2
    return 1
  fi
  if ! "$CONSTAT_CARGO" --version >/dev/null 2>&1; then
    echo "constat: $CONSTAT_CARGO does not run (\`cargo --version\` fails: $("$CONSTAT_CARGO" --version 2>&1 | head -n1)); with rustup, run: rustup default stable" >&2
    return 1
  fi
  CONSTAT_RUSTUP=$(command -v rustup 2>/dev/null || true)
  export CONSTAT_CARGO CONSTAT_RUSTUP
}

# Fails (one line) when clippy, rustfmt or the musl target is missing.
constat_check_components() {
  local missing=()
  cargo clippy --version >/dev/null 2>&1 || missing+=(clippy)
  cargo fmt --version >/dev/null 2>&1 || missing+=(rustfmt)
  if [ ${#missing[@]} -gt 0 ]; then
    echo "constat: the Rust component(s) ${missing[*]} are missing for $CONSTAT_CARGO: run rustup component add ${missing[*]}" >&2
    return 1
  fi
  if [ -n "$CONSTAT_RUSTUP" ] &&
    ! rustup target list --installed 2>/dev/null | grep -qx x86_64-unknown-linux-musl; then
    echo "constat: the Rust target x86_64-unknown-linux-musl (static agent) is missing: run rustup target add x86_64-unknown-linux-musl" >&2
    return 1
  fi
}
