/** Business settings: profile, phone & AI, WhatsApp auto-reply, n8n keys and webhooks. */
import { type ReactNode, useEffect, useState } from "react";
import { Alert, Autocomplete, Box, Button, Card, CardContent, CardHeader, FormControlLabel, Stack, Switch, TextField, Typography } from "@mui/material";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { getOwnBusiness, updateOwnBusiness, type BusinessChanges } from "../../api/businesses";
import type { Business } from "../../api/types";
import { useCanManage } from "../../auth/session";
import { errorText, useFeedback } from "../../components/feedback";
import { parsePhone } from "../../lib/phone";
import { IntegrationsSection } from "./IntegrationsSection";

/** The IANA zones the browser knows (dates are shown in the business's zone). */
const TIME_ZONES: string[] = (() => {
  try {
    return (Intl as unknown as { supportedValuesOf: (k: string) => string[] }).supportedValuesOf("timeZone");
  } catch {
    return ["Asia/Jerusalem", "UTC"];
  }
})();

type Form = {
  name: string; timezone: string; locale: string; vat: string;
  twilio_phone_number: string; fallback_phone: string; record_calls: boolean;
  ai_prompt: string; ai_greeting: string; ai_voice: string; ai_language: string;
  whatsapp_auto_reply: boolean;
};

function toForm(b: Business): Form {
  return {
    name: b.name, timezone: b.timezone, locale: b.locale, vat: String(b.vat_rate_bp / 100),
    twilio_phone_number: b.twilio_phone_number ?? "", fallback_phone: b.fallback_phone ?? "", record_calls: b.record_calls,
    ai_prompt: b.ai_prompt, ai_greeting: b.ai_greeting, ai_voice: b.ai_voice, ai_language: b.ai_language,
    whatsapp_auto_reply: b.whatsapp_auto_reply,
  };
}

function phoneOrNull(v: string): string | null {
  const p = parsePhone(v);
  return v.trim() && p.ok ? p.e164 : null;
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Card variant="outlined">
      <CardHeader title={title} slotProps={{ title: { variant: "h6" } }} />
      <CardContent>
        <Stack spacing={2}>{children}</Stack>
      </CardContent>
    </Card>
  );
}

