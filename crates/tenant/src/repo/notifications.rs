//! Notifications of one business: business-wide ones (`user_id` NULL) and
//! personal ones, with read state kept per user in `notification_reads`.

use chrono::{DateTime, Utc};
use diesel::dsl::count_star;
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::sql_types::Uuid as SqlUuid;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use prosaas_db::schema::{notification_reads, notifications};
use serde::Serialize;
use uuid::Uuid;

use crate::domain::Page;
use crate::{BusinessId, BusinessScope, Db, NotificationId, TenantError, UserId};

use super::Tenancy;

/// Largest page the API serves.
pub const MAX_PER_PAGE: u32 = 100;

/// A notification as one user sees it (with that user's read state).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Notification {
    pub id: NotificationId,
    pub kind: String,
    pub title: String,
    pub body: String,
    pub link: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub data: serde_json::Value,
    /// `None`: for everyone in the business.
    pub user_id: Option<UserId>,
    pub read: bool,
    pub read_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

/// One page plus the caller's total unread count.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NotificationPage {
    #[serde(flatten)]
    pub page: Page<Notification>,
    pub unread_count: i64,
}

/// Which notifications to list.
#[derive(Debug, Clone, Default)]
pub struct NotificationFilter {
    pub unread_only: bool,
    pub page: u32,
    pub per_page: u32,
}

/// A notification to create.
#[derive(Debug, Clone)]
pub struct NewNotification {
    /// `None`: for everyone in the business.
    pub user_id: Option<UserId>,
    pub kind: String,
    pub title: String,
    pub body: String,
    pub link: Option<String>,
    pub data: serde_json::Value,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = notifications, check_for_backend(Pg))]
struct NotificationRow {
    id: Uuid,
    user_id: Option<Uuid>,
    kind: String,
    title: String,
    body: String,
    link: Option<String>,
    data: serde_json::Value,
    created_at: DateTime<Utc>,
}

#[derive(Insertable)]
#[diesel(table_name = notifications)]
struct NotificationInsert {
    business_id: Uuid,
    user_id: Option<Uuid>,
    kind: String,
    title: String,
    body: String,
    link: Option<String>,
    data: serde_json::Value,
}

fn to_domain((r, read_at): (NotificationRow, Option<DateTime<Utc>>)) -> Notification {
    Notification {
        id: NotificationId::from_uuid(r.id),
        kind: r.kind,
        title: r.title,
        body: r.body,
        link: r.link,
        data: r.data,
        user_id: r.user_id.map(UserId::from_uuid),
        read: read_at.is_some(),
        read_at,
        created_at: r.created_at,
    }
}

/// Who is looking: a member sees their own and business-wide notifications;
/// anyone else (system admin, API key) only business-wide ones, never read.
fn viewer(scope: &BusinessScope) -> Uuid {
    // the nil uuid matches no user row, so the read-state join finds nothing
    scope.member_user_id().map_or(Uuid::nil(), |u| u.as_uuid())
}

macro_rules! visible {
    ($business:expr, $me:expr) => {
        notifications::table
            .left_join(
                notification_reads::table.on(notification_reads::notification_id
                    .eq(notifications::id)
                    .and(notification_reads::user_id.eq($me))),
            )
            .filter(notifications::business_id.eq($business))
            .filter(
                notifications::user_id
                    .is_null()
                    .or(notifications::user_id.eq($me)),
            )
    };
}

/// One page of what the caller may see, newest first, with the unread count.
pub async fn list(
    db: &Db,
    scope: &BusinessScope,
    filter: NotificationFilter,
) -> Result<NotificationPage, TenantError> {
    let business = scope.business_id();
    let me = viewer(scope);
    let per_page = filter.per_page.clamp(1, MAX_PER_PAGE);
    let page = filter.page.max(1);
    unit_of_work!(db, Tenancy::Business(business), |conn| {
        let b = business.as_uuid();
        let unread_count: i64 = visible!(b, me)
            .filter(notification_reads::read_at.nullable().is_null())
            .select(count_star())
            .first(conn)
            .await?;
        let total: i64 = if filter.unread_only {
            unread_count
        } else {
            visible!(b, me).select(count_star()).first(conn).await?
        };
        let mut q = visible!(b, me).into_boxed();
        if filter.unread_only {
            q = q.filter(notification_reads::read_at.nullable().is_null());
        }
        let rows: Vec<(NotificationRow, Option<DateTime<Utc>>)> = q
            .order((notifications::created_at.desc(), notifications::id.desc()))
            .limit(i64::from(per_page))
            .offset(i64::from(page - 1) * i64::from(per_page))
            .select((
                NotificationRow::as_select(),
                notification_reads::read_at.nullable(),
            ))
            .load(conn)
            .await?;
        Ok(NotificationPage {
            page: Page {
                items: rows.into_iter().map(to_domain).collect(),
                page,
                per_page,
                total,
            },
            unread_count,
        })
    })
}

