import { type FormEvent, useEffect, useState } from "react";
import {
  Button, Dialog, DialogActions, DialogContent, DialogTitle, MenuItem, Stack, TextField,
  useMediaQuery, useTheme,
} from "@mui/material";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { listUsers } from "../../api/users";
import { useSession } from "../../auth/session";
import { useTranslation } from "react-i18next";
import { createLead, type LeadInput, updateLead } from "../../api/leads";
import { ApiError } from "../../api/http";
import { LEAD_SOURCES, LEAD_STATUSES, type Lead, type LeadSource, type LeadStatus } from "../../api/types";
import { errorText, useFeedback } from "../../components/feedback";
import { parsePhone } from "../../lib/phone";

interface Props {
  open: boolean;
  lead: Lead | null;
  onClose: () => void;
}

interface FormState {
  name: string;
  phone: string;
  email: string;
  status: LeadStatus;
  source: LeadSource;
  notes: string;
  assigned_user_id: string;
}

const EMPTY: FormState = { name: "", phone: "", email: "", status: "new", source: "manual", notes: "", assigned_user_id: "" };

/** Field errors of the form, as i18n keys; empty when valid. */
export function validateLead(f: FormState): Partial<Record<keyof FormState, string>> {
  const errors: Partial<Record<keyof FormState, string>> = {};
  if (!f.name.trim()) errors.name = "leads.nameRequired";
  if (f.phone.trim() && !parsePhone(f.phone).ok) errors.phone = "leads.phoneInvalid";
  if (f.email.trim() && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(f.email.trim())) errors.email = "leads.emailInvalid";
  return errors;
}

export function LeadFormDialog({ open, lead, onClose }: Props) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const fb = useFeedback();
  const theme = useTheme();
  const fullScreen = useMediaQuery(theme.breakpoints.down("sm"));
  const { isAdmin, actingBusinessId } = useSession();
  const users = useQuery({ queryKey: ["users", "assignees", actingBusinessId], queryFn: () => listUsers(isAdmin ? actingBusinessId : null), enabled: open });
  const [form, setForm] = useState<FormState>(EMPTY);
  const [touched, setTouched] = useState(false);
  const [serverErrors, setServerErrors] = useState<Partial<Record<keyof FormState, string>>>({});

  useEffect(() => {
    if (!open) return;
    setTouched(false);
    setServerErrors({});
    setForm(
      lead
        ? {
            name: lead.name, phone: lead.phone ?? "", email: lead.email ?? "", status: lead.status, source: lead.source,
            notes: lead.notes, assigned_user_id: lead.assigned_user_id ?? "",
          }
        : EMPTY,
    );
  }, [open, lead]);

  const save = useMutation({
    mutationFn: (body: LeadInput) => (lead ? updateLead(lead.id, body) : createLead(body)),
    onSuccess: () => {
      fb.success(t(lead ? "leads.updated" : "leads.created"));
      void qc.invalidateQueries({ queryKey: ["leads"] });
      void qc.invalidateQueries({ queryKey: ["lead"] });
      onClose();
    },
    onError: (e) => {
      if (e instanceof ApiError && e.code === "invalid_phone") setServerErrors({ phone: "leads.phoneInvalid" });
      else if (e instanceof ApiError && e.code === "invalid_email") setServerErrors({ email: "leads.emailInvalid" });
      else if (e instanceof ApiError && e.code === "invalid_assignee") setServerErrors({ assigned_user_id: "errors.invalid_assignee" });
      else fb.error(errorText(t, e));
    },
  });

  const errors = { ...(touched ? validateLead(form) : {}), ...serverErrors };
  const set = (k: keyof FormState) => (e: { target: { value: string } }) => {
    setServerErrors({});
    setForm((f) => ({ ...f, [k]: e.target.value }));
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (Object.keys(validateLead(form)).length > 0) return;
    const phone = form.phone.trim() ? parsePhone(form.phone) : null;
    save.mutate({
      name: form.name.trim(),
      phone: phone && phone.ok ? phone.e164 : null,
      email: form.email.trim() || null,
      status: form.status,
      source: form.source,
      notes: form.notes,
      assigned_user_id: form.assigned_user_id || null,
    });
  };

  return (
    <Dialog open={open} onClose={onClose} fullWidth maxWidth="sm" fullScreen={fullScreen} data-testid="lead-form">
      <form onSubmit={submit} noValidate>
        <DialogTitle>{t(lead ? "leads.editTitle" : "leads.newTitle")}</DialogTitle>
        <DialogContent>
          <Stack spacing={2} sx={{ pt: 1 }}>
            <TextField
              label={t("common.name")}
              value={form.name}
              onChange={set("name")}
              required
              error={!!errors.name}
              helperText={errors.name ? t(errors.name) : " "}
              slotProps={{ htmlInput: { "data-testid": "lead-name", maxLength: 200 } }}
            />
            <TextField
              label={t("common.phone")}
              value={form.phone}
              onChange={set("phone")}
              type="tel"
              error={!!errors.phone}
              helperText={errors.phone ? t(errors.phone) : t("leads.phoneHelp")}
              slotProps={{ htmlInput: { "data-testid": "lead-phone", dir: "ltr", inputMode: "tel" } }}
            />
            <TextField
              label={t("common.email")}
              value={form.email}
              onChange={set("email")}
              type="email"
              error={!!errors.email}
              helperText={errors.email ? t(errors.email) : " "}
              slotProps={{ htmlInput: { "data-testid": "lead-email", dir: "ltr" } }}
            />
            <Stack direction="row" spacing={2}>
              <TextField select fullWidth label={t("common.status")} value={form.status} onChange={set("status")}
                slotProps={{ htmlInput: { "data-testid": "lead-status" } }}>
                {LEAD_STATUSES.map((s) => <MenuItem key={s} value={s}>{t(`leadStatus.${s}`)}</MenuItem>)}
              </TextField>
              <TextField select fullWidth label={t("common.source")} value={form.source} onChange={set("source")}
                slotProps={{ htmlInput: { "data-testid": "lead-source" } }}>
                {LEAD_SOURCES.map((s) => <MenuItem key={s} value={s}>{t(`leadSource.${s}`)}</MenuItem>)}
              </TextField>
            </Stack>
            <TextField select label={t("leads.assignee")} value={form.assigned_user_id} onChange={set("assigned_user_id")}
              error={!!errors.assigned_user_id} helperText={errors.assigned_user_id ? t(errors.assigned_user_id) : undefined}
              slotProps={{ htmlInput: { "data-testid": "lead-assignee" } }}>
              <MenuItem value="">—</MenuItem>
              {users.data?.filter((u) => u.business_id && u.active).map((u) => <MenuItem key={u.id} value={u.id}>{u.name || u.email}</MenuItem>)}
            </TextField>
            <TextField label={t("common.notes")} value={form.notes} onChange={set("notes")} multiline minRows={3}
              slotProps={{ htmlInput: { "data-testid": "lead-notes" } }} />
          </Stack>
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose} data-testid="lead-cancel">{t("common.cancel")}</Button>
          <Button type="submit" variant="contained" disabled={save.isPending} data-testid="lead-save">
            {t("common.save")}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
