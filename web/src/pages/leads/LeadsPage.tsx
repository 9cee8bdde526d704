import { useEffect, useState } from "react";
import { Alert, Box, Button, MenuItem, Stack, TextField, Typography, useMediaQuery, useTheme } from "@mui/material";
import AddIcon from "@mui/icons-material/Add";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { listLeads, type LeadSort } from "../../api/leads";
import { LEAD_SOURCES, LEAD_STATUSES, type Lead, type LeadSource, type LeadStatus } from "../../api/types";
import { errorText } from "../../components/feedback";
import { LeadsTable } from "./LeadsTable";
import { LeadCards } from "./LeadCards";
import { LeadFormDialog } from "./LeadFormDialog";
import { useLeadActions } from "./useLeadActions";

const SORTS: { value: LeadSort; label: string }[] = [
  { value: "-created_at", label: "leads.sortNewest" },
  { value: "created_at", label: "leads.sortOldest" },
  { value: "name", label: "leads.sortName" },
  { value: "-name", label: "leads.sortNameDesc" },
  { value: "-updated_at", label: "leads.sortUpdated" },
];

function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const id = setTimeout(() => setV(value), ms);
    return () => clearTimeout(id);
  }, [value, ms]);
  return v;
}

export default function LeadsPage() {
  const { t } = useTranslation();
  const theme = useTheme();
  const desktop = useMediaQuery(theme.breakpoints.up("md"));
  const [status, setStatus] = useState<LeadStatus | "">("");
  const [source, setSource] = useState<LeadSource | "">("");
  const [search, setSearch] = useState("");
  const q = useDebounced(search.trim(), 300);
  const [sort, setSort] = useState<LeadSort>("-created_at");
  const [page, setPage] = useState(1);
  const [perPage, setPerPage] = useState(25);
  const [editing, setEditing] = useState<Lead | null>(null);
  const [formOpen, setFormOpen] = useState(false);
  const actions = useLeadActions();

  useEffect(() => {
    setPage(1);
  }, [status, source, q, sort]);

  const filter = { status, source, q, sort, page, per_page: perPage };
  const leads = useQuery({
    queryKey: ["leads", filter],
    queryFn: () => listLeads(filter),
    placeholderData: keepPreviousData,
  });

  const openForm = (lead: Lead | null) => {
    setEditing(lead);
    setFormOpen(true);
  };

  const common = {
    data: leads.data,
    page,
    perPage,
    onEdit: openForm,
    onDelete: (l: Lead) => void actions.confirmDelete(l),
    onCall: (l: Lead) => actions.call(l),
  };

  return (
    <Box data-testid="leads-page">
      <Stack direction="row" sx={{ alignItems: "center", justifyContent: "space-between", mb: 2 }}>
        <Typography variant="h5" component="h1">
          {t("leads.title")}
          {leads.data && (
            <Typography component="span" color="text.secondary" sx={{ mx: 1 }} data-testid="leads-total">
              ({t("leads.total", { count: leads.data.total })})
            </Typography>
          )}
        </Typography>
        <Button variant="contained" startIcon={<AddIcon />} onClick={() => openForm(null)} data-testid="lead-new">
          {t("leads.new")}
        </Button>
      </Stack>
      <Stack direction={{ xs: "column", sm: "row" }} spacing={1.5} sx={{ mb: 2 }}>
        <TextField
          size="small"
          label={t("common.search")}
          placeholder={t("leads.searchPlaceholder")}
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          sx={{ flex: 2 }}
          slotProps={{ htmlInput: { "data-testid": "leads-search" } }}
        />
        <TextField select size="small" label={t("common.status")} value={status} onChange={(e) => setStatus(e.target.value as LeadStatus | "")} sx={{ flex: 1, minWidth: 130 }}
          slotProps={{ htmlInput: { "data-testid": "leads-filter-status" } }}>
          <MenuItem value="">{t("common.all")}</MenuItem>
          {LEAD_STATUSES.map((s) => <MenuItem key={s} value={s}>{t(`leadStatus.${s}`)}</MenuItem>)}
        </TextField>
        <TextField select size="small" label={t("common.source")} value={source} onChange={(e) => setSource(e.target.value as LeadSource | "")} sx={{ flex: 1, minWidth: 130 }}
          slotProps={{ htmlInput: { "data-testid": "leads-filter-source" } }}>
          <MenuItem value="">{t("common.all")}</MenuItem>
          {LEAD_SOURCES.map((s) => <MenuItem key={s} value={s}>{t(`leadSource.${s}`)}</MenuItem>)}
        </TextField>
        <TextField select size="small" label={t("common.sort")} value={sort} onChange={(e) => setSort(e.target.value as LeadSort)} sx={{ flex: 1, minWidth: 150 }}
          slotProps={{ htmlInput: { "data-testid": "leads-sort" } }}>
          {SORTS.map((s) => <MenuItem key={s.value} value={s.value}>{t(s.label)}</MenuItem>)}
        </TextField>
      </Stack>
      {leads.isError && <Alert severity="error" sx={{ mb: 2 }}>{errorText(t, leads.error)}</Alert>}
      {desktop ? (
        <LeadsTable
          {...common}
          loading={leads.isFetching}
          sort={sort}
          onSort={setSort}
          onPage={(p, pp) => {
            setPage(p);
            setPerPage(pp);
          }}
        />
      ) : (
        <LeadCards {...common} onPage={setPage} />
      )}
      <LeadFormDialog open={formOpen} lead={editing} onClose={() => setFormOpen(false)} />
    </Box>
  );
}
