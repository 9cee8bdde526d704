import { useState } from "react";
import { Link as RouterLink } from "react-router";
import { Alert, Box, Dialog, DialogContent, DialogTitle, Link, MenuItem, Stack, TextField, Typography } from "@mui/material";
import { DataGrid, type GridColDef } from "@mui/x-data-grid";
import { heIL, enUS } from "@mui/x-data-grid/locales";
import { DatePicker } from "@mui/x-date-pickers/DatePicker";
import { LocalizationProvider } from "@mui/x-date-pickers/LocalizationProvider";
import { AdapterDayjs } from "@mui/x-date-pickers/AdapterDayjs";
import "dayjs/locale/he";
import type { Dayjs } from "dayjs";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { type CallDirection, type CallListItem, type CallStatus, listCalls } from "../../api/calls";
import { useSession } from "../../auth/session";
import { errorText } from "../../components/feedback";
import { formatDateTime } from "../../lib/dates";
import { CallDetails } from "./CallDetails";

const STATUSES: CallStatus[] = ["queued", "ringing", "in-progress", "completed", "busy", "failed", "no-answer", "canceled"];

export default function CallsPage() {
  const { t, i18n } = useTranslation();
  const { tz } = useSession();
  const [direction, setDirection] = useState<CallDirection | "">("");
  const [status, setStatus] = useState<CallStatus | "">("");
  const [from, setFrom] = useState<Dayjs | null>(null);
  const [to, setTo] = useState<Dayjs | null>(null);
  const [page, setPage] = useState({ page: 0, pageSize: 25 });
  const [open, setOpen] = useState<string | null>(null);
  const filter = {
    direction, status,
    from: from?.isValid() ? from.format("YYYY-MM-DD") : undefined,
    to: to?.isValid() ? to.format("YYYY-MM-DD") : undefined,
    page: page.page + 1, per_page: page.pageSize,
  };
  const q = useQuery({ queryKey: ["calls", filter], queryFn: () => listCalls(filter), placeholderData: keepPreviousData });
  const columns: GridColDef<CallListItem>[] = [
    { field: "started_at", headerName: t("common.date"), width: 160, valueFormatter: (v: string) => formatDateTime(v, tz, i18n.language) },
    { field: "direction", headerName: t("calls.direction"), width: 100, valueGetter: (_v, r) => t(`calls.${r.direction}`) },
    { field: "from_phone", headerName: t("calls.from"), width: 150, renderCell: ({ row }) => <span dir="ltr">{row.from_phone}</span> },
    { field: "to_phone", headerName: t("calls.to"), width: 150, renderCell: ({ row }) => <span dir="ltr">{row.to_phone}</span> },
    { field: "status", headerName: t("common.status"), width: 120, valueGetter: (_v, r) => t(`calls.status.${r.status}`, { defaultValue: r.status }) },
    { field: "duration_seconds", headerName: t("calls.duration"), width: 90, valueFormatter: (v: number | null) => (v == null ? "" : `${Math.floor(v / 60)}:${String(v % 60).padStart(2, "0")}`) },
    { field: "first_response_ms", headerName: t("calls.latency"), width: 110, valueFormatter: (v: number | null) => (v == null ? "" : `${v} ms`) },
    {
      field: "lead_id", headerName: t("tasks.lead"), width: 90, sortable: false,
      renderCell: ({ row }) => row.lead_id ? (
        <Link component={RouterLink} to={`/leads/${row.lead_id}`} onClick={(e) => e.stopPropagation()} data-testid={`call-lead-${row.id}`}>{t("leads.open")}</Link>
      ) : null,
    },
    { field: "summary", headerName: t("leadDetail.summary"), flex: 1, minWidth: 160 },
  ];
  const localeText = (i18n.language === "en" ? enUS : heIL).components.MuiDataGrid.defaultProps.localeText;
  return (
    <Box data-testid="calls-page">
      <Typography variant="h5" component="h1" sx={{ mb: 2 }}>{t("calls.title")}</Typography>
      <LocalizationProvider dateAdapter={AdapterDayjs} adapterLocale={i18n.language === "en" ? "en" : "he"}>
        <Stack direction={{ xs: "column", sm: "row" }} spacing={1.5} sx={{ mb: 2 }}>
          <TextField select size="small" label={t("calls.direction")} value={direction} onChange={(e) => setDirection(e.target.value as CallDirection | "")} sx={{ minWidth: 130 }}
            slotProps={{ htmlInput: { "data-testid": "calls-filter-direction" } }}>
            <MenuItem value="">{t("common.all")}</MenuItem>
            <MenuItem value="inbound">{t("calls.inbound")}</MenuItem>
            <MenuItem value="outbound">{t("calls.outbound")}</MenuItem>
          </TextField>
          <TextField select size="small" label={t("common.status")} value={status} onChange={(e) => setStatus(e.target.value as CallStatus | "")} sx={{ minWidth: 130 }}
            slotProps={{ htmlInput: { "data-testid": "calls-filter-status" } }}>
            <MenuItem value="">{t("common.all")}</MenuItem>
            {STATUSES.map((s) => <MenuItem key={s} value={s}>{t(`calls.status.${s}`)}</MenuItem>)}
          </TextField>
          <DatePicker label={t("calls.dateFrom")} value={from} onChange={setFrom} slotProps={{ textField: { size: "small" }, field: { clearable: true } }} />
          <DatePicker label={t("calls.dateTo")} value={to} onChange={setTo} slotProps={{ textField: { size: "small" }, field: { clearable: true } }} />
        </Stack>
      </LocalizationProvider>
      {q.isError && <Alert severity="error" sx={{ mb: 2 }}>{errorText(t, q.error)}</Alert>}
      <DataGrid
        data-testid="calls-table"
        rows={q.data?.items ?? []}
        columns={columns}
        rowCount={q.data?.total ?? 0}
        loading={q.isFetching}
        paginationMode="server"
        paginationModel={page}
        onPaginationModelChange={setPage}
        pageSizeOptions={[25, 50, 100]}
        onRowClick={(p) => setOpen(String(p.id))}
        autoHeight
        density="compact"
        disableRowSelectionOnClick
        localeText={localeText}
      />
      <Dialog open={!!open} onClose={() => setOpen(null)} fullWidth maxWidth="md">
        <DialogTitle>{t("calls.details")}</DialogTitle>
        <DialogContent>{open && <CallDetails id={open} />}</DialogContent>
      </Dialog>
    </Box>
  );
}
