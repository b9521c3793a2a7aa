//! A real systemd in a container (placeholder, filled below).
