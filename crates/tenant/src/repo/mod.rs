//! Repositories: the only code (with `system.rs`) that sees the Diesel schema
//! and a connection. Each public function is one unit of work: one transaction
//! that first pins the tenant GUC, then runs its queries.

use diesel::sql_query;
use diesel::sql_types::Text;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::{BusinessId, TenantError};

/// Which rows a unit of work may see (RLS decides, from these GUCs).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Tenancy {
    /// `app.business_id` = this business.
    Business(BusinessId),
    /// `app.cross_tenant` = on: only made from a [`crate::CrossTenant`].
    CrossTenant,
    /// Nothing set: RLS shows no tenant rows (pre-auth functions only).
    None,
}

/// Runs the block in one transaction on a pooled connection, after pinning the
/// tenancy GUCs transaction-locally (so nothing leaks to the next user of the
/// connection). The only way repositories reach a connection.
macro_rules! unit_of_work {
    ($db:expr, $tenancy:expr, |$conn:ident| $body:block) => {{
        let tenancy: $crate::repo::Tenancy = $tenancy;
        let mut pooled = $db.conn().await?;
        diesel_async::AsyncConnection::transaction(
            &mut *pooled,
            async move |$conn: &mut diesel_async::AsyncPgConnection| -> Result<_, $crate::TenantError> {
                $crate::repo::pin_tenancy($conn, tenancy).await?;
                $body
            },
        )
        .await
    }};
}
pub(crate) use unit_of_work;

/// Sets `app.business_id` or `app.cross_tenant` for the current transaction.
pub(crate) async fn pin_tenancy(
    conn: &mut AsyncPgConnection,
    tenancy: Tenancy,
) -> Result<(), TenantError> {
    match tenancy {
        Tenancy::Business(id) => {
            sql_query("SELECT set_config('app.business_id', $1, true)")
                .bind::<Text, _>(id.to_string())
                .execute(conn)
                .await?;
        }
        Tenancy::CrossTenant => {
            sql_query("SELECT set_config('app.cross_tenant', 'on', true)")
                .execute(conn)
                .await?;
        }
        Tenancy::None => {}
    }
    Ok(())
}

pub mod api_keys;
pub mod audit;
pub mod businesses;
pub mod calls;
pub mod event_log;
pub mod invoices;
pub mod leads;
pub mod notifications;
pub mod offers;
pub mod signatures;
pub mod tasks;
pub mod users;
pub mod webhooks;

// WhatsApp: types, link state + auth store, conversations, inbound, opening a chat.
pub mod whatsapp;
pub mod whatsapp_conversations;
pub mod whatsapp_inbound;
pub mod whatsapp_open;
pub mod whatsapp_session;

/// Escapes `%`, `_` and `\` for a LIKE pattern.
pub(crate) fn like_pattern(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('%');
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn like_pattern_escapes_wildcards() {
        assert_eq!(super::like_pattern("a%b_c\\"), "%a\\%b\\_c\\\\%");
    }
}
