//! Price offers of the caller's business (docs/api.md "Offers, invoices,
//! e-signatures"). Handlers parse input into domain types and call one
//! repository function; totals are the repository's business.

use actix_web::{HttpResponse, web};
use chrono::NaiveDate;
use prosaas_common::Email;
use prosaas_http::{ApiError, TenantScope};
use prosaas_tenant::billing::totals::quantity_milli;
use prosaas_tenant::billing::{
    Invoice, LineInput, NewOffer, Offer, OfferChanges, OfferFilter, OfferStatus, SignatureEvidence,
};
use prosaas_tenant::domain::Page;
use prosaas_tenant::repo::{businesses, invoices, offers, signatures};
use prosaas_tenant::{Db, LeadId, OfferId};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::openapi::ErrorBody;
use super::print::{self, PrintedDocument};

use super::businesses::phone;
use super::double_option;
use crate::startup::ApiState;

/// One line as a client sends it.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LineItemInput {
    #[serde(default)]
    #[schema(min_length = 1, max_length = 500)]
    description: String,
    /// > 0, at most 3 decimals, <= 1000000.
    #[schema(exclusive_minimum = 0, maximum = 1_000_000, multiple_of = 0.001)]
    quantity: f64,
    /// Agorot.
    #[schema(minimum = 0, maximum = 10_000_000_000_i64)]
    unit_price_agorot: i64,
    /// Basis points (1000 = 10%).
    #[serde(default)]
    #[schema(minimum = 0, maximum = 10_000)]
    discount_bp: i32,
}

/// `POST /api/offers`.
#[derive(Deserialize, ToSchema)]
pub struct CreateOfferRequest {
    #[serde(default)]
    #[schema(min_length = 1, max_length = 200)]
    title: String,
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
    valid_until: Option<NaiveDate>,
    #[serde(default)]
    #[schema(min_items = 1, max_items = 200)]
    items: Vec<LineItemInput>,
}

/// `PATCH /api/offers/{id}`: absent keeps, `null` clears.
#[derive(Deserialize, ToSchema)]
pub struct UpdateOfferRequest {
    title: Option<String>,
    customer_name: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    customer_email: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    customer_phone: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    lead_id: Option<Option<LeadId>>,
    notes: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    valid_until: Option<Option<NaiveDate>>,
    items: Option<Vec<LineItemInput>>,
}

/// `GET /api/offers` query.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    status: Option<OfferStatus>,
    lead_id: Option<LeadId>,
    #[param(minimum = 1)]
    page: Option<u32>,
    #[param(minimum = 1, maximum = 200)]
    per_page: Option<u32>,
    /// System admins only: the business to act in.
    #[serde(rename = "business_id")]
    #[param(value_type = Option<String>, format = Uuid)]
    _business_id: Option<String>,
}

/// `?business_id=` (system admins only).
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BusinessQuery {
    /// System admins only: the business to act in.
    #[param(value_type = Option<String>, format = Uuid)]
    #[serde(rename = "business_id")]
    _business_id: Option<String>,
}

/// `POST /api/offers/{id}/send` body (optional).
#[derive(Deserialize, Default, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SendOfferRequest {
    /// 1..=90, default 14.
    #[schema(minimum = 1, maximum = 90)]
    expires_in_days: Option<i64>,
}

/// `POST /api/offers/{id}/send` answer.
#[derive(Serialize, ToSchema)]
pub struct SendOfferResponse {
    offer: Offer,
    signing_url: String,
    token: String,
    expires_at: chrono::DateTime<chrono::Utc>,
}

/// Validates client lines into domain lines.
pub(crate) fn lines(items: Vec<LineItemInput>) -> Result<Vec<LineInput>, ApiError> {
    items
        .into_iter()
        .map(|i| {
            Ok(LineInput {
                description: bounded("description", i.description, 500)?,
                quantity_milli: quantity_milli(i.quantity)?,
                unit_price_agorot: i.unit_price_agorot,
                discount_bp: i.discount_bp,
            })
        })
        .collect()
}

/// Checks a required, bounded text field.
pub(crate) fn required(field: &str, value: String, max: usize) -> Result<String, ApiError> {
    let value = value.trim().to_string();
    if value.is_empty() {
        return Err(ApiError::unprocessable(
            "missing_field",
            format!("{field} is required"),
        ));
    }
    bounded(field, value, max)
}

