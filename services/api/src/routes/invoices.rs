//! Invoices of the caller's business, and their printable Hebrew page
//! (rendered by `print`; why there is no PDF is written there).

use actix_web::{HttpResponse, web};
use prosaas_http::{ApiError, TenantScope};
use prosaas_tenant::billing::{Invoice, NewInvoice};
use prosaas_tenant::domain::Page;
use prosaas_tenant::repo::{businesses, invoices};
use prosaas_tenant::{Db, InvoiceId, LeadId};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::openapi::ErrorBody;
use super::print::{self, PrintedDocument};

use super::businesses::phone;
use super::offers::{BusinessQuery, LineItemInput, bounded, email, lines, page_size, required};

/// `POST /api/invoices`.
#[derive(Deserialize, ToSchema)]
pub struct CreateInvoiceRequest {
    #[serde(default)]
    #[schema(min_length = 1, max_length = 200)]
    customer_name: String,
    #[schema(format = Email)]
    customer_email: Option<String>,
    /// E.164 or an Israeli local format (050-1234567).
    #[schema(pattern = r"^\+?[0-9][0-9 ()-]{6,18}$")]
    customer_phone: Option<String>,
    lead_id: Option<LeadId>,
    #[serde(default)]
    notes: String,
    #[serde(default)]
    #[schema(min_items = 1, max_items = 200)]
    items: Vec<LineItemInput>,
}

/// `GET /api/invoices` query.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    #[param(minimum = 1)]
    page: Option<u32>,
    #[param(minimum = 1, maximum = 200)]
    per_page: Option<u32>,
    /// System admins only: the business to act in.
    #[serde(rename = "business_id")]
    #[param(value_type = Option<String>, format = Uuid)]
    _business_id: Option<String>,
}

#[utoipa::path(get, path = "/api/invoices", tag = "invoices", params(ListQuery),
    responses((status = 200, body = Page<Invoice>), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list(
    scope: TenantScope,
    db: web::Data<Db>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = query.into_inner();
    let page = q.page.unwrap_or(1).max(1);
    let per_page = page_size(q.per_page)?;
    Ok(HttpResponse::Ok().json(invoices::list(&db, &scope, page, per_page).await?))
}

#[utoipa::path(post, path = "/api/invoices", tag = "invoices", params(BusinessQuery), request_body = CreateInvoiceRequest,
    responses((status = 201, body = Invoice), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    scope: TenantScope,
    db: web::Data<Db>,
    body: web::Json<CreateInvoiceRequest>,
) -> Result<HttpResponse, ApiError> {
    let b = body.into_inner();
    let new = NewInvoice {
        customer_name: required("customer_name", b.customer_name, 200)?,
        customer_email: email(b.customer_email)?,
        customer_phone: phone("customer_phone", b.customer_phone)?,
        lead_id: b.lead_id,
        notes: bounded("notes", b.notes, 10_000)?,
        items: lines(b.items)?,
    };
    Ok(HttpResponse::Created().json(invoices::create(&db, &scope, new).await?))
}

#[utoipa::path(get, path = "/api/invoices/{id}", tag = "invoices", params(("id" = InvoiceId, Path), BusinessQuery),
    responses((status = 200, body = Invoice), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get(
    scope: TenantScope,
    db: web::Data<Db>,
    id: web::Path<InvoiceId>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(invoices::get(&db, &scope, id.into_inner()).await?))
}

#[utoipa::path(get, path = "/api/invoices/{id}/print", tag = "invoices", params(("id" = InvoiceId, Path), BusinessQuery),
    responses((status = 200, description = "printable Hebrew RTL page", content_type = "text/html", body = String), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn print(
    scope: TenantScope,
    db: web::Data<Db>,
    id: web::Path<InvoiceId>,
) -> Result<HttpResponse, ApiError> {
    let inv = invoices::get(&db, &scope, id.into_inner()).await?;
    let business = businesses::get_own(&db, &scope).await?;
    Ok(print::page(&PrintedDocument {
        heading: format!("חשבונית מס מספר {}", inv.number),
        title: format!("חשבונית {}", inv.number),
        business_name: &business.name,
        dates: vec![("תאריך", inv.issued_on)],
        customer_name: &inv.customer_name,
        contacts: [inv.customer_phone.as_deref(), inv.customer_email.as_deref()],
        items: &inv.items,
        totals: &inv.totals,
        notes: &inv.notes,
        footer: None,
    }))
}
