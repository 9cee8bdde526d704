//! The due-task sweep: an open task whose due date passed gets one
//! notification (and, through the table trigger, its `task.due` webhooks) in
//! one transaction; then `task.due` and `notification.created` go on the bus.

use prosaas_events::{Envelope, EventKind};
use prosaas_tenant::repo::tasks;
use prosaas_tenant::{Db, TenantError, system};

use super::WorkerSettings;
use prosaas_events::BusHandle;

/// Businesses handled per tick; the rest come next tick.
const BUSINESSES_PER_TICK: i32 = 100;

/// Sweeps forever, every `task_sweep_every`.
pub async fn run(db: Db, bus: BusHandle, settings: WorkerSettings) {
    let mut tick = tokio::time::interval(settings.task_sweep_every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        if let Err(e) = sweep_once(&db, &bus).await {
            tracing::warn!(error = %e, "due-task sweep failed; retrying next tick");
        }
    }
}

/// One sweep over every business with due tasks; returns how many tasks were notified.
pub async fn sweep_once(db: &Db, bus: &BusHandle) -> Result<usize, TenantError> {
    let mut notified = 0;
    for business in system::businesses_with_due_tasks(db, BUSINESSES_PER_TICK).await? {
        let scope = system::worker_scope(business);
        let due = match tasks::sweep_due(db, &scope).await {
            Ok(due) => due,
            Err(e) => {
                tracing::warn!(business.id = %business, error = %e, "due-task sweep of a business failed");
                continue;
            }
        };
        for (task, note) in due {
            notified += 1;
            let b = business.as_uuid();
            bus.publish(Envelope::new(
                b,
                EventKind::TaskDue,
                serde_json::json!({
                    "task_id": task.id, "title": task.title, "due_at": task.due_at,
                    "assignee_user_id": task.assignee_user_id, "lead_id": task.lead_id,
                }),
            ))
            .await;
            bus.publish(Envelope::new(
                b,
                EventKind::NotificationCreated,
                serde_json::json!({
                    "notification_id": note.id, "kind": note.kind, "title": note.title,
                    "user_id": note.user_id, "link": note.link,
                }),
            ))
            .await;
        }
    }
    Ok(notified)
}