/// Checks a bounded text field. NUL is refused: Postgres text cannot hold it.
pub(crate) fn bounded(field: &str, value: String, max: usize) -> Result<String, ApiError> {
    if value.contains('\0') {
        return Err(ApiError::unprocessable(
            "invalid_text",
            format!("{field} must not contain NUL characters"),
        ));
    }
    if value.chars().count() > max {
        return Err(ApiError::unprocessable(
            "too_long",
            format!("{field} must be at most {max} characters"),
        ));
    }
    Ok(value)
}

/// Parses an optional e-mail (`""` counts as absent).
pub(crate) fn email(value: Option<String>) -> Result<Option<Email>, ApiError> {
    match value.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => Email::parse(v)
            .map(Some)
            .map_err(|e| ApiError::unprocessable("invalid_email", e.to_string())),
    }
}

/// Checks `per_page` (1..=200, default 50).
pub(crate) fn page_size(value: Option<u32>) -> Result<u32, ApiError> {
    let per_page = value.unwrap_or(50);
    if per_page == 0 || per_page > offers::MAX_PER_PAGE {
        return Err(ApiError::bad_request(
            "invalid_query",
            format!("per_page must be between 1 and {}", offers::MAX_PER_PAGE),
        ));
    }
    Ok(per_page)
}

