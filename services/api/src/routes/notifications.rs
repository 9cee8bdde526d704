//! Notifications of the caller: own + business-wide, with per-user read state.

use actix_web::{HttpResponse, web};
use prosaas_http::{ApiError, TenantScope};
use prosaas_tenant::repo::notifications::{self, MAX_PER_PAGE, NotificationFilter};
use prosaas_tenant::{Db, NotificationId};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct ListQuery {
    page: Option<u32>,
    per_page: Option<u32>,
    unread: Option<bool>,
    #[serde(rename = "business_id")]
    _business_id: Option<String>,
}

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

pub async fn read(
    scope: TenantScope,
    db: web::Data<Db>,
    id: web::Path<NotificationId>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(notifications::mark_read(&db, &scope, id.into_inner()).await?))
}

pub async fn read_all(scope: TenantScope, db: web::Data<Db>) -> Result<HttpResponse, ApiError> {
    let marked = notifications::mark_all_read(&db, &scope).await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({ "marked": marked })))
}
