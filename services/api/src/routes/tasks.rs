//! Tasks of the caller's business.

use actix_web::{HttpResponse, web};
use chrono::{DateTime, Utc};
use prosaas_http::{ApiError, TenantScope};
use prosaas_tenant::domain::Page;
use prosaas_tenant::repo::tasks::{self, MAX_PER_PAGE, NewTask, Task, TaskChanges, TaskFilter};
use prosaas_tenant::{Db, LeadId, TaskId, UserId};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::openapi::ErrorBody;
use super::openapi::foundation::BusinessQuery;

use super::double_option;

/// `GET /api/tasks` query.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Assigned to the caller.
    mine: Option<bool>,
    /// Not done and due in the past.
    overdue: Option<bool>,
    done: Option<bool>,
    lead_id: Option<LeadId>,
    assignee_user_id: Option<UserId>,
    #[param(minimum = 1)]
    page: Option<u32>,
    #[param(minimum = 1, maximum = 200)]
    per_page: Option<u32>,
    /// System admins only: the business to act in.
    #[serde(rename = "business_id")]
    #[param(value_type = Option<prosaas_tenant::BusinessId>)]
    _business_id: Option<String>,
}

/// `POST /api/tasks` body.
#[derive(Deserialize, ToSchema)]
pub struct CreateTaskRequest {
    /// 1 to 200 characters.
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
    lead_id: Option<LeadId>,
    assignee_user_id: Option<UserId>,
    due_at: Option<DateTime<Utc>>,
}

/// `PATCH /api/tasks/{id}` body: absent leaves a field, `null` clears it.
#[derive(Deserialize, ToSchema)]
pub struct UpdateTaskRequest {
    title: Option<String>,
    description: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<LeadId>)]
    lead_id: Option<Option<LeadId>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<UserId>)]
    assignee_user_id: Option<Option<UserId>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<DateTime<Utc>>)]
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

#[utoipa::path(get, path = "/api/tasks", tag = "tasks", params(ListQuery),
    responses((status = 200, body = Page<Task>), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
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

#[utoipa::path(get, path = "/api/tasks/{id}", tag = "tasks", params(("id" = TaskId, Path), BusinessQuery),
    responses((status = 200, body = Task), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get(
    scope: TenantScope,
    db: web::Data<Db>,
    id: web::Path<TaskId>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(tasks::get(&db, &scope, id.into_inner()).await?))
}

#[utoipa::path(post, path = "/api/tasks", tag = "tasks", params(BusinessQuery), request_body = CreateTaskRequest,
    responses((status = 201, body = Task), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 415, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
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

#[utoipa::path(patch, path = "/api/tasks/{id}", tag = "tasks", params(("id" = TaskId, Path), BusinessQuery),
    request_body = UpdateTaskRequest,
    responses((status = 200, body = Task), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 415, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
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

#[utoipa::path(delete, path = "/api/tasks/{id}", tag = "tasks", params(("id" = TaskId, Path), BusinessQuery),
    responses((status = 204), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn delete(
    scope: TenantScope,
    db: web::Data<Db>,
    id: web::Path<TaskId>,
) -> Result<HttpResponse, ApiError> {
    tasks::delete(&db, &scope, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}
