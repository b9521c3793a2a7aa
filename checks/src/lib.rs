//! The TSSR check library: embedded packs, docs and coverage.
