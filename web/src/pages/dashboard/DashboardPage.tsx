/** Today's calls, new leads, unread WhatsApp and open tasks; each card degrades alone. */
import type { ReactNode } from "react";
import { Link as RouterLink } from "react-router";
import { Box, Card, CardActionArea, CardContent, Grid, List, ListItemButton, ListItemText, Typography } from "@mui/material";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { listCalls } from "../../api/calls";
import { listLeads } from "../../api/leads";
import { listConversations } from "../../api/whatsapp";
import { listTasks } from "../../api/tasks";
import { useSession } from "../../auth/session";
import { formatDateTime, todayRange } from "../../lib/dates";

function Stat({ label, value, to, testid }: { label: string; value: ReactNode; to: string; testid: string }) {
  return (
    <Card variant="outlined">
      <CardActionArea component={RouterLink} to={to} data-testid={testid}>
        <CardContent>
          <Typography color="text.secondary" variant="body2">{label}</Typography>
          <Typography variant="h4" data-testid={`${testid}-value`}>{value}</Typography>
        </CardContent>
      </CardActionArea>
    </Card>
  );
}

export default function DashboardPage() {
  const { t, i18n } = useTranslation();
  const { tz } = useSession();
  const today = todayRange(tz);
  const opts = { retry: false } as const;
  const calls = useQuery({ queryKey: ["dashboard", "calls", today.from], queryFn: () => listCalls({ from: today.from, to: today.to, per_page: 1 }), ...opts });
  const leads = useQuery({ queryKey: ["dashboard", "leads"], queryFn: () => listLeads({ status: "new", per_page: 5, sort: "-created_at" }), ...opts });
  const wa = useQuery({ queryKey: ["dashboard", "whatsapp"], queryFn: () => listConversations(1, true), ...opts });
  const tasks = useQuery({ queryKey: ["dashboard", "tasks"], queryFn: () => listTasks({ done: false }), ...opts });
  const show = (q: { data?: unknown; isError: boolean }, v: number | undefined) => (q.isError ? "—" : (v ?? "…"));
  return (
    <Box data-testid="dashboard-page">
      <Typography variant="h5" component="h1" sx={{ mb: 2 }}>{t("dashboard.title")}</Typography>
      <Grid container spacing={2}>
        <Grid size={{ xs: 6, md: 3 }}><Stat label={t("dashboard.todayCalls")} value={show(calls, calls.data?.total)} to="/calls" testid="stat-calls" /></Grid>
        <Grid size={{ xs: 6, md: 3 }}><Stat label={t("dashboard.newLeads")} value={show(leads, leads.data?.total)} to="/leads" testid="stat-leads" /></Grid>
        <Grid size={{ xs: 6, md: 3 }}><Stat label={t("dashboard.unreadWhatsapp")} value={show(wa, wa.data?.total_unread)} to="/whatsapp" testid="stat-whatsapp" /></Grid>
        <Grid size={{ xs: 6, md: 3 }}><Stat label={t("dashboard.openTasks")} value={show(tasks, tasks.data?.total)} to="/tasks" testid="stat-tasks" /></Grid>
      </Grid>
      <Card variant="outlined" sx={{ mt: 2 }}>
        <CardContent>
          <Typography variant="h6">{t("dashboard.recentLeads")}</Typography>
          <List dense>
            {leads.data?.items.map((l) => (
              <ListItemButton key={l.id} component={RouterLink} to={`/leads/${l.id}`}>
                <ListItemText primary={l.name} secondary={formatDateTime(l.created_at, tz, i18n.language)} />
              </ListItemButton>
            ))}
          </List>
        </CardContent>
      </Card>
    </Box>
  );
}
