//! The Linux agent: collectors that read a host (live or an offline root) into a snapshot.
