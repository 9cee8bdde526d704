/** One lead and its timeline: calls (player, transcript, summary), WhatsApp, tasks, offers. */
import { useState } from "react";
import { Link as RouterLink, useNavigate, useParams } from "react-router";
import {
  Accordion, AccordionDetails, AccordionSummary, Alert, Box, Button, Card, CardContent, Chip, Stack, Typography,
} from "@mui/material";
import ExpandMoreIcon from "@mui/icons-material/ExpandMore";
import PhoneIcon from "@mui/icons-material/Phone";
import WhatsAppIcon from "@mui/icons-material/WhatsApp";
import TaskIcon from "@mui/icons-material/TaskAlt";
import DescriptionIcon from "@mui/icons-material/Description";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { getLead } from "../../api/leads";
import { listCalls } from "../../api/calls";
import { listTasks } from "../../api/tasks";
import { listOffers } from "../../api/offers";
import { listConversations, openLeadConversation } from "../../api/whatsapp";
import { useSession } from "../../auth/session";
import { errorText, useFeedback } from "../../components/feedback";
import { formatDateTime } from "../../lib/dates";
import { formatAgorot } from "../../lib/money";
import { CallDetails } from "../calls/CallDetails";
import { LeadFormDialog } from "../leads/LeadFormDialog";
import { useLeadActions } from "../leads/useLeadActions";
import { STATUS_COLOR } from "../leads/LeadsTable";

interface Entry { at: string; key: string; node: React.ReactNode }

