//! Id newtypes, so a lead id can never be passed where a business id is meant.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String, format = Uuid))]
        pub struct $name(Uuid);

        impl $name {
            /// Wraps a raw uuid (from a URL path, a signed token, a row).
            pub fn from_uuid(id: Uuid) -> Self {
                Self(id)
            }
            /// The raw uuid.
            pub fn as_uuid(&self) -> Uuid {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }
    };
}

id_type!(
    /// Identifies a business (tenant).
    BusinessId
);
id_type!(
    /// Identifies a user.
    UserId
);
id_type!(
    /// Identifies a lead.
    LeadId
);
id_type!(
    /// Identifies a price offer.
    OfferId
);
id_type!(
    /// Identifies an invoice.
    InvoiceId
);
id_type!(
    /// Identifies a notification.
    NotificationId
);
id_type!(
    /// Identifies a task.
    TaskId
);
id_type!(
    /// Identifies an API key.
    ApiKeyId
);
id_type!(
    /// Identifies a webhook subscription.
    WebhookId
);
