//! Versioned schema migrations. Each is applied once, in order, in its own transaction, and
//! recorded in `schema_version`; a released migration is never edited, only followed by a
//! new one. One text serves both stores: it is written for SQLite with the types both know
//! (`BIGINT`, `TEXT`, `BYTEA`, `DOUBLE PRECISION`), and [`postgres_sql`] rewrites the few
//! SQLite-only words for PostgreSQL (`INTEGER PRIMARY KEY` becomes `BIGSERIAL PRIMARY KEY`,
//! any other `INTEGER` `BIGINT`, `REAL` `DOUBLE PRECISION`, `BLOB` `BYTEA`): every integer is
//! 64 bits on both sides, so the stores read the same Rust types.

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
        description: "login attempts (throttling failed logins per account and per address)",
        sql: "
CREATE TABLE login_attempts (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX login_attempts_key ON login_attempts(key, at);
CREATE INDEX login_attempts_at ON login_attempts(at)
",
    },
    Migration {
        version: 3,
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
    Migration {
        version: 4,
        description: "pull mode: SSH host keys trusted on first use per class, and the changed keys refused",
        sql: "
CREATE TABLE pull_host_keys (
    class_id BIGINT NOT NULL REFERENCES classes(id),
    host TEXT NOT NULL,
    key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    learner_id BIGINT REFERENCES learners(id),
    role TEXT NOT NULL,
    trusted_at BIGINT NOT NULL,
    offered_key TEXT,
    offered_fingerprint TEXT,
    offered_at BIGINT,
    PRIMARY KEY (class_id, host)
)
",
    },
];

/// A migration's SQL in PostgreSQL's dialect (see the module's documentation).
pub fn postgres_sql(sql: &str) -> String {
    let sql = sql.replace("INTEGER PRIMARY KEY", "BIGSERIAL PRIMARY KEY");
    let mut out = String::with_capacity(sql.len() + 64);
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        out.push_str(match word.as_str() {
            "INTEGER" => "BIGINT",
            "REAL" => "DOUBLE PRECISION",
            "BLOB" => "BYTEA",
            other => other,
        });
        word.clear();
    };
    for c in sql.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_postgres_dialect_has_only_64_bit_integers_and_serial_keys() {
        assert_eq!(
            postgres_sql("id INTEGER PRIMARY KEY, n INTEGER, r REAL, b BLOB, INTEGERS_x TEXT"),
            "id BIGSERIAL PRIMARY KEY, n BIGINT, r DOUBLE PRECISION, b BYTEA, INTEGERS_x TEXT"
        );
        for m in MIGRATIONS {
            let sql = postgres_sql(m.sql);
            for word in sql.split(|c: char| !c.is_ascii_alphanumeric() && c != '_') {
                assert!(
                    !["INTEGER", "REAL", "BLOB", "AUTOINCREMENT"].contains(&word),
                    "migration {}: {word}",
                    m.version
                );
            }
        }
    }

    #[test]
    fn versions_are_consecutive_from_one() {
        for (i, m) in MIGRATIONS.iter().enumerate() {
            assert_eq!(m.version, i as i64 + 1, "{}", m.description);
        }
    }
}
