//! One language at a time for the libraries' failures: in a French text, what is read before
//! « détail » (where constat puts a library's own English text) holds none of the words of
//! the libraries' English messages. Test support (the CLI's own tests, its integration tests
//! and the real tier's), kept here so that there is one list.

/// Words of the libraries' English messages (std::io, russh, ldap3, reqwest, rustls) that no
/// French phrase of constat holds.
pub const ENGLISH: &[&str] = &[
    "error",
    "Error",
    "refused",
    "Connection",
    "connection",
    "Disconnected",
    "certificate",
    "received",
    "sending",
    "timed out",
    "channel",
    "peer",
    "closed",
    "expected",
];

/// Panics when a line of `text` shows one of [`ENGLISH`] before its « détail ».
pub fn assert_french_first(text: &str) {
    for line in text.lines() {
        let first = line.split("détail").next().unwrap_or(line);
        for word in ENGLISH {
            assert!(
                !first.contains(word),
                "English library text « {word} » read before the detail in: {line}"
            );
        }
    }
}
