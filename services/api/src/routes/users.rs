//! Users. System admins go through the audited cross-tenant path; everyone
//! else acts inside their own business. The rules live in prosaas_tenant::policy.

use actix_web::{HttpResponse, web};
use prosaas_common::Email;
use prosaas_http::{ApiError, Authenticated};
use prosaas_tenant::domain::{NewUser, UserChanges};
use prosaas_tenant::repo::users;
use prosaas_tenant::{BusinessId, Db, Password, Role, UserId, authorize, system};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct ListQuery {
    business_id: Option<BusinessId>,
}

#[derive(Deserialize)]
pub struct CreateUserRequest {
    email: String,
    password: String,
    #[serde(default)]
    name: String,
    role: Role,
    business_id: Option<BusinessId>,
}

#[derive(Deserialize)]
pub struct UpdateUserRequest {
    name: Option<String>,
    role: Option<Role>,
    active: Option<bool>,
    password: Option<String>,
}

fn purpose(method: &str, path: &str) -> String {
    format!("{method} {path}")
}

pub async fn list(
    user: Authenticated,
    db: web::Data<Db>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, ApiError> {
    let list = if user.is_system_admin() {
        let cross = system::admin_cross_tenant(&db, &user, &purpose("GET", "/api/users")).await?;
        users::list_any(&db, &cross, query.business_id).await?
    } else {
        let scope = authorize(&db, &user, query.business_id, "GET /api/users").await?;
        users::list(&db, &scope).await?
    };
    Ok(HttpResponse::Ok().json(list))
}

pub async fn get(
    user: Authenticated,
    db: web::Data<Db>,
    id: web::Path<UserId>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    if user.is_system_admin() {
        let cross = system::admin_cross_tenant(&db, &user, "GET /api/users/:id").await?;
        let found = users::list_any(&db, &cross, None)
            .await?
            .into_iter()
            .find(|u| u.id == id);
        return found
            .map(|u| HttpResponse::Ok().json(u))
            .ok_or_else(|| ApiError::not_found("user"));
    }
    let scope = authorize(&db, &user, None, "GET /api/users/:id").await?;
    Ok(HttpResponse::Ok().json(users::get(&db, &scope, id).await?))
}

pub async fn create(
    user: Authenticated,
    db: web::Data<Db>,
    body: web::Json<CreateUserRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let new = NewUser {
        email: Email::parse(&body.email)
            .map_err(|e| ApiError::unprocessable("invalid_email", e.to_string()))?,
        password: Password::parse(&body.password)?,
        name: body.name.chars().take(200).collect(),
        role: body.role,
    };
    let created = if user.is_system_admin() {
        let cross = system::admin_cross_tenant(&db, &user, "POST /api/users").await?;
        users::create_any(&db, &cross, body.business_id, new).await?
    } else {
        let scope = authorize(&db, &user, body.business_id, "POST /api/users").await?;
        users::create(&db, &scope, new).await?
    };
    Ok(HttpResponse::Created().json(created))
}

pub async fn update(
    user: Authenticated,
    db: web::Data<Db>,
    id: web::Path<UserId>,
    body: web::Json<UpdateUserRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let changes = UserChanges {
        name: body.name.map(|n| n.chars().take(200).collect()),
        role: body.role,
        active: body.active,
        password: body.password.as_deref().map(Password::parse).transpose()?,
    };
    let updated = if user.is_system_admin() {
        let cross = system::admin_cross_tenant(&db, &user, "PATCH /api/users/:id").await?;
        users::update_any(&db, &cross, id.into_inner(), changes).await?
    } else {
        let scope = authorize(&db, &user, None, "PATCH /api/users/:id").await?;
        users::update(&db, &scope, id.into_inner(), changes).await?
    };
    Ok(HttpResponse::Ok().json(updated))
}

pub async fn delete(
    user: Authenticated,
    db: web::Data<Db>,
    id: web::Path<UserId>,
) -> Result<HttpResponse, ApiError> {
    if user.is_system_admin() {
        let cross = system::admin_cross_tenant(&db, &user, "DELETE /api/users/:id").await?;
        users::delete_any(&db, &cross, id.into_inner()).await?;
    } else {
        let scope = authorize(&db, &user, None, "DELETE /api/users/:id").await?;
        users::delete(&db, &scope, id.into_inner()).await?;
    }
    Ok(HttpResponse::NoContent().finish())
}
