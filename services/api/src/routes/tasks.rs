//! Tasks of the caller's business.

use actix_web::{HttpResponse, web};
use chrono::{DateTime, Utc};
use prosaas_http::{ApiError, TenantScope};
use prosaas_tenant::repo::tasks::{self, MAX_PER_PAGE, NewTask, TaskChanges, TaskFilter};
use prosaas_tenant::{Db, LeadId, TaskId, UserId};
use serde::Deserialize;

use super::double_option;

#[derive(Deserialize)]
pub struct ListQuery {
    mine: Option<bool>,
    overdue: Option<bool>,
    done: Option<bool>,
    lead_id: Option<LeadId>,
    assignee_user_id: Option<UserId>,
    page: Option<u32>,
    per_page: Option<u32>,
    #[serde(rename = "business_id")]
    _business_id: Option<String>,
}

#[derive(Deserialize)]
pub struct CreateTaskRequest {
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
    lead_id: Option<LeadId>,
    assignee_user_id: Option<UserId>,
    due_at: Option<DateTime<Utc>>,
}

#[derive(Deserialize)]
pub struct UpdateTaskRequest {
    title: Option<String>,
    description: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    lead_id: Option<Option<LeadId>>,
    #[serde(default, deserialize_with = "double_option")]
    assignee_user_id: Option<Option<UserId>>,
    #[serde(default, deserialize_with = "double_option")]
    due_at: Option<Option<DateTime<Utc>>>,
    done: Option<bool>,
}

fn title(value: String) -> Result<String, ApiError> {
    let t = value.trim();
    if t.is_empty() || t.chars().count() > 200 {
        return Err(ApiError::unprocessable(
            "invalid_task",
            "title must be 1 to 200 characters",
        ));
    }
    Ok(t.to_string())
}

fn description(value: String) -> Result<String, ApiError> {
    if value.chars().count() > 10_000 {
        return Err(ApiError::unprocessable(
            "too_long",
            "description must be at most 10000 characters",
        ));
    }
    Ok(value)
}

pub async fn list(
    scope: TenantScope,
    db: web::Data<Db>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = query.into_inner();
    let per_page = q.per_page.unwrap_or(50);
    if per_page == 0 || per_page > MAX_PER_PAGE {
        return Err(ApiError::bad_request(
            "invalid_query",
            format!("per_page must be between 1 and {MAX_PER_PAGE}"),
        ));
    }
    let filter = TaskFilter {
        mine: q.mine.unwrap_or(false),
        overdue: q.overdue.unwrap_or(false),
        done: q.done,
        lead_id: q.lead_id,
        assignee_user_id: q.assignee_user_id,
        page: q.page.unwrap_or(1).max(1),
        per_page,
    };
    Ok(HttpResponse::Ok().json(tasks::list(&db, &scope, filter).await?))
}

pub async fn get(
    scope: TenantScope,
    db: web::Data<Db>,
    id: web::Path<TaskId>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(tasks::get(&db, &scope, id.into_inner()).await?))
}

pub async fn create(
    scope: TenantScope,
    db: web::Data<Db>,
    body: web::Json<CreateTaskRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let new = NewTask {
        title: title(body.title)?,
        description: description(body.description)?,
        lead_id: body.lead_id,
        assignee_user_id: body.assignee_user_id,
        due_at: body.due_at,
    };
    Ok(HttpResponse::Created().json(tasks::create(&db, &scope, new).await?))
}

pub async fn update(
    scope: TenantScope,
    db: web::Data<Db>,
    id: web::Path<TaskId>,
    body: web::Json<UpdateTaskRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let changes = TaskChanges {
        title: body.title.map(title).transpose()?,
        description: body.description.map(description).transpose()?,
        lead_id: body.lead_id,
        assignee_user_id: body.assignee_user_id,
        due_at: body.due_at,
        done: body.done,
    };
    Ok(HttpResponse::Ok().json(tasks::update(&db, &scope, id.into_inner(), changes).await?))
}

pub async fn delete(
    scope: TenantScope,
    db: web::Data<Db>,
    id: web::Path<TaskId>,
) -> Result<HttpResponse, ApiError> {
    tasks::delete(&db, &scope, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}
