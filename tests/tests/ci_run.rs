//! The README's test command finds the Rust toolchain where people have it: `.ci/run
//! --check-only` run for real through `sudo` by an unprivileged user whose rustup lives in
//! their home (sudo resets PATH and HOME), from a fresh root shell whose PATH has no
//! `~/.cargo/bin`, and on a machine with no toolchain at all, where it must fail in one line
//! saying what to install. Inside a private mount namespace (tests/src/mountns.rs): the user,
//! their sudoers rule and the toolchain placements never reach the machine; the toolchain
//! itself is this machine's rustup, bind-mounted where each case needs it.

use constat_tests::mountns::OverlayRoot;
use constat_tests::real::{real_tests_enabled, require_programs};
use std::path::PathBuf;

/// The scenario: `$1` = the repository, `$2` = this machine's rustup binary, `$3` = its
/// RUSTUP_HOME. Prints one `== case` block per case with the exit status.
const SCENARIO: &str = r#"set -e
repo=$1 rustup_bin=$2 rustup_home=$3
useradd -m -s /bin/sh ciuser
printf 'ciuser ALL=(root) NOPASSWD: ALL\n' > /etc/sudoers.d/ciuser
chmod 0440 /etc/sudoers.d/ciuser
# The user's own rustup install: ~/.cargo/bin/{rustup,cargo} and ~/.rustup.
install -d -o ciuser /home/ciuser/.cargo /home/ciuser/.cargo/bin
touch /home/ciuser/.cargo/bin/rustup
mount --bind "$rustup_bin" /home/ciuser/.cargo/bin/rustup
for proxy in cargo cargo-clippy cargo-fmt rustc rustfmt clippy-driver; do
  ln -s rustup /home/ciuser/.cargo/bin/$proxy
done
ln -s "$rustup_home" /home/ciuser/.rustup
# The toolchain the symlink points to must be readable by the user (root's home is 0700;
# changed in the overlay only).
chmod o+x /root
# Root's own toolchain hidden (an empty ~/.cargo), so that only the user's can be found.
mkdir -p /root/.cargo
mount -t tmpfs tmpfs /root/.cargo
set +e
echo "== sudo from a user whose rustup is in their home"
su - ciuser -c "sudo -n bash '$repo/.ci/run' --check-only" 2>&1
echo "exit $?"
echo "== the same user, without sudo (the check needs no root)"
su - ciuser -c "bash '$repo/.ci/run' --check-only" 2>&1
echo "exit $?"
echo "== an unknown argument"
su - ciuser -c "sudo -n bash '$repo/.ci/run' --fast" 2>&1
echo "exit $?"
# A fresh root shell: PATH without ~/.cargo/bin, rustup installed for root.
set -e
mkdir -p /root/.cargo/bin
touch /root/.cargo/bin/rustup
mount --bind /home/ciuser/.cargo/bin/rustup /root/.cargo/bin/rustup
for proxy in cargo cargo-clippy cargo-fmt rustc rustfmt clippy-driver; do
  ln -s rustup /root/.cargo/bin/$proxy
done
if [ "$rustup_home" != /root/.rustup ]; then
  mkdir -p /root/.rustup
  mount --bind "$rustup_home" /root/.rustup
fi
umount /home/ciuser/.cargo/bin/rustup
rm -rf /home/ciuser/.cargo
set +e
echo "== a fresh root shell"
env -i HOME=/root PATH=/usr/sbin:/usr/bin:/sbin:/bin bash "$repo/.ci/run" --check-only 2>&1
echo "exit $?"
# No toolchain anywhere (root's ~/.cargo stays the empty tmpfs).
set -e
umount /root/.cargo/bin/rustup
rm -rf /root/.cargo/bin
set +e
echo "== no toolchain anywhere"
su - ciuser -c "sudo -n bash '$repo/.ci/run' --check-only" 2>&1
echo "exit $?"
"#;

#[test]
fn the_readme_command_finds_cargo_through_sudo_and_from_a_fresh_root_shell() {
    if !real_tests_enabled() {
        return;
    }
    require_programs(&["unshare", "mount", "useradd", "su", "sudo", "install"]);
    // The rustup proxy that runs these tests sets CARGO_HOME and RUSTUP_HOME.
    let cargo_home = std::env::var_os("CARGO_HOME").map(PathBuf::from).expect(
        "CARGO_HOME is set when the tests run through rustup (README: install Rust with rustup)",
    );
    let rustup_home = std::env::var_os("RUSTUP_HOME")
        .map(PathBuf::from)
        .expect("RUSTUP_HOME is set when the tests run through rustup");
    let rustup = cargo_home.join("bin/rustup");
    assert!(rustup.is_file(), "{} is missing", rustup.display());
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests crate is in the workspace")
        .to_path_buf();
    let root = OverlayRoot::new("cirun");
    let out = root.run(
        SCENARIO,
        &[
            repo.to_str().expect("utf-8 repository path"),
            rustup.to_str().expect("utf-8 rustup path"),
            rustup_home.to_str().expect("utf-8 RUSTUP_HOME"),
        ],
    );
    let text = String::from_utf8_lossy(&out.stdout)
        .replace(&rustup_home.display().to_string(), "[RUSTUP_HOME]")
        .replace(&repo.display().to_string(), "[REPO]");
    let version = regex::Regex::new(r"cargo \d+\.\d+\.\d+[^)]*\)").unwrap();
    let text = version.replace_all(&text, "cargo [version]");
    insta::assert_snapshot!(text);
}