export default function SettingsPage() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const fb = useFeedback();
  const canManage = useCanManage();
  const q = useQuery({ queryKey: ["business"], queryFn: getOwnBusiness });
  const [form, setForm] = useState<Form | null>(null);
  useEffect(() => {
    if (q.data) setForm(toForm(q.data));
  }, [q.data]);

  const save = useMutation({
    mutationFn: (body: BusinessChanges) => updateOwnBusiness(body),
    onSuccess: (b) => {
      qc.setQueryData(["business"], b);
      void qc.invalidateQueries({ queryKey: ["me"] });
      void qc.invalidateQueries({ queryKey: ["businesses"] });
      fb.success(t("common.saved"));
    },
    onError: (e) => fb.error(errorText(t, e)),
  });

  if (q.isError) return <Alert severity="error">{errorText(t, q.error)}</Alert>;
  if (!form) return null;
  const set = (k: keyof Form) => (e: { target: { value: string; checked?: boolean } }) =>
    setForm((f) => (f ? { ...f, [k]: typeof f[k] === "boolean" ? !!e.target.checked : e.target.value } : f));
  const twilioOk = !form.twilio_phone_number.trim() || parsePhone(form.twilio_phone_number).ok;
  const fallbackOk = !form.fallback_phone.trim() || parsePhone(form.fallback_phone).ok;
  const vat = Number(form.vat);
  const vatOk = Number.isFinite(vat) && vat >= 0 && vat <= 100;

  const submit = () =>
    save.mutate({
      name: form.name.trim(),
      timezone: form.timezone.trim(),
      locale: form.locale,
      vat_rate_bp: Math.round(vat * 100),
      twilio_phone_number: phoneOrNull(form.twilio_phone_number),
      fallback_phone: phoneOrNull(form.fallback_phone),
      record_calls: form.record_calls,
      ai_prompt: form.ai_prompt,
      ai_greeting: form.ai_greeting,
      ai_voice: form.ai_voice,
      ai_language: form.ai_language,
      whatsapp_auto_reply: form.whatsapp_auto_reply,
    });

  const input = (k: keyof Form, extra: Record<string, unknown> = {}) => ({
    value: form[k] as string,
    onChange: set(k),
    disabled: !canManage,
    slotProps: { htmlInput: { "data-testid": `settings-${k}`, ...extra } },
  });

  return (
    <Box data-testid="settings-page">
      <Typography variant="h5" component="h1" sx={{ mb: 2 }}>{t("settings.title")}</Typography>
      {!canManage && <Alert severity="info" sx={{ mb: 2 }}>{t("settings.readOnly")}</Alert>}
      <Stack spacing={2}>
        <Section title={t("settings.profile")}>
          <TextField label={t("common.name")} {...input("name")} />
          <Stack direction={{ xs: "column", sm: "row" }} spacing={2}>
            <Autocomplete
              fullWidth
              options={TIME_ZONES}
              value={form.timezone}
              disableClearable
              disabled={!canManage}
              onChange={(_, v) => setForm((f) => (f ? { ...f, timezone: v } : f))}
              renderInput={(params) => <TextField {...params} label={t("businesses.timezone")} slotProps={{ htmlInput: { ...params.inputProps, dir: "ltr", "data-testid": "settings-timezone" } }} />}
            />
            <TextField fullWidth label={t("businesses.locale")} {...input("locale", { dir: "ltr" })} />
            <TextField fullWidth label={t("settings.vatRate")} {...input("vat", { inputMode: "decimal" })} error={!vatOk} />
          </Stack>
        </Section>
        <Section title={t("settings.voice")}>
          <Stack direction={{ xs: "column", sm: "row" }} spacing={2}>
            <TextField fullWidth label={t("settings.twilioNumber")} {...input("twilio_phone_number", { dir: "ltr" })} error={!twilioOk} helperText={twilioOk ? " " : t("leads.phoneInvalid")} />
            <TextField fullWidth label={t("settings.fallbackPhone")} {...input("fallback_phone", { dir: "ltr" })} error={!fallbackOk} helperText={fallbackOk ? " " : t("leads.phoneInvalid")} />
          </Stack>
          <FormControlLabel control={<Switch checked={form.record_calls} onChange={set("record_calls")} disabled={!canManage} slotProps={{ input: { "aria-label": t("settings.recordCalls") } }} />} label={t("settings.recordCalls")} />
          <TextField label={t("settings.aiPrompt")} multiline minRows={4} {...input("ai_prompt")} />
          <TextField label={t("settings.aiGreeting")} multiline minRows={2} {...input("ai_greeting")} />
          <Stack direction={{ xs: "column", sm: "row" }} spacing={2}>
            <TextField fullWidth label={t("settings.aiVoice")} {...input("ai_voice", { dir: "ltr" })} />
            <TextField fullWidth label={t("settings.aiLanguage")} {...input("ai_language", { dir: "ltr" })} />
          </Stack>
        </Section>
        <Section title={t("settings.whatsapp")}>
          <FormControlLabel control={<Switch checked={form.whatsapp_auto_reply} onChange={set("whatsapp_auto_reply")} disabled={!canManage} data-testid="settings-auto-reply" />} label={t("settings.autoReply")} />
        </Section>
        {canManage && (
          <Box>
            <Button variant="contained" onClick={submit} disabled={!twilioOk || !fallbackOk || !vatOk || save.isPending} data-testid="settings-save">
              {t("common.save")}
            </Button>
          </Box>
        )}
        {canManage && (
          <Section title={t("settings.integrations")}>
            <IntegrationsSection />
          </Section>
        )}
      </Stack>
    </Box>
  );
}
