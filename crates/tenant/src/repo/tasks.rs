//! Tasks of one business: CRUD, "my tasks" and overdue filters, and the
//! due-task sweep that turns a passed due date into one notification.

use chrono::{DateTime, Utc};
use diesel::dsl::count_star;
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use prosaas_db::schema::tasks;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::Tenancy;
use super::notifications::{self, NewNotification, Notification};
use crate::domain::Page;
use crate::error::violated_constraint;
use crate::{BusinessId, BusinessScope, Db, LeadId, TaskId, TenantError, UserId};

/// Largest page the API serves.
pub const MAX_PER_PAGE: u32 = 200;
/// Tasks one sweep of one business handles; the rest wait for the next tick.
const SWEEP_BATCH: i64 = 100;

/// Where a task came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum TaskSource {
    Manual,
    Call,
    Whatsapp,
    Api,
}

impl TaskSource {
    /// The database spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            TaskSource::Manual => "manual",
            TaskSource::Call => "call",
            TaskSource::Whatsapp => "whatsapp",
            TaskSource::Api => "api",
        }
    }
    fn parse(s: &str) -> Self {
        match s {
            "call" => TaskSource::Call,
            "whatsapp" => TaskSource::Whatsapp,
            "api" => TaskSource::Api,
            _ => TaskSource::Manual,
        }
    }
}

/// A task (the API shape).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Task {
    pub id: TaskId,
    pub title: String,
    pub description: String,
    pub lead_id: Option<LeadId>,
    pub assignee_user_id: Option<UserId>,
    pub created_by_user_id: Option<UserId>,
    pub source: TaskSource,
    pub due_at: Option<DateTime<Utc>>,
    pub done: bool,
    pub done_at: Option<DateTime<Utc>>,
    /// Not done and due in the past.
    pub overdue: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Which tasks to list.
#[derive(Debug, Clone, Default)]
pub struct TaskFilter {
    /// Assigned to the calling user.
    pub mine: bool,
    pub overdue: bool,
    pub done: Option<bool>,
    pub lead_id: Option<LeadId>,
    pub assignee_user_id: Option<UserId>,
    pub page: u32,
    pub per_page: u32,
}

/// A new task; the business, creator and source come from the scope.
#[derive(Debug, Clone)]
pub struct NewTask {
    pub title: String,
    pub description: String,
    pub lead_id: Option<LeadId>,
    pub assignee_user_id: Option<UserId>,
    pub due_at: Option<DateTime<Utc>>,
}

/// Changes to a task; `Some(None)` clears a nullable field.
#[derive(Debug, Clone, Default)]
pub struct TaskChanges {
    pub title: Option<String>,
    pub description: Option<String>,
    pub lead_id: Option<Option<LeadId>>,
    pub assignee_user_id: Option<Option<UserId>>,
    pub due_at: Option<Option<DateTime<Utc>>>,
    pub done: Option<bool>,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = tasks, check_for_backend(Pg))]
