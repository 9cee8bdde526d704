//! The public signing link (no login: the token in the path is the credential).
//! Every token problem is a clean JSON 4xx: unknown 404, expired 410, used 409.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use prosaas_http::{ApiError, client_ip};
use prosaas_tenant::billing::SignatureSubmission;
use prosaas_tenant::repo::signatures::{self, SigningGrant};
use prosaas_tenant::{Db, TenantError, system};
use serde::Deserialize;
use utoipa::ToSchema;

use super::openapi::ErrorBody;
use prosaas_tenant::billing::{PublicOfferView, Signed};

/// Largest signature image accepted, decoded.
pub const MAX_SIGNATURE_PNG_BYTES: usize = 300 * 1024;
/// JSON limit of the signing body: the base64 of the largest PNG plus the name.
pub const SIGN_BODY_LIMIT: usize = 512 * 1024;

const PNG_MAGIC: &[u8] = b"\x89PNG\r\n\x1a\n";
const DATA_URL_PREFIX: &str = "data:image/png;base64,";

/// `POST /api/public/sign/{token}`.
#[derive(Deserialize, ToSchema)]
pub struct SignRequest {
    #[serde(default)]
    #[schema(min_length = 1, max_length = 200)]
    signer_name: String,
    /// `data:image/png;base64,...`, at most 300 KB decoded.
    #[serde(default)]
    signature_png_data_url: String,
}

/// `POST /api/public/sign/{token}/decline` (the reason is accepted, not stored).
#[derive(Deserialize, Default, ToSchema)]
pub struct DeclineRequest {
    #[serde(rename = "reason")]
    #[schema(value_type = Option<String>)]
    _reason: Option<String>,
}

/// `POST /api/public/sign/{token}/decline` answer.
#[derive(serde::Serialize, ToSchema)]
pub struct DeclineAnswer {
    status: prosaas_tenant::billing::OfferStatus,
}

/// Token errors keep their codes; an expired link is 410 Gone.
fn token_error(e: TenantError) -> ApiError {
    match e {
        TenantError::Conflict {
            code: "signing_link_expired",
            message,
        } => ApiError::new(StatusCode::GONE, "signing_link_expired", message),
        other => other.into(),
    }
}

async fn grant(db: &Db, token: &str) -> Result<SigningGrant, ApiError> {
    system::resolve_signing_token(db, token)
        .await
        .map_err(token_error)
}

/// Decodes `data:image/png;base64,...` and checks it is a PNG of sane size.
pub(crate) fn decode_png(data_url: &str) -> Result<Vec<u8>, ApiError> {
    let bad = |why: &str| ApiError::unprocessable("invalid_signature", why.to_string());
    let b64 = data_url
        .trim()
        .strip_prefix(DATA_URL_PREFIX)
        .ok_or_else(|| bad("signature_png_data_url must start with data:image/png;base64,"))?;
    if b64.len() > MAX_SIGNATURE_PNG_BYTES / 3 * 4 + 4 {
        return Err(bad("the signature image is too large"));
    }
    let png = STANDARD
        .decode(b64)
        .map_err(|_| bad("the signature image is not valid base64"))?;
    if !png.starts_with(PNG_MAGIC) || png.len() > MAX_SIGNATURE_PNG_BYTES {
        return Err(bad("the signature must be a PNG image of at most 300 KB"));
    }
    Ok(png)
}

fn user_agent(req: &HttpRequest) -> String {
    req.headers()
        .get(actix_web::http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .chars()
        .take(512)
        .collect()
}

#[utoipa::path(get, path = "/api/public/sign/{token}", tag = "signing", security(()), params(("token" = String, Path)),
    responses((status = 200, body = PublicOfferView), (status = 404, body = ErrorBody, description = "signing_link_not_found"), (status = 409, body = ErrorBody, description = "signing_link_used"), (status = 410, body = ErrorBody, description = "signing_link_expired")))]
pub async fn view(db: web::Data<Db>, token: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let g = grant(&db, &token).await?;
    let view = signatures::public_view(&db, &g)
        .await
        .map_err(token_error)?;
    Ok(HttpResponse::Ok()
        .insert_header(("cache-control", "no-store"))
        .insert_header(("referrer-policy", "no-referrer"))
        .json(view))
}

#[utoipa::path(post, path = "/api/public/sign/{token}", tag = "signing", security(()), params(("token" = String, Path)),
    request_body = SignRequest,
    responses((status = 200, body = Signed), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody, description = "signing_link_not_found"), (status = 409, body = ErrorBody, description = "signing_link_used"), (status = 410, body = ErrorBody, description = "signing_link_expired"),
        (status = 413, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn sign(
    req: HttpRequest,
    db: web::Data<Db>,
    token: web::Path<String>,
    body: web::Json<SignRequest>,
) -> Result<HttpResponse, ApiError> {
    let g = grant(&db, &token).await?;
    let b = body.into_inner();
    let signer_name = b.signer_name.trim().to_string();
    let chars = signer_name.chars().count();
    if chars == 0 || chars > 200 || signer_name.contains('\0') {
        return Err(ApiError::unprocessable(
            "invalid_signer_name",
            "signer_name must be 1 to 200 characters",
        ));
    }
    let png = decode_png(&b.signature_png_data_url)?;
    let submission = SignatureSubmission {
        signer_name,
        png,
        ip: client_ip(&req),
        user_agent: user_agent(&req),
    };
    let signed = signatures::sign(&db, &g, submission)
        .await
        .map_err(token_error)?;
    Ok(HttpResponse::Ok()
        .insert_header(("cache-control", "no-store"))
        .json(signed))
}

#[utoipa::path(post, path = "/api/public/sign/{token}/decline", tag = "signing", security(()), params(("token" = String, Path)),
    request_body(content = Option<DeclineRequest>, description = "optional"),
    responses((status = 200, description = "{\"status\":\"declined\"}", body = DeclineAnswer), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody, description = "signing_link_not_found"), (status = 409, body = ErrorBody, description = "signing_link_used"), (status = 410, body = ErrorBody, description = "signing_link_expired")))]
pub async fn decline(
    db: web::Data<Db>,
    token: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    if !body.iter().all(u8::is_ascii_whitespace) {
        serde_json::from_slice::<DeclineRequest>(&body)
            .map_err(|e| ApiError::bad_request("invalid_json", e.to_string()))?;
    }
    let g = grant(&db, &token).await?;
    let status = signatures::decline(&db, &g).await.map_err(token_error)?;
    Ok(HttpResponse::Ok().json(DeclineAnswer { status }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_small_pngs_in_data_urls_pass() {
        let png = [PNG_MAGIC, b"rest"].concat();
        let url = format!("{DATA_URL_PREFIX}{}", STANDARD.encode(&png));
        assert_eq!(decode_png(&url).ok(), Some(png));
        let gif = format!("data:image/gif;base64,{}", STANDARD.encode(b"GIF89a"));
        let not_png = format!("{DATA_URL_PREFIX}{}", STANDARD.encode(b"GIF89a"));
        let big = format!(
            "{DATA_URL_PREFIX}{}",
            STANDARD.encode([PNG_MAGIC.to_vec(), vec![0; MAX_SIGNATURE_PNG_BYTES]].concat())
        );
        for bad in [
            gif,
            not_png,
            big,
            format!("{DATA_URL_PREFIX}!!!"),
            String::new(),
        ] {
            assert_eq!(
                decode_png(&bad).err().map(|e| e.code().to_string()),
                Some("invalid_signature".to_string())
            );
        }
    }
}
