//! The authenticated caller.

use crate::{BusinessId, Role, UserId};

/// Someone whose session was verified. Made only by [`crate::system`] (session
/// lookup, login), so holding one proves authentication.
#[derive(Debug, Clone)]
pub struct Principal {
    pub(crate) user_id: UserId,
    pub(crate) business_id: Option<BusinessId>,
    pub(crate) role: Role,
    pub(crate) email: String,
    pub(crate) name: String,
}

impl Principal {
    /// The user.
    pub fn user_id(&self) -> UserId {
        self.user_id
    }
    /// The user's business (`None` for system admins).
    pub fn business_id(&self) -> Option<BusinessId> {
        self.business_id
    }
    /// The user's role.
    pub fn role(&self) -> Role {
        self.role
    }
    /// The user's e-mail address.
    pub fn email(&self) -> &str {
        &self.email
    }
    /// The user's display name.
    pub fn name(&self) -> &str {
        &self.name
    }
    /// True for platform operators.
    pub fn is_system_admin(&self) -> bool {
        self.role == Role::SystemAdmin
    }
}