export default function LeadDetailPage() {
  const { id = "" } = useParams();
  const { t, i18n } = useTranslation();
  const { tz } = useSession();
  const navigate = useNavigate();
  const actions = useLeadActions();
  const [editing, setEditing] = useState(false);
  const fb = useFeedback();
  const openChat = useMutation({
    mutationFn: () => openLeadConversation(id),
    onSuccess: (c) => navigate(`/whatsapp?conversation=${c.id}`),
    onError: (e) => fb.error(errorText(t, e)),
  });
  const opts = { retry: false } as const;
  const lead = useQuery({ queryKey: ["lead", id], queryFn: () => getLead(id) });
  const calls = useQuery({ queryKey: ["lead-timeline", "calls", id], queryFn: () => listCalls({ lead_id: id, per_page: 50 }), ...opts });
  const tasks = useQuery({ queryKey: ["tasks", "lead", id], queryFn: () => listTasks({ lead_id: id }), ...opts });
  const offers = useQuery({ queryKey: ["offers", "lead", id], queryFn: () => listOffers({ lead_id: id }), ...opts });
  const convs = useQuery({ queryKey: ["conversations", "all"], queryFn: () => listConversations(1), ...opts });

  if (lead.isError) return <Alert severity="error">{errorText(t, lead.error)}</Alert>;
  const l = lead.data;
  if (!l) return null;
  const fmt = (iso: string | null) => formatDateTime(iso, tz, i18n.language);

  const entries: Entry[] = [];
  for (const c of calls.data?.items ?? []) {
    entries.push({
      at: c.started_at, key: `call-${c.id}`,
      node: (
        <Accordion disableGutters variant="outlined" data-testid={`timeline-call-${c.id}`}>
          <AccordionSummary expandIcon={<ExpandMoreIcon />}>
            <Stack direction="row" spacing={1} sx={{ alignItems: "center" }}>
              <PhoneIcon fontSize="small" />
              <Typography>{t(`calls.${c.direction}`)} · {t(`calls.status.${c.status}`, { defaultValue: c.status })} · {fmt(c.started_at)}</Typography>
            </Stack>
          </AccordionSummary>
          <AccordionDetails><CallDetails id={c.id} /></AccordionDetails>
        </Accordion>
      ),
    });
  }
  for (const conv of (convs.data?.items ?? []).filter((c) => c.lead_id === id)) {
    entries.push({
      at: conv.last_message_at ?? conv.updated_at, key: `wa-${conv.id}`,
      node: (
        <Card variant="outlined"><CardContent sx={{ display: "flex", gap: 1, alignItems: "center" }}>
          <WhatsAppIcon fontSize="small" color="success" />
          <Typography sx={{ flex: 1 }}>{conv.last_message_preview ?? ""} · {fmt(conv.last_message_at)}</Typography>
          <Button size="small" component={RouterLink} to={`/whatsapp?conversation=${conv.id}`}>{t("leadDetail.openChat")}</Button>
        </CardContent></Card>
      ),
    });
  }
  for (const task of tasks.data?.items ?? []) {
    entries.push({
      at: task.due_at ?? task.created_at, key: `task-${task.id}`,
      node: (
        <Card variant="outlined"><CardContent sx={{ display: "flex", gap: 1, alignItems: "center" }}>
          <TaskIcon fontSize="small" color={task.done ? "success" : "action"} />
          <Typography sx={{ flex: 1, textDecoration: task.done ? "line-through" : undefined }}>{task.title}</Typography>
          <Typography variant="caption">{fmt(task.due_at)}</Typography>
        </CardContent></Card>
      ),
    });
  }
  for (const o of offers.data?.items ?? []) {
    entries.push({
      at: o.created_at, key: `offer-${o.id}`,
      node: (
        <Card variant="outlined"><CardContent sx={{ display: "flex", gap: 1, alignItems: "center" }}>
          <DescriptionIcon fontSize="small" />
          <Typography sx={{ flex: 1 }}>{o.title} · {formatAgorot(o.total_agorot, i18n.language)}</Typography>
          <Chip size="small" label={t(`offers.status.${o.status}`)} />
        </CardContent></Card>
      ),
    });
  }
  entries.sort((a, b) => b.at.localeCompare(a.at));

  return (
    <Box data-testid="lead-detail-page">
      <Card variant="outlined" sx={{ mb: 2 }}>
        <CardContent>
          <Stack direction={{ xs: "column", sm: "row" }} spacing={1} sx={{ justifyContent: "space-between" }}>
            <Box>
              <Typography variant="h5" component="h1">{l.name} <Chip size="small" color={STATUS_COLOR[l.status]} label={t(`leadStatus.${l.status}`)} /></Typography>
              {l.phone && <Typography><bdi dir="ltr">{l.phone}</bdi></Typography>}
              {l.email && <Typography color="text.secondary">{l.email}</Typography>}
              <Typography variant="caption" color="text.secondary">{t(`leadSource.${l.source}`)} · {fmt(l.created_at)}</Typography>
              {l.notes && <Typography sx={{ mt: 1, whiteSpace: "pre-wrap" }}>{l.notes}</Typography>}
            </Box>
            <Stack direction="row" spacing={1} useFlexGap sx={{ alignItems: "flex-start", flexWrap: "wrap" }}>
              <Button variant="contained" startIcon={<PhoneIcon />} disabled={!l.phone || actions.calling} onClick={() => actions.call(l)} data-testid="lead-call">
                {t("leads.call")}
              </Button>
              <Button variant="outlined" color="success" startIcon={<WhatsAppIcon />} disabled={!l.phone || openChat.isPending}
                onClick={() => openChat.mutate()} data-testid="lead-whatsapp">
                {t("nav.whatsapp")}
              </Button>
              <Button variant="outlined" onClick={() => setEditing(true)} data-testid="lead-edit">{t("common.edit")}</Button>
              <Button variant="outlined" color="error" data-testid={`lead-delete-${l.id}`}
                onClick={async () => { if (await actions.confirmDelete(l)) navigate("/leads"); }}>
                {t("common.delete")}
              </Button>
            </Stack>
          </Stack>
        </CardContent>
      </Card>
      <Typography variant="h6" sx={{ mb: 1 }}>{t("leadDetail.timeline")}</Typography>
      <Stack spacing={1} data-testid="lead-timeline">
        {entries.length === 0 && <Typography color="text.secondary">{t("leadDetail.noItems")}</Typography>}
        {entries.map((e) => <Box key={e.key}>{e.node}</Box>)}
      </Stack>
      <LeadFormDialog open={editing} lead={l} onClose={() => setEditing(false)} />
    </Box>
  );
}
