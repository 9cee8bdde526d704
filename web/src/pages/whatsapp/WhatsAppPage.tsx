import { useEffect } from "react";
import { useSearchParams } from "react-router";
import { Badge, Box, Card, Grid, List, ListItemButton, ListItemText, Typography, useMediaQuery, useTheme } from "@mui/material";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { eventsUrl, getConversation, listConversations, type WhatsAppQr, type WhatsAppStatus } from "../../api/whatsapp";
import { useSession } from "../../auth/session";
import { formatDateTime } from "../../lib/dates";
import { ConnectPanel } from "./ConnectPanel";
import { ChatPanel } from "./ChatPanel";

/** Live QR / status / message events of the whatsapp service, straight into the query cache. */
function useWhatsAppEvents(businessKey: string | null) {
  const qc = useQueryClient();
  useEffect(() => {
    if (typeof EventSource === "undefined") return;
    const es = new EventSource(eventsUrl(), { withCredentials: true });
    const data = <T,>(ev: MessageEvent<string>): T | null => {
      try {
        return (JSON.parse(ev.data) as { data: T }).data;
      } catch {
        return null;
      }
    };
    es.addEventListener("whatsapp.qr", (ev) => {
      const qr = data<WhatsAppQr>(ev as MessageEvent<string>);
      if (qr) qc.setQueryData(["wa-qr"], qr);
    });
    es.addEventListener("whatsapp.status", (ev) => {
      const st = data<WhatsAppStatus>(ev as MessageEvent<string>);
      if (st) {
        qc.setQueryData(["wa-status"], st);
        if (st.state === "connected") qc.setQueryData(["wa-qr"], null);
      }
    });
    es.addEventListener("whatsapp.message", () => {
      void qc.invalidateQueries({ queryKey: ["conversations"] });
      void qc.invalidateQueries({ queryKey: ["messages"] });
    });
    return () => es.close();
  }, [qc, businessKey]);
}

export default function WhatsAppPage() {
  const { t, i18n } = useTranslation();
  const { tz, actingBusinessId } = useSession();
  const theme = useTheme();
  const desktop = useMediaQuery(theme.breakpoints.up("md"));
  const [params, setParams] = useSearchParams();
  const selected = params.get("conversation");
  useWhatsAppEvents(actingBusinessId);
  const convs = useQuery({ queryKey: ["conversations", "page1"], queryFn: () => listConversations(1), retry: false });
  const listed = convs.data?.items.find((c) => c.id === selected) ?? null;
  // a chat opened from a lead may not be on the first page yet
  const single = useQuery({
    queryKey: ["conversations", "one", selected],
    queryFn: () => getConversation(selected ?? ""),
    enabled: !!selected && !!convs.data && !listed,
    retry: false,
  });
  const current = listed ?? single.data ?? null;

  const list = (
    <Card variant="outlined">
      <Typography variant="subtitle1" sx={{ p: 1.5 }}>{t("whatsapp.conversations")}</Typography>
      <List dense data-testid="whatsapp-conversations">
        {convs.data?.items.length === 0 && <Typography sx={{ p: 1.5 }} color="text.secondary">{t("whatsapp.noConversations")}</Typography>}
        {convs.data?.items.map((c) => (
          <ListItemButton key={c.id} selected={c.id === selected} onClick={() => setParams({ conversation: c.id })} data-testid={`whatsapp-conversation-${c.id}`}>
            <ListItemText
              primary={<Badge color="success" badgeContent={c.unread_count}><span dir="auto">{c.contact_name ?? c.contact_phone ?? "?"}</span></Badge>}
              secondary={`${c.last_message_preview ?? ""} · ${formatDateTime(c.last_message_at, tz, i18n.language)}`}
            />
          </ListItemButton>
        ))}
      </List>
    </Card>
  );

  return (
    <Box data-testid="whatsapp-page">
      <Typography variant="h5" component="h1" sx={{ mb: 2 }}>{t("whatsapp.title")}</Typography>
      <ConnectPanel />
      <Grid container spacing={2} sx={{ mt: 1 }}>
        {(desktop || !current) && <Grid size={{ xs: 12, md: 4 }}>{list}</Grid>}
        {(desktop || current) && (
          <Grid size={{ xs: 12, md: 8 }}>
            <Card variant="outlined">
              {current ? <ChatPanel conversation={current} /> : <Typography sx={{ p: 2 }} color="text.secondary">{t("whatsapp.chooseConversation")}</Typography>}
            </Card>
          </Grid>
        )}
      </Grid>
    </Box>
  );
}
