//! A helpdesk (GLPI) as evidence: its tickets, qualified or not, and its knowledge base.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// What a helpdesk tool holds.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Helpdesk {
    /// `glpi`.
    pub product: String,
    /// The server's local time offset from UTC, in minutes, used to turn its dates (written
    /// in local time, without zone) into `created`/`modified` instants; `None` when it could
    /// not be known (the dates then stay local only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utc_offset_minutes: Option<i32>,
    /// Where `utc_offset_minutes` comes from (`server clock`: the session's
    /// `glpi_currenttime` against the collector's clock; `inventory`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utc_offset_source: Option<String>,
    /// Tickets, sorted by id.
    #[serde(default)]
    pub tickets: Vec<Ticket>,
    /// Knowledge-base articles, sorted by id.
    #[serde(default)]
    pub kb_articles: Vec<KbArticle>,
    /// Lists the server cut to the reading's range (`Ticket: 1000 of 1532 read`): the lists
    /// above are then partial, never complete.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub truncated: Vec<String>,
    /// Lists the server refused to the reading account, with its answer (`User: HTTP 403
    /// ERROR_RIGHT_MISSING …`): what they would have told is marked not read
    /// (`actors_read`, `timeline_read`, categories as `#N`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unread: Vec<String>,
}

/// A ticket (incident or request).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Ticket {
    /// Ticket id.
    pub id: u64,
    /// Title.
    pub title: String,
    /// Opening date as the server wrote it (local time, `YYYY-MM-DD HH:MM:SS`).
    pub created_local: String,
    /// Opening instant (RFC 3339 UTC), when the server's offset is known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
    /// `incident` or `request` (GLPI `type` 1 and 2), empty when unknown.
    pub ticket_type: String,
    /// Category (its complete name, `Matériel > Imprimante`, or `#7` when only its id was
    /// read); `None` when the ticket has none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// Urgency 1 (very low) to 5 (very high).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub urgency: Option<u8>,
    /// Impact 1 to 5.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub impact: Option<u8>,
    /// Priority 1 (very low) to 6 (major).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<u8>,
    /// `new`, `assigned`, `planned`, `waiting`, `solved`, `closed` (GLPI 1 to 6), or
    /// `status N` for another value.
    pub status: String,
    /// Requesters (their names), sorted; empty when none is recorded or the actors were
    /// not read (see `actors_read`).
    #[serde(default)]
    pub requesters: Vec<String>,
    /// Whether the ticket's actors (requesters) were read.
    pub actors_read: bool,
    /// Follow-ups written on the ticket.
    pub followups: u32,
    /// Solutions proposed, oldest first.
    #[serde(default)]
    pub solutions: Vec<TicketSolution>,
    /// Whether follow-ups and solutions were read (`followups` and `solutions` are then
    /// complete).
    pub timeline_read: bool,
}

/// A solution proposed on a ticket.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TicketSolution {
    /// `waiting` (for the requester's approval), `accepted`, `refused`, or `none`.
    pub status: String,
    /// Date as the server wrote it (local time).
    pub created_local: String,
}

/// A knowledge-base article.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct KbArticle {
    /// Article id.
    pub id: u64,
    /// Title (subject).
    pub title: String,
    /// Categories (complete names, or `#N` when only the id was read), sorted.
    #[serde(default)]
    pub categories: Vec<String>,
    /// In the FAQ.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub faq: bool,
    /// Creation date as the server wrote it (local time).
    pub created_local: String,
    /// Creation instant (RFC 3339 UTC), when the server's offset is known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
    /// Last modification as the server wrote it (local time).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modified_local: Option<String>,
    /// Last modification instant (RFC 3339 UTC), when the server's offset is known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modified: Option<String>,
    /// Length of the answer in characters (its text is not kept).
    pub answer_chars: u64,
}
