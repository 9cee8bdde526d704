import { type FormEvent, useEffect, useRef, useState } from "react";
import { Link as RouterLink } from "react-router";
import { Box, Button, FormControlLabel, Link, Paper, Stack, Switch, TextField, Typography } from "@mui/material";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { type Conversation, listMessages, markRead, sendMessage, setHumanTookOver } from "../../api/whatsapp";
import { useSession } from "../../auth/session";
import { errorText, useFeedback } from "../../components/feedback";
import { formatDateTime } from "../../lib/dates";

export function ChatPanel({ conversation }: { conversation: Conversation }) {
  const { t, i18n } = useTranslation();
  const { tz } = useSession();
  const qc = useQueryClient();
  const fb = useFeedback();
  const [text, setText] = useState("");
  const bottom = useRef<HTMLDivElement>(null);
  const id = conversation.id;
  const messages = useQuery({ queryKey: ["messages", id], queryFn: () => listMessages(id) });
  const thread = [...(messages.data?.items ?? [])].reverse();

  useEffect(() => {
    if (conversation.unread_count > 0) {
      void markRead(id).then(() => qc.invalidateQueries({ queryKey: ["conversations"] }), () => undefined);
    }
  }, [id, conversation.unread_count, qc]);
  // braces: newer browsers return a Promise from scrollIntoView, and an effect may only return a cleanup
  useEffect(() => {
    bottom.current?.scrollIntoView?.({ block: "end" });
  }, [thread.length]);

  const send = useMutation({
    mutationFn: () => sendMessage(id, text.trim()),
    onSuccess: () => {
      setText("");
      void qc.invalidateQueries({ queryKey: ["messages", id] });
      void qc.invalidateQueries({ queryKey: ["conversations"] });
    },
    onError: (e) => fb.error(errorText(t, e)),
  });
  const takeOver = useMutation({
    mutationFn: (v: boolean) => setHumanTookOver(id, v),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["conversations"] }),
    onError: (e) => fb.error(errorText(t, e)),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (text.trim()) send.mutate();
  };

  return (
    <Stack sx={{ height: "100%", minHeight: 420 }} data-testid="whatsapp-chat">
      <Stack direction="row" sx={{ alignItems: "center", justifyContent: "space-between", p: 1, borderBottom: 1, borderColor: "divider" }}>
        <Box>
          <Typography variant="subtitle1"><bdi>{conversation.contact_name ?? conversation.contact_phone ?? "?"}</bdi></Typography>
          {conversation.lead_id && (
            <Link component={RouterLink} to={`/leads/${conversation.lead_id}`} variant="caption" data-testid="whatsapp-open-lead">{t("leads.open")}</Link>
          )}
        </Box>
        <FormControlLabel
          label={t("whatsapp.humanTookOver")}
          control={<Switch checked={conversation.human_took_over} onChange={(e) => takeOver.mutate(e.target.checked)}
            slotProps={{ input: { "data-testid": "whatsapp-human-switch" } as React.InputHTMLAttributes<HTMLInputElement> }} />}
        />
      </Stack>
      <Box sx={{ flex: 1, overflowY: "auto", p: 1, display: "flex", flexDirection: "column", gap: 1, maxHeight: "60vh" }}>
        {thread.map((m) => {
          const mine = m.direction === "outbound";
          return (
            <Paper key={m.id} elevation={0} data-testid={`whatsapp-message-${m.id}`}
              sx={{ p: 1, maxWidth: "80%", alignSelf: mine ? "flex-end" : "flex-start", bgcolor: mine ? "#dcf8c6" : "grey.100" }}>
              <Typography variant="caption" color="text.secondary">{t(`whatsapp.author.${m.author}`)}</Typography>
              <Typography variant="body2" dir="auto" sx={{ whiteSpace: "pre-wrap" }}>{m.text}</Typography>
              <Typography variant="caption" color="text.secondary">{formatDateTime(m.created_at, tz, i18n.language)} · {t(`whatsapp.msgStatus.${m.status}`, { defaultValue: m.status })}</Typography>
            </Paper>
          );
        })}
        <div ref={bottom} />
      </Box>
      <Stack component="form" onSubmit={submit} direction="row" spacing={1} sx={{ p: 1, borderTop: 1, borderColor: "divider" }}>
        <TextField fullWidth size="small" multiline maxRows={4} placeholder={t("whatsapp.typeMessage")} value={text} onChange={(e) => setText(e.target.value)}
          slotProps={{ htmlInput: { maxLength: 4096, "data-testid": "whatsapp-send-input", dir: "auto" } }} />
        <Button type="submit" variant="contained" disabled={!text.trim() || send.isPending} data-testid="whatsapp-send">{t("whatsapp.send")}</Button>
      </Stack>
    </Stack>
  );
}
