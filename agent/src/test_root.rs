//! Test support: writing files into a fake host root for the offline collectors' tests.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

/// Writes `text` at `path` (absolute, as seen by the host) under `root`, creating parent
/// directories, with permission bits `mode`.
pub(crate) fn write(root: &Path, path: &str, text: &str, mode: u32) {
    let p = root.join(path.trim_start_matches('/'));
    fs::create_dir_all(p.parent().expect("a file path has a parent")).expect("create parent");
    fs::write(&p, text).expect("write test file");
    fs::set_permissions(&p, fs::Permissions::from_mode(mode)).expect("set test file mode");
}
