//! Roles and the role levels a scope can be narrowed to.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// What a user may do. `system_admin` belongs to no business.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Role {
    /// Operates the platform; crosses businesses only through audited paths.
    SystemAdmin,
    /// Owns a business: everything inside it, including users.
    Owner,
    /// Runs a business day to day; manages agents.
    Admin,
    /// Works leads, calls and conversations.
    Agent,
}

impl Role {
    /// The database spelling.
    pub fn as_str(&self) -> &'static str {
        match self {
            Role::SystemAdmin => "system_admin",
            Role::Owner => "owner",
            Role::Admin => "admin",
            Role::Agent => "agent",
        }
    }

    /// All roles, for table-driven tests.
    pub const ALL: [Role; 4] = [Role::SystemAdmin, Role::Owner, Role::Admin, Role::Agent];
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The text is not a role.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{0}' is not a role (system_admin, owner, admin, agent)")]
pub struct UnknownRole(pub String);

impl FromStr for Role {
    type Err = UnknownRole;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "system_admin" => Ok(Role::SystemAdmin),
            "owner" => Ok(Role::Owner),
            "admin" => Ok(Role::Admin),
            "agent" => Ok(Role::Agent),
            other => Err(UnknownRole(other.to_string())),
        }
    }
}

mod sealed {
    pub trait Sealed {}
}

/// A level a [`crate::BusinessScope`] can be narrowed to with `require`.
/// Sealed: the levels are fixed here.
pub trait RoleLevel: sealed::Sealed + Clone + Send + Sync + 'static {
    /// Whether an actor with `role` holds this level.
    fn admits(role: Role) -> bool;
    /// Name for error messages.
    const NAME: &'static str;
}

/// Any member of the business.
#[derive(Debug, Clone, Copy)]
pub struct Member;
/// Owner or admin (or a system admin acting in the business).
#[derive(Debug, Clone, Copy)]
pub struct Manager;

impl sealed::Sealed for Member {}
impl sealed::Sealed for Manager {}

impl RoleLevel for Member {
    fn admits(_: Role) -> bool {
        true
    }
    const NAME: &'static str = "member";
}

impl RoleLevel for Manager {
    fn admits(role: Role) -> bool {
        matches!(role, Role::SystemAdmin | Role::Owner | Role::Admin)
    }
    const NAME: &'static str = "owner or admin";
}
