//! The session inventory: candidates, their hosts by role, defaults per role.

mod csv_import;
mod load;
mod model;
mod names;
mod resolve;

pub use csv_import::{import_candidates, parse_candidates};
pub use load::{load_inventory, parse_inventory};
pub use model::{
    Candidate, HostSpec, Inventory, SessionInfo, Settings, TlsMode, TransportKind, inventory_schema,
};
pub use resolve::{DEFAULT_MAX_OUTPUT_MIB, HostTarget, MAX_OUTPUT_MIB_LIMIT, resolve_hosts};
