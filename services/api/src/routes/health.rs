//! `GET /api/health`: 200 with DB and Redis status; 503 when the DB is down.

use actix_web::{HttpResponse, web};
use prosaas_tenant::Db;

use crate::startup::ApiState;

pub async fn api_health(db: web::Data<Db>, state: web::Data<ApiState>) -> HttpResponse {
    let db_ok = tokio::time::timeout(std::time::Duration::from_secs(3), db.ping())
        .await
        .is_ok_and(|r| r.is_ok());
    let redis_ok = match state.bus.get().await {
        Some(bus) => tokio::time::timeout(std::time::Duration::from_secs(2), bus.ping())
            .await
            .is_ok_and(|r| r.is_ok()),
        None => false,
    };
    let body = serde_json::json!({
        "status": if db_ok { "ok" } else { "degraded" },
        "db": if db_ok { "ok" } else { "down" },
        "redis": if redis_ok { "ok" } else { "down" },
    });
    if db_ok {
        HttpResponse::Ok().json(body)
    } else {
        HttpResponse::ServiceUnavailable().json(body)
    }
}
