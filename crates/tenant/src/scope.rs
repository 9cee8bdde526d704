//! `BusinessScope`: the proof that the holder may touch one business's data.

use std::marker::PhantomData;

use crate::{BusinessId, Db, Member, Principal, Role, RoleLevel, TenantError, UserId, system};

/// Who acts inside a scope.
#[derive(Debug, Clone)]
pub(crate) enum Actor {
    /// A signed-in user (a system admin only through the audited path).
    User { id: UserId, role: Role },
    /// The `prosaas` operator command line (audited as `operator`).
    Operator,
    /// One of our services acting on a verified routing fact (a Twilio number or
    /// call SID after signature validation, a signed stream token); agent rights.
    Service(&'static str),
    /// An integration (n8n) authenticated by a per-business API key.
    ApiKey { key_id: uuid::Uuid },
    /// A background worker of our own (due-task sweep, webhook delivery, event recorder).
    Worker,
}

impl Actor {
    pub(crate) fn role(&self) -> Role {
        match self {
            Actor::User { role, .. } => *role,
            Actor::Operator => Role::SystemAdmin,
            Actor::Service(_) => Role::Agent,
            // the api_key role: member-level work only, never management
            Actor::ApiKey { .. } | Actor::Worker => Role::Agent,
        }
    }
    pub(crate) fn user_id(&self) -> Option<UserId> {
        match self {
            Actor::User { id, .. } => Some(*id),
            Actor::Operator | Actor::Service(_) | Actor::ApiKey { .. } | Actor::Worker => None,
        }
    }
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Actor::User {
                role: Role::SystemAdmin,
                ..
            } => "system_admin",
            Actor::User { .. } => "user",
            Actor::Operator => "operator",
            Actor::Service(_) => "service",
            // audit_log.actor_kind allows user, system_admin, operator, service
            Actor::ApiKey { .. } | Actor::Worker => "service",
        }
    }
}

/// Permission to work inside one business, at role level `R`.
///
/// No public constructor, no `Default`, no `Deserialize`: it comes from
/// [`authorize`] or from a named function in [`crate::system`].
#[derive(Debug, Clone)]
pub struct BusinessScope<R: RoleLevel = Member> {
    business_id: BusinessId,
    actor: Actor,
    _level: PhantomData<R>,
}

impl<R: RoleLevel> BusinessScope<R> {
    pub(crate) fn new(business_id: BusinessId, actor: Actor) -> Self {
        Self {
            business_id,
            actor,
            _level: PhantomData,
        }
    }

    /// The business this scope opens.
    pub fn business_id(&self) -> BusinessId {
        self.business_id
    }

    /// The acting user, if a user acts.
    pub fn actor_user_id(&self) -> Option<UserId> {
        self.actor.user_id()
    }

    /// The acting role (the operator CLI counts as system admin).
    pub fn actor_role(&self) -> Role {
        self.actor.role()
    }

    /// The API key acting, when an integration (not a person) acts.
    pub fn api_key_id(&self) -> Option<uuid::Uuid> {
        match self.actor {
            Actor::ApiKey { key_id } => Some(key_id),
            _ => None,
        }
    }

    /// The user acting *as a member of this business* (not a system admin
    /// visiting, not a key or worker): who per-user state such as read
    /// notifications belongs to.
    pub fn member_user_id(&self) -> Option<UserId> {
        match self.actor {
            Actor::User { id, role } if role != Role::SystemAdmin => Some(id),
            _ => None,
        }
    }

    pub(crate) fn actor(&self) -> &Actor {
        &self.actor
    }

    /// The service acting, when no user does (e.g. `voice` for a phone call).
    pub fn acting_service(&self) -> Option<&'static str> {
        match self.actor {
            Actor::Service(name) => Some(name),
            _ => None,
        }
    }

    /// Narrows the scope to a higher role level, or refuses with `role_not_allowed`.
    pub fn require<L: RoleLevel>(&self) -> Result<BusinessScope<L>, TenantError> {
        if L::admits(self.actor.role()) {
            Ok(BusinessScope::new(self.business_id, self.actor.clone()))
        } else {
            Err(TenantError::forbidden(
                "role_not_allowed",
                format!("this action needs the {} role", L::NAME),
            ))
        }
    }
}

/// Permission to read and write across businesses: system admins and the
/// operator CLI only, made by [`crate::system`], which audits every one.
#[derive(Debug, Clone)]
pub struct CrossTenant {
    pub(crate) actor: Actor,
}

impl CrossTenant {
    /// The acting user, if a user acts.
    pub fn actor_user_id(&self) -> Option<UserId> {
        self.actor.user_id()
    }
}

/// Opens the scope a request acts in.
///
/// Business users get their own business; naming another one answers 404 as if it
/// did not exist. System admins must name the business (`?business_id=`); the
/// crossing is checked and written to `audit_log` with `purpose`.
pub async fn authorize(
    db: &Db,
    principal: &Principal,
    requested: Option<BusinessId>,
    purpose: &str,
) -> Result<BusinessScope, TenantError> {
    match (principal.business_id, requested) {
        (Some(own), None) => Ok(BusinessScope::new(own, user_actor(principal))),
        (Some(own), Some(asked)) if own == asked => {
            Ok(BusinessScope::new(own, user_actor(principal)))
        }
        (Some(_), Some(_)) => Err(TenantError::NotFound("business")),
        (None, None) => Err(TenantError::BusinessRequired),
        (None, Some(asked)) => system::admin_enter_business(db, principal, asked, purpose).await,
    }
}

pub(crate) fn user_actor(principal: &Principal) -> Actor {
    Actor::User {
        id: principal.user_id,
        role: principal.role,
    }
}
