//! Notifications of the caller: own + business-wide, with per-user read state.

use actix_web::{HttpResponse, web};
use prosaas_http::{ApiError, TenantScope};
use prosaas_tenant::repo::notifications::{
    self, MAX_PER_PAGE, Notification, NotificationFilter, NotificationPage,
};
use prosaas_tenant::{Db, NotificationId};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::openapi::ErrorBody;
use super::openapi::foundation::BusinessQuery;

/// `GET /api/notifications` query.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    #[param(minimum = 1)]
    page: Option<u32>,
    #[param(minimum = 1, maximum = 100)]
    per_page: Option<u32>,
    /// `true`: only the caller's unread ones.
    unread: Option<bool>,
    /// System admins only: the business to act in.
    #[serde(rename = "business_id")]
    #[param(value_type = Option<prosaas_tenant::BusinessId>)]
    _business_id: Option<String>,
}

/// `POST /api/notifications/read-all` answer.
#[derive(Serialize, ToSchema)]
pub struct Marked {
    /// How many notifications became read.
    pub marked: usize,
}

#[utoipa::path(get, path = "/api/notifications", tag = "notifications", params(ListQuery),
    responses((status = 200, body = NotificationPage), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn list(
    scope: TenantScope,
    db: web::Data<Db>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = query.into_inner();
    let per_page = q.per_page.unwrap_or(30);
    if per_page == 0 || per_page > MAX_PER_PAGE {
        return Err(ApiError::bad_request(
            "invalid_query",
            format!("per_page must be between 1 and {MAX_PER_PAGE}"),
        ));
    }
    let filter = NotificationFilter {
        unread_only: q.unread.unwrap_or(false),
        page: q.page.unwrap_or(1).max(1),
        per_page,
    };
    Ok(HttpResponse::Ok().json(notifications::list(&db, &scope, filter).await?))
}

#[utoipa::path(post, path = "/api/notifications/{id}/read", tag = "notifications",
    params(("id" = NotificationId, Path), BusinessQuery),
    responses((status = 200, body = Notification), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn read(
    scope: TenantScope,
    db: web::Data<Db>,
    id: web::Path<NotificationId>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(notifications::mark_read(&db, &scope, id.into_inner()).await?))
}

#[utoipa::path(post, path = "/api/notifications/read-all", tag = "notifications", params(BusinessQuery),
    responses((status = 200, body = Marked), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn read_all(scope: TenantScope, db: web::Data<Db>) -> Result<HttpResponse, ApiError> {
    let marked = notifications::mark_all_read(&db, &scope).await?;
    Ok(HttpResponse::Ok().json(Marked { marked }))
}
