import { useState } from "react";
import { Alert, Box, Button, Typography } from "@mui/material";
import PrintIcon from "@mui/icons-material/Print";
import { DataGrid, type GridColDef } from "@mui/x-data-grid";
import { heIL, enUS } from "@mui/x-data-grid/locales";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { type Invoice, invoicePrintUrl, listInvoices } from "../../api/offers";
import { useSession } from "../../auth/session";
import { errorText } from "../../components/feedback";
import { formatDateTime } from "../../lib/dates";
import { formatAgorot } from "../../lib/money";

export default function InvoicesPage() {
  const { t, i18n } = useTranslation();
  const { tz, isAdmin, actingBusinessId } = useSession();
  const [page, setPage] = useState({ page: 0, pageSize: 50 });
  const q = useQuery({ queryKey: ["invoices", page.page], queryFn: () => listInvoices(page.page + 1) });
  const columns: GridColDef<Invoice>[] = [
    { field: "number", headerName: t("invoices.number"), width: 90 },
    { field: "customer_name", headerName: t("offers.customer"), flex: 1, minWidth: 140 },
    { field: "total_agorot", headerName: t("offers.total"), width: 130, valueFormatter: (v: number) => formatAgorot(v, i18n.language) },
    { field: "issued_at", headerName: t("invoices.issued"), width: 160, valueFormatter: (v: string) => formatDateTime(v, tz, i18n.language) },
    { field: "issued_on", headerName: t("common.date"), width: 110, renderCell: ({ row }) => <span dir="ltr">{row.issued_on}</span> },
    {
      field: "actions", headerName: t("common.actions"), width: 130, sortable: false,
      renderCell: ({ row }) => (
        <Button size="small" startIcon={<PrintIcon />} href={invoicePrintUrl(row.id, isAdmin ? actingBusinessId : null)} target="_blank" rel="noopener" data-testid={`invoice-print-${row.id}`}>
          {t("common.print")}
        </Button>
      ),
    },
  ];
  const localeText = (i18n.language === "en" ? enUS : heIL).components.MuiDataGrid.defaultProps.localeText;
  return (
    <Box data-testid="invoices-page">
      <Typography variant="h5" component="h1" sx={{ mb: 2 }}>{t("invoices.title")}</Typography>
      {q.isError && <Alert severity="error">{errorText(t, q.error)}</Alert>}
      <DataGrid rows={q.data?.items ?? []} columns={columns} rowCount={q.data?.total ?? 0} loading={q.isFetching} paginationMode="server"
        paginationModel={page} onPaginationModelChange={setPage} pageSizeOptions={[50]} autoHeight density="compact" disableRowSelectionOnClick localeText={localeText} data-testid="invoices-table" />
    </Box>
  );
}