struct TaskRow {
    id: Uuid,
    title: String,
    description: String,
    lead_id: Option<Uuid>,
    assignee_user_id: Option<Uuid>,
    created_by_user_id: Option<Uuid>,
    source: String,
    due_at: Option<DateTime<Utc>>,
    done_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

#[derive(Insertable)]
#[diesel(table_name = tasks)]
struct TaskInsert {
    business_id: Uuid,
    title: String,
    description: String,
    lead_id: Option<Uuid>,
    assignee_user_id: Option<Uuid>,
    created_by_user_id: Option<Uuid>,
    source: String,
    due_at: Option<DateTime<Utc>>,
}

#[derive(AsChangeset, Default)]
#[diesel(table_name = tasks)]
struct TaskUpdate {
    title: Option<String>,
    description: Option<String>,
    lead_id: Option<Option<Uuid>>,
    assignee_user_id: Option<Option<Uuid>>,
    due_at: Option<Option<DateTime<Utc>>>,
    done_at: Option<Option<DateTime<Utc>>>,
    due_notified_at: Option<Option<DateTime<Utc>>>,
}

impl From<TaskRow> for Task {
    fn from(r: TaskRow) -> Self {
        let now = Utc::now();
        Task {
            id: TaskId::from_uuid(r.id),
            title: r.title,
            description: r.description,
            lead_id: r.lead_id.map(LeadId::from_uuid),
            assignee_user_id: r.assignee_user_id.map(UserId::from_uuid),
            created_by_user_id: r.created_by_user_id.map(UserId::from_uuid),
            source: TaskSource::parse(&r.source),
            overdue: r.done_at.is_none() && r.due_at.is_some_and(|d| d < now),
            due_at: r.due_at,
            done: r.done_at.is_some(),
            done_at: r.done_at,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

fn filtered(
    business: BusinessId,
    me: Option<UserId>,
    f: &TaskFilter,
) -> tasks::BoxedQuery<'static, Pg> {
    let mut q = tasks::table
        .filter(tasks::business_id.eq(business.as_uuid()))
        .into_boxed();
    if f.mine {
        // nobody's tasks for a caller that is not a member (system admin, API key)
        let me = me.map_or(Uuid::nil(), |u| u.as_uuid());
        q = q.filter(tasks::assignee_user_id.eq(me));
    }
    if f.overdue {
        q = q
            .filter(tasks::done_at.is_null())
            .filter(tasks::due_at.lt(Utc::now()));
    }
    match f.done {
        Some(true) => q = q.filter(tasks::done_at.is_not_null()),
        Some(false) => q = q.filter(tasks::done_at.is_null()),
        None => {}
    }
    if let Some(lead) = f.lead_id {
        q = q.filter(tasks::lead_id.eq(lead.as_uuid()));
    }
    if let Some(user) = f.assignee_user_id {
        q = q.filter(tasks::assignee_user_id.eq(user.as_uuid()));
    }
    q
}

/// One page of the scope's tasks: soonest due first, undated last.
pub async fn list(
    db: &Db,
    scope: &BusinessScope,
    filter: TaskFilter,
) -> Result<Page<Task>, TenantError> {
    let business = scope.business_id();
    let me = scope.member_user_id();
    let per_page = filter.per_page.clamp(1, MAX_PER_PAGE);
    let page = filter.page.max(1);
    unit_of_work!(db, Tenancy::Business(business), |conn| {
        let total: i64 = filtered(business, me, &filter)
            .select(count_star())
            .first(conn)
            .await?;
        let rows: Vec<TaskRow> = filtered(business, me, &filter)
            .order((
                tasks::due_at.asc().nulls_last(),
                tasks::created_at.desc(),
                tasks::id.desc(),
            ))
            .limit(i64::from(per_page))
            .offset(i64::from(page - 1) * i64::from(per_page))
            .select(TaskRow::as_select())
            .load(conn)
            .await?;
        Ok(Page {
            items: rows.into_iter().map(Task::from).collect(),
            page,
            per_page,
            total,
        })
    })
}

/// One task of the scope's business.
pub async fn get(db: &Db, scope: &BusinessScope, id: TaskId) -> Result<Task, TenantError> {
    let business = scope.business_id();
    unit_of_work!(db, Tenancy::Business(business), |conn| {
        find(conn, business, id).await.map(Task::from)
    })
}

/// Creates a task; integrations get source `api`, people `manual`.
pub async fn create(db: &Db, scope: &BusinessScope, new: NewTask) -> Result<Task, TenantError> {
    let business = scope.business_id();
    let source = if scope.api_key_id().is_some() {
        TaskSource::Api
    } else {
        TaskSource::Manual
    };
    let row = TaskInsert {
        business_id: business.as_uuid(),
        title: new.title.trim().to_string(),
        description: new.description,
        lead_id: new.lead_id.map(|l| l.as_uuid()),
        assignee_user_id: new.assignee_user_id.map(|u| u.as_uuid()),
        created_by_user_id: scope.member_user_id().map(|u| u.as_uuid()),
        source: source.as_str().to_string(),
        due_at: new.due_at,
    };
    unit_of_work!(db, Tenancy::Business(business), |conn| {
        let row: TaskRow = diesel::insert_into(tasks::table)
            .values(row)
            .returning(TaskRow::as_returning())
            .get_result(conn)
            .await
            .map_err(|e| constraint_error(e.into()))?;
        Ok(Task::from(row))
    })
}

/// Applies changes; a new due date re-arms the due notification.
pub async fn update(
    db: &Db,
    scope: &BusinessScope,
    id: TaskId,
    c: TaskChanges,
) -> Result<Task, TenantError> {
    let business = scope.business_id();
    unit_of_work!(db, Tenancy::Business(business), |conn| {
        let current = find(conn, business, id).await?;
        let done_at = match c.done {
            Some(true) if current.done_at.is_none() => Some(Some(Utc::now())),
            Some(false) if current.done_at.is_some() => Some(None),
            _ => None,
        };
        let rearm = c.due_at.is_some_and(|d| d != current.due_at);
        let form = TaskUpdate {
            title: c.title.map(|t| t.trim().to_string()),
            description: c.description,
            lead_id: c.lead_id.map(|l| l.map(|l| l.as_uuid())),
            assignee_user_id: c.assignee_user_id.map(|u| u.map(|u| u.as_uuid())),
            due_at: c.due_at,
            done_at,
            due_notified_at: rearm.then_some(None),
        };
        let nothing = form.title.is_none()
            && form.description.is_none()
            && form.lead_id.is_none()
            && form.assignee_user_id.is_none()
            && form.due_at.is_none()
            && form.done_at.is_none();
        if nothing {
            return Ok(Task::from(current));
        }
        let row: TaskRow = diesel::update(
            tasks::table
                .filter(tasks::business_id.eq(business.as_uuid()))
                .filter(tasks::id.eq(id.as_uuid())),
        )
        .set(form)
        .returning(TaskRow::as_returning())
        .get_result(conn)
        .await
        .map_err(|e| constraint_error(e.into()))?;
        Ok(Task::from(row))
    })
}

/// Deletes a task of the scope's business.
pub async fn delete(db: &Db, scope: &BusinessScope, id: TaskId) -> Result<(), TenantError> {
    let business = scope.business_id();
    unit_of_work!(db, Tenancy::Business(business), |conn| {
        let n = diesel::delete(
            tasks::table
                .filter(tasks::business_id.eq(business.as_uuid()))
                .filter(tasks::id.eq(id.as_uuid())),
        )
        .execute(conn)
        .await?;
        if n == 0 {
            Err(TenantError::NotFound("task"))
        } else {
            Ok(())
        }
    })
}

/// Marks the scope's open tasks whose due date passed as notified and creates
/// one notification each, in one transaction (the `task.due` webhook rows are
/// written by the table trigger in the same transaction). Concurrent sweeps skip
/// rows another one holds, so each task is notified once.
pub async fn sweep_due(
    db: &Db,
    scope: &BusinessScope,
) -> Result<Vec<(Task, Notification)>, TenantError> {
    let business = scope.business_id();
    unit_of_work!(db, Tenancy::Business(business), |conn| {
        let now = Utc::now();
        let ids: Vec<Uuid> = tasks::table
            .filter(tasks::business_id.eq(business.as_uuid()))
            .filter(tasks::done_at.is_null())
            .filter(tasks::due_notified_at.is_null())
            .filter(tasks::due_at.le(now))
            .order(tasks::due_at.asc())
            .limit(SWEEP_BATCH)
            .select(tasks::id)
            .for_update()
            .skip_locked()
            .load(conn)
            .await?;
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let rows: Vec<TaskRow> = diesel::update(
            tasks::table
                .filter(tasks::business_id.eq(business.as_uuid()))
                .filter(tasks::id.eq_any(&ids)),
        )
        .set(tasks::due_notified_at.eq(now))
        .returning(TaskRow::as_returning())
        .get_results(conn)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let task = Task::from(row);
            let note = notifications::insert(
                conn,
                business,
                NewNotification {
                    user_id: task.assignee_user_id,
                    kind: "task.due".into(),
                    title: task.title.clone(),
                    body: String::new(),
                    link: Some(format!("/tasks?id={}", task.id)),
                    data: serde_json::json!({ "task_id": task.id, "lead_id": task.lead_id }),
                },
            )
            .await?;
            out.push((task, note));
        }
        Ok(out)
    })
}

async fn find(
    conn: &mut AsyncPgConnection,
    business: BusinessId,
    id: TaskId,
) -> Result<TaskRow, TenantError> {
    tasks::table
        .filter(tasks::business_id.eq(business.as_uuid()))
        .filter(tasks::id.eq(id.as_uuid()))
        .select(TaskRow::as_select())
        .first(conn)
        .await
        .optional()?
        .ok_or(TenantError::NotFound("task"))
}

fn constraint_error(e: TenantError) -> TenantError {
    match violated_constraint(&e) {
        Some("tasks_assignee_fkey") => TenantError::invalid(
            "invalid_assignee",
            "the assignee is not a user of this business",
        ),
        Some("tasks_lead_fkey") => {
            TenantError::invalid("invalid_lead", "the lead is not a lead of this business")
        }
        _ => e,
    }
}
