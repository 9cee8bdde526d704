//! Users. Every change runs the pure policy in [`crate::policy`] inside the same
//! transaction that locks the business's owners, so two owners deleting each
//! other at once cannot leave a business without an owner.

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use prosaas_db::models::{UserInsertForm, UserRow, UserUpdateForm};
use prosaas_db::schema::users;
use uuid::Uuid;

use crate::domain::{NewUser, User, UserChanges};
use crate::error::violated_constraint;
use crate::policy::{self, ActorFacts, Refusal, TargetFacts, UpdateKind};
use crate::scope::Actor;
use crate::{BusinessId, BusinessScope, CrossTenant, Db, Role, TenantError, UserId};

use super::{Tenancy, audit};

/// Users of the scope's business.
pub async fn list(db: &Db, scope: &BusinessScope) -> Result<Vec<User>, TenantError> {
    let business = scope.business_id();
    unit_of_work!(db, Tenancy::Business(business), |conn| {
        let rows: Vec<UserRow> = users::table
            .filter(users::business_id.eq(business.as_uuid()))
            .order((users::created_at.asc(), users::id.asc()))
            .select(UserRow::as_select())
            .load(conn)
            .await?;
        Ok(rows.into_iter().map(User::from).collect())
    })
}

/// All users, or those of one business (system admins).
pub async fn list_any(
    db: &Db,
    _cross: &CrossTenant,
    business: Option<BusinessId>,
) -> Result<Vec<User>, TenantError> {
    unit_of_work!(db, Tenancy::CrossTenant, |conn| {
        let mut query = users::table.select(UserRow::as_select()).into_boxed();
        if let Some(b) = business {
            query = query.filter(users::business_id.eq(b.as_uuid()));
        }
        let rows: Vec<UserRow> = query
            .order((users::created_at.asc(), users::id.asc()))
            .load(conn)
            .await?;
        Ok(rows.into_iter().map(User::from).collect())
    })
}

/// One user of the scope's business.
pub async fn get(db: &Db, scope: &BusinessScope, id: UserId) -> Result<User, TenantError> {
    let business = scope.business_id();
    unit_of_work!(db, Tenancy::Business(business), |conn| {
        load(conn, id, Some(business)).await.map(User::from)
    })
}

/// Creates a user in the scope's business, if the actor may assign the role.
pub async fn create(db: &Db, scope: &BusinessScope, new: NewUser) -> Result<User, TenantError> {
    if new.role == Role::SystemAdmin || !policy::may_assign_role(scope.actor_role(), new.role) {
        return Err(Refusal::RoleNotAllowed.into());
    }
    insert(
        db,
        Tenancy::Business(scope.business_id()),
        scope.actor().clone(),
        Some(scope.business_id()),
        new,
    )
    .await
}

/// Creates a user anywhere (system admins, the operator CLI). `business` must be
/// `None` exactly when the role is system_admin.
pub async fn create_any(
    db: &Db,
    cross: &CrossTenant,
    business: Option<BusinessId>,
    new: NewUser,
) -> Result<User, TenantError> {
    match (new.role, business) {
        (Role::SystemAdmin, Some(_)) => {
            return Err(TenantError::invalid(
                "invalid_business",
                "system administrators belong to no business",
            ));
        }
        (Role::SystemAdmin, None) => {}
        (_, None) => {
            return Err(TenantError::invalid(
                "business_required",
                "business_id is required for this role",
            ));
        }
        (_, Some(_)) => {}
    }
    insert(db, Tenancy::CrossTenant, cross.actor.clone(), business, new).await
}

