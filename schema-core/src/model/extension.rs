//! Extensions: `CREATE EXTENSION`, installed before the types and functions that use them.

use serde::{Deserialize, Serialize};

/// `CREATE EXTENSION name [SCHEMA schema]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extension {
    /// Extension name, e.g. `pgcrypto`, `uuid-ossp`.
    pub name: String,
    /// Schema to install its objects in; the server's choice when `None`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// `COMMENT ON EXTENSION`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}
