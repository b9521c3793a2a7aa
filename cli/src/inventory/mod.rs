//! The session inventory: candidates, their hosts by role, defaults per role.

mod csv_import;
mod load;
mod model;
mod names;
mod resolve;

pub use csv_import::import_candidates;
pub use load::{load_inventory, parse_inventory};
pub use model::{
    Candidate, HostSpec, Inventory, SessionInfo, Settings, TlsMode, TransportKind, inventory_schema,
};
pub use resolve::{DEFAULT_UTC_OFFSET_MINUTES, HostTarget, resolve_hosts};
