//! `constat-agent`: prints one JSON snapshot of this host.

fn main() {}
