/** n8n API keys (secret shown once) and outgoing webhook subscriptions. */
import { useState } from "react";
import {
  Alert, Box, Button, Checkbox, FormControlLabel, FormGroup, IconButton, List, ListItem, ListItemText, Stack, TextField, Typography,
} from "@mui/material";
import DeleteIcon from "@mui/icons-material/Delete";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import {
  createApiKey, createWebhook, deleteWebhook, listApiKeys, listWebhooks, revokeApiKey, WEBHOOK_EVENT_TYPES,
  type WebhookEventType,
} from "../../api/integrations";
import { errorText, useFeedback } from "../../components/feedback";

export function IntegrationsSection() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const fb = useFeedback();
  const keys = useQuery({ queryKey: ["api-keys"], queryFn: listApiKeys, retry: false });
  const hooks = useQuery({ queryKey: ["webhooks"], queryFn: listWebhooks, retry: false });
  const [keyName, setKeyName] = useState("n8n");
  const [secret, setSecret] = useState<string | null>(null);
  const [url, setUrl] = useState("");
  const [types, setTypes] = useState<WebhookEventType[]>(["lead.created"]);
  const [hookSecret, setHookSecret] = useState<string | null>(null);

  const onErr = (e: unknown) => fb.error(errorText(t, e));
  const create = useMutation({
    mutationFn: () => createApiKey(keyName.trim()),
    onSuccess: (k) => {
      setSecret(k.key);
      void qc.invalidateQueries({ queryKey: ["api-keys"] });
    },
    onError: onErr,
  });
  const revoke = useMutation({
    mutationFn: revokeApiKey,
    onSuccess: () => qc.invalidateQueries({ queryKey: ["api-keys"] }),
    onError: onErr,
  });
  const addHook = useMutation({
    mutationFn: () => createWebhook(url.trim(), types),
    onSuccess: (h) => {
      setUrl("");
      setHookSecret(h.secret);
      void qc.invalidateQueries({ queryKey: ["webhooks"] });
    },
    onError: onErr,
  });
  const removeHook = useMutation({
    mutationFn: deleteWebhook,
    onSuccess: () => qc.invalidateQueries({ queryKey: ["webhooks"] }),
    onError: onErr,
  });

  return (
    <Stack spacing={3}>
      <Box>
        <Typography variant="subtitle1">{t("settings.apiKeys")}</Typography>
        {keys.isError ? (
          <Alert severity="info">{t("common.unavailable")}</Alert>
        ) : (
          <>
            <List dense>
              {keys.data?.filter((k) => !k.revoked_at).map((k) => (
                <ListItem key={k.id} secondaryAction={
                  <IconButton edge="end" onClick={() => revoke.mutate(k.id)} aria-label={t("settings.revoke")} data-testid={`api-key-revoke-${k.id}`}><DeleteIcon /></IconButton>
                }>
                  <ListItemText primary={k.name} secondary={<span dir="ltr">{k.prefix}…</span>} />
                </ListItem>
              ))}
            </List>
            <Stack direction="row" spacing={1}>
              <TextField size="small" label={t("settings.keyName")} value={keyName} onChange={(e) => setKeyName(e.target.value)} slotProps={{ htmlInput: { "data-testid": "api-key-name" } }} />
              <Button variant="outlined" onClick={() => create.mutate()} disabled={!keyName.trim()} data-testid="api-key-create">{t("settings.newKey")}</Button>
            </Stack>
            {secret && (
              <Alert severity="warning" sx={{ mt: 1 }} data-testid="api-key-secret">
                {t("settings.keyShownOnce")} <code dir="ltr">{secret}</code>
              </Alert>
            )}
          </>
        )}
      </Box>
      <Box>
        <Typography variant="subtitle1">{t("settings.webhooks")}</Typography>
        {hooks.isError ? (
          <Alert severity="info">{t("common.unavailable")}</Alert>
        ) : (
          <>
            <List dense>
              {hooks.data?.map((h) => (
                <ListItem key={h.id} secondaryAction={
                  <IconButton edge="end" onClick={() => removeHook.mutate(h.id)} aria-label={t("common.delete")} data-testid={`webhook-delete-${h.id}`}><DeleteIcon /></IconButton>
                }>
                  <ListItemText primary={<span dir="ltr">{h.url}</span>} secondary={h.event_types.join(", ")} />
                </ListItem>
              ))}
            </List>
            <TextField fullWidth size="small" label={t("settings.webhookUrl")} value={url} onChange={(e) => setUrl(e.target.value)} slotProps={{ htmlInput: { dir: "ltr", "data-testid": "webhook-url" } }} />
            <Typography variant="caption">{t("settings.eventTypes")}</Typography>
            <FormGroup row>
              {WEBHOOK_EVENT_TYPES.map((et) => (
                <FormControlLabel key={et} label={et} control={
                  <Checkbox size="small" checked={types.includes(et)} onChange={(e) => setTypes((ts) => (e.target.checked ? [...ts, et] : ts.filter((x) => x !== et)))} />
                } />
              ))}
            </FormGroup>
            <Button variant="outlined" onClick={() => addHook.mutate()} disabled={!/^https?:\/\//.test(url.trim()) || types.length === 0} data-testid="webhook-create">
              {t("settings.newWebhook")}
            </Button>
            {hookSecret && (
              <Alert severity="warning" sx={{ mt: 1 }} data-testid="webhook-secret">
                {t("settings.secretShownOnce")} <code dir="ltr">{hookSecret}</code>
              </Alert>
            )}
          </>
        )}
      </Box>
    </Stack>
  );
}
