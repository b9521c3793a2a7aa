//! The registry of collectors: name, sections filled, time budget, function.

use crate::collectors::{
    backups, files, firewall, listening, nagios, network, package_repositories, packages,
    processes, scheduled_jobs, services, shares, sshd, storage, sudo, users,
};
use crate::context::Collector;
use std::time::Duration;

/// Every collector, in the order their results are applied.
pub fn registry() -> &'static [Collector] {
    REGISTRY
}

static REGISTRY: &[Collector] = &[
    // agent-sys collectors (system state).
    Collector {
        name: "users",
        sections: &["users", "groups"],
        budget: Duration::from_secs(10),
        run: users::collect,
    },
    Collector {
        name: "sudo",
        sections: &["sudo"],
        budget: Duration::from_secs(5),
        run: sudo::collect,
    },
    Collector {
        name: "services",
        sections: &["services"],
        budget: Duration::from_secs(15),
        run: services::collect,
    },
    Collector {
        name: "processes",
        sections: &["processes"],
        budget: Duration::from_secs(10),
        run: processes::collect,
    },
    Collector {
        name: "packages",
        sections: &["packages"],
        budget: Duration::from_secs(40),
        run: packages::collect,
    },
    Collector {
        name: "package_repositories",
        sections: &["package_repositories"],
        budget: Duration::from_secs(15),
        run: package_repositories::collect,
    },
    Collector {
        name: "nagios",
        sections: &["supervision"],
        budget: Duration::from_secs(10),
        run: nagios::collect,
    },
    Collector {
        name: "scheduled_jobs",
        sections: &["scheduled_jobs"],
        budget: Duration::from_secs(15),
        run: scheduled_jobs::collect,
    },
    Collector {
        name: "backups",
        sections: &["backups"],
        budget: Duration::from_secs(15),
        run: backups::collect,
    },
    Collector {
        name: "files",
        sections: &["files"],
        budget: Duration::from_secs(20),
        run: files::collect,
    },
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
