//! Invoices of the caller's business, and their printable Hebrew page.
//!
//! No PDF: the Rust PDF writers (printpdf, genpdf, lopdf) place glyphs but do
//! no bidi reordering or Hebrew shaping, so right-to-left text comes out reversed;
//! typst would do it but is a very heavy dependency. The page below is built for
//! the browser's "print to PDF", which renders RTL correctly.

use std::fmt::Write as _;

use actix_web::{HttpResponse, web};
use prosaas_http::{ApiError, TenantScope};
use prosaas_tenant::billing::{Invoice, NewInvoice};
use prosaas_tenant::domain::Page;
use prosaas_tenant::repo::{businesses, invoices};
use prosaas_tenant::{Db, InvoiceId, LeadId};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::openapi::ErrorBody;

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
    let invoice = invoices::get(&db, &scope, id.into_inner()).await?;
    let business = businesses::get_own(&db, &scope).await?;
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        // the page needs nothing but its own inline style
        .insert_header((
            "content-security-policy",
            "default-src 'none'; style-src 'unsafe-inline'",
        ))
        .body(render(&invoice, &business.name)))
}

/// Escapes text for HTML element and attribute content.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// `123456` agorot -> `1,234.56 ₪`.
pub(crate) fn shekels(agorot: i64) -> String {
    let sign = if agorot < 0 { "-" } else { "" };
    let abs = agorot.unsigned_abs();
    let whole = (abs / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{sign}{grouped}.{:02} ₪", abs % 100)
}

/// Basis points -> `18%`, `17.5%`.
pub(crate) fn percent(bp: i32) -> String {
    let s = format!("{}.{:02}", bp / 100, bp % 100);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    format!("{s}%")
}

/// The printable page. Every value from the database goes through [`escape`].
pub(crate) fn render(inv: &Invoice, business_name: &str) -> String {
    let t = &inv.totals;
    let mut rows = String::new();
    for l in &inv.items {
        let _ = write!(
            rows,
            "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            escape(&l.description),
            l.quantity,
            shekels(l.unit_price_agorot),
            if l.discount_bp > 0 {
                percent(l.discount_bp)
            } else {
                String::new()
            },
            shekels(l.total_agorot),
        );
    }
    let contact: String = [inv.customer_phone.as_deref(), inv.customer_email.as_deref()]
        .into_iter()
        .flatten()
        .map(|c| format!("<div><bdi>{}</bdi></div>", escape(c)))
        .collect();
    let notes = if inv.notes.trim().is_empty() {
        String::new()
    } else {
        format!("<p class=\"notes\">{}</p>", escape(&inv.notes))
    };
    format!(
        r#"<!doctype html>
<html lang="he" dir="rtl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>חשבונית {number} – {business}</title>
<style>
body {{ font-family: "Noto Sans Hebrew", Arial, sans-serif; margin: 2rem; color: #111; }}
h1 {{ margin-block-end: 0.25rem; }}
table {{ width: 100%; border-collapse: collapse; margin-block: 1.5rem; }}
th, td {{ border-block-end: 1px solid #ccc; padding: 0.4rem; text-align: start; }}
.n {{ text-align: end; direction: ltr; unicode-bidi: isolate; white-space: nowrap; }}
.totals {{ width: auto; margin-inline-start: auto; }}
.grand td {{ font-weight: bold; border-block-start: 2px solid #111; }}
.notes {{ white-space: pre-wrap; }}
@media print {{ body {{ margin: 0; }} }}
</style>
</head>
<body>
<header>
<h1>{business}</h1>
<h2>חשבונית מס מספר {number}</h2>
<div>תאריך: <bdi>{date}</bdi></div>
</header>
<section>
<h3>לכבוד</h3>
<div>{customer}</div>
{contact}
</section>
<table>
<thead><tr><th>תיאור</th><th class="n">כמות</th><th class="n">מחיר ליחידה</th><th class="n">הנחה</th><th class="n">סה״כ</th></tr></thead>
<tbody>{rows}</tbody>
</table>
<table class="totals">
<tr><td>סה״כ לפני הנחה</td><td class="n">{gross}</td></tr>
<tr><td>הנחה</td><td class="n">{discount}</td></tr>
<tr><td>סה״כ לפני מע״מ</td><td class="n">{subtotal}</td></tr>
<tr><td>מע״מ {vat_rate}</td><td class="n">{vat}</td></tr>
<tr class="grand"><td>סה״כ לתשלום</td><td class="n">{total}</td></tr>
</table>
{notes}
</body>
</html>
"#,
        number = inv.number,
        business = escape(business_name),
        date = inv.issued_on.format("%d/%m/%Y"),
        customer = escape(&inv.customer_name),
        gross = shekels(t.gross_agorot),
        discount = shekels(t.discount_agorot),
        subtotal = shekels(t.subtotal_agorot),
        vat_rate = percent(t.vat_rate_bp),
        vat = shekels(t.vat_agorot),
        total = shekels(t.total_agorot),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_and_percent_format_for_print() {
        assert_eq!(shekels(0), "0.00 ₪");
        assert_eq!(shekels(5), "0.05 ₪");
        assert_eq!(shekels(123_456), "1,234.56 ₪");
        assert_eq!(shekels(10_000_000_000), "100,000,000.00 ₪");
        assert_eq!(shekels(-150), "-1.50 ₪");
        assert_eq!(percent(1800), "18%");
        assert_eq!(percent(1750), "17.5%");
        assert_eq!(percent(5), "0.05%");
        assert_eq!(percent(0), "0%");
    }

    #[test]
    fn escape_neutralises_markup() {
        assert_eq!(
            escape(r#"<script>alert("x")</script> & 'q'"#),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;"
        );
    }
}