#[utoipa::path(get, path = "/api/offers", tag = "offers", params(ListQuery),
    responses((status = 200, body = Page<Offer>), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list(
    scope: TenantScope,
    db: web::Data<Db>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = query.into_inner();
    let filter = OfferFilter {
        status: q.status,
        lead_id: q.lead_id,
        page: q.page.unwrap_or(1).max(1),
        per_page: page_size(q.per_page)?,
    };
    Ok(HttpResponse::Ok().json(offers::list(&db, &scope, filter).await?))
}

#[utoipa::path(post, path = "/api/offers", tag = "offers", params(BusinessQuery), request_body = CreateOfferRequest,
    responses((status = 201, body = Offer), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    scope: TenantScope,
    db: web::Data<Db>,
    body: web::Json<CreateOfferRequest>,
) -> Result<HttpResponse, ApiError> {
    let b = body.into_inner();
    let new = NewOffer {
        title: required("title", b.title, 200)?,
        customer_name: required("customer_name", b.customer_name, 200)?,
        customer_email: email(b.customer_email)?,
        customer_phone: phone("customer_phone", b.customer_phone)?,
        lead_id: b.lead_id,
        notes: bounded("notes", b.notes, 10_000)?,
        valid_until: b.valid_until,
        items: lines(b.items)?,
    };
    Ok(HttpResponse::Created().json(offers::create(&db, &scope, new).await?))
}

#[utoipa::path(get, path = "/api/offers/{id}", tag = "offers", params(("id" = OfferId, Path), BusinessQuery),
    responses((status = 200, body = Offer), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get(
    scope: TenantScope,
    db: web::Data<Db>,
    id: web::Path<OfferId>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(offers::get(&db, &scope, id.into_inner()).await?))
}

#[utoipa::path(get, path = "/api/offers/{id}/print", tag = "offers", params(("id" = OfferId, Path), BusinessQuery),
    responses((status = 200, description = "printable Hebrew RTL page", content_type = "text/html", body = String), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn print(
    scope: TenantScope,
    db: web::Data<Db>,
    id: web::Path<OfferId>,
) -> Result<HttpResponse, ApiError> {
    let offer = offers::get(&db, &scope, id.into_inner()).await?;
    let business = businesses::get_own(&db, &scope).await?;
    let footer = offer.signature.as_ref().map(|s| {
        format!(
            "<p class=\"signed\">נחתם על ידי {} בתאריך <bdi>{}</bdi></p>",
            print::escape(&s.signer_name),
            s.signed_at.format("%d/%m/%Y %H:%M UTC")
        )
    });
    Ok(print::page(&PrintedDocument {
        heading: format!("הצעת מחיר: {}", offer.title),
        title: format!("הצעת מחיר {}", offer.title),
        business_name: &business.name,
        dates: offer
            .valid_until
            .map(|d| ("בתוקף עד", d))
            .into_iter()
            .collect(),
        customer_name: &offer.customer_name,
        contacts: [
            offer.customer_phone.as_deref(),
            offer.customer_email.as_deref(),
        ],
        items: &offer.items,
        totals: &offer.totals,
        notes: &offer.notes,
        footer,
    }))
}

#[utoipa::path(patch, path = "/api/offers/{id}", tag = "offers", params(("id" = OfferId, Path), BusinessQuery),
    request_body = UpdateOfferRequest,
    responses((status = 200, body = Offer), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update(
    scope: TenantScope,
    db: web::Data<Db>,
    id: web::Path<OfferId>,
    body: web::Json<UpdateOfferRequest>,
) -> Result<HttpResponse, ApiError> {
    let b = body.into_inner();
    let changes = OfferChanges {
        title: b.title.map(|t| required("title", t, 200)).transpose()?,
        customer_name: b
            .customer_name
            .map(|n| required("customer_name", n, 200))
            .transpose()?,
        customer_email: b.customer_email.map(email).transpose()?,
        customer_phone: b
            .customer_phone
            .map(|p| phone("customer_phone", p))
            .transpose()?,
        lead_id: b.lead_id,
        notes: b.notes.map(|n| bounded("notes", n, 10_000)).transpose()?,
        valid_until: b.valid_until,
        items: b.items.map(lines).transpose()?,
    };
    Ok(HttpResponse::Ok().json(offers::update(&db, &scope, id.into_inner(), changes).await?))
}

#[utoipa::path(delete, path = "/api/offers/{id}", tag = "offers", params(("id" = OfferId, Path), BusinessQuery),
    responses((status = 204, description = "deleted"), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn delete(
    scope: TenantScope,
    db: web::Data<Db>,
    id: web::Path<OfferId>,
) -> Result<HttpResponse, ApiError> {
    offers::delete(&db, &scope, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[utoipa::path(post, path = "/api/offers/{id}/send", tag = "offers", params(("id" = OfferId, Path), BusinessQuery),
    request_body(content = Option<SendOfferRequest>, description = "optional"),
    responses((status = 200, body = SendOfferResponse), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn send(
    scope: TenantScope,
    db: web::Data<Db>,
    state: web::Data<ApiState>,
    id: web::Path<OfferId>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let req: SendOfferRequest = if body.iter().all(u8::is_ascii_whitespace) {
        SendOfferRequest::default()
    } else {
        serde_json::from_slice(&body)
            .map_err(|e| ApiError::bad_request("invalid_json", e.to_string()))?
    };
    let days = req.expires_in_days.unwrap_or(14);
    if !(1..=90).contains(&days) {
        return Err(ApiError::unprocessable(
            "invalid_expiry",
            "expires_in_days must be between 1 and 90",
        ));
    }
    let link =
        signatures::issue_link(&db, &scope, id.into_inner(), chrono::Duration::days(days)).await?;
    let token = link.expose_token().to_string();
    let base = state.public_base_url.trim_end_matches('/');
    Ok(HttpResponse::Ok().json(SendOfferResponse {
        signing_url: format!("{base}/sign/{token}"),
        token,
        expires_at: link.expires_at,
        offer: link.offer,
    }))
}

#[utoipa::path(post, path = "/api/offers/{id}/decline", tag = "offers", params(("id" = OfferId, Path), BusinessQuery),
    responses((status = 200, body = Offer), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn decline(
    scope: TenantScope,
    db: web::Data<Db>,
    id: web::Path<OfferId>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(offers::decline(&db, &scope, id.into_inner()).await?))
}

#[utoipa::path(post, path = "/api/offers/{id}/invoice", tag = "offers", params(("id" = OfferId, Path), BusinessQuery),
    responses((status = 201, body = Invoice), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn invoice(
    scope: TenantScope,
    db: web::Data<Db>,
    id: web::Path<OfferId>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Created().json(invoices::from_offer(&db, &scope, id.into_inner()).await?))
}

#[utoipa::path(get, path = "/api/offers/{id}/signature", tag = "offers", params(("id" = OfferId, Path), BusinessQuery),
    responses((status = 200, body = SignatureEvidence), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn signature(
    scope: TenantScope,
    db: web::Data<Db>,
    id: web::Path<OfferId>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(signatures::evidence(&db, &scope, id.into_inner()).await?))
}
