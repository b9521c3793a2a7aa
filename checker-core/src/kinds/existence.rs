//! The `exists` property every named-object kind records first (directory objects, shares).

use crate::eval::evidence::{Evidence, Status};
use crate::eval::host::HostView;

/// Records whether the object `path` of `section` exists as expected (`exists: true|false`
/// in the pack) and returns that status.
pub(crate) fn existence(
    host: &HostView<'_>,
    out: &mut Vec<Evidence>,
    section: &'static str,
    path: &str,
    expected: bool,
    found: bool,
) -> Status {
    let word = |present: bool| if present { "present" } else { "absent" };
    let status = Status::from_bool(found == expected);
    out.push(host.evidence(section, path, "exists", word(expected), word(found), status));
    status
}