fn member(scope: &BusinessScope) -> Result<UserId, TenantError> {
    scope.member_user_id().ok_or_else(|| {
        TenantError::forbidden(
            "role_not_allowed",
            "read state belongs to users of the business",
        )
    })
}

async fn find(
    conn: &mut AsyncPgConnection,
    business: BusinessId,
    me: Uuid,
    id: NotificationId,
) -> Result<Notification, TenantError> {
    visible!(business.as_uuid(), me)
        .filter(notifications::id.eq(id.as_uuid()))
        .select((
            NotificationRow::as_select(),
            notification_reads::read_at.nullable(),
        ))
        .first(conn)
        .await
        .optional()?
        .map(to_domain)
        .ok_or(TenantError::NotFound("notification"))
}

/// Marks one notification read for the caller (idempotent).
pub async fn mark_read(
    db: &Db,
    scope: &BusinessScope,
    id: NotificationId,
) -> Result<Notification, TenantError> {
    let business = scope.business_id();
    let me = member(scope)?.as_uuid();
    unit_of_work!(db, Tenancy::Business(business), |conn| {
        // visibility first: another user's or tenant's notification is "not found"
        find(conn, business, me, id).await?;
        diesel::insert_into(notification_reads::table)
            .values((
                notification_reads::business_id.eq(business.as_uuid()),
                notification_reads::notification_id.eq(id.as_uuid()),
                notification_reads::user_id.eq(me),
            ))
            .on_conflict_do_nothing()
            .execute(conn)
            .await?;
        find(conn, business, me, id).await
    })
}

/// Marks everything the caller can see as read; returns how many were unread.
pub async fn mark_all_read(db: &Db, scope: &BusinessScope) -> Result<usize, TenantError> {
    let business = scope.business_id();
    let me = member(scope)?.as_uuid();
    unit_of_work!(db, Tenancy::Business(business), |conn| {
        Ok(diesel::sql_query(
            "INSERT INTO notification_reads (business_id, notification_id, user_id)
             SELECT n.business_id, n.id, $2 FROM notifications n
             WHERE n.business_id = $1 AND (n.user_id IS NULL OR n.user_id = $2)
             ON CONFLICT DO NOTHING",
        )
        .bind::<SqlUuid, _>(business.as_uuid())
        .bind::<SqlUuid, _>(me)
        .execute(conn)
        .await?)
    })
}

/// Creates a notification in the scope's business (e.g. a due task).
pub async fn create(
    db: &Db,
    scope: &BusinessScope,
    new: NewNotification,
) -> Result<Notification, TenantError> {
    let business = scope.business_id();
    unit_of_work!(db, Tenancy::Business(business), |conn| {
        insert(conn, business, new).await
    })
}

/// Inserts inside an open unit of work (used by the due-task sweep).
pub(crate) async fn insert(
    conn: &mut AsyncPgConnection,
    business: BusinessId,
    new: NewNotification,
) -> Result<Notification, TenantError> {
    let row: NotificationRow = diesel::insert_into(notifications::table)
        .values(NotificationInsert {
            business_id: business.as_uuid(),
            user_id: new.user_id.map(|u| u.as_uuid()),
            kind: new.kind,
            title: new.title,
            body: new.body,
            link: new.link,
            data: new.data,
        })
        .returning(NotificationRow::as_returning())
        .get_result(conn)
        .await?;
    Ok(to_domain((row, None)))
}
