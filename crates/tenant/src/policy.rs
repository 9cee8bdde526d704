//! Who may manage which user: one pure function per decision, so the whole
//! role x target matrix is tested in one table (brief section 5.2).

use crate::{BusinessId, Role, TenantError, UserId};

/// The acting side of a decision.
#[derive(Debug, Clone, Copy)]
pub struct ActorFacts {
    /// `None` for the operator command line.
    pub user_id: Option<UserId>,
    /// Acting role.
    pub role: Role,
    /// Acting business (`None` for system admins).
    pub business_id: Option<BusinessId>,
}

/// The user being acted on.
#[derive(Debug, Clone, Copy)]
pub struct TargetFacts {
    /// Target user.
    pub user_id: UserId,
    /// Target's role.
    pub role: Role,
    /// Target's business.
    pub business_id: Option<BusinessId>,
}

/// Why a user change was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The target is in another business: answered as 404, like a missing user.
    NotVisible,
    /// Nobody deletes, demotes or deactivates themself.
    SelfTarget,
    /// A business always keeps at least one active owner.
    LastOwner,
    /// The actor's role may not do this to this target.
    RoleNotAllowed,
}

impl Refusal {
    /// Stable code for the API.
    pub fn code(self) -> &'static str {
        match self {
            Refusal::NotVisible => "user_not_found",
            Refusal::SelfTarget => "cannot_delete_self",
            Refusal::LastOwner => "last_owner",
            Refusal::RoleNotAllowed => "role_not_allowed",
        }
    }

    /// The reason, in words a business owner understands.
    pub fn message(self) -> &'static str {
        match self {
            Refusal::NotVisible => "user not found",
            Refusal::SelfTarget => "you cannot delete, demote or deactivate your own account",
            Refusal::LastOwner => "this is the only owner of the business; add another owner first",
            Refusal::RoleNotAllowed => "your role is not allowed to manage this user",
        }
    }
}

impl From<Refusal> for TenantError {
    fn from(r: Refusal) -> Self {
        match r {
            Refusal::NotVisible => TenantError::NotFound("user"),
            other => TenantError::forbidden(other.code(), other.message()),
        }
    }
}

/// Whether `actor` may give someone `role`.
pub fn may_assign_role(actor: Role, role: Role) -> bool {
    match actor {
        Role::SystemAdmin => true,
        Role::Owner => role != Role::SystemAdmin,
        Role::Admin => role == Role::Agent,
        Role::Agent => false,
    }
}

fn visible(actor: &ActorFacts, target: &TargetFacts) -> bool {
    actor.role == Role::SystemAdmin
        || (actor.business_id.is_some() && actor.business_id == target.business_id)
}

/// Brief 5.2: system_admin deletes anyone; owner deletes only users of own
/// business; nobody deletes themself; the only owner is never deleted.
/// `other_active_owners` counts the target business's active owners except the target.
pub fn may_delete_user(
    actor: &ActorFacts,
    target: &TargetFacts,
    other_active_owners: usize,
) -> Result<(), Refusal> {
    if !visible(actor, target) {
        return Err(Refusal::NotVisible);
    }
    if actor.user_id == Some(target.user_id) {
        return Err(Refusal::SelfTarget);
    }
    if !matches!(actor.role, Role::SystemAdmin | Role::Owner) {
        return Err(Refusal::RoleNotAllowed);
    }
    if target.role == Role::Owner && other_active_owners == 0 {
        return Err(Refusal::LastOwner);
    }
    Ok(())
}

/// What a user update touches, for [`may_update_user`].
#[derive(Debug, Clone, Copy, Default)]
pub struct UpdateKind {
    /// New role, if it changes.
    pub role: Option<Role>,
    /// New active flag, if it changes.
    pub active: Option<bool>,
}

