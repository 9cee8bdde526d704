/** System admin: every business, create one, and switch the acting business. */
import { type FormEvent, useState } from "react";
import { Box, Button, Dialog, DialogActions, DialogContent, DialogTitle, Stack, TextField, Typography } from "@mui/material";
import AddIcon from "@mui/icons-material/Add";
import { DataGrid, type GridColDef } from "@mui/x-data-grid";
import { heIL, enUS } from "@mui/x-data-grid/locales";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { createBusiness, listBusinesses } from "../../api/businesses";
import type { Business } from "../../api/types";
import { useSession } from "../../auth/session";
import { errorText, useFeedback } from "../../components/feedback";
import { formatDateTime } from "../../lib/dates";
import { parsePhone } from "../../lib/phone";

function NewBusinessDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const fb = useFeedback();
  const [name, setName] = useState("");
  const [slug, setSlug] = useState("");
  const [twilio, setTwilio] = useState("");
  const [timezone, setTimezone] = useState("Asia/Jerusalem");
  const phoneOk = !twilio.trim() || parsePhone(twilio).ok;
  const save = useMutation({
    mutationFn: () =>
      createBusiness({ name: name.trim(), slug: slug.trim() || undefined, twilio_phone_number: twilio.trim() || null, timezone, locale: "he" }),
    onSuccess: () => {
      fb.success(t("businesses.created"));
      void qc.invalidateQueries({ queryKey: ["businesses"] });
      onClose();
    },
    onError: (e) => fb.error(errorText(t, e)),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <Dialog open={open} onClose={onClose} fullWidth maxWidth="xs" data-testid="business-form">
      <form onSubmit={submit}>
        <DialogTitle>{t("businesses.new")}</DialogTitle>
        <DialogContent>
          <Stack spacing={2} sx={{ pt: 1 }}>
            <TextField label={t("common.name")} value={name} onChange={(e) => setName(e.target.value)} required slotProps={{ htmlInput: { "data-testid": "business-name" } }} />
            <TextField label={t("businesses.slug")} value={slug} onChange={(e) => setSlug(e.target.value)} slotProps={{ htmlInput: { dir: "ltr", "data-testid": "business-slug" } }} />
            <TextField label={t("businesses.twilio")} value={twilio} onChange={(e) => setTwilio(e.target.value)} error={!phoneOk}
              helperText={phoneOk ? " " : t("leads.phoneInvalid")} slotProps={{ htmlInput: { dir: "ltr", "data-testid": "business-twilio" } }} />
            <TextField label={t("businesses.timezone")} value={timezone} onChange={(e) => setTimezone(e.target.value)} slotProps={{ htmlInput: { dir: "ltr" } }} />
          </Stack>
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>{t("common.cancel")}</Button>
          <Button type="submit" variant="contained" disabled={!name.trim() || !phoneOk || save.isPending} data-testid="business-save">{t("common.create")}</Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}

export default function BusinessesPage() {
  const { t, i18n } = useTranslation();
  const { tz, chooseBusiness, actingBusinessId } = useSession();
  const [open, setOpen] = useState(false);
  const q = useQuery({ queryKey: ["businesses"], queryFn: listBusinesses });
  const columns: GridColDef<Business>[] = [
    { field: "name", headerName: t("common.name"), flex: 1, minWidth: 140 },
    { field: "slug", headerName: t("businesses.slug"), width: 120 },
    { field: "twilio_phone_number", headerName: t("businesses.twilio"), width: 150, renderCell: ({ row }) => <span dir="ltr">{row.twilio_phone_number ?? ""}</span> },
    { field: "timezone", headerName: t("businesses.timezone"), width: 140 },
    { field: "created_at", headerName: t("common.created"), width: 150, valueFormatter: (v: string) => formatDateTime(v, tz, i18n.language) },
    {
      field: "actions", headerName: t("common.actions"), width: 170, sortable: false,
      renderCell: ({ row }) => (
        <Button size="small" disabled={row.id === actingBusinessId} onClick={() => chooseBusiness(row.id)} data-testid={`business-work-in-${row.id}`}>
          {t("businesses.workIn")}
        </Button>
      ),
    },
  ];
  const localeText = (i18n.language === "en" ? enUS : heIL).components.MuiDataGrid.defaultProps.localeText;
  return (
    <Box data-testid="businesses-page">
      <Stack direction="row" sx={{ alignItems: "center", justifyContent: "space-between", mb: 2 }}>
        <Typography variant="h5" component="h1">{t("businesses.title")}</Typography>
        <Button variant="contained" startIcon={<AddIcon />} onClick={() => setOpen(true)} data-testid="business-new">{t("businesses.new")}</Button>
      </Stack>
      <DataGrid rows={q.data ?? []} columns={columns} loading={q.isLoading} autoHeight density="compact" disableRowSelectionOnClick localeText={localeText}
        initialState={{ pagination: { paginationModel: { pageSize: 25 } } }} pageSizeOptions={[25, 50]} data-testid="businesses-table" />
      <NewBusinessDialog open={open} onClose={() => setOpen(false)} />
    </Box>
  );
}