async fn insert(
    db: &Db,
    tenancy: Tenancy,
    actor: Actor,
    business: Option<BusinessId>,
    new: NewUser,
) -> Result<User, TenantError> {
    let name = new.name.trim().to_string();
    let password_hash = new.password.hash().await?;
    let form = UserInsertForm {
        business_id: business.map(|b| b.as_uuid()),
        email: new.email.into(),
        password_hash,
        name,
        role: new.role.as_str().to_string(),
    };
    unit_of_work!(db, tenancy, |conn| {
        let row: UserRow = diesel::insert_into(users::table)
            .values(form)
            .returning(UserRow::as_returning())
            .get_result(conn)
            .await
            .map_err(|e| constraint_error(e.into()))?;
        audit::record(
            conn,
            audit::AuditEntry {
                business_id: business,
                actor: &actor,
                action: "user.created",
                target_type: Some("user"),
                target_id: Some(row.id.to_string()),
                detail: serde_json::json!({ "role": row.role }),
            },
        )
        .await?;
        Ok(User::from(row))
    })
}

/// Updates a user of the scope's business.
pub async fn update(
    db: &Db,
    scope: &BusinessScope,
    id: UserId,
    changes: UserChanges,
) -> Result<User, TenantError> {
    let business = scope.business_id();
    let actor = scope.actor().clone();
    let facts = actor_facts(&actor, Some(business));
    change(
        db,
        Tenancy::Business(business),
        actor,
        facts,
        id,
        Some(business),
        changes,
    )
    .await
}

/// Updates any user (system admins).
pub async fn update_any(
    db: &Db,
    cross: &CrossTenant,
    id: UserId,
    changes: UserChanges,
) -> Result<User, TenantError> {
    let actor = cross.actor.clone();
    let facts = actor_facts(&actor, None);
    change(db, Tenancy::CrossTenant, actor, facts, id, None, changes).await
}

async fn change(
    db: &Db,
    tenancy: Tenancy,
    actor: Actor,
    facts: ActorFacts,
    id: UserId,
    within: Option<BusinessId>,
    changes: UserChanges,
) -> Result<User, TenantError> {
    let password_hash = match changes.password {
        Some(p) => Some(p.hash().await?),
        None => None,
    };
    let kind = UpdateKind {
        role: changes.role,
        active: changes.active,
    };
    let form = UserUpdateForm {
        name: changes.name.map(|n| n.trim().to_string()),
        role: changes.role.map(|r| r.as_str().to_string()),
        active: changes.active,
        password_hash,
    };
    let password_changed = form.password_hash.is_some();
    unit_of_work!(db, tenancy, |conn| {
        let target = load(conn, id, within).await?;
        let others = other_active_owners(conn, &target).await?;
        policy::may_update_user(&facts, &target_facts(&target)?, kind, others)?;
        if form.name.is_none()
            && form.role.is_none()
            && form.active.is_none()
            && form.password_hash.is_none()
        {
            return Ok(User::from(target));
        }
        let row: UserRow = diesel::update(users::table.find(target.id))
            .set(form)
            .returning(UserRow::as_returning())
            .get_result(conn)
            .await?;
        if password_changed || kind.active == Some(false) {
            diesel::sql_query("SELECT app_sessions_revoke_user($1)")
                .bind::<diesel::sql_types::Uuid, _>(row.id)
                .execute(conn)
                .await?;
        }
        audit::record(conn, audit::AuditEntry {
                business_id: row.business_id.map(BusinessId::from_uuid),
                actor: &actor,
                action: "user.updated",
                target_type: Some("user"),
                target_id: Some(row.id.to_string()),
                detail: serde_json::json!({ "role": row.role, "active": row.active, "password_changed": password_changed }),
            })
            .await?;
        Ok(User::from(row))
    })
}

/// Deletes a user of the scope's business (brief 5.2 rules).
pub async fn delete(db: &Db, scope: &BusinessScope, id: UserId) -> Result<(), TenantError> {
    let business = scope.business_id();
    let actor = scope.actor().clone();
    let facts = actor_facts(&actor, Some(business));
    remove(
        db,
        Tenancy::Business(business),
        actor,
        facts,
        id,
        Some(business),
    )
    .await
}

