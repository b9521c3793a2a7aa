//! The checker core: pure functions from packs and snapshots to reports (no I/O).