/// Updates: anyone may edit their own name and password; changing role or active
/// flag needs the right to assign both the old and the new role; the last active
/// owner cannot be demoted or deactivated; system_admin is never assigned or
/// removed through an update (it changes which business a user belongs to).
pub fn may_update_user(
    actor: &ActorFacts,
    target: &TargetFacts,
    change: UpdateKind,
    other_active_owners: usize,
) -> Result<(), Refusal> {
    if !visible(actor, target) {
        return Err(Refusal::NotVisible);
    }
    let role_changes = change.role.is_some_and(|r| r != target.role);
    let deactivates = change.active == Some(false);
    if actor.user_id == Some(target.user_id) {
        return if role_changes || deactivates {
            Err(Refusal::SelfTarget)
        } else {
            Ok(())
        };
    }
    if !may_assign_role(actor.role, target.role) {
        return Err(Refusal::RoleNotAllowed);
    }
    if let Some(new_role) = change.role
        && (!may_assign_role(actor.role, new_role)
            || (role_changes
                && (new_role == Role::SystemAdmin || target.role == Role::SystemAdmin)))
    {
        return Err(Refusal::RoleNotAllowed);
    }
    if target.role == Role::Owner && other_active_owners == 0 && (role_changes || deactivates) {
        return Err(Refusal::LastOwner);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn biz(n: u128) -> Option<BusinessId> {
        Some(BusinessId::from_uuid(Uuid::from_u128(n)))
    }
    fn user(n: u128) -> UserId {
        UserId::from_uuid(Uuid::from_u128(n))
    }

    const A: u128 = 0xA;
    const B: u128 = 0xB;

    /// Every role x target combination the brief names, with the expected decision.
    #[test]
    fn delete_matrix() {
        use Refusal::*;
        use Role::*;
        // (actor role, actor biz, target role, target biz, same person, other owners, expected)
        type Row = (
            Role,
            Option<u128>,
            Role,
            Option<u128>,
            bool,
            usize,
            Result<(), Refusal>,
        );
        let table: &[Row] = &[
            // system_admin deletes anyone...
            (SystemAdmin, None, Owner, Some(A), false, 1, Ok(())),
            (SystemAdmin, None, Admin, Some(A), false, 0, Ok(())),
            (SystemAdmin, None, Agent, Some(B), false, 0, Ok(())),
            (SystemAdmin, None, SystemAdmin, None, false, 0, Ok(())),
            // ...but not themself, nor the only owner
            (
                SystemAdmin,
                None,
                SystemAdmin,
                None,
                true,
                0,
                Err(SelfTarget),
            ),
            (SystemAdmin, None, Owner, Some(A), false, 0, Err(LastOwner)),
            // owner deletes users of own business
            (Owner, Some(A), Agent, Some(A), false, 0, Ok(())),
            (Owner, Some(A), Admin, Some(A), false, 0, Ok(())),
            (Owner, Some(A), Owner, Some(A), false, 1, Ok(())),
            // owner never deletes themself, even with co-owners
            (Owner, Some(A), Owner, Some(A), true, 1, Err(SelfTarget)),
            (Owner, Some(A), Owner, Some(A), true, 0, Err(SelfTarget)),
            // owner cannot see other businesses or system admins
            (Owner, Some(A), Agent, Some(B), false, 0, Err(NotVisible)),
            (Owner, Some(A), Owner, Some(B), false, 1, Err(NotVisible)),
            (Owner, Some(A), SystemAdmin, None, false, 0, Err(NotVisible)),
            // admin and agent delete nobody
            (
                Admin,
                Some(A),
                Agent,
                Some(A),
                false,
                0,
                Err(RoleNotAllowed),
            ),
            (
                Admin,
                Some(A),
                Owner,
                Some(A),
                false,
                1,
                Err(RoleNotAllowed),
            ),
            (
                Agent,
                Some(A),
                Agent,
                Some(A),
                false,
                0,
                Err(RoleNotAllowed),
            ),
            (Agent, Some(A), Agent, Some(A), true, 0, Err(SelfTarget)),
            (Admin, Some(A), Agent, Some(B), false, 0, Err(NotVisible)),
        ];
        for (i, &(actor_role, actor_biz, target_role, target_biz, same, owners, want)) in
            table.iter().enumerate()
        {
            let actor = ActorFacts {
                user_id: Some(user(1)),
                role: actor_role,
                business_id: actor_biz.and_then(biz),
            };
            let target = TargetFacts {
                user_id: if same { user(1) } else { user(2) },
                role: target_role,
                business_id: target_biz.and_then(biz),
            };
            assert_eq!(
                may_delete_user(&actor, &target, owners),
                want,
                "row {i}: {actor_role} -> {target_role}"
            );
        }
    }

    #[test]
    fn operator_cli_acts_as_system_admin() {
        let operator = ActorFacts {
            user_id: None,
            role: Role::SystemAdmin,
            business_id: None,
        };
        let target = TargetFacts {
            user_id: user(2),
            role: Role::Agent,
            business_id: biz(A),
        };
        assert_eq!(may_delete_user(&operator, &target, 0), Ok(()));
    }

    #[test]
    fn assign_role_matrix() {
        use Role::*;
        let expected = [
            (SystemAdmin, [true, true, true, true]),
            (Owner, [false, true, true, true]),
            (Admin, [false, false, false, true]),
            (Agent, [false, false, false, false]),
        ];
        for (actor, row) in expected {
            for (role, want) in Role::ALL.iter().zip(row) {
                assert_eq!(
                    may_assign_role(actor, *role),
                    want,
                    "{actor} assigns {role}"
                );
            }
        }
    }

    #[test]
    fn update_rules() {
        use Refusal::*;
        let owner = ActorFacts {
            user_id: Some(user(1)),
            role: Role::Owner,
            business_id: biz(A),
        };
        let me = TargetFacts {
            user_id: user(1),
            role: Role::Owner,
            business_id: biz(A),
        };
        let agent = TargetFacts {
            user_id: user(2),
            role: Role::Agent,
            business_id: biz(A),
        };
        let co_owner = TargetFacts {
            user_id: user(3),
            role: Role::Owner,
            business_id: biz(A),
        };
        let demote = UpdateKind {
            role: Some(Role::Agent),
            active: None,
        };
        let deactivate = UpdateKind {
            role: None,
            active: Some(false),
        };
        assert_eq!(
            may_update_user(&owner, &me, UpdateKind::default(), 0),
            Ok(())
        );
        assert_eq!(may_update_user(&owner, &me, demote, 1), Err(SelfTarget));
        assert_eq!(may_update_user(&owner, &me, deactivate, 1), Err(SelfTarget));
        assert_eq!(
            may_update_user(
                &owner,
                &agent,
                UpdateKind {
                    role: Some(Role::Admin),
                    active: None
                },
                0
            ),
            Ok(())
        );
        assert_eq!(
            may_update_user(&owner, &co_owner, demote, 0),
            Err(LastOwner)
        );
        assert_eq!(may_update_user(&owner, &co_owner, demote, 1), Ok(()));
        assert_eq!(
            may_update_user(
                &owner,
                &agent,
                UpdateKind {
                    role: Some(Role::SystemAdmin),
                    active: None
                },
                0
            ),
            Err(RoleNotAllowed)
        );
        let admin = ActorFacts {
            user_id: Some(user(4)),
            role: Role::Admin,
            business_id: biz(A),
        };
        assert_eq!(
            may_update_user(&admin, &co_owner, deactivate, 1),
            Err(RoleNotAllowed)
        );
        assert_eq!(may_update_user(&admin, &agent, deactivate, 0), Ok(()));
        assert_eq!(
            may_update_user(
                &admin,
                &agent,
                UpdateKind {
                    role: Some(Role::Admin),
                    active: None
                },
                0
            ),
            Err(RoleNotAllowed)
        );
        let other = ActorFacts {
            user_id: Some(user(5)),
            role: Role::Owner,
            business_id: biz(B),
        };
        assert_eq!(
            may_update_user(&other, &agent, UpdateKind::default(), 0),
            Err(NotVisible)
        );
        let sys = ActorFacts {
            user_id: Some(user(6)),
            role: Role::SystemAdmin,
            business_id: None,
        };
        assert_eq!(
            may_update_user(
                &sys,
                &agent,
                UpdateKind {
                    role: Some(Role::SystemAdmin),
                    active: None
                },
                0
            ),
            Err(RoleNotAllowed)
        );
    }
}