/// Deletes any user (system admins).
pub async fn delete_any(db: &Db, cross: &CrossTenant, id: UserId) -> Result<(), TenantError> {
    let actor = cross.actor.clone();
    let facts = actor_facts(&actor, None);
    remove(db, Tenancy::CrossTenant, actor, facts, id, None).await
}

async fn remove(
    db: &Db,
    tenancy: Tenancy,
    actor: Actor,
    facts: ActorFacts,
    id: UserId,
    within: Option<BusinessId>,
) -> Result<(), TenantError> {
    unit_of_work!(db, tenancy, |conn| {
        let target = load(conn, id, within).await?;
        let others = other_active_owners(conn, &target).await?;
        policy::may_delete_user(&facts, &target_facts(&target)?, others)?;
        diesel::delete(users::table.find(target.id))
            .execute(conn)
            .await?;
        audit::record(
            conn,
            audit::AuditEntry {
                business_id: target.business_id.map(BusinessId::from_uuid),
                actor: &actor,
                action: "user.deleted",
                target_type: Some("user"),
                target_id: Some(target.id.to_string()),
                detail: serde_json::json!({ "role": target.role }),
            },
        )
        .await?;
        Ok(())
    })
}

fn actor_facts(actor: &Actor, business: Option<BusinessId>) -> ActorFacts {
    let role = actor.role();
    ActorFacts {
        user_id: actor.user_id(),
        role,
        business_id: if role == Role::SystemAdmin {
            None
        } else {
            business
        },
    }
}

fn target_facts(row: &UserRow) -> Result<TargetFacts, TenantError> {
    Ok(TargetFacts {
        user_id: UserId::from_uuid(row.id),
        role: row
            .role
            .parse()
            .map_err(|e: crate::role::UnknownRole| TenantError::Internal(e.to_string()))?,
        business_id: row.business_id.map(BusinessId::from_uuid),
    })
}

async fn load(
    conn: &mut AsyncPgConnection,
    id: UserId,
    within: Option<BusinessId>,
) -> Result<UserRow, TenantError> {
    let mut query = users::table
        .filter(users::id.eq(id.as_uuid()))
        .select(UserRow::as_select())
        .into_boxed();
    if let Some(b) = within {
        query = query.filter(users::business_id.eq(b.as_uuid()));
    }
    query
        .first(conn)
        .await
        .optional()?
        .ok_or(TenantError::NotFound("user"))
}

/// Locks every active owner of the target's business (in id order, so concurrent
/// transactions queue instead of deadlocking) and counts those other than the target.
async fn other_active_owners(
    conn: &mut AsyncPgConnection,
    target: &UserRow,
) -> Result<usize, TenantError> {
    let Some(business) = target.business_id else {
        return Ok(0);
    };
    let owners: Vec<Uuid> = users::table
        .filter(users::business_id.eq(business))
        .filter(users::role.eq(Role::Owner.as_str()))
        .filter(users::active.eq(true))
        .order(users::id.asc())
        .select(users::id)
        .for_update()
        .load(conn)
        .await?;
    Ok(owners.iter().filter(|o| **o != target.id).count())
}

fn constraint_error(e: TenantError) -> TenantError {
    match violated_constraint(&e) {
        Some("users_email_lower_key") => TenantError::Conflict {
            code: "email_taken",
            message: "a user with this e-mail already exists".into(),
        },
        Some("users_business_id_fkey") => TenantError::NotFound("business"),
        _ => e,
    }
}

impl From<UserRow> for User {
    fn from(r: UserRow) -> Self {
        User {
            id: UserId::from_uuid(r.id),
            email: r.email,
            name: r.name,
            // the CHECK constraint keeps the column to the four roles
            role: r.role.parse().unwrap_or(Role::Agent),
            business_id: r.business_id.map(BusinessId::from_uuid),
            active: r.active,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}
