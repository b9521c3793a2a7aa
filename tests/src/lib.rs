//! Helpers of the real-system test tier (namespaces, lab hosts).

pub mod sshhost;
