//! Versioned schema migrations. Each is applied once, in order, in its own transaction, and
//! recorded in `schema_version`; a released migration is never edited, only followed by a
//! new one. The SQL is plain enough for PostgreSQL too, except `INTEGER PRIMARY KEY`
//! (`BIGSERIAL` there), which a PostgreSQL store rewrites.

/// One schema step.
#[derive(Debug, Clone, Copy)]
pub struct Migration {
    /// Version reached after it (1, 2, …).
    pub version: i64,
    /// What it does.
    pub description: &'static str,
    /// Statements, separated by `;`.
    pub sql: &'static str,
}

/// Every migration, in order.
pub const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        description: "trainers, sessions, classes, learners, submissions, results",
        sql: "
CREATE TABLE trainers (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    trainer_id BIGINT REFERENCES trainers(id),
    csrf TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_expiry ON sessions(expires_at);
CREATE TABLE classes (
    id INTEGER PRIMARY KEY,
    trainer_id BIGINT NOT NULL REFERENCES trainers(id),
    name TEXT NOT NULL,
    code TEXT NOT NULL UNIQUE,
    pack_id TEXT NOT NULL,
    pack_source TEXT NOT NULL,
    pack_yaml TEXT NOT NULL,
    profile TEXT,
    starts_on TEXT,
    ends_on TEXT,
    created_at BIGINT NOT NULL
);
CREATE TABLE learners (
    id INTEGER PRIMARY KEY,
    class_id BIGINT NOT NULL REFERENCES classes(id),
    name TEXT NOT NULL,
    public_key BYTEA NOT NULL,
    page_token_hash TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    last_seen BIGINT,
    last_signed_at BIGINT
);
CREATE INDEX learners_class ON learners(class_id);
CREATE TABLE submissions (
    id INTEGER PRIMARY KEY,
    learner_id BIGINT NOT NULL REFERENCES learners(id),
    received_at BIGINT NOT NULL,
    role TEXT NOT NULL,
    body_sha256 TEXT NOT NULL,
    snapshot_json TEXT
);
CREATE INDEX submissions_learner ON submissions(learner_id, id);
CREATE TABLE results (
    id INTEGER PRIMARY KEY,
    submission_id BIGINT NOT NULL REFERENCES submissions(id),
    learner_id BIGINT NOT NULL REFERENCES learners(id),
    class_id BIGINT NOT NULL REFERENCES classes(id),
    received_at BIGINT NOT NULL,
    percent DOUBLE PRECISION,
    report_json TEXT
);
CREATE INDEX results_learner ON results(learner_id, id);
CREATE INDEX results_class ON results(class_id, learner_id, id)
",
    },
    Migration {
        version: 2,
        description: "pull mode: a class's inventory and schedule, its candidates, each host's last pull",
        sql: "
CREATE TABLE class_pulls (
    class_id BIGINT PRIMARY KEY REFERENCES classes(id),
    inventory_source TEXT NOT NULL,
    inventory_yaml TEXT NOT NULL,
    uploaded_at BIGINT NOT NULL,
    interval_minutes BIGINT,
    running_until BIGINT,
    last_started_at BIGINT,
    last_finished_at BIGINT,
    last_collected BIGINT,
    last_failed BIGINT,
    last_error TEXT
);
CREATE TABLE pull_learners (
    class_id BIGINT NOT NULL REFERENCES classes(id),
    candidate_id TEXT NOT NULL,
    learner_id BIGINT NOT NULL REFERENCES learners(id),
    PRIMARY KEY (class_id, candidate_id)
);
CREATE TABLE pull_hosts (
    learner_id BIGINT NOT NULL REFERENCES learners(id),
    role TEXT NOT NULL,
    class_id BIGINT NOT NULL REFERENCES classes(id),
    attempted_at BIGINT NOT NULL,
    status TEXT NOT NULL,
    kind TEXT,
    cause TEXT,
    PRIMARY KEY (learner_id, role)
);
CREATE INDEX pull_hosts_class ON pull_hosts(class_id)
",
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_consecutive_from_one() {
        for (i, m) in MIGRATIONS.iter().enumerate() {
            assert_eq!(m.version, i as i64 + 1, "{}", m.description);
        }
    }
}
