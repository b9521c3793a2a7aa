//! The registry of collectors: name, sections filled, time budget, function.

use crate::collect::Collector;
use crate::collectors::{firewall, listening, network, shares, sshd, storage};
use std::time::Duration;

/// Every collector, in the order their results are applied.
pub fn registry() -> &'static [Collector] {
    REGISTRY
}

static REGISTRY: &[Collector] = &[
    // Network-facing collectors (agent-net).
    Collector {
        name: "listening",
        sections: &["listening"],
        budget: Duration::from_secs(10),
        run: listening::collect,
    },
    Collector {
        name: "network",
        sections: &["network"],
        budget: Duration::from_secs(10),
        run: network::collect,
    },
    Collector {
        name: "firewall",
        sections: &["firewall"],
        budget: Duration::from_secs(20),
        run: firewall::collect,
    },
    Collector {
        name: "shares",
        sections: &["shares"],
        budget: Duration::from_secs(10),
        run: shares::collect,
    },
    Collector {
        name: "sshd",
        sections: &["sshd"],
        budget: Duration::from_secs(10),
        run: sshd::collect,
    },
    Collector {
        name: "storage",
        sections: &["storage"],
        budget: Duration::from_secs(15),
        run: storage::collect,
    },
];
