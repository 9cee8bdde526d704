import { useState } from "react";
import {
  Alert, Box, Button, Chip, Dialog, DialogActions, DialogContent, DialogTitle, IconButton, Stack, TextField, Tooltip, Typography,
} from "@mui/material";
import AddIcon from "@mui/icons-material/Add";
import SendIcon from "@mui/icons-material/Send";
import ReceiptIcon from "@mui/icons-material/Receipt";
import BlockIcon from "@mui/icons-material/Block";
import DeleteIcon from "@mui/icons-material/Delete";
import { DataGrid, type GridColDef } from "@mui/x-data-grid";
import { heIL, enUS } from "@mui/x-data-grid/locales";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { declineOffer, deleteOffer, invoiceOffer, listOffers, type Offer, sendOffer } from "../../api/offers";
import { useSession } from "../../auth/session";
import { errorText, useFeedback } from "../../components/feedback";
import { formatDateTime } from "../../lib/dates";
import { formatAgorot } from "../../lib/money";
import { OfferFormDialog } from "./OfferFormDialog";
import { OfferDetails } from "./OfferDetails";

const STATUS_COLOR = { draft: "default", sent: "info", signed: "success", declined: "error" } as const;

export default function OffersPage() {
  const { t, i18n } = useTranslation();
  const { tz } = useSession();
  const qc = useQueryClient();
  const fb = useFeedback();
  const [open, setOpen] = useState(false);
  const [link, setLink] = useState<string | null>(null);
  const [viewing, setViewing] = useState<Offer | null>(null);
  const [page, setPage] = useState({ page: 0, pageSize: 25 });
  const q = useQuery({ queryKey: ["offers", page], queryFn: () => listOffers({ page: page.page + 1 }) });
  const refresh = () => qc.invalidateQueries({ queryKey: ["offers"] });
  const onErr = (e: unknown) => fb.error(errorText(t, e));
  const send = useMutation({ mutationFn: sendOffer, onSuccess: (r) => { setLink(r.signing_url); void refresh(); }, onError: onErr });
  const decline = useMutation({ mutationFn: declineOffer, onSuccess: () => void refresh(), onError: onErr });
  const invoice = useMutation({
    mutationFn: invoiceOffer,
    onSuccess: (inv) => { fb.success(t("offers.invoiceCreated", { n: inv.number })); void refresh(); void qc.invalidateQueries({ queryKey: ["invoices"] }); },
    onError: onErr,
  });
  const remove = useMutation({ mutationFn: deleteOffer, onSuccess: () => { fb.success(t("common.deleted")); void refresh(); }, onError: onErr });

  const columns: GridColDef<Offer>[] = [
    { field: "title", headerName: t("offers.offerTitle"), flex: 1, minWidth: 140 },
    { field: "customer_name", headerName: t("offers.customer"), flex: 1, minWidth: 120 },
    { field: "total_agorot", headerName: t("offers.total"), width: 120, valueFormatter: (v: number) => formatAgorot(v, i18n.language) },
    { field: "status", headerName: t("common.status"), width: 110, renderCell: ({ row }) => <Chip size="small" color={STATUS_COLOR[row.status]} label={t(`offers.status.${row.status}`)} /> },
    { field: "created_at", headerName: t("common.created"), width: 150, valueFormatter: (v: string) => formatDateTime(v, tz, i18n.language) },
    {
      field: "actions", headerName: t("common.actions"), width: 180, sortable: false,
      renderCell: ({ row }) => (
        <>
          {(row.status === "draft" || row.status === "sent") && (
            <Tooltip title={t("offers.send")}><IconButton size="small" onClick={() => send.mutate(row.id)} data-testid={`offer-send-${row.id}`}><SendIcon fontSize="small" /></IconButton></Tooltip>
          )}
          {row.status === "sent" && (
            <Tooltip title={t("offers.decline")}><IconButton size="small" onClick={() => decline.mutate(row.id)} data-testid={`offer-decline-${row.id}`}><BlockIcon fontSize="small" /></IconButton></Tooltip>
          )}
          {row.status === "signed" && !row.invoice_id && (
            <Tooltip title={t("offers.toInvoice")}><IconButton size="small" onClick={() => invoice.mutate(row.id)} data-testid={`offer-invoice-${row.id}`}><ReceiptIcon fontSize="small" /></IconButton></Tooltip>
          )}
          {row.status === "draft" && (
            <Tooltip title={t("common.delete")}><IconButton size="small" color="error" onClick={() => remove.mutate(row.id)} data-testid={`offer-delete-${row.id}`}><DeleteIcon fontSize="small" /></IconButton></Tooltip>
          )}
        </>
      ),
    },
  ];
  const localeText = (i18n.language === "en" ? enUS : heIL).components.MuiDataGrid.defaultProps.localeText;
  return (
    <Box data-testid="offers-page">
      <Stack direction="row" sx={{ alignItems: "center", justifyContent: "space-between", mb: 2 }}>
        <Typography variant="h5" component="h1">{t("offers.title")}</Typography>
        <Button variant="contained" startIcon={<AddIcon />} onClick={() => setOpen(true)} data-testid="offer-new">{t("offers.new")}</Button>
      </Stack>
      {q.isError && <Alert severity="error">{errorText(t, q.error)}</Alert>}
      <DataGrid rows={q.data?.items ?? []} columns={columns} rowCount={q.data?.total ?? 0} loading={q.isFetching} paginationMode="server"
        paginationModel={page} onPaginationModelChange={setPage} pageSizeOptions={[25]} autoHeight density="compact" disableRowSelectionOnClick localeText={localeText}
        onRowClick={(p, e) => { if (!(e.target as HTMLElement).closest("button")) setViewing(p.row); }} />
      <Dialog open={!!viewing} onClose={() => setViewing(null)} fullWidth maxWidth="md">
        <DialogTitle>{viewing?.title}</DialogTitle>
        <DialogContent>{viewing && <OfferDetails offer={viewing} />}</DialogContent>
        <DialogActions><Button onClick={() => setViewing(null)}>{t("common.close")}</Button></DialogActions>
      </Dialog>
      <OfferFormDialog open={open} onClose={() => setOpen(false)} />
      <Dialog open={!!link} onClose={() => setLink(null)} fullWidth maxWidth="sm">
        <DialogTitle>{t("offers.signingLink")}</DialogTitle>
        <DialogContent>
          <TextField fullWidth value={link ?? ""} slotProps={{ htmlInput: { readOnly: true, dir: "ltr", "data-testid": "offer-signing-url" } }} />
        </DialogContent>
        <DialogActions>
          <Button onClick={() => { if (link) void navigator.clipboard?.writeText(link).then(() => fb.success(t("common.copied"))); }}>{t("common.copy")}</Button>
          <Button onClick={() => setLink(null)}>{t("common.close")}</Button>
        </DialogActions>
      </Dialog>
    </Box>
  );
}
